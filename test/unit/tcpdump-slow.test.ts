/**
 * Slow protocols (LACP, Marker, OAM; ethertype 0x8809) against the real tcpdump: a corpus of
 * PDUs — what an 802.3ad bond sends plus malformed variants — goes into a pcap, `tcpdump -r`
 * prints it with each flag set, and vnet's printer must produce the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ethernetFrame } from '../../src/wire/build.ts';
import { parseMac } from '../../src/wire/mac.ts';
import { LINKTYPE_LINUX_SLL2, readCapture, writePcap, type WriteRecord } from '../../src/wire/pcap.ts';
import { ethernetToSll2, PacketPrinter, type TcpdumpPrintOptions } from '../../src/tools/tcpdump/print.ts';

const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
const skip = HAVE_TCPDUMP ? false : 'tcpdump binary not installed';
const dir = mkdtempSync(join(tmpdir(), 'vnet-tcpdump-slow-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SLOW_MCAST = parseMac('01:80:c2:00:00:02')!;
const PORT_MAC = parseMac('02:00:00:00:00:10')!;
const OUI_MAC = parseMac('00:00:0c:12:34:56')!;

const be16 = (v: number) => [v >>> 8, v & 0xff];
const be32 = (v: number) => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const macArr = (s: string) => s.split(':').map((h) => parseInt(h, 16));

function slowFrame(payload: number[], opts: { pad?: boolean; vlan?: number; src?: number } = {}): Uint8Array {
  const body = Uint8Array.from(payload);
  const f = ethernetFrame(SLOW_MCAST, opts.src ?? PORT_MAC, 0x8809, body, opts.vlan === undefined ? [] : [{ tci: opts.vlan }]);
  if (opts.pad === false || f.length >= 60) return f;
  const p = new Uint8Array(60);
  p.set(f);
  return p;
}

function actorPartner(type: number, sysPrio: number, sys: string, key: number, portPrio: number, port: number, state: number, len = 20): number[] {
  const v = [...be16(sysPrio), ...macArr(sys), ...be16(key), ...be16(portPrio), ...be16(port), state, 0, 0, 0];
  return [type, len, ...v.slice(0, Math.max(0, len - 2)), ...Array(Math.max(0, len - 2 - v.length)).fill(0)];
}

/** A full 110-byte LACPDU (bond_3ad.c's layout): actor, partner, collector, terminator, reserved. */
function lacpdu(actorState: number, partnerState: number, sys = '02:00:00:00:00:10'): number[] {
  const out = [1, 1,
    ...actorPartner(1, 65535, sys, 9, 255, 1, actorState),
    ...actorPartner(2, 65535, '00:00:00:00:00:00', 1, 255, 1, partnerState),
    3, 16, ...be16(0), ...Array(12).fill(0),
    0, 0, ...Array(50).fill(0)];
  assert.equal(out.length, 110);
  return out;
}

function markerPdu(type: number, len = 16, trans = 0x01020304): number[] {
  const v = [...be16(7), ...macArr('02:00:00:00:00:20'), ...be32(trans), 0, 0];
  return [2, 1, type, len, ...v.slice(0, Math.max(0, len - 2)), ...Array(Math.max(0, len - 2 - v.length)).fill(0), 0, 0, ...Array(90).fill(0)];
}

function oamInfoTlv(type: number, len = 16): number[] {
  const v = [1, ...be16(0x0102), 0x05, 0x1f, ...be16(0x85ee), 0x00, 0x12, 0x0f, ...be32(0xdeadbeef)];
  return [type, len, ...v.slice(0, Math.max(0, len - 2)), ...Array(Math.max(0, len - 2 - v.length)).fill(0)];
}

function linkEvent(type: number, len = 40): number[] {
  const u64 = (hi: number, lo: number) => [...be32(hi), ...be32(lo)];
  const v = [...be16(42), ...u64(0, 1000), ...u64(1, 2), ...u64(0xffffffff, 0xffffffff), ...u64(0, 7), ...be32(3)];
  return [type, len, ...v.slice(0, Math.max(0, len - 2)), ...Array(Math.max(0, len - 2 - v.length)).fill(0)];
}

