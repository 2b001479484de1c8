/**
 * The printer against the real tcpdump: a corpus of frames goes into a pcap, `tcpdump -r`
 * prints it with each flag set, and our printer must produce the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { arpPacket, ethernetFrame, icmpEcho, icmpError, ipv4Packet, ipv6Packet, setIcmpv6Checksum, udpDatagram } from '../../src/wire/build.ts';
import { MAC_BROADCAST, parseMac } from '../../src/wire/mac.ts';
import { parseIpv4 } from '../../src/wire/ipv4addr.ts';
import { parseIpv6 } from '../../src/wire/ipv6.ts';
import { LINKTYPE_LINUX_SLL2, readCapture, writePcap, writePcapng, type WriteRecord } from '../../src/wire/pcap.ts';
import { setIpv4Checksum } from '../../src/wire/ipv4.ts';
import { ethernetToSll2, PacketPrinter, readingFromFileMessage, type TcpdumpPrintOptions } from '../../src/tools/tcpdump/print.ts';

const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
const skip = HAVE_TCPDUMP ? false : 'tcpdump binary not installed';
const dir = mkdtempSync(join(tmpdir(), 'vnet-tcpdump-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function tcpdump(file: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('tcpdump', ['-r', file, ...args], { env: { ...process.env, TZ: 'UTC' }, encoding: 'latin1' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const mac = (s: string) => parseMac(s)!;
const ip = (s: string) => parseIpv4(s)!;
const ip6 = (s: string) => parseIpv6(s)!;
const A = mac('aa:bb:cc:dd:ee:01'), B = mac('aa:bb:cc:dd:ee:02'), C = mac('02:42:ac:11:00:02');
const IPA = ip('192.0.2.2'), IPB = ip('192.0.2.3'), IPR = ip('198.51.100.1');
const pingData = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i + 0x10) & 0xff);

function pad60(f: Uint8Array): Uint8Array {
  if (f.length >= 60) return f;
  const p = new Uint8Array(60);
  p.set(f);
  return p;
}

function v4(src: number, dst: number, protocol: number, payload: Uint8Array, extra: Partial<Parameters<typeof ipv4Packet>[0]> = {}) {
  return ipv4Packet({ src, dst, protocol, ttl: 64, ident: 0x1234, dontFragment: true, ...extra }, payload);
}

function icmp6(src: string, dst: string, msg: Uint8Array, hlim = 255, hbh?: Uint8Array): Uint8Array {
  const payload = hbh ? concat(hbh, msg) : msg;
  const p = ipv6Packet(ip6(src), ip6(dst), hbh ? 0 : 58, hlim, payload);
  setIcmpv6Checksum(p, 40 + (hbh?.length ?? 0));
  return p;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const bytes = (...xs: number[]) => Uint8Array.from(xs);
const macBytes = (m: string) => Uint8Array.from(m.split(':').map((h) => parseInt(h, 16)));

/** Frames vnet can put on a wire, plus malformed ones. */
function corpus(): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const arpReq = arpPacket({ oper: 1, sha: A, spa: IPA, tha: 0, tpa: IPB });
  const arpRep = arpPacket({ oper: 2, sha: B, spa: IPB, tha: A, tpa: IPA });
  frames.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq));
  frames.push(ethernetFrame(A, B, 0x0806, arpRep));
  frames.push(pad60(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq)));
  frames.push(ethernetFrame(B, A, 0x0806, arpPacket({ oper: 1, sha: A, spa: IPA, tha: B, tpa: IPB })));
  frames.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpPacket({ oper: 1, sha: A, spa: IPA, tha: 0, tpa: IPA })));
  frames.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq, [{ tci: 11 }]));
  frames.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq, [{ tci: 0xa000 | 0x1000 | 100, tpid: 0x88a8 }, { tci: 11 }]));
  frames.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpPacket({ oper: 3, sha: A, spa: 0, tha: A, tpa: 0 })));
  frames.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpPacket({ oper: 7, sha: A, spa: IPA, tha: 0, tpa: IPB })));
  const weirdArp = arpReq.slice();
  weirdArp[3] = 0xdd; // ptype IPv6
  weirdArp[2] = 0x86;
  frames.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, weirdArp));
  frames.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq.subarray(0, 20)));

  // ICMP echo as ping sends it (56 data bytes), reply, over VLAN, with padding
  const echo = v4(IPA, IPB, 1, icmpEcho(8, 1234, 1, pingData(56)));
  const reply = v4(IPB, IPA, 1, icmpEcho(0, 1234, 1, pingData(56)), { ident: 0x5678, dontFragment: false });
  frames.push(ethernetFrame(B, A, 0x0800, echo));
  frames.push(ethernetFrame(A, B, 0x0800, reply));
  frames.push(ethernetFrame(B, A, 0x0800, echo, [{ tci: 11 }]));
  frames.push(pad60(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, icmpEcho(8, 7, 65535, new Uint8Array(0))))));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, icmpEcho(8, 1, 2, pingData(56)), { tos: 0xb8, ttl: 1 })));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, icmpEcho(8, 1, 2, pingData(56)), { tos: 0x03, ttl: 0 })));
  const badEcho = icmpEcho(8, 1, 3, pingData(56));
  badEcho[2] ^= 0xff;
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, badEcho)));
  const badIp = v4(IPA, IPB, 1, icmpEcho(8, 1, 4, pingData(8)));
  badIp[10] ^= 0x55;
  frames.push(ethernetFrame(B, A, 0x0800, badIp));

  // ICMP errors quoting the offending packet (Linux quotes up to 548 bytes)
  const udpOut = v4(IPA, IPB, 17, udpDatagram(IPA, IPB, 40000, 33434, pingData(32)));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPB, IPA, 1, icmpError(3, 3, udpOut), { dontFragment: false, tos: 0xc0 })));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(3, 1, echo), { dontFragment: false })));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(3, 0, echo))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(3, 2, echo))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(3, 4, echo, 1400))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(3, 4, echo, 0))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(3, 13, echo))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(3, 9, echo))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(11, 0, echo))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(11, 1, echo))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(12, 0, echo, 0x14000000))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(5, 1, echo, IPR))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(11, 0, v4(IPA, IPB, 1, icmpEcho(8, 9, 9, pingData(1000)))))));
  frames.push(ethernetFrame(A, B, 0x0800, v4(IPR, IPA, 1, icmpError(3, 3, udpOut, 0, 28))));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, bytes(10, 0, 0, 0, 0, 0, 0, 0))));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, bytes(13, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, bytes(42, 0, 0, 0, 0, 0, 0, 0))));

  // UDP
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udpDatagram(IPA, IPB, 12345, 9999, pingData(10)))));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udpDatagram(IPA, IPB, 12345, 9999, pingData(10), false))));
  const badUdp = udpDatagram(IPA, IPB, 1000, 2000, pingData(3));
  badUdp[6] ^= 1;
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, badUdp)));
  const longUdp = udpDatagram(IPA, IPB, 1000, 2000, pingData(3));
  longUdp[5] = 40;
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, longUdp)));
  const shortUdp = udpDatagram(IPA, IPB, 1000, 2000, pingData(3));
  shortUdp[5] = 4;
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, shortUdp)));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, bytes(1, 2, 3))));
  // VXLAN carrying an ARP request and an ICMP echo
  const inner = ethernetFrame(MAC_BROADCAST, C, 0x0806, arpReq);
  const vx = concat(bytes(0x08, 0, 0, 0, 0, 0, 42, 0), inner);
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udpDatagram(IPA, IPB, 54321, 4789, vx), { dontFragment: false })));
  const vx2 = concat(bytes(0x00, 0, 0, 0, 0, 1, 0, 0), ethernetFrame(B, C, 0x0800, echo));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udpDatagram(IPA, IPB, 4789, 4789, vx2))));

  // IPv4 oddities
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, icmpEcho(8, 1, 1, pingData(16)), { moreFragments: true })));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, pingData(16), { fragOffset: 1480, dontFragment: false })));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, pingData(16), { fragOffset: 8, dontFragment: false })));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 253, pingData(12))));
  frames.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 253, pingData(12)).subarray(0, 20)));
  const withRa = new Uint8Array(24 + 12);
  withRa.set(v4(IPA, IPB, 17, udpDatagram(IPA, IPB, 1, 2, pingData(4))).subarray(0, 20));
  withRa[0] = 0x46;
  withRa[3] = 36;
  withRa.set(bytes(148, 4, 0, 0), 20);
  withRa.set(udpDatagram(IPA, IPB, 1, 2, pingData(4)), 24);
  setIpv4Checksum(withRa, 0);
  frames.push(ethernetFrame(B, A, 0x0800, withRa));
  const lenMismatch = v4(IPA, IPB, 1, icmpEcho(8, 1, 1, pingData(16)));
  lenMismatch[3] += 10;
  frames.push(ethernetFrame(B, A, 0x0800, lenMismatch));
  const badHl = v4(IPA, IPB, 1, icmpEcho(8, 1, 1, pingData(16)));
  badHl[0] = 0x44;
  frames.push(ethernetFrame(B, A, 0x0800, badHl));
  const v5 = v4(IPA, IPB, 1, icmpEcho(8, 1, 1, pingData(16)));
  v5[0] = 0x55;
  frames.push(ethernetFrame(B, A, 0x0800, v5));
  frames.push(ethernetFrame(B, A, 0x0800, echo.subarray(0, 30)));
  frames.push(ethernetFrame(B, A, 0x0800, echo.subarray(0, 12)));

  // Link layer oddities
  frames.push(ethernetFrame(B, A, 0x88b5, pingData(40)));
  frames.push(ethernetFrame(B, A, 0x1234, pingData(7)));
  frames.push(ethernetFrame(B, A, 0x88b6, pingData(3), [{ tci: 5 }]));
  frames.push(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
  frames.push(ethernetFrame(B, A, 0x0800, new Uint8Array(0)));
  frames.push(ethernetFrame(B, A, 0x8100, bytes(0, 11)));
  // 802.1D and 802.1w BPDUs as a Linux bridge sends them (802.3 length + LLC 42/42/03)
  const bpdu = (version: number, type: number, flags: number) => concat(
    bytes(0x42, 0x42, 0x03, 0, 0, version, type, flags),
    bytes(0x80, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01), bytes(0, 0, 0, 4),
    bytes(0x80, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x02), bytes(0x80, 0x01),
    bytes(0, 0x80, 0x14, 0, 0x02, 0, 0x0f, 0), version === 2 ? bytes(0) : bytes());
  for (const b of [bpdu(0, 0, 0), bpdu(0, 0, 0x81), bpdu(2, 2, 0x3c), bpdu(2, 2, 0x7e)]) {
    frames.push(pad60(ethernetFrame(mac('01:80:c2:00:00:00'), A, b.length, b)));
  }
  const tcn = bytes(0x42, 0x42, 0x03, 0, 0, 0, 0x80);
  frames.push(pad60(ethernetFrame(mac('01:80:c2:00:00:00'), A, tcn.length, tcn)));
  frames.push(pad60(ethernetFrame(B, A, 10, bytes(0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0, 1, 2))));
  frames.push(pad60(ethernetFrame(B, A, 6, bytes(0xf0, 0xf0, 0x0b, 1, 2, 3))));
  frames.push(pad60(ethernetFrame(B, A, 6, bytes(0x04, 0x05, 0xaf, 0x81, 1, 2))));

  // IPv6 as Linux sends it when an interface comes up
  const ll = 'fe80::a8bb:ccff:fedd:ee01', ll2 = 'fe80::a8bb:ccff:fedd:ee02';
  const mcastMac = mac('33:33:00:00:00:02');
  const slla = concat(bytes(1, 1), macBytes('aa:bb:cc:dd:ee:01'));
  frames.push(ethernetFrame(mcastMac, A, 0x86dd, icmp6(ll, 'ff02::2', concat(bytes(133, 0, 0, 0, 0, 0, 0, 0), slla))));
  frames.push(ethernetFrame(mac('33:33:ff:dd:ee:01'), A, 0x86dd, icmp6('::', 'ff02::1:ffdd:ee01', concat(bytes(135, 0, 0, 0, 0, 0, 0, 0), ip6(ll)))));
  frames.push(ethernetFrame(mac('33:33:ff:dd:ee:02'), A, 0x86dd, icmp6(ll, 'ff02::1:ffdd:ee02', concat(bytes(135, 0, 0, 0, 0, 0, 0, 0), ip6(ll2), slla))));
  const tlla = concat(bytes(2, 1), macBytes('aa:bb:cc:dd:ee:02'));
  frames.push(ethernetFrame(A, B, 0x86dd, icmp6(ll2, ll, concat(bytes(136, 0, 0, 0, 0x60, 0, 0, 0), ip6(ll2), tlla))));
  frames.push(ethernetFrame(mac('33:33:00:00:00:01'), B, 0x86dd, icmp6(ll2, 'ff02::1', concat(bytes(136, 0, 0, 0, 0x20, 0, 0, 0), ip6(ll2), tlla))));
  const hbh = bytes(58, 0, 5, 2, 0, 0, 1, 0);
  const rec = (type: number, group: string, srcs: string[] = []) =>
    concat(bytes(type, 0, 0, srcs.length), ip6(group), ...srcs.map(ip6));
  frames.push(ethernetFrame(mac('33:33:00:00:00:16'), A, 0x86dd, icmp6('::', 'ff02::16', concat(bytes(143, 0, 0, 0, 0, 0, 0, 1), rec(4, 'ff02::1:ffdd:ee01')), 1, hbh)));
  frames.push(ethernetFrame(mac('33:33:00:00:00:16'), A, 0x86dd, icmp6(ll, 'ff02::16', concat(bytes(143, 0, 0, 0, 0, 0, 0, 2), rec(4, 'ff02::1:ffdd:ee01'), rec(1, 'ff02::fb', ['2001:db8::1', '2001:db8::2'])), 1, hbh)));
  frames.push(ethernetFrame(mac('33:33:00:00:00:01'), B, 0x86dd, icmp6(ll2, 'ff02::1', concat(bytes(130, 0, 0, 0, 0x27, 0x10, 0, 0), new Uint8Array(16), bytes(2, 125, 0, 0)), 1, hbh)));
  frames.push(ethernetFrame(mac('33:33:00:00:00:01'), B, 0x86dd, icmp6(ll2, 'ff02::1', concat(bytes(130, 0, 0, 0, 0x03, 0xe8, 0, 0), new Uint8Array(16)), 1, hbh)));
  const pi = concat(bytes(3, 4, 64, 0xc0, 0, 0x27, 0x8d, 0, 0, 0, 0x38, 0x40, 0, 0, 0, 0), ip6('2001:db8:1::'));
  const mtu = bytes(5, 1, 0, 0, 0, 0, 0x05, 0xdc);
  const rdnss = concat(bytes(25, 3, 0, 0, 0, 0, 0x0e, 0x10), ip6('2001:db8::53'));
  frames.push(ethernetFrame(mac('33:33:00:00:00:01'), B, 0x86dd, icmp6(ll2, 'ff02::1', concat(bytes(134, 0, 0, 0, 64, 0x48, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0), slla, mtu, pi, rdnss))));
  frames.push(ethernetFrame(B, A, 0x86dd, icmp6('2001:db8::1', '2001:db8::2', concat(bytes(128, 0, 0, 0, 0x12, 0x34, 0, 1), pingData(56)), 64)));
  frames.push(ethernetFrame(A, B, 0x86dd, icmp6('2001:db8::2', '2001:db8::1', concat(bytes(129, 0, 0, 0, 0x12, 0x34, 0, 1), pingData(56)), 64)));
  const v6udp = ipv6Packet(ip6('2001:db8::1'), ip6('2001:db8::2'), 17, 64, bytes(0x30, 0x39, 0x27, 0x0f, 0, 12, 0, 0, 1, 2, 3, 4));
  frames.push(ethernetFrame(B, A, 0x86dd, v6udp));
  frames.push(ethernetFrame(A, B, 0x86dd, icmp6('2001:db8::2', '2001:db8::1', concat(bytes(1, 4, 0, 0, 0, 0, 0, 0), v6udp), 64)));
  frames.push(ethernetFrame(A, B, 0x86dd, icmp6('2001:db8::ff', '2001:db8::1', concat(bytes(3, 0, 0, 0, 0, 0, 0, 0), v6udp), 64)));
  frames.push(ethernetFrame(A, B, 0x86dd, icmp6('2001:db8::ff', '2001:db8::1', concat(bytes(2, 0, 0, 0, 0, 0, 5, 0), v6udp), 64)));
  frames.push(ethernetFrame(A, B, 0x86dd, icmp6('2001:db8::ff', '2001:db8::1', concat(bytes(1, 3, 0, 0, 0, 0, 0, 0), v6udp), 64)));
  frames.push(ethernetFrame(A, B, 0x86dd, icmp6('::ffff:192.0.2.1', '::1', concat(bytes(4, 1, 0, 0, 0, 0, 0, 6), v6udp), 64)));
  frames.push(ethernetFrame(A, B, 0x86dd, icmp6('2001:db8:0:0:1::1', '2001:0:0:1::1', bytes(200, 0, 0, 0, 1, 2, 3, 4), 64)));
  frames.push(ethernetFrame(A, B, 0x86dd, v6udp.subarray(0, 30)));
  frames.push(ethernetFrame(A, B, 0x86dd, ipv6Packet(ip6('2001:db8::1'), ip6('2001:db8::2'), 59, 64, new Uint8Array(0), 0xb8, 0x12345)));
  // TCP: a conversation (relative sequence numbers), options, odd headers
  const tcp = (sp: number, dp: number, seqN: number, ackN: number, flags: number, opts: number[] = [], data = new Uint8Array(0), win = 64240) => {
    const optBytes = Uint8Array.from(opts);
    const hl = 20 + optBytes.length;
    const h = new Uint8Array(hl + data.length);
    h.set([sp >> 8, sp & 255, dp >> 8, dp & 255], 0);
    new DataView(h.buffer).setUint32(4, seqN >>> 0);
    new DataView(h.buffer).setUint32(8, ackN >>> 0);
    h[12] = (hl / 4) << 4;
    h[13] = flags;
    h[14] = win >> 8;
    h[15] = win & 255;
    h.set(optBytes, 20);
    h.set(data, hl);
    return h;
  };
  const synOpts = [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 1, 3, 3, 7];
  const c2s = (t: Uint8Array) => ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 6, t));
  const s2c = (t: Uint8Array) => ethernetFrame(A, B, 0x0800, v4(IPB, IPA, 6, t));
  frames.push(c2s(tcp(43210, 5001, 1000, 0, 0x02, synOpts)));
  frames.push(s2c(tcp(5001, 43210, 777777, 1001, 0x12, synOpts, undefined, 65160)));
  frames.push(c2s(tcp(43210, 5001, 1001, 777778, 0x10, [1, 1, 8, 10, 0, 0, 0x12, 0x35, 0, 0, 0, 9])));
  frames.push(c2s(tcp(43210, 5001, 1001, 777778, 0x18, [1, 1, 8, 10, 0, 0, 0x12, 0x36, 0, 0, 0, 9], pingData(100))));
  frames.push(s2c(tcp(5001, 43210, 777778, 1101, 0x10, [1, 1, 5, 10, 0, 0, 0x03, 0xe9, 0, 0, 0x04, 0x4d])));
  frames.push(c2s(tcp(43210, 5001, 1101, 777778, 0x11)));
  frames.push(s2c(tcp(5001, 43210, 777778, 1102, 0x14)));
  frames.push(c2s(tcp(43210, 5001, 1102, 0, 0x04)));
  frames.push(c2s(tcp(1, 1, 5, 6, 0xff, [], new Uint8Array(0), 0)));
  frames.push(c2s(tcp(2000, 3000, 1, 2, 0x02, [2, 4, 5, 0xb4, 3, 3, 7, 4, 2, 0, 28, 4, 0x80, 0x03, 19, 18, ...new Array(16).fill(0xab), 1, 1])));
  frames.push(c2s(tcp(2000, 3000, 1, 2, 0x02, [2, 9, 5])));
  frames.push(c2s(tcp(2000, 3000, 1, 2, 0x02, [99, 4, 1, 2, 20, 4, 1, 2, 11, 6, 0, 0, 0, 9, 0, 0])));
  frames.push(c2s(tcp(2000, 3000, 1, 2, 0x02, [8, 10, 0, 0])));
  frames.push(c2s(tcp(2000, 3000, 1, 2, 0x20, [], pingData(3))));
  const shortHl = tcp(2000, 3000, 1, 2, 0x02);
  shortHl[12] = 0x40;
  frames.push(c2s(shortHl));
  frames.push(c2s(tcp(2000, 3000, 1, 2, 0x02, synOpts).subarray(0, 30)));
  frames.push(c2s(tcp(2000, 3000, 1, 2, 0x02, synOpts).subarray(0, 18)));
  frames.push(ethernetFrame(B, A, 0x86dd, ipv6Packet(ip6('2001:db8::1'), ip6('2001:db8::2'), 6, 64, tcp(40000, 5001, 9, 0, 0x02, synOpts))));
  frames.push(ethernetFrame(A, B, 0x86dd, ipv6Packet(ip6('2001:db8::2'), ip6('2001:db8::1'), 6, 64, tcp(5001, 40000, 99, 10, 0x12, synOpts))));
  frames.push(ethernetFrame(B, A, 0x86dd, ipv6Packet(ip6('2001:db8::1'), ip6('2001:db8::2'), 6, 64, tcp(40000, 5001, 10, 100, 0x18, [], pingData(20)))));
  return frames;
}

