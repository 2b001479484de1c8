/**
 * Bad input for the save-file reader (`vnet load`, LabSession.load): truncated, bit-flipped,
 * spliced and random files, and files whose body was edited and then re-signed (so the checksum
 * passes and the shape checks, the replay and the digest comparison have to catch it). A bad file
 * is refused with a message that names it and says what is wrong; the reader never throws.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LabSession } from '../../src/state/session.ts';
import { sha256Hex } from '../../src/state/sha256.ts';
import { labDigest } from '../../src/state/digest.ts';
import { BUG_TEXT } from './labrun.ts';
import type { Target } from './targets.ts';

let saved: string | null = null;

/** One real state file, made once: a small lab with namespaces, a veth pair, a bridge and a ping. */
function stateFile(): string {
  if (saved) return saved;
  const s = new LabSession({ seed: 4 });
  for (const l of ['ip netns add a', 'ip link add v0 type veth peer name v1 netns a', 'ip link add br0 type bridge',
    'ip link set v0 master br0', 'ip link set v0 up', 'ip link set br0 up', 'ip addr add 192.0.2.1/24 dev br0',
    'ip -n a link set v1 up', 'ip -n a addr add 192.0.2.2/24 dev v1', 'ping -c1 -W1 192.0.2.2']) s.runLine(l);
  saved = s.save();
  return saved;
}

/** Replaces the body and signs it again, as a hand-edited file with a fixed-up checksum would be. */
function resign(text: string, body: string): string {
  let h: Record<string, unknown>;
  try { h = JSON.parse(text.slice(0, text.indexOf('\n'))) as Record<string, unknown>; } catch { return text; }
  if (!h || typeof h !== 'object') return text;
  return JSON.stringify({ ...h, sha256: sha256Hex(body) }) + '\n' + body;
}

type Edit =
  | { k: 'truncate'; at: number } | { k: 'flip'; at: number; bit: number } | { k: 'splice'; at: number; del: number; ins: string }
  | { k: 'json'; path: number; value: unknown } | { k: 'drop'; path: number } | { k: 'garbage'; text: string };

const anyJson = fc.oneof(fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, '', 'x', [], {}, 'ip link del v0', 'sleep 0.5',
  'ip netns del a', 'world', 'script', 'line', 99, 2 ** 53), fc.string({ maxLength: 12 }), fc.integer());

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ k: fc.constant('truncate' as const), at: fc.nat(1000) }),
  fc.record({ k: fc.constant('flip' as const), at: fc.nat(1000), bit: fc.nat(7) }),
  fc.record({ k: fc.constant('splice' as const), at: fc.nat(1000), del: fc.nat(8), ins: fc.constantFrom('', '"', '{', '}', '\n', ',', '\\u0000', 'é', '9') }),
  { weight: 3, arbitrary: fc.record({ k: fc.constant('json' as const), path: fc.nat(10_000), value: anyJson }) },
  fc.record({ k: fc.constant('drop' as const), path: fc.nat(10_000) }),
  fc.record({ k: fc.constant('garbage' as const), text: fc.string({ maxLength: 40 }) }),
);

/** Every [container, key] of a JSON value, so an edit can reach any field, however deep. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([v, i]); slots(x, out); });
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) { out.push([v as Record<string, unknown>, k]); slots((v as Record<string, unknown>)[k], out); }
  return out;
}

function apply(text: string, e: Edit): string {
  const at = (n: number) => Math.floor((n * text.length) / 1000);
  switch (e.k) {
    case 'truncate': return text.slice(0, at(e.at));
    case 'flip': {
      const i = at(e.at);
      return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ (1 << e.bit)) + text.slice(i + 1);
    }
    case 'splice': return text.slice(0, at(e.at)) + e.ins + text.slice(at(e.at) + e.del);
    case 'garbage': return e.text;
    case 'json': case 'drop': {
      const nl = text.indexOf('\n');
      let body: unknown;
      try { body = JSON.parse(text.slice(nl + 1)); } catch { return text; }
      const all = slots(body);
      if (!all.length) return text;
      const [c, k] = all[e.path % all.length]!;
      if (e.k === 'json') (c as Record<string | number, unknown>)[k] = e.value;
      else if (Array.isArray(c)) c.splice(k as number, 1);
      else delete c[k as string];
      return resign(text, JSON.stringify(body, null, 1) + '\n');
    }
  }
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
  }
  return v;
}

const stateReader: Target = {
  name: 'state-reader', group: 'state', runs: 200,
  property: () => fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
    const orig = stateFile();
    let text = orig;
    for (const e of edits) text = apply(text, e);
    const r = LabSession.load(text, 'lab.state');
    if (r.ok) {
      // Accepted (an edit that changed nothing that matters, e.g. whitespace): then the lab it
      // rebuilt is exactly the one the file describes.
      const body = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { digest: unknown };
      // (A key left out means null: the reader's rule, harmless, as it describes the same lab.)
      assert.deepEqual(dropNulls(labDigest(r.session.lab, r.session.fs)), dropNulls(body.digest), 'an accepted file rebuilt another lab');
      return;
    }
    assert.match(r.error, /^lab\.state[: ]/, `the message does not name the file: ${r.error}`);
    assert.ok(r.error.length > 'lab.state: '.length, 'refused without saying why');
    assert.doesNotMatch(r.error, BUG_TEXT, r.error);
  }),
};

export const STATE_TARGETS: Target[] = [stateReader];
