/**
 * Whole-run captures, vnet against the real kernel, frame by frame.
 *
 * For each capture scenario test/captures/*.sh (header: `# capture: NS/IF …`, `# claim: …`, and the
 * usual `# world:` / `# requires:` / `# rule:`):
 *   - vnet runs it with startCaptures on those interfaces (what `vnet run --capture … --out DIR` writes);
 *   - the real kernel runs it with tcpdump on the same interfaces (test/kernel/capture-runner.ts);
 *   - the real `tshark` decodes both sides' pcapng files into the fields below; every capture must hold
 *     the same frames in the same order with the same headers and the same direction (pcapng epb_flags);
 *     only MACs the scripts do not fix would be renamed (test/kernel/normalize.ts), and IPv6 frames are
 *     left out (the scenarios turn IPv6 off; the kernel's DAD/MLD/RS timing is random anyway);
 *   - tshark must read vnet's files with nothing on stderr (apart from its notice about running as
 *     root) and exit 0;
 *   - each `# claim:` (the seed article's capture claims, see below) must hold on vnet, and on the
 *     kernel when it ran.
 *
 * Claim syntax: `# claim: NS/IF QUANT COND…` with QUANT one of `none`, `some`, `all`, or a number (exact
 * count), and COND `field=value`, `field!=value`, `field` (present) or `!field` (absent); `dir=in|out`
 * is the direction; `arp`, `icmp`, `ip`, `vlan` stand for arp.opcode, icmp.type, ip.src, vlan.id.
 *
 * `# known-gap: …` marks a scenario where vnet is known to differ: its vnet-side differences are reported as a
 * todo (the kernel's claims must still hold), and a note says when the gap has closed.
 *
 * Not root / no namespaces / no tcpdump: the kernel half is skipped with the reason. No tshark: the
 * decode falls back to nothing and the test is skipped with the reason. `# requires: 8021q` scenarios run
 * on vnet only (this kernel has no 802.1Q) and have their claims checked there.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../src/index.ts';
import { startCaptures, END_DRAIN_NS, type CaptureSet, type CaptureFile } from '../src/capture/index.ts';
import { kernelAvailable } from './kernel/kernel-runner.ts';
import { runOnKernelWithCaptures, type KernelCaptureRun } from './kernel/capture-runner.ts';
import { Normalizer, lineDiff } from './kernel/normalize.ts';
import { parseHeader, worldText, MISSING_ON_THIS_KERNEL, REPO } from './kernel/scenario.ts';

const DIR = join(REPO, 'test', 'captures');

/** The fields compared, in this order. */
export const FIELDS = [
  'frame.len', 'frame.packet_flags_direction', 'eth.src', 'eth.dst', 'eth.type', 'vlan.id', 'vlan.etype',
  'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4',
  'ip.src', 'ip.dst', 'ip.ttl', 'ip.proto', 'icmp.type', 'icmp.code', 'icmp.seq',
] as const;

const ROOT_NOTICE = 'Running as user "root" and group "root". This could be dangerous.';

interface CaptureScenario {
  name: string;
  text: string;
  world: string;
  missing: string[];
  captures: string[];
  claims: string[];
  /** `# known-gap:` (continued on the following `#       ` lines): vnet is known to differ here. */
  knownGap: string;
}

function parseCaptureHeader(text: string): { captures: string[]; claims: string[]; knownGap: string } {
  const captures: string[] = [];
  const claims: string[] = [];
  let knownGap = '';
  let inGap = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#!')) continue;
    if (!line.startsWith('#')) break;
    const m = /^#\s*(capture|claim|known-gap|[a-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) {
      if (inGap) knownGap += ' ' + line.replace(/^#\s*/, '');
      continue;
    }
    inGap = m[1] === 'known-gap';
    if (m[1] === 'capture') captures.push(...m[2]!.split(/\s+/).filter(Boolean));
    else if (m[1] === 'claim') claims.push(m[2]!.trim());
    else if (inGap) knownGap = m[2]!.trim();
  }
  return { captures, claims, knownGap };
}

const scenarios: CaptureScenario[] = readdirSync(DIR).filter((f) => f.endsWith('.sh')).sort().map((f) => {
  const text = readFileSync(join(DIR, f), 'utf8');
  const h = parseHeader(text);
  return {
    name: f.replace(/\.sh$/, ''), text, world: h.world,
    missing: h.requires.filter((r) => MISSING_ON_THIS_KERNEL.has(r)), ...parseCaptureHeader(text),
  };
});
const only = process.env.VNET_SCENARIO ? new Set(process.env.VNET_SCENARIO.split(',')) : undefined;
const selected = scenarios.filter((s) => !only || only.has(s.name));