const FLAG_SETS: string[][] = [
  [], ['-e'], ['-v'], ['-vv'], ['-vvv'], ['-e', '-v'], ['-q'], ['-e', '-q'], ['-x'], ['-xx'], ['-X'], ['-XX'], ['-A'],
  ['-t'], ['-tt'], ['-ttt'], ['-tttt'], ['-ttttt'], ['-#'], ['-e', '-vv', '-X'], ['-S'], ['-S', '-v'],
];

function optsFor(flags: string[]): TcpdumpPrintOptions {
  const o: TcpdumpPrintOptions = { n: 2 };
  for (const f of flags) {
    if (f === '-#') o.number = true;
    else if (f === '--nano') o.nano = true;
    else {
      for (const c of f.slice(1)) {
        if (c === 'e') o.e = true;
        else if (c === 'q') o.q = true;
        else if (c === 'v') o.v = (o.v ?? 0) + 1;
        else if (c === 't') o.t = (o.t ?? 0) + 1;
        else if (c === 'x') o.x = (o.x ?? 0) + 1;
        else if (c === 'X') o.X = (o.X ?? 0) + 1;
        else if (c === 'A') o.A = (o.A ?? 0) + 1;
        else if (c === 'S') o.S = true;
      }
    }
  }
  return o;
}