function corpus(): Uint8Array[] {
  const f: Uint8Array[] = [];
  // What an 802.3ad bond with no partner sends: EXPIRED, then DEFAULTED, then in sync.
  f.push(slowFrame(lacpdu(0xc5, 0x02)));
  f.push(slowFrame(lacpdu(0x45, 0x00)));
  f.push(slowFrame(lacpdu(0x4d, 0x00)));
  f.push(slowFrame(lacpdu(0x3f, 0xff, '00:00:0c:12:34:56'), { src: OUI_MAC }));
  f.push(slowFrame(lacpdu(0x45, 0x00), { vlan: 5 }));
  // LACP: other versions, bad TLV lengths, unknown TLVs, missing terminator, short and unpadded PDUs.
  f.push(slowFrame([1, 2, ...lacpdu(0x45, 0).slice(2)]));
  f.push(slowFrame([1, 1, ...actorPartner(1, 1, '02:00:00:00:00:01', 2, 3, 4, 5, 19), 0, 0]));
  f.push(slowFrame([1, 1, ...actorPartner(1, 1, '02:00:00:00:00:01', 2, 3, 4, 5, 22), 3, 15, ...Array(13).fill(0), 0, 0]));
  f.push(slowFrame([1, 1, 3, 18, ...Array(16).fill(1), 7, 4, 0xaa, 0xbb, 0, 0]));
  f.push(slowFrame([1, 1, 9, 6, 1, 2, 3, 4, 0, 7]));
  f.push(slowFrame([1, 1, 1, 1, 0, 0], { pad: false }));
  f.push(slowFrame([1, 1, 1, 0], { pad: false }));
  f.push(slowFrame([1, 1, 1], { pad: false }));
  f.push(slowFrame([1, 1, ...actorPartner(1, 1, '02:00:00:00:00:01', 2, 3, 4, 5)], { pad: false }));
  f.push(slowFrame([1, 1, 1, 40, ...Array(20).fill(0)], { pad: false }));
  f.push(slowFrame([1], { pad: false }));
  f.push(slowFrame([], { pad: false }));
  f.push(slowFrame([1, 1], { pad: false }));
  // Marker: information, response (no name in 4.99), wrong lengths, other version.
  f.push(slowFrame(markerPdu(1)));
  f.push(slowFrame(markerPdu(2)));
  f.push(slowFrame(markerPdu(1, 12)));
  f.push(slowFrame([2, 3, ...markerPdu(1).slice(2)]));
  f.push(slowFrame([2], { pad: false }));
  // OAM: information (local, remote, org specific, wrong length), events, loopback, others.
  f.push(slowFrame([3, ...be16(0x0050), 0x00, ...oamInfoTlv(1), ...oamInfoTlv(2), 0, 0]));
  f.push(slowFrame([3, ...be16(0x007f), 0x00, ...oamInfoTlv(1, 12), 0xfe, 6, 0x00, 0x12, 0x0f, 9, ...oamInfoTlv(7, 4), 0, 0]));
  f.push(slowFrame([3, ...be16(0), 0x00, 1, 1]));
  f.push(slowFrame([3, ...be16(0), 0x00, 1, 30, 0, 0], { pad: false }));
  f.push(slowFrame([3, ...be16(0), 0x00, 1], { pad: false }));
  f.push(slowFrame([3, ...be16(0x0001), 0x01, ...be16(9), ...linkEvent(1), ...linkEvent(4), ...linkEvent(2, 30), 0xfe, 5, 1, 2, 3, 0, 0]));
  f.push(slowFrame([3, ...be16(0), 0x01, ...be16(9), 9, 1]));
  f.push(slowFrame([3, ...be16(0), 0x01, 0], { pad: false }));
  f.push(slowFrame([3, ...be16(0), 0x01, ...be16(1), 3], { pad: false }));
  f.push(slowFrame([3, ...be16(0), 0x04, 0x01]));
  f.push(slowFrame([3, ...be16(0), 0x04, 0x09]));
  f.push(slowFrame([3, ...be16(0), 0x04], { pad: false }));
  f.push(slowFrame([3, ...be16(0x0002), 0x02, 7, 0, 1]));
  f.push(slowFrame([3, ...be16(0), 0xfe, 0, 0x12, 0x0f, 1, 2]));
  f.push(slowFrame([3, ...be16(0), 0x33]));
  f.push(slowFrame([3, 0, 0], { pad: false }));
  // Unknown subtypes (4.99 has no OSSP decoder: 10 is unknown too).
  f.push(slowFrame([10, 0, 0x12, 0x0f, 1, 2, 3]));
  f.push(slowFrame([0x55, 1, 2]));
  return f;
}