// ---- tools
const tsharkOk = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0;
const tcpdumpOk = spawnSync('sh', ['-c', 'command -v tcpdump'], { encoding: 'utf8' }).status === 0;
const kernel = kernelAvailable();
const kernelReason = !kernel.ok ? kernel.reason : !tcpdumpOk ? 'tcpdump is not installed' : '';
const tmp = mkdtempSync(join(tmpdir(), 'vnet-capture-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// ---- the kernel half: started at once, one scenario at a time (linkwatch is machine-wide)
const kernelRuns = new Map<string, Promise<KernelCaptureRun>>();
// Kernel runs one at a time (the queue and any re-run), in this chain.
let kernelChain: Promise<unknown> = Promise.resolve();
if (kernelReason === '') {
  for (const s of selected.filter((x) => x.missing.length === 0)) {
    const p = kernelChain.then(() => runOnKernelWithCaptures(s.text, s.captures, { world: worldText(s.world), timeoutMs: 30_000 }))
      .catch((e: unknown) => ({ run: { records: [], durationMs: 0 }, captures: [], skipped: `runner error: ${(e as Error).message}` }) as KernelCaptureRun);
    kernelRuns.set(s.name, p);
    kernelChain = p;
  }
}

// ---- tshark, a few at a time
let running = 0;
const waiting: (() => void)[] = [];
async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 4) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

interface Decoded { rows: Record<string, string>[][]; stderr: string; status: number | null }

let fileNo = 0;
/**
 * Decodes several capture files with one tshark run: the files are concatenated as they are (a pcapng
 * file is one section; a file of several sections is still pcapng), and frame.section_number tells
 * which file a frame came from. Returns the rows of each file.
 */
function tshark(files: Uint8Array[]): Promise<Decoded> {
  const path = join(tmp, `${++fileNo}.pcapng`);
  writeFileSync(path, Buffer.concat(files));
  return withSlot(() => new Promise<Decoded>((resolve) => {
    const args = ['-r', path, '-n', '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.section_number'];
    for (const f of FIELDS) args.push('-e', f);
    const child = spawn('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (status) => {
      const rows: Record<string, string>[][] = files.map(() => []);
      for (const l of out.split('\n')) {
        if (l === '') continue;
        const cells = l.split('\t');
        const r: Record<string, string> = {};
        FIELDS.forEach((f, i) => { r[f] = cells[i + 1] ?? ''; });
        const d = parseInt(r['frame.packet_flags_direction']!, 16);
        r.dir = d === 1 ? 'in' : d === 2 ? 'out' : r['frame.packet_flags_direction'] ? '?' : '';
        const section = Number(cells[0]);
        if (!(section >= 1 && section <= files.length)) throw new Error(`tshark: frame in unexpected section ${cells[0]}`);
        rows[section - 1]!.push(r);
      }
      const stderr = err.split('\n').filter((l) => l.trim() !== '' && l.trim() !== ROOT_NOTICE).join('\n');
      resolve({ rows, stderr, status });
    });
  }));
}

/** One line per frame, for comparing and for reading a diff. */
function render(r: Record<string, string>): string {
  const parts = [r.dir || '-', `len=${r['frame.len']}`, `${r['eth.src']} > ${r['eth.dst']}`, r['eth.type']!];
  if (r['vlan.id']) parts.push(`vlan ${r['vlan.id']} ${r['vlan.etype']}`);
  if (r['arp.opcode']) {
    parts.push(`arp op=${r['arp.opcode']} ${r['arp.src.hw_mac']} ${r['arp.src.proto_ipv4']} -> ${r['arp.dst.hw_mac']} ${r['arp.dst.proto_ipv4']}`);
  }
  if (r['ip.src']) parts.push(`ip ${r['ip.src']} > ${r['ip.dst']} ttl=${r['ip.ttl']} proto=${r['ip.proto']}`);
  if (r['icmp.type']) parts.push(`icmp type=${r['icmp.type']} code=${r['icmp.code']} seq=${r['icmp.seq']}`);
  return parts.join(' ');
}

const isIpv6 = (r: Record<string, string>) => r['eth.type'] === '0x86dd' || r['vlan.etype'] === '0x86dd';

// ---- claims
const ALIASES: Record<string, string> = { arp: 'arp.opcode', icmp: 'icmp.type', ip: 'ip.src', vlan: 'vlan.id' };

