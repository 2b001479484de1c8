/**
 * Capture files: what we write must be read by tshark (without warnings) and tcpdump, and
 * what we read must agree with libpcap, errors included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arpPacket, ethernetFrame, icmpEcho, ipv4Packet } from '../../src/wire/build.ts';
import { MAC_BROADCAST, parseMac } from '../../src/wire/mac.ts';
import {
  DIRECTION_INBOUND, DIRECTION_OUTBOUND, LINKTYPE_ETHERNET, PCAP_MAGIC_NSEC, readCapture, timestampToVirtual, virtualToTimestamp,
  VIRTUAL_EPOCH_SECONDS, writePcap, writePcapng, type WriteRecord,
} from '../../src/wire/pcap.ts';

const has = (bin: string) => spawnSync(bin, ['--version']).status === 0;
const HAVE_TSHARK = has('tshark');
const HAVE_TCPDUMP = has('tcpdump');
const HAVE_EDITCAP = has('editcap');
const noTshark = HAVE_TSHARK ? false : 'tshark binary not installed';
const noTcpdump = HAVE_TCPDUMP ? false : 'tcpdump binary not installed';
const dir = mkdtempSync(join(tmpdir(), 'vnet-pcap-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const A = parseMac('aa:bb:cc:dd:ee:01')!, B = parseMac('aa:bb:cc:dd:ee:02')!;
const frames = [
  ethernetFrame(MAC_BROADCAST, A, 0x0806, arpPacket({ oper: 1, sha: A, spa: 0xc0000202, tha: 0, tpa: 0xc0000203 })),
  ethernetFrame(A, B, 0x0806, arpPacket({ oper: 2, sha: B, spa: 0xc0000203, tha: A, tpa: 0xc0000202 })),
  ethernetFrame(B, A, 0x0800, ipv4Packet({ src: 0xc0000202, dst: 0xc0000203, protocol: 1, dontFragment: true }, icmpEcho(8, 1, 1, new Uint8Array(56)))),
  ethernetFrame(B, A, 0x0800, ipv4Packet({ src: 0xc0000202, dst: 0xc0000203, protocol: 1 }, icmpEcho(8, 1, 2, new Uint8Array(1400))), [{ tci: 11 }]),
];
const records: WriteRecord[] = frames.map((data, i) => ({
  tsNs: i * 1_250_000_123 + 999,
  data,
  interfaceId: i % 2,
  direction: i % 2 ? DIRECTION_INBOUND : DIRECTION_OUTBOUND,
}));

function run(bin: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(bin, args, { env: { ...process.env, TZ: 'UTC' }, encoding: 'latin1' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
/** tshark's only unavoidable stderr line when tests run as root. */
const tsharkStderr = (s: string) => s.split('\n').filter((l) => l && !l.startsWith('Running as user "root"')).join('\n');