function ourOutput(file: Uint8Array, opts: TcpdumpPrintOptions, ifname?: string): string {
  const r = readCapture(file);
  assert.ok(r.ok);
  const pr = new PacketPrinter({ ...opts, linktype: r.file.linktype });
  return r.file.records.map((rec) => pr.printAt(rec.data, rec.ts, { origLen: rec.origLen, ifname })).join('');
}

/** Compares line groups packet by packet so a failure names the frame. */
function assertSame(ours: string, theirs: string, what: string): void {
  if (ours === theirs) return;
  const a = ours.split('\n'), b = theirs.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) assert.equal(a[i], b[i], `${what}: first difference at output line ${i + 1}`);
  }
}

const records: WriteRecord[] = corpus().map((data, i) => ({ tsNs: i * 1_001_001_001 + (i % 3) * 7, data }));

test('tcpdump -r of a pcap: header line on stderr', { skip }, () => {
  const f = join(dir, 'hdr.pcap');
  writeFileSync(f, writePcap(records.slice(0, 1)));
  const r = tcpdump(f, ['-nn']);
  assert.equal(r.stderr, readingFromFileMessage(f, 1, 262144));
});

for (const flags of FLAG_SETS) {
  test(`printer matches tcpdump -nn ${flags.join(' ')}`, { skip }, () => {
    const f = join(dir, `corpus${flags.join('')}.pcap`);
    const file = writePcap(records);
    writeFileSync(f, file);
    const r = tcpdump(f, ['-nn', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    assertSame(ourOutput(file, optsFor(flags)), r.stdout, flags.join(' '));
  });
}

test('printer matches tcpdump on a pcapng with nanosecond timestamps (--nano)', { skip }, () => {
  const f = join(dir, 'corpus.pcapng');
  const file = writePcapng([{ name: 'veth0' }], records.slice(0, 20));
  writeFileSync(f, file);
  for (const flags of [[], ['--nano'], ['--nano', '-ttt']]) {
    const args = flags.map((x) => (x === '--nano' ? '--time-stamp-precision=nano' : x));
    const r = tcpdump(f, ['-nn', ...args]);
    assert.equal(r.status, 0, r.stderr);
    assertSame(ourOutput(file, optsFor(flags)), r.stdout, flags.join(' '));
  }
});

test('printer matches tcpdump without -n (MAC OUIs, Broadcast, port names) on ARP/IPv6 frames', { skip }, () => {
  // Only frames whose IPv4 addresses tcpdump would try to resolve are left out (no DNS here).
  const f = join(dir, 'names.pcap');
  const file = writePcap(records.filter((r) => r.data.length >= 14 && r.data[12] !== 0x08));
  writeFileSync(f, file);
  for (const flags of [['-e'], ['-e', '-v']]) {
    const r = tcpdump(f, flags);
    assert.equal(r.status, 0, r.stderr);
    assertSame(ourOutput(file, { ...optsFor(flags), n: 0 }), r.stdout, flags.join(' '));
  }
});

test('printer matches tcpdump for -i any captures (LINUX_SLL2)', { skip }, () => {
  // tcpdump names the interface with if_indextoname() on the reading machine: ifindex 1 is "lo".
  const f = join(dir, 'any.pcap');
  const sll = records.filter((r) => r.data.length >= 14).map((r, i) => ({ ...r, data: ethernetToSll2(r.data, 1, [0, 4, 1, 2, 3][i % 5]!) }));
  const file = writePcap(sll, { linktype: LINKTYPE_LINUX_SLL2 });
  writeFileSync(f, file);
  for (const flags of [[], ['-e'], ['-v'], ['-q'], ['-e', '-q'], ['-x']]) {
    const r = tcpdump(f, ['-nn', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    assertSame(ourOutput(file, optsFor(flags), 'lo'), r.stdout, flags.join(' '));
    assert.equal(r.stderr, readingFromFileMessage(f, LINKTYPE_LINUX_SLL2, 262144));
  }
});

test('snaplen-truncated captures print like tcpdump', { skip }, () => {
  for (const snap of [14, 20, 34, 40, 60, 100]) {
    const f = join(dir, `snap${snap}.pcap`);
    const file = writePcap(records, { snaplen: snap });
    writeFileSync(f, file);
    for (const flags of [[], ['-e', '-v'], ['-x']]) {
      const r = tcpdump(f, ['-nn', ...flags]);
      assert.equal(r.status, 0, r.stderr);
      assertSame(ourOutput(file, optsFor(flags)), r.stdout, `snaplen ${snap} ${flags.join(' ')}`);
    }
  }
});

test('randomly mutated frames print like tcpdump wherever tcpdump uses a decoder vnet emulates', { skip }, () => {
  const base = corpus();
  const arb = fc.record({
    idx: fc.nat(base.length - 1),
    muts: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
    cut: fc.option(fc.nat(), { freq: 4 }),
  }).map(({ idx, muts, cut }) => {
    const f = base[idx]!.slice();
    for (const [at, v] of muts) if (f.length > 14) f[14 + (at % (f.length - 14))] = v;
    return cut === null ? f : f.subarray(0, 1 + (cut % f.length));
  });
  const frames = fc.sample(arb, { numRuns: 3000, seed: 20240101 });
  const f = join(dir, 'fuzz.pcap');
  writeFileSync(f, writePcap(frames.map((data, i) => ({ tsNs: i * 1000, data }))));
  for (const flags of [[], ['-v'], ['-e', '-vv'], ['-x'], ['-q']]) {
    const r = tcpdump(f, ['-nn', '-#', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    const theirs = r.stdout.split(/\n(?= {0,4}\d+  12:)/);
    const pr = new PacketPrinter({ ...optsFor(flags), number: true });
    let compared = 0;
    frames.forEach((data, i) => {
      const ours = pr.print(data, i * 1000);
      if (pr.lastUnemulated !== null) return;
      compared++;
      assert.equal(ours.replace(/\n$/, ''), theirs[i]!.replace(/\n$/, ''), `frame ${i} (${Buffer.from(data).toString('hex')}) ${flags.join(' ')}`);
    });
    assert.ok(compared > frames.length * 0.9, `only ${compared} of ${frames.length} frames were in emulated protocols`);
  }
});

test('the printer never throws on random bytes, in any mode', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(5), fc.boolean(), fc.nat(3), (data, t, e, v) => {
      for (const linktype of [1, LINKTYPE_LINUX_SLL2]) {
        const out = new PacketPrinter({ t, e, v, x: v & 1, linktype }).print(data, 5);
        assert.ok(out.endsWith('\n'));
      }
    }),
    { numRuns: 3000 },
  );
});