/** Checks one claim against decoded captures (keyed NS/IF); returns an error text or null. */
export function checkClaim(claim: string, captures: Map<string, Record<string, string>[]>): string | null {
  const [spec, quant, ...conds] = claim.split(/\s+/);
  const rows = captures.get(spec!);
  if (!rows) return `claim "${claim}": ${spec} is not captured`;
  const tests = conds.map((c) => {
    let m = /^(!?)([a-z0-9_.]+)$/.exec(c);
    if (m) {
      const f = ALIASES[m[2]!] ?? m[2]!;
      const neg = m[1] === '!';
      return (r: Record<string, string>) => ((r[f] ?? '') !== '') !== neg;
    }
    m = /^([a-z0-9_.]+)(!?=)(.*)$/.exec(c);
    if (!m) throw new Error(`bad claim condition "${c}" in "${claim}"`);
    const f = ALIASES[m[1]!] ?? m[1]!;
    const want = m[3]!;
    const neg = m[2] === '!=';
    return (r: Record<string, string>) => ((r[f] ?? '') === want) !== neg;
  });
  const match = rows.filter((r) => tests.every((t) => t(r)));
  let ok: boolean;
  if (quant === 'none') ok = match.length === 0;
  else if (quant === 'some') ok = match.length > 0;
  else if (quant === 'all') ok = rows.length > 0 && match.length === rows.length;
  else if (/^\d+$/.test(quant!)) ok = match.length === Number(quant);
  else throw new Error(`bad claim quantity "${quant}" in "${claim}"`);
  if (ok) return null;
  return `claim "${claim}" does not hold: ${match.length} of ${rows.length} frames match\n` +
    rows.map((r) => `    ${render(r)}`).join('\n');
}

// ---- summary
const summary = { match: 0, compared: 0, vnetOnly: 0, mismatching: [] as string[], knownGaps: [] as string[], rerun: [] as string[], captures: 0, capturesMatching: 0 };