const FLAG_SETS: string[][] = [[], ['-e'], ['-v'], ['-vv'], ['-vvv'], ['-e', '-v'], ['-q'], ['-x'], ['-e', '-vv', '-X'], ['-A']];

function optsFor(flags: string[]): TcpdumpPrintOptions {
  const o: TcpdumpPrintOptions = { n: 2 };
  for (const f of flags) {
    for (const c of f.slice(1)) {
      if (c === 'e') o.e = true;
      else if (c === 'q') o.q = true;
      else if (c === 'v') o.v = (o.v ?? 0) + 1;
      else if (c === 'x') o.x = (o.x ?? 0) + 1;
      else if (c === 'X') o.X = (o.X ?? 0) + 1;
      else if (c === 'A') o.A = (o.A ?? 0) + 1;
    }
  }
  return o;
}

function tcpdump(file: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('tcpdump', ['-r', file, ...args], { env: { ...process.env, TZ: 'UTC' }, encoding: 'latin1' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function ourOutput(file: Uint8Array, opts: TcpdumpPrintOptions, ifname?: string): { out: string; unemulated: number } {
  const r = readCapture(file);
  assert.ok(r.ok);
  const pr = new PacketPrinter({ ...opts, linktype: r.file.linktype });
  let unemulated = 0;
  const out = r.file.records.map((rec) => {
    const s = pr.printAt(rec.data, rec.ts, { origLen: rec.origLen, ifname });
    if (pr.lastUnemulated !== null) unemulated++;
    return s;
  }).join('');
  return { out, unemulated };
}

function assertSame(ours: string, theirs: string, what: string): void {
  if (ours === theirs) return;
  const a = ours.split('\n'), b = theirs.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) assert.equal(a[i], b[i], `${what}: first difference at output line ${i + 1}`);
  }
}

const records: WriteRecord[] = corpus().map((data, i) => ({ tsNs: i * 1_000_000_007, data }));

test('the bond\'s LACPDU prints as tcpdump 4.99 prints it (-v)', () => {
  const out = new PacketPrinter({ n: 2, v: 1, t: 1 }).print(corpus()[1]!, 0);
  assert.equal(out, [
    'LACPv1, length 110',
    '\tActor Information TLV (0x01), length 20',
    '\t  System 02:00:00:00:00:10, System Priority 65535, Key 9, Port 1, Port Priority 255',
    '\t  State Flags [Activity, Aggregation, Default]',
    '\tPartner Information TLV (0x02), length 20',
    '\t  System 00:00:00:00:00:00, System Priority 65535, Key 1, Port 1, Port Priority 255',
    '\t  State Flags [none]',
    '\tCollector Information TLV (0x03), length 16',
    '\t  Max Delay 0',
    '\tTerminator TLV (0x00), length 0',
    '',
  ].join('\n'));
});

for (const flags of FLAG_SETS) {
  test(`slow protocols match tcpdump -nn ${flags.join(' ')}`, { skip }, () => {
    const f = join(dir, `slow${flags.join('')}.pcap`);
    const file = writePcap(records);
    writeFileSync(f, file);
    const r = tcpdump(f, ['-nn', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    const ours = ourOutput(file, optsFor(flags));
    assert.equal(ours.unemulated, 0);
    assertSame(ours.out, r.stdout, flags.join(' '));
  });
}

test('slow protocols match tcpdump without -n (OUI names of MACs)', { skip }, () => {
  const f = join(dir, 'slow-names.pcap');
  const file = writePcap(records);
  writeFileSync(f, file);
  for (const flags of [['-v'], ['-e', '-v']]) {
    const r = tcpdump(f, flags);
    assert.equal(r.status, 0, r.stderr);
    assertSame(ourOutput(file, { ...optsFor(flags), n: 0 }).out, r.stdout, flags.join(' '));
  }
});

test('slow protocols on -i any (LINUX_SLL2) match tcpdump', { skip }, () => {
  // tcpdump names the interface with if_indextoname() on the reading machine: ifindex 1 is "lo".
  const f = join(dir, 'slow-any.pcap');
  const sll = records.filter((r) => r.data.length >= 14).map((r, i) => ({ ...r, data: ethernetToSll2(r.data, 1, i % 2 ? 4 : 2) }));
  const file = writePcap(sll, { linktype: LINKTYPE_LINUX_SLL2 });
  writeFileSync(f, file);
  for (const flags of [[], ['-e'], ['-v'], ['-vv', '-x']]) {
    const r = tcpdump(f, ['-nn', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    assertSame(ourOutput(file, optsFor(flags), 'lo').out, r.stdout, flags.join(' '));
  }
});

test('snaplen-truncated slow protocol PDUs print like tcpdump', { skip }, () => {
  for (const snap of [15, 16, 18, 30, 40, 60, 80, 100]) {
    const f = join(dir, `slow-snap${snap}.pcap`);
    const file = writePcap(records, { snaplen: snap });
    writeFileSync(f, file);
    for (const flags of [[], ['-v'], ['-e', '-vv'], ['-x']]) {
      const r = tcpdump(f, ['-nn', ...flags]);
      assert.equal(r.status, 0, r.stderr);
      assertSame(ourOutput(file, optsFor(flags)).out, r.stdout, `snaplen ${snap} ${flags.join(' ')}`);
    }
  }
});

test('randomly mutated slow protocol PDUs print like tcpdump', { skip }, () => {
  const base = corpus();
  const arb = fc.record({
    idx: fc.nat(base.length - 1),
    muts: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
    cut: fc.option(fc.nat(), { freq: 4 }),
  }).map(({ idx, muts, cut }) => {
    const f = base[idx]!.slice();
    // Mutate after the ethertype, mostly in the first TLV headers where the decisions are.
    for (const [at, v] of muts) if (f.length > 14) f[14 + (at % Math.min(f.length - 14, at % 2 ? 64 : 200))] = v;
    return cut === null ? f : f.subarray(0, 14 + (cut % (f.length - 13)));
  });
  const frames = fc.sample(arb, { numRuns: 2000, seed: 8023 });
  const f = join(dir, 'slow-fuzz.pcap');
  writeFileSync(f, writePcap(frames.map((data, i) => ({ tsNs: i * 1000, data }))));
  for (const flags of [[], ['-v'], ['-e', '-vv'], ['-x']]) {
    const r = tcpdump(f, ['-nn', '-#', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    const theirs = r.stdout.split(/\n(?= {0,4}\d+  12:)/);
    const pr = new PacketPrinter({ ...optsFor(flags), number: true });
    frames.forEach((data, i) => {
      const ours = pr.print(data, i * 1000);
      assert.equal(pr.lastUnemulated, null);
      assert.equal(ours.replace(/\n$/, ''), theirs[i]!.replace(/\n$/, ''), `frame ${i} (${Buffer.from(data).toString('hex')}) ${flags.join(' ')}`);
    });
  }
});