function tsharkFields(file: string, fields: string[]): string[][] {
  const r = run('tshark', ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(tsharkStderr(r.stderr), '', 'tshark warnings');
  return r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
}

test('virtual time maps to the documented epoch', () => {
  assert.deepEqual(virtualToTimestamp(0), { sec: VIRTUAL_EPOCH_SECONDS, nsec: 0 });
  assert.equal(new Date(VIRTUAL_EPOCH_SECONDS * 1000).toISOString(), '2024-01-01T12:00:00.000Z');
  assert.deepEqual(virtualToTimestamp(2_500_000_001), { sec: VIRTUAL_EPOCH_SECONDS + 2, nsec: 500_000_001 });
  assert.equal(timestampToVirtual(virtualToTimestamp(123_456_789_012)), 123_456_789_012);
});

test('classic pcap: tshark and tcpdump read what we write', { skip: noTshark || noTcpdump }, () => {
  const f = join(dir, 'a.pcap');
  writeFileSync(f, writePcap(records));
  const rows = tsharkFields(f, ['frame.len', 'eth.src', 'eth.dst', 'frame.time_epoch', 'frame.encap_type']);
  assert.deepEqual(rows.map((r) => r[0]), frames.map((x) => String(x.length)));
  assert.equal(rows[0]![1], 'aa:bb:cc:dd:ee:01');
  assert.equal(rows[0]![2], 'ff:ff:ff:ff:ff:ff');
  assert.equal(rows[1]![3], '1704110401.250001000'); // microsecond file: 1.250001122 s truncated
  assert.equal(rows[0]![4], '1');
  const v = run('tshark', ['-r', f, '-V']);
  assert.equal(tsharkStderr(v.stderr), '');
  assert.match(v.stdout, /Frame 4: 1446 bytes on wire/);
  assert.match(v.stdout, /802\.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 11/);
  const t = run('tcpdump', ['-r', f, '-nn']);
  assert.equal(t.status, 0);
  assert.equal(t.stderr, `reading from file ${f}, link-type EN10MB (Ethernet), snapshot length 262144\n`);
  assert.equal(t.stdout.trimEnd().split('\n').length, frames.length);
});

test('pcapng: interfaces, nanosecond timestamps and epb_flags direction', { skip: noTshark || noTcpdump }, () => {
  const f = join(dir, 'a.pcapng');
  writeFileSync(f, writePcapng([{ name: 'veth0' }, { name: 'br0' }], records, { application: 'vnet' }));
  const rows = tsharkFields(f, ['frame.interface_name', 'frame.packet_flags_direction', 'frame.time_epoch', 'frame.len', 'eth.src']);
  assert.deepEqual(rows.map((r) => r[0]), ['veth0', 'br0', 'veth0', 'br0']);
  assert.deepEqual(rows.map((r) => r[1]), ['0x00000002', '0x00000001', '0x00000002', '0x00000001']);
  assert.equal(rows[1]![2], '1704110401.250001122');
  assert.equal(rows[3]![3], '1446');
  const v = run('tshark', ['-r', f, '-V']);
  assert.equal(tsharkStderr(v.stderr), '');
  assert.match(v.stdout, /Direction: Outbound \(0x2\)/);
  assert.match(v.stdout, /Direction: Inbound \(0x1\)/);
  assert.match(v.stdout, /Interface name: br0/);
  const info = run('capinfos', ['-M', f]);
  if (info.status === 0) assert.match(info.stdout, /Capture application:\s+vnet/);
  const t = run('tcpdump', ['-r', f, '-nn']);
  assert.equal(t.status, 0);
  assert.equal(t.stderr, `reading from file ${f}, link-type EN10MB (Ethernet), snapshot length 262144\n`);
  assert.match(t.stdout, /^12:00:01\.250001 ARP, Reply 192\.0\.2\.3 is-at aa:bb:cc:dd:ee:02, length 28$/m);
});

test('snaplen cuts captured data but keeps the original length', { skip: noTshark }, () => {
  const f = join(dir, 'snap.pcap');
  writeFileSync(f, writePcap(records, { snaplen: 64 }));
  const rows = tsharkFields(f, ['frame.len', 'frame.cap_len']);
  assert.deepEqual(rows[3], ['1446', '64']);
  const r = readCapture(readFileSync(f));
  assert.ok(r.ok);
  assert.equal(r.file.snaplen, 64);
  assert.deepEqual([r.file.records[3]!.origLen, r.file.records[3]!.data.length], [1446, 64]);
});

test('reader round trips our pcap and pcapng', () => {
  for (const nanosecond of [false, true]) {
    const r = readCapture(writePcap(records, { nanosecond }));
    assert.ok(r.ok);
    assert.equal(r.file.format, 'pcap');
    assert.equal(r.file.nanosecond, nanosecond);
    r.file.records.forEach((rec, i) => {
      assert.deepEqual(rec.data, frames[i]);
      const ns = records[i]!.tsNs;
      assert.equal(timestampToVirtual(rec.ts), nanosecond ? ns : Math.floor(ns / 1000) * 1000);
    });
  }
  const r = readCapture(writePcapng([{ name: 'veth0' }, { name: 'br0', linktype: LINKTYPE_ETHERNET }], records));
  assert.ok(r.ok);
  assert.equal(r.file.format, 'pcapng');
  assert.deepEqual(r.file.interfaces.map((i) => [i.name, i.unitsPerSecond]), [['veth0', 1e9], ['br0', 1e9]]);
  r.file.records.forEach((rec, i) => {
    assert.deepEqual(rec.data, frames[i]);
    assert.equal(timestampToVirtual(rec.ts), records[i]!.tsNs);
    assert.equal(rec.interfaceId, i % 2);
    assert.equal(rec.direction, records[i]!.direction);
    assert.equal(rec.flags, records[i]!.direction);
  });
});

/** Byte-swaps a little-endian classic pcap we wrote into its big-endian twin. */
function toBigEndian(le: Uint8Array): Uint8Array {
  const out = le.slice();
  const v = new DataView(le.buffer, le.byteOffset), w = new DataView(out.buffer);
  w.setUint32(0, v.getUint32(0, true), false);
  w.setUint16(4, v.getUint16(4, true), false);
  w.setUint16(6, v.getUint16(6, true), false);
  for (const o of [8, 12, 16, 20]) w.setUint32(o, v.getUint32(o, true), false);
  for (let o = 24; o < le.length; ) {
    const cap = v.getUint32(o + 8, true);
    for (let k = 0; k < 16; k += 4) w.setUint32(o + k, v.getUint32(o + k, true), false);
    o += 16 + cap;
  }
  return out;
}

test('reader handles big-endian and nanosecond files from other writers', { skip: noTshark }, () => {
  const le = writePcap(records);
  const be = toBigEndian(le);
  const f = join(dir, 'be.pcap');
  writeFileSync(f, be);
  assert.deepEqual(tsharkFields(f, ['frame.len', 'frame.time_epoch']).map((r) => r[0]), frames.map((x) => String(x.length)));
  const r = readCapture(be);
  assert.ok(r.ok);
  assert.ok(r.file.bigEndian);
  assert.deepEqual(r.file.records.map((x) => x.data), frames);
  if (HAVE_EDITCAP) {
    const src = join(dir, 'src.pcap');
    writeFileSync(src, le);
    for (const [fmt, nano] of [['nsecpcap', true], ['pcapng', false]] as const) {
      const out = join(dir, `conv.${fmt}`);
      assert.equal(run('editcap', ['-F', fmt, src, out]).status, 0);
      const c = readCapture(readFileSync(out));
      assert.ok(c.ok, fmt);
      if (fmt === 'nsecpcap') assert.equal(Buffer.from(readFileSync(out)).readUInt32LE(0), PCAP_MAGIC_NSEC);
      assert.equal(c.file.nanosecond, nano && c.file.format === 'pcap');
      assert.deepEqual(c.file.records.map((x) => x.data), frames, fmt);
      assert.deepEqual(c.file.records.map((x) => timestampToVirtual(x.ts)), records.map((x) => Math.floor(x.tsNs / 1000) * 1000), fmt);
    }
  }
});

/** What tcpdump -r does with a (possibly damaged) file: packets printed and the error. */
function tcpdumpVerdict(file: string): { count: number; error: string | null; opened: boolean } {
  const r = run('tcpdump', ['-r', file, '-nn', '-q', '-tt']);
  const lines = r.stdout.split('\n').filter((l) => l !== '' && !/^\s/.test(l)); // with -tt each packet starts unindented
  const err = r.stderr.split('\n').find((l) => l.startsWith('tcpdump: ')) ?? null;
  return {
    count: lines.length,
    opened: r.stderr.startsWith('reading from file'),
    error: err === null ? null : err.replace(/^tcpdump: (pcap_loop: )?/, ''),
  };
}

function ourVerdict(bytes: Uint8Array): { count: number; error: string | null; opened: boolean } {
  const r = readCapture(bytes);
  if (!r.ok) return { count: 0, error: r.error, opened: false };
  return { count: r.file.records.length, error: r.file.error, opened: true };
}

test('truncated files fail like libpcap', { skip: noTcpdump }, () => {
  const files = [writePcap(records), writePcapng([{ name: 'veth0' }, { name: 'br0' }], records, { application: 'vnet' })];
  for (const [n, full] of files.entries()) {
    for (let cut = 0; cut <= full.length; cut += cut < 200 ? 1 : 37) {
      const f = join(dir, `cut${n}.bin`);
      const part = full.subarray(0, cut);
      writeFileSync(f, part);
      assert.deepEqual(ourVerdict(part), tcpdumpVerdict(f), `file ${n} cut at ${cut}`);
    }
  }
});

test('damaged files: reader agrees with libpcap and never throws', { skip: noTcpdump }, () => {
  const bases = [writePcap(records.slice(0, 3)), writePcapng([{ name: 'veth0' }, { name: 'br0' }], records.slice(0, 3))];
  const cases = fc.sample(
    fc.record({ base: fc.nat(1), flips: fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }) }),
    { numRuns: 250, seed: Number(process.env.PCAP_SEED ?? 42) },
  );
  cases.forEach(({ base, flips }, i) => {
    const b = bases[base]!.slice();
    for (const [at, v] of flips) if (at < b.length) b[at] = v;
    const f = join(dir, `dmg${i}.bin`);
    writeFileSync(f, b);
    const ours = ourVerdict(b);
    const theirs = tcpdumpVerdict(f);
    if (theirs.error?.startsWith('unknown data link type')) {
      // tcpdump's filter compiler (not the reader) rejects the damaged link type.
      const r = readCapture(b);
      assert.ok(r.ok && r.file.linktype !== LINKTYPE_ETHERNET, `case ${i}`);
      return;
    }
    assert.deepEqual(ours, theirs, `case ${i}: flips ${JSON.stringify(flips)} on ${base ? 'pcapng' : 'pcap'}`);
  });
});

test('reader never throws on random input', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (b, asNg) => {
      const x = b.slice();
      if (asNg && x.length >= 12) x.set([0x0a, 0x0d, 0x0d, 0x0a], 0);
      const r = readCapture(x);
      assert.equal(typeof r.ok, 'boolean');
    }),
    { numRuns: 3000 },
  );
});