for (const s of selected) {
  const label = `${s.name}${s.missing.length ? ` [vnet only: requires ${s.missing.join(',')}]` : ''}`;
  test(label, async (t) => {
    if (!tsharkOk) return t.skip('tshark is not installed');
    assert.ok(s.captures.length > 0, 'the scenario has no "# capture:" line');

    // vnet
    let set: CaptureSet | null = null;
    const v = runScript(s.text, {
      world: s.world === 'none' ? 'none' : worldText(s.world), scriptName: s.name,
      beforeScript: (session) => { set = startCaptures(session, s.captures); },
    });
    assert.ok(v.records.length > 0, 'vnet recorded no command');
    const vfiles: CaptureFile[] = (set as CaptureSet | null)!.stop({ drainNs: END_DRAIN_NS });
    const vd = await tshark(vfiles.map((f) => f.bytes));
    const names = vfiles.map((f) => f.name).join(', ');
    assert.equal(vd.status, 0, `tshark failed on vnet's ${names}: ${vd.stderr}`);
    assert.equal(vd.stderr, '', `tshark warned about vnet's ${names}`);
    const vdec = vd.rows;
    const vrows = new Map(s.captures.map((c, i) => [c, vdec[i]!]));

    const failures: string[] = [];
    for (const c of s.claims) {
      const e = checkClaim(c, vrows);
      if (e) failures.push(`vnet: ${e}`);
    }

    /** vnet-side differences in a `# known-gap:` scenario are a todo; anything else fails. */
    const knownGapOnly = (): boolean => {
      if (!s.knownGap || failures.length === 0 || failures.some((f) => f.startsWith('kernel: '))) return false;
      summary.knownGaps.push(s.name);
      for (const line of failures.join('\n').split('\n')) t.diagnostic(line);
      t.todo(`known gap: ${s.knownGap}`);
      return true;
    };

    if (s.missing.length > 0 || kernelReason) {
      if (s.missing.length > 0) summary.vnetOnly++;
      t.diagnostic(`kernel half skipped: ${kernelReason || `this kernel lacks ${s.missing.join(',')}`}`);
      if (knownGapOnly()) return;
      if (failures.length) assert.fail(failures.join('\n'));
      return;
    }

    // the kernel
    /** One kernel run judged: its own claims, then frame by frame per interface against vnet. */
    const judge = async (k: KernelCaptureRun): Promise<{ failures: string[]; matching: number; ipv6: number }> => {
      assert.equal(k.skipped, undefined, `kernel run skipped: ${k.skipped}`);
      assert.ok(!k.run.timedOut, 'kernel run hit its timeout');
      assert.equal(k.run.shellStderr ?? '', '', `bash printed outside the commands: ${k.run.shellStderr}`);
      // a capture whose interface never came up on the kernel has no file: no frames
      const present = k.captures.filter((c) => c.pcapng !== null);
      const kd = await tshark(present.map((c) => c.pcapng!));
      assert.equal(kd.status, 0, `tshark failed on the kernel's captures: ${kd.stderr}`);
      const kdec = k.captures.map((c) => (c.pcapng ? kd.rows[present.indexOf(c)]! : []));
      const krows = new Map(s.captures.map((c, i) => [c, kdec[i]!]));
      const out: string[] = [];
      for (const c of s.claims) {
        const e = checkClaim(c, krows);
        if (e) out.push(`kernel: ${e}`);
      }
      for (const c of k.captures) for (const w of c.warnings) t.diagnostic(`kernel capture ${c.name}: ${w}`);
      t.diagnostic(`kernel run: ${k.run.durationMs} ms`);
      const kn = new Normalizer(s.text, { worldText: worldText(s.world) });
      const vn = new Normalizer(s.text, { worldText: worldText(s.world) });
      let ipv6 = 0;
      let matching = 0;
      s.captures.forEach((spec, i) => {
        const kr = kdec[i]!.filter((r) => !(isIpv6(r) && ++ipv6));
        const vr = vdec[i]!.filter((r) => !(isIpv6(r) && ++ipv6));
        const kt = kr.map((r) => kn.text(render(r))).join('\n');
        const vt = vr.map((r) => vn.text(render(r))).join('\n');
        if (kt === vt) matching++;
        else out.push(`capture ${spec}: frames differ ('-' kernel ${kr.length}, '+' vnet ${vr.length})\n${lineDiff(kt, vt).replace(/^/gm, '    ')}`);
      });
      return { failures: out, matching, ipv6 };
    };
    let j = await judge(await kernelRuns.get(s.name)!);
    if (j.failures.length && !s.knownGap) {
      // Captures on the kernel depend on timing (which reply wins a race, when a tcpdump window
      // closes) and this machine may be busy: judge against a second kernel run, made alone.
      const rerun: Promise<KernelCaptureRun> = kernelChain.then(() => runOnKernelWithCaptures(s.text, s.captures, { world: worldText(s.world), timeoutMs: 30_000 }));
      kernelChain = rerun.catch(() => undefined);
      const k2 = await rerun;
      const j2 = await judge(k2);
      if (j2.failures.length === 0) {
        summary.rerun.push(s.name);
        t.diagnostic(`the first kernel run differed; a second kernel run matched vnet`);
      }
      j = j2;
    }
    failures.push(...j.failures);
    summary.compared++;
    summary.captures += s.captures.length;
    summary.capturesMatching += j.matching;
    const ipv6 = j.ipv6;
    if (ipv6) t.diagnostic(`${ipv6} IPv6 frames left out`);
    if (process.env.VNET_CAPTURE_SHOW) {
      s.captures.forEach((spec, i) => { t.diagnostic(`${spec}:`); for (const r of vdec[i]!) t.diagnostic(`  ${render(r)}`); });
    }
    // vnet differs where the scenario says it does: report, do not fail (the kernel's own claims held)
    if (knownGapOnly()) return;
    if (failures.length) {
      summary.mismatching.push(s.name);
      assert.fail(failures.join('\n'));
    }
    if (s.knownGap) t.diagnostic(`"# known-gap:" but vnet matches the kernel now: remove the header (${s.knownGap})`);
    summary.match++;
  });
}

after(() => {
  const lines: string[] = [];
  if (!tsharkOk) lines.push('captures: tshark is not installed, nothing compared');
  if (kernelReason) lines.push(`captures: kernel half skipped: ${kernelReason}`);
  lines.push(`captures: ${summary.match}/${summary.compared} scenarios match the kernel frame for frame ` +
    `(${summary.capturesMatching}/${summary.captures} interfaces)`);
  if (summary.vnetOnly) lines.push(`captures: ${summary.vnetOnly} vnet-only scenarios (kernel lacks the feature), claims checked`);
  if (summary.knownGaps.length) lines.push(`captures: known gaps (todo): ${summary.knownGaps.join(', ')}`);
  if (summary.mismatching.length) lines.push(`captures: mismatching: ${summary.mismatching.join(', ')}`);
  if (summary.rerun.length) lines.push(`captures: matched the kernel's second run only (timing-dependent on the kernel): ${summary.rerun.join(', ')}`);
  console.log(lines.join('\n'));
});
