/**
 * Filter compiler against the real tcpdump: for a corpus of frames and a list of expressions,
 * the frames our closure accepts must be exactly those `tcpdump -r FILE EXPR` prints, and
 * invalid expressions must fail with tcpdump's message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arpPacket, ethernetFrame, icmpEcho, ipv4Packet, ipv6Packet, setIcmpv6Checksum, udpDatagram } from '../../src/wire/build.ts';
import { MAC_BROADCAST, parseMac } from '../../src/wire/mac.ts';
import { parseIpv4 } from '../../src/wire/ipv4addr.ts';
import { parseIpv6 } from '../../src/wire/ipv6.ts';
import { LINKTYPE_LINUX_SLL2, writePcap } from '../../src/wire/pcap.ts';
import { compileFilter } from '../../src/tools/tcpdump/filter.ts';
import { ethernetToSll2 } from '../../src/tools/tcpdump/print.ts';

const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
const skip = HAVE_TCPDUMP ? false : 'tcpdump binary not installed';
const dir = mkdtempSync(join(tmpdir(), 'vnet-filter-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const mac = (s: string) => parseMac(s)!;
const ip = (s: string) => parseIpv4(s)!;
const ip6 = (s: string) => parseIpv6(s)!;
const bytes = (...xs: number[]) => Uint8Array.from(xs);
const A = mac('aa:bb:cc:dd:ee:01'), B = mac('aa:bb:cc:dd:ee:02'), M = mac('01:00:5e:00:00:fb');
const IPA = ip('192.0.2.2'), IPB = ip('192.0.2.3'), IPC = ip('10.1.2.3'), BC = ip('255.255.255.255');

const v4 = (src: number, dst: number, protocol: number, payload: Uint8Array, extra: object = {}) =>
  ipv4Packet({ src, dst, protocol, ttl: 64, ...extra }, payload);
const tcpHdr = (sport: number, dport: number) => bytes(sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0);
const udp = (src: number, dst: number, sp: number, dp: number) => udpDatagram(src, dst, sp, dp, bytes(1, 2, 3, 4));
function icmp6(src: string, dst: string, msg: Uint8Array): Uint8Array {
  const p = ipv6Packet(ip6(src), ip6(dst), 58, 255, msg);
  setIcmpv6Checksum(p, 40);
  return p;
}

function corpus(): Uint8Array[] {
  const f: Uint8Array[] = [];
  const arpReq = arpPacket({ oper: 1, sha: A, spa: IPA, tha: 0, tpa: IPB });
  f.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq));
  f.push(ethernetFrame(A, B, 0x0806, arpPacket({ oper: 2, sha: B, spa: IPB, tha: A, tpa: IPA })));
  f.push(ethernetFrame(MAC_BROADCAST, A, 0x8035, arpPacket({ oper: 3, sha: A, spa: 0, tha: A, tpa: 0 })));
  f.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq, [{ tci: 11 }]));
  f.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq, [{ tci: 0x2000 | 12 }]));
  f.push(ethernetFrame(MAC_BROADCAST, A, 0x0806, arpReq, [{ tci: 100, tpid: 0x88a8 }, { tci: 11 }]));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, icmpEcho(8, 1, 1, new Uint8Array(56))), [{ tci: 11 }]));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, icmpEcho(8, 1, 1, new Uint8Array(56)))));
  f.push(ethernetFrame(A, B, 0x0800, v4(IPB, IPA, 1, icmpEcho(0, 1, 1, new Uint8Array(56)))));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPC, 1, icmpEcho(8, 2, 9, new Uint8Array(8)))));
  f.push(ethernetFrame(A, B, 0x0800, v4(IPC, IPA, 1, bytes(3, 3, 0, 0, 0, 0, 0, 0))));
  f.push(ethernetFrame(MAC_BROADCAST, A, 0x0800, v4(IPA, BC, 17, udp(IPA, BC, 68, 67))));
  f.push(ethernetFrame(MAC_BROADCAST, A, 0x0800, v4(IPA, ip('192.0.2.255'), 17, udp(IPA, ip('192.0.2.255'), 137, 137))));
  f.push(ethernetFrame(M, A, 0x0800, v4(IPA, ip('224.0.0.251'), 17, udp(IPA, ip('224.0.0.251'), 5353, 5353))));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udp(IPA, IPB, 40000, 53))));
  f.push(ethernetFrame(A, B, 0x0800, v4(IPB, IPA, 17, udp(IPB, IPA, 53, 40000))));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udp(IPA, IPB, 4789, 4789))));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 6, tcpHdr(51000, 80))));
  f.push(ethernetFrame(A, B, 0x0800, v4(IPB, IPA, 6, tcpHdr(22, 51000))));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 6, tcpHdr(1000, 1023))));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udp(IPA, IPB, 80, 80), { fragOffset: 8 })));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 132, tcpHdr(80, 80))));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 2, bytes(0x16, 0, 0, 0, 224, 0, 0, 22))));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udp(IPA, IPB, 1, 2)).subarray(0, 24)));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 1, icmpEcho(8, 1, 1, new Uint8Array(0))).subarray(0, 18)));
  const withOpts = v4(IPA, IPB, 17, new Uint8Array(16));
  withOpts[0] = 0x46;
  withOpts.set(udp(IPA, IPB, 7, 9), 24);
  f.push(ethernetFrame(B, A, 0x0800, withOpts));
  f.push(ethernetFrame(B, A, 0x0800, v4(IPA, IPB, 17, udp(IPA, IPB, 5000, 6000)), [{ tci: 42 }]));
  // IPv6
  const ll = 'fe80::a8bb:ccff:fedd:ee01';
  f.push(ethernetFrame(mac('33:33:00:00:00:02'), A, 0x86dd, icmp6(ll, 'ff02::2', bytes(133, 0, 0, 0, 0, 0, 0, 0))));
  f.push(ethernetFrame(mac('33:33:ff:dd:ee:02'), A, 0x86dd, icmp6('::', 'ff02::1:ffdd:ee02', new Uint8Array(24).fill(135, 0, 1))));
  f.push(ethernetFrame(B, A, 0x86dd, icmp6('2001:db8::1', '2001:db8::2', bytes(128, 0, 0, 0, 0, 1, 0, 1))));
  f.push(ethernetFrame(B, A, 0x86dd, ipv6Packet(ip6('2001:db8::1'), ip6('2001:db8:1::9'), 17, 64, bytes(0x9c, 0x40, 0, 53, 0, 12, 0, 0, 1, 2, 3, 4))));
  f.push(ethernetFrame(B, A, 0x86dd, ipv6Packet(ip6('2001:db8::1'), ip6('2001:db8::2'), 44, 64, bytes(17, 0, 0, 0, 0, 0, 0, 1, 0x9c, 0x40, 0, 53, 0, 8, 0, 0))));
  f.push(ethernetFrame(B, A, 0x86dd, ipv6Packet(ip6('2001:db8::1'), ip6('2001:db8::2'), 6, 64, tcpHdr(443, 50000))));
  // Link layer: STP, LLDP, short frames
  const stp = bytes(0x42, 0x42, 0x03, 0, 0, 0, 0, 0x80, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01, 0, 0, 0, 0);
  f.push(ethernetFrame(mac('01:80:c2:00:00:00'), A, stp.length, stp));
  f.push(ethernetFrame(mac('01:80:c2:00:00:0e'), A, 0x88cc, new Uint8Array(20)));
  f.push(bytes(0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x02, 0xaa, 0xbb));
  f.push(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xbb, 0xcc, 0xdd));
  f.push(ethernetFrame(B, A, 0x8100, bytes(0, 11)));
  return f;
}

const EXPRESSIONS = [
  '', 'arp', 'rarp', 'ip', 'ip6', 'icmp', 'icmp6', 'udp', 'tcp', 'sctp', 'igmp', 'stp', 'not arp', '! ip',
  'arp or icmp', 'arp and not vlan', 'ip and not icmp', 'arp || ip6', 'ip && udp', 'not (arp or ip)',
  'vlan', 'vlan 11', 'vlan 12', 'vlan 100', 'vlan and arp', 'vlan 11 and arp', 'vlan and vlan', 'vlan 100 and vlan 11',
  'vlan and ip', 'arp or vlan', 'vlan or arp', '(vlan and ip) or ip', 'vlan 42 and udp port 6000', 'vlan (11)',
  'host 192.0.2.2', 'host 192.0.2.3', 'src 192.0.2.2', 'dst 192.0.2.2', 'src host 192.0.2.2', 'dst host 10.1.2.3',
  'host 192.0.2.2 or 10.1.2.3', 'host 10.1.2.3 or 192.0.2.2', 'src 192.0.2.3 or dst 192.0.2.3',
  'src or dst 192.0.2.3', 'src and dst 192.0.2.2', 'ip host 192.0.2.2', 'arp host 192.0.2.3', 'ip src 192.0.2.2 and dst 10.1.2.3',
  'host 192.0.2.2 and not 192.0.2.3', 'host 192.0.2.2 and (192.0.2.3 or 10.1.2.3)', 'host 192.0.2.2 and not (192.0.2.3)',
  'net 192.0.2.0/24', 'net 10.0.0.0/8', 'net 10/8 or arp', 'net 192.0.2.0 mask 255.255.255.0', 'net 10', 'dst net 224.0.0.0/4',
  'host 192.0.2', 'host 10', 'src net 192.0.2.0/30',
  'ether host aa:bb:cc:dd:ee:01', 'ether src aa:bb:cc:dd:ee:01', 'ether dst aa:bb:cc:dd:ee:01', 'ether dst ff:ff:ff:ff:ff:ff',
  'ether host aa-bb-cc-dd-ee-02', 'ether host aabb.ccdd.ee02', 'ether host aabbccddee02', 'ether src a:b:c:d:e:1',
  'ether src aa:bb:cc:dd:ee:01 and ether dst aa:bb:cc:dd:ee:02', 'ether host aa:bb:cc:dd:ee:02 or aa:bb:cc:dd:ee:01',
  'ether broadcast', 'ether multicast', 'broadcast', 'multicast', 'ip broadcast', 'ip multicast', 'ip6 multicast',
  'not broadcast and not multicast', 'ether proto 0x88cc', 'ether proto 0x0806', 'ether proto 0x42', 'ether proto \\arp',
  'port 53', 'udp port 53', 'tcp port 53', 'src port 53', 'dst port 53', 'port 80', 'tcp port 80 or 22', 'port 53 or 4789',
  'udp dst port 67', 'port domain', 'udp port domain', 'tcp port http', 'portrange 1000-1023', 'tcp portrange 20-25',
  'udp src portrange 5000-6000', 'port 9', 'ip6 and udp port 53', 'tcp src port 443',
  'proto 17', 'ip proto 1', 'ip6 proto 58', 'ip proto \\icmp', 'ip6 proto 17', 'proto \\tcp',
  'icmp[0] == 8', 'icmp[icmptype] == icmp-echo', 'icmp[icmptype] != icmp-echo', 'icmp[0] = 0 or icmp[0] = 3',
  'ip[9] = 17', 'ip[0] & 0xf != 5', 'ip[2:2] > 50', 'ip[2:2] >= 84', 'ip[2:2] < 40', 'ip[2:2] <= 28',
  'ether[0] & 1 = 1', 'ether[12:2] = 0x8100', 'ether[0:4] = 0xffffffff', 'ether[6:2] == 0xaabb',
  'udp[2:2] = 53', 'tcp[13] & 2 != 0', 'tcp[tcpflags] & tcp-syn != 0', 'udp[0:2] + udp[2:2] > 80000',
  'icmp6[0] = 133', 'icmp6[icmp6type] == icmp6-neighborsolicit', 'ip6[6] = 17', 'ip6[40] = 17',
  'len > 60', 'len <= 42', 'less 60', 'greater 100', 'len - 14 = 28', 'len * 2 > 200', 'len / 3 = 14', 'len % 7 = 0',
  '2 + 3 = 5', '1 = 1', 'len & 0xff = 42', '(len >> 2) = 10', 'len ^ 42 = 0', '- len < 0', '-3 = 4294967293',
  'arp[6:2] = 2', 'arp[7] = 1 and arp[24:4] = 0xc0000203', 'ether[100] = 0', 'ether[100] = 0 or arp', 'not ether[100] = 0',
  'ip[100] = 0', 'byte 12 = 8', 'byte 0 & 1', 'byte 23 > 10', 'byte 0 | 1', 'byte 23 < 7',
  'host 2001:db8::1', 'ip6 host 2001:db8::2', 'src host ::', 'dst ff02::2', 'net 2001:db8::/32', 'net 2001:db8:1::/48',
  'ip6 net 2001:db8::/64 and udp', 'icmp6 and not host ::', 'host 2001:db8::1 or 192.0.2.2',
  'vlan 11 and host 192.0.2.2', 'vlan and ether host aa:bb:cc:dd:ee:01', 'arp and vlan and arp',
];

const ERROR_EXPRESSIONS = [
  'bogus expr', 'host', 'host 1.2.3.4 or', 'arp or 1.2.3.4', 'vlan 5000', 'net 10.0.0.1/8', 'ether host 1.2.3.4',
  'host 300.1.1.1', 'host foo.invalid', '(arp', 'arp)', 'ip proto icmp', 'ether host aa:bb', 'port 99999', 'src foo',
  'net 10/8', 'ip host ::1', 'udp host 1.2.3.4', 'not', 'tcp and', 'link', 'host 1.2.3.4 or arp or 5.6.7.8',
  'net 192.168.1.0/33', '1.2.3.4', 'inbound', 'gateway foo', 'icmp[0] / 0 = 1', 'len << 40 = 0', 'ip[0:3] = 1',
  'host 08', 'host 1.2.3.4 and 0x123456789', 'tcp proto 6', 'arp proto 1', 'icmp host 1.2.3.4', 'host 1.2.3.4 mask 255.0.0.0',
  'net 1.2.3.4 mask 255.0.0.0', 'port 1.2', 'ether src 1:2:3:', 'udp port http', 'tcp port domainx', 'host 2001:db8::1/64',
  'net 2001:db8::1/32', 'ip6 host 1.2.3.4', 'ether proto \\foo', 'ip proto \\nosuch', 'portrange 1-70000', 'src aa:bb:cc:dd:ee:ff',
  'ether src', 'ip6 broadcast', 'arp broadcast', 'tcp multicast', 'src host 1.2.3.4 and dst', '( )', 'host 1.2.3.4 (',
  'ip[1', 'ether[0] =', 'and', 'host 1.2.3.4 and and', 'ip and (arp or)', '!= 1', 'less', 'vlan arp', 'addr1 1.2.3.4',
  'ra host 1.2.3.4', 'port 53 and src port dst',
  // The optimizer proves these never match:
  'ip and arp', 'tcp and udp', 'not ip and ip', 'icmp and udp', 'ip and not ip', 'arp and vlan and arp', 'vlan and not vlan',
  'len > 100 and len < 50', 'ip[0] = 1 and ip[0] = 2', 'ether[0] & 1 = 1 and ether[0] & 1 = 0', 'ip[2:2] > 10 and ip[2:2] < 5',
  'host 1.1.1.1 and host 2.2.2.2', 'src host 1.1.1.1 and src host 2.2.2.2', 'ip src 1.1.1.1 and ip src 2.2.2.2', '1 = 2',
  'port 53 and port 80', 'ip and ip[9] = 1 and icmp and udp', 'udp port 1 and tcp', 'arp and not arp', 'not (ip or not ip)',
  'ether src ff:ff:ff:ff:ff:ff and ether src 00:00:00:00:00:01', 'ip6 and arp[0]=1', 'icmp[0] = 8 and icmp[0] = 0',
  'udp dst port 53 and udp dst port 54', 'vlan 1 and vlan 2', 'vlan 1 and not vlan 1', '2 + 2 = 5', '1 != 1', 'not 1 = 1',
  'ether proto 0x800 and arp', 'ip6 and ip6[6] = 17 and icmp6', 'ip and (arp or rarp)', '(arp or ip) and ip6',
  'ether[12:2] = 0x800 and arp', 'ip[9] = 1 and udp', 'ether[0] = 1 and ether[0:1] = 2', 'ip[9] = 1 and ip[9] != 1',
  'ether[12:2] = 0x806 and ether[12:2] = 0x800', 'tcp[0:2] = 80 and tcp src port 22', 'udp[0:2] = 1 and udp[0:2] = 2',
];

/**
 * libpcap's optimizer reorders tests (it groups comparisons of the same loaded field), which
 * changes which loads a packet truncated mid-header reaches. vnet evaluates in unoptimized
 * order, so on such frames the result can differ. Frame 24 is an IPv4 packet cut after the
 * source address: tcpdump tests both hosts against the source first and accepts; we reach
 * the destination load first and reject.
 */
