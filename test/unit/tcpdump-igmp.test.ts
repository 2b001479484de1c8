/** The IGMP printer against the real tcpdump (`-r` of a pcap of IGMP frames, several -v levels). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ethernetFrame } from '../../src/wire/build.ts';
import { parseMac } from '../../src/wire/mac.ts';
import { internetChecksum } from '../../src/wire/checksum.ts';
import { readCapture, writePcap } from '../../src/wire/pcap.ts';
import { PacketPrinter } from '../../src/tools/tcpdump/print.ts';

const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
const skip = HAVE_TCPDUMP ? false : 'tcpdump binary not installed';
const dir = mkdtempSync(join(tmpdir(), 'vnet-igmp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SRC = parseMac('02:00:00:00:00:fe')!;

/** An IPv4 packet (with Router Alert) carrying `igmp`, checksums right unless `badSum`. */
function igmpFrame(src: number[], dst: number[], igmp: number[], badSum = false): Uint8Array {
  const body = Uint8Array.from(igmp);
  const sum = internetChecksum(body, 0, body.length);
  body[2] = sum >> 8; body[3] = sum & 0xff;
  if (badSum) body[3] ^= 0x55;
  const ip = new Uint8Array(24 + body.length);
  ip.set([0x46, 0xc0, 0, ip.length, 0, 0, 0x40, 0, 1, 2, 0, 0, ...src, ...dst, 0x94, 4, 0, 0]);
  const hs = internetChecksum(ip, 0, 24);
  ip[10] = hs >> 8; ip[11] = hs & 0xff;
  ip.set(body, 24);
  const mac = 0x01005e000000 + ((dst[1]! & 0x7f) << 16) + (dst[2]! << 8) + dst[3]!;
  return ethernetFrame(mac, SRC, 0x0800, ip);
}

const A = [198, 51, 100, 1], ALL = [224, 0, 0, 1], MCR = [224, 0, 0, 22], G = [239, 1, 2, 3];
const frames = [
  igmpFrame([0, 0, 0, 0], MCR, [0x22, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 224, 0, 0, 106]),
  igmpFrame(A, MCR, [0x22, 0, 0, 0, 0, 0, 0, 2, 3, 0, 0, 0, ...G, 1, 0, 0, 2, 239, 9, 9, 9, 192, 0, 2, 1, 192, 0, 2, 2]),
  igmpFrame(A, MCR, [0x22, 0, 0, 0, 0, 0, 0, 1, 9, 0, 0, 0, ...G]),
  igmpFrame(A, G, [0x16, 0, 0, 0, ...G]),
  igmpFrame(A, G, [0x12, 0, 0, 0, ...G]),
  igmpFrame(A, [224, 0, 0, 2], [0x17, 0, 0, 0, ...G]),
  igmpFrame(A, ALL, [0x11, 100, 0, 0, 0, 0, 0, 0]),
  igmpFrame(A, ALL, [0x11, 0, 0, 0, 0, 0, 0, 0]),
  igmpFrame(A, G, [0x11, 20, 0, 0, ...G]),
  igmpFrame(A, ALL, [0x11, 100, 0, 0, 0, 0, 0, 0, 2, 125, 0, 0]),
  igmpFrame(A, G, [0x11, 0x8a, 0, 0, ...G, 2, 125, 0, 2, 192, 0, 2, 7, 192, 0, 2, 8]),
  igmpFrame(A, G, [0x11, 0xff, 0, 0, ...G, 2, 125, 0, 0]),
  igmpFrame(A, MCR, [0x22, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 224, 0, 0, 106], true),
  igmpFrame(A, ALL, [0x40, 0, 0, 0, 0, 0, 0, 0]),
];

const records = frames.map((data, i) => ({ tsNs: i * 1_000_000_000, data }));

for (const flags of [[], ['-v'], ['-vv'], ['-q'], ['-e', '-v']]) {
  test(`IGMP printer matches tcpdump -nn ${flags.join(' ')}`, { skip }, () => {
    const f = join(dir, `igmp${flags.join('')}.pcap`);
    const file = writePcap(records);
    writeFileSync(f, file);
    const r = spawnSync('tcpdump', ['-r', f, '-nn', '-t', ...flags], { encoding: 'latin1' });
    assert.equal(r.status, 0, r.stderr);
    const cap = readCapture(file);
    assert.ok(cap.ok);
    const v = flags.filter((x) => x.startsWith('-v')).reduce((n, x) => n + x.length - 1, 0);
    const pr = new PacketPrinter({ t: 1, v, e: flags.includes('-e'), q: flags.includes('-q'), linktype: cap.file.linktype });
    const ours = cap.file.records.map((rec) => pr.printAt(rec.data, rec.ts, { origLen: rec.origLen })).join('');
    const a = ours.split('\n'), b = r.stdout.split('\n');
    for (let i = 0; i < Math.max(a.length, b.length); i++) assert.equal(a[i], b[i], `line ${i + 1}`);
  });
}