const KNOWN_OPTIMIZER_DIVERGENCES = new Map<string, number[]>([['host 10.1.2.3 or 192.0.2.2', [24]]]);

function timestampsOf(out: string): Set<number> {
  const s = new Set<number>();
  for (const line of out.split('\n')) {
    const m = /^(\d+)\.\d{6} /.exec(line);
    if (m) s.add(+m[1]! - 1704110400);
  }
  return s;
}

function tcpdump(file: string, expr: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('tcpdump', ['-r', file, '-nn', '-tt', '--', expr], { env: { ...process.env, TZ: 'UTC' }, encoding: 'latin1' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function compare(frames: Uint8Array[], exprs: string[], linktype = 1, label = 'ether'): void {
  const f = join(dir, `${label}.pcap`);
  writeFileSync(f, writePcap(frames.map((data, i) => ({ tsNs: i * 1e9, data })), { linktype }));
  for (const expr of exprs) {
    const r = tcpdump(f, expr);
    const c = compileFilter(expr, { linktype });
    if (r.status !== 0) {
      const msg = r.stderr.split('\n').find((l) => l.startsWith('tcpdump: '));
      assert.equal(c.ok ? 'compiled' : `tcpdump: ${c.error}`, msg, `error for ${JSON.stringify(expr)} (${label})`);
      continue;
    }
    assert.ok(c.ok, `${JSON.stringify(expr)} (${label}): we failed with ${!c.ok && c.error}`);
    const theirs = timestampsOf(r.stdout);
    const ours = new Set(frames.map((b, i) => (c.match({ bytes: b }) ? i : -1)).filter((i) => i >= 0));
    for (const i of KNOWN_OPTIMIZER_DIVERGENCES.get(expr) ?? []) {
      // Documented divergence: still present (else this entry should go).
      assert.notEqual(ours.has(i), theirs.has(i), `divergence for ${JSON.stringify(expr)} frame ${i} is gone`);
      ours.delete(i);
      theirs.delete(i);
    }
    const diff = [...new Set([...ours, ...theirs])].filter((i) => ours.has(i) !== theirs.has(i));
    if (process.env.FILTER_DEBUG && diff.length) {
      console.log(`MISMATCH ${JSON.stringify(expr)} (${label}): frames ${diff.map((i) => `${i}${theirs.has(i) ? '(tcpdump)' : '(ours)'}`).join(' ')}`);
      continue;
    }
    assert.deepEqual([...ours].sort((a, b) => a - b), [...theirs].sort((a, b) => a - b), `matches for ${JSON.stringify(expr)} (${label})`);
  }
}

test('matching frames equal tcpdump -r EXPR on Ethernet', { skip }, () => {
  compare(corpus(), EXPRESSIONS);
});

test('errors equal tcpdump messages', { skip }, () => {
  compare(corpus().slice(0, 2), ERROR_EXPRESSIONS, 1, 'errors');
});

test('matching frames equal tcpdump on LINUX_SLL2 (-i any) captures', { skip }, () => {
  const frames = corpus().filter((b) => b.length >= 14).map((b, i) => ethernetToSll2(b, 1 + (i % 3), [0, 4, 1, 2][i % 4]!));
  const exprs = [
    ...EXPRESSIONS.filter((e) => !/ether|vlan|broadcast|multicast|byte/.test(e)),
    'inbound', 'outbound', 'outbound and icmp', 'not inbound', 'ether host aa:bb:cc:dd:ee:01', 'vlan', 'broadcast',
    'multicast', 'ip multicast', 'ether[10] = 4', 'link[10] = 0',
  ];
  compare(frames, exprs, LINKTYPE_LINUX_SLL2, 'sll2');
});

test('random frames: arp/ip/vlan/host/port filters agree with tcpdump', { skip }, () => {
  const base = corpus();
  const frames = fc.sample(
    fc.record({ i: fc.nat(base.length - 1), at: fc.array(fc.tuple(fc.nat(80), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), cut: fc.option(fc.nat(90)) })
      .map(({ i, at, cut }) => {
        const f = base[i]!.slice();
        for (const [o, v] of at) if (o < f.length) f[o] = v;
        return cut === null ? f : f.subarray(0, cut);
      }),
    { numRuns: 600, seed: 7 },
  );
  compare(frames, [
    'arp', 'ip', 'vlan and ip', 'host 192.0.2.2', 'udp port 53', 'tcp[13] & 2 != 0', 'icmp[0] = 8', 'ip6 and udp',
    'ether src aa:bb:cc:dd:ee:01', 'not host 192.0.2.3', 'portrange 1-1000', 'ip[2:2] > 40', 'net 192.0.0.0/8 or vlan 11',
    'icmp6[0] = 135 or arp', 'ip broadcast', 'ip multicast', 'proto 17',
  ], 1, 'random');
});

test('compiled filters never throw on random bytes', () => {
  const exprs = EXPRESSIONS.map((e) => compileFilter(e)).filter((c) => c.ok);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
      for (const c of exprs) if (c.ok) c.match({ bytes: b });
    }),
    { numRuns: 300 },
  );
});

test('inbound/outbound on live Ethernet use the packet direction', () => {
  const c = compileFilter('outbound and arp', { live: true });
  assert.ok(c.ok);
  const f = ethernetFrame(MAC_BROADCAST, A, 0x0806, arpPacket({ oper: 1, sha: A, spa: IPA, tha: 0, tpa: IPB }));
  assert.equal(c.match({ bytes: f, outbound: true }), true);
  assert.equal(c.match({ bytes: f, outbound: false }), false);
});

test('host names resolve through the resolver option', () => {
  const c = compileFilter('host gw', { resolveHost: (n) => (n === 'gw' ? { v4: [IPB], v6: [] } : null) });
  assert.ok(c.ok);
  const f = ethernetFrame(MAC_BROADCAST, A, 0x0806, arpPacket({ oper: 1, sha: A, spa: IPA, tha: 0, tpa: IPB }));
  assert.equal(c.match({ bytes: f }), true);
  const d = compileFilter('host other');
  assert.deepEqual(d, { ok: false, error: "unknown host 'other'" });
});
