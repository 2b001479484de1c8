import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ArpPacket, ARPOP_REPLY, ARPOP_REQUEST, emitArp } from '../../src/wire/arp.ts';
import { checksumAdjust, foldSum, internetChecksum, sum16, verifyChecksum } from '../../src/wire/checksum.ts';
import { emitEthernet, EthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../src/wire/ethernet.ts';
import { emitIcmpEcho, emitIcmpError, IcmpPacket, ICMP_DEST_UNREACH, ICMP_ECHO, LINUX_ICMP_QUOTE_MAX } from '../../src/wire/icmp.ts';
import { decrementTtl, emitIpv4, Ipv4Packet, setIpv4Checksum } from '../../src/wire/ipv4.ts';
import {
  broadcastOf, formatIpv4, inPrefix, iproute2Ipv4, maskToPrefix, networkOf, parseIproute2Prefix, parseIpv4, prefixMask,
} from '../../src/wire/ipv4addr.ts';
import { formatIpv6, Ipv6Packet, parseIpv6 } from '../../src/wire/ipv6.ts';
import {
  formatMac, isBroadcast, isLocallyAdministered, isMulticast, isZero, llAddrA2n, MAC_BROADCAST, macToBytes, parseMac, readMac, writeMac,
} from '../../src/wire/mac.ts';
import { emitUdp, udpChecksum, UdpPacket } from '../../src/wire/udp.ts';
import { insertVlanTag, makeTci, stripVlanTag, VlanTag } from '../../src/wire/vlan.ts';
import { ethernetFrame, icmpEcho, ipv4Packet, udpDatagram } from '../../src/wire/build.ts';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const HAVE_PYTHON = spawnSync('python3', ['-c', 'pass']).status === 0;

/** An ARP request as captured from a Docker bridge (172.17.0.2 asking for 172.17.0.1). */
const REAL_ARP = hex('ffffffffffff 0242ac110002 0806 0001 0800 06 04 0001 0242ac110002 ac110002 000000000000 ac110001');
/** The IPv4 header from Wikipedia's checksum example. */
const REAL_IPV4 = hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');

test('checksum: RFC 1071 example and verification', () => {
  const b = hex('0001 f203 f4f5 f6f7');
  assert.equal(foldSum(sum16(b, 0, 8)), 0xddf2);
  assert.equal(internetChecksum(b, 0, 8), 0x220d);
  assert.ok(verifyChecksum(REAL_IPV4, 0, 20));
  const odd = hex('01 02 03');
  assert.equal(sum16(odd, 0, 3), 0x0102 + 0x0300);
});

test('checksum: incremental update equals recomputation', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.nat(9), fc.integer({ min: 0, max: 0xffff }), (h, word, nw) => {
      const b = h.slice();
      b[10] = b[11] = 0;
      const c = internetChecksum(b, 0, 20);
      b[10] = c >> 8;
      b[11] = c & 0xff;
      const w = word === 5 ? 0 : word; // not the checksum word itself
      const old = (b[2 * w]! << 8) | b[2 * w + 1]!;
      b[2 * w] = nw >> 8;
      b[2 * w + 1] = nw & 0xff;
      const inc = checksumAdjust(c, old, nw);
      b[10] = inc >> 8;
      b[11] = inc & 0xff;
      assert.ok(verifyChecksum(b, 0, 20));
    }),
  );
});

test('mac: read/write/format/parse and predicates', () => {
  const m = readMac(REAL_ARP, 6);
  assert.equal(formatMac(m), '02:42:ac:11:00:02');
  assert.equal(parseMac('02:42:AC:11:00:02'), m);
  assert.equal(parseMac('2:42:ac:11:0:2'), null);
  assert.equal(parseMac('02:42:ac:11:00'), null);
  assert.ok(isBroadcast(readMac(REAL_ARP, 0)) && isMulticast(MAC_BROADCAST));
  assert.ok(isMulticast(parseMac('01:00:5e:00:00:01')!) && !isMulticast(m));
  assert.ok(isLocallyAdministered(m) && !isLocallyAdministered(parseMac('00:1b:21:00:00:01')!));
  assert.ok(isZero(0) && !isZero(m));
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (b) => {
      const v = readMac(b, 0);
      assert.ok(Number.isSafeInteger(v) && v >= 0 && v <= MAC_BROADCAST);
      assert.deepEqual(macToBytes(v), b);
      assert.equal(parseMac(formatMac(v)), v);
      const out = new Uint8Array(8);
      writeMac(out, 1, v);
      assert.deepEqual(out.subarray(1, 7), b);
      assert.equal(isMulticast(v), (b[0]! & 1) === 1);
    }),
  );
});

test('mac: iproute2 ll_addr_a2n accepts what sscanf("%x") accepts', () => {
  assert.deepEqual(llAddrA2n('a:b:c:d:e:f'), { ok: true, bytes: [10, 11, 12, 13, 14, 15] });
  assert.deepEqual(llAddrA2n('02:42:AC:11:00:02'), { ok: true, bytes: [2, 0x42, 0xac, 0x11, 0, 2] });
  assert.deepEqual(llAddrA2n('0x1f:1g:+a: 5:0x:100000000'), { ok: true, bytes: [31, 1, 10, 5, 0, 0] });
  assert.deepEqual(llAddrA2n('aa:bb'), { ok: true, bytes: [0xaa, 0xbb] });
  assert.deepEqual(llAddrA2n('aa::bb'), { ok: false, error: '"" is invalid lladdr.' });
  assert.deepEqual(llAddrA2n('aa:100:bb'), { ok: false, error: '"100" is invalid lladdr.' });
  assert.deepEqual(llAddrA2n('xx:11'), { ok: false, error: '"xx" is invalid lladdr.' });
  assert.deepEqual(llAddrA2n('-1'), { ok: false, error: '"-1" is invalid lladdr.' });
  assert.deepEqual(llAddrA2n('10.0.0.1'), { ok: true, bytes: [10, 0, 0, 1] });
  assert.deepEqual(llAddrA2n('10.0.0.300'), { ok: false, error: '"10.0.0.300" is invalid lladdr.' });
});

test('mac: llAddrA2n agrees with glibc sscanf on random groups', { skip: HAVE_PYTHON ? false : 'python3 not installed' }, () => {
  const groups = fc.sample(fc.stringMatching(/^[ +\-]?(0[xX])?[0-9a-fA-FgG]{0,10}$/), { numRuns: 300, seed: 3 });
  const py = `
import ctypes, sys, json
libc = ctypes.CDLL("libc.so.6")
out = []
for g in json.loads(sys.stdin.read()):
    t = ctypes.c_int(0)
    r = libc.sscanf(g.encode(), b"%x", ctypes.byref(t))
    out.append(t.value if r == 1 else None)
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', py], { input: JSON.stringify(groups), encoding: 'utf8' });
  const want: (number | null)[] = JSON.parse(r.stdout);
  groups.forEach((g, i) => {
    const v = want[i];
    const got = llAddrA2n(g);
    if (v === null || v === undefined || v < 0 || v > 255) assert.equal(got.ok, false, `group ${JSON.stringify(g)}`);
    else assert.deepEqual(got, { ok: true, bytes: [v] }, `group ${JSON.stringify(g)}`);
  });
});

test('ipv4addr: strict parse, format, prefixes', () => {
  assert.equal(parseIpv4('192.0.2.1'), 0xc0000201);
  for (const bad of ['01.2.3.4', '1.2.3', '1.2.3.4 ', '256.1.1.1', '1.2.3.04', '', '1..2.3', '0x1.2.3.4']) assert.equal(parseIpv4(bad), null, bad);
  assert.equal(formatIpv4(0xffffffff), '255.255.255.255');
  assert.equal(prefixMask(0), 0);
  assert.equal(prefixMask(24), 0xffffff00);
  assert.equal(prefixMask(32), 0xffffffff);
  assert.equal(networkOf(0xc0000281, 25), 0xc0000280);
  assert.equal(broadcastOf(0xc0000201, 24), 0xc00002ff);
  assert.ok(inPrefix(0x0a010203, 0x0a000000, 8) && !inPrefix(0x0b000000, 0x0a000000, 8));
  assert.equal(maskToPrefix(0xffffff00), 24);
  assert.equal(maskToPrefix(0xff00ff00), -1);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (a, p) => {
      assert.equal(parseIpv4(formatIpv4(a)), a);
      assert.equal(maskToPrefix(prefixMask(p)), p);
      assert.ok(inPrefix(a, networkOf(a, p), p));
    }),
  );
});

test('ipv4addr: iproute2 get_prefix forms', () => {
  assert.equal(iproute2Ipv4('10'), 0x0a000000);
  assert.equal(iproute2Ipv4('10.1'), 0x0a010000);
  assert.equal(iproute2Ipv4('0x0a.010.0.1'), 0x0a080001);
  assert.equal(iproute2Ipv4('1.2.3.4.5'), null);
  assert.equal(iproute2Ipv4('08.1.1.1'), null);
  assert.deepEqual(parseIproute2Prefix('10/8'), { addr: 0x0a000000, plen: 8, plenSpecified: true, keyword: null });
  assert.deepEqual(parseIproute2Prefix('192.0.2.1'), { addr: 0xc0000201, plen: 32, plenSpecified: false, keyword: null });
  assert.deepEqual(parseIproute2Prefix('1.2.3.4/255.255.255.0'), { addr: 0x01020304, plen: 24, plenSpecified: true, keyword: null });
  assert.deepEqual(parseIproute2Prefix('1.2.3.4/0x10'), { addr: 0x01020304, plen: 16, plenSpecified: true, keyword: null });
  assert.deepEqual(parseIproute2Prefix('default'), { addr: 0, plen: 0, plenSpecified: true, keyword: 'default' });
  assert.deepEqual(parseIproute2Prefix('any'), { addr: 0, plen: 0, plenSpecified: false, keyword: 'any' });
  for (const bad of ['1.2.3.4/33', 'default/0', '1.2.3.4/255.0.255.0', '1.2.3.4/', 'fe80::1/64', 'foo', '1.2.3.4/8x']) {
    assert.equal(parseIproute2Prefix(bad), null, bad);
  }
});

test('ethernet: view and emit round trip', () => {
  const f = EthernetFrame.parse(REAL_ARP)!;
  assert.equal(f.ethertype, ETHERTYPE_ARP);
  assert.equal(f.dst, MAC_BROADCAST);
  assert.equal(formatMac(f.src), '02:42:ac:11:00:02');
  assert.equal(f.payloadOffset, 14);
  assert.equal(EthernetFrame.parse(new Uint8Array(13)), null);
  assert.ok(f.reset(REAL_ARP, 0) && !f.reset(REAL_ARP, 40));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: MAC_BROADCAST }), fc.integer({ min: 0, max: MAC_BROADCAST }), fc.integer({ min: 0, max: 0xffff }), (d, s, t) => {
      const b = new Uint8Array(20);
      assert.equal(emitEthernet(b, 2, d, s, t), 16);
      const v = EthernetFrame.parse(b, 2)!;
      assert.deepEqual([v.dst, v.src, v.ethertype], [d, s, t]);
    }),
  );
});

test('vlan: tag view, insert and strip', () => {
  const tagged = insertVlanTag(REAL_ARP, makeTci(5, true, 11))!;
  assert.equal(tagged.length, REAL_ARP.length + 4);
  const f = EthernetFrame.parse(tagged)!;
  assert.equal(f.ethertype, 0x8100);
  const t = VlanTag.parse(tagged, f.payloadOffset)!;
  assert.deepEqual([t.pcp, t.dei, t.vid, t.ethertype], [5, true, 11, ETHERTYPE_ARP]);
  const s = stripVlanTag(tagged)!;
  assert.deepEqual(s.frame, REAL_ARP);
  assert.equal(s.tci, makeTci(5, true, 11));
  assert.equal(stripVlanTag(REAL_ARP), null);
  const qinq = insertVlanTag(tagged, 100, 0x88a8)!;
  assert.deepEqual(stripVlanTag(stripVlanTag(qinq)!.frame)!.frame, REAL_ARP);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 14, maxLength: 80 }), fc.integer({ min: 0, max: 0xffff }), (fr, tci) => {
      const r = stripVlanTag(insertVlanTag(fr, tci)!)!;
      assert.deepEqual(r.frame, fr);
      assert.equal(r.tci, tci);
    }),
  );
});

test('arp: parse a real request and round-trip emit/parse', () => {
  const p = ArpPacket.parse(REAL_ARP, 14)!;
  assert.ok(p.isEthernetIpv4);
  assert.equal(p.oper, ARPOP_REQUEST);
  assert.equal(formatMac(p.sha), '02:42:ac:11:00:02');
  assert.equal(formatIpv4(p.spa), '172.17.0.2');
  assert.equal(p.tha, 0);
  assert.equal(formatIpv4(p.tpa), '172.17.0.1');
  const out = new Uint8Array(28);
  emitArp(out, 0, p.repr()!);
  assert.deepEqual(out, REAL_ARP.subarray(14));
  assert.equal(ArpPacket.parse(REAL_ARP, 14, 27), null);
  fc.assert(
    fc.property(
      fc.record({
        oper: fc.constantFrom(ARPOP_REQUEST, ARPOP_REPLY), sha: fc.integer({ min: 0, max: MAC_BROADCAST }),
        spa: fc.integer({ min: 0, max: 0xffffffff }), tha: fc.integer({ min: 0, max: MAC_BROADCAST }), tpa: fc.integer({ min: 0, max: 0xffffffff }),
      }),
      (r) => {
        const b = new Uint8Array(30);
        emitArp(b, 1, r);
        assert.deepEqual(ArpPacket.parse(b, 1)!.repr(), { ...r });
      },
    ),
  );
});

test('ipv4: parse a real header, emit round trip, checksum', () => {
  const p = Ipv4Packet.parse(REAL_IPV4, 0, 20)!;
  assert.deepEqual([p.version, p.ihl, p.totalLength, p.dontFragment, p.ttl, p.protocol, p.checksum], [4, 5, 0x73, true, 64, 17, 0xb861]);
  assert.equal(formatIpv4(p.src), '192.168.0.1');
  assert.equal(formatIpv4(p.dst), '192.168.0.199');
  assert.ok(p.verifyChecksum());
  assert.equal(p.check(), 'bad-length'); // header only: total length 115 > 20 available
  fc.assert(
    fc.property(
      fc.record({
        src: fc.integer({ min: 0, max: 0xffffffff }), dst: fc.integer({ min: 0, max: 0xffffffff }), protocol: fc.integer({ min: 0, max: 255 }),
        payloadLength: fc.integer({ min: 0, max: 100 }), ttl: fc.integer({ min: 0, max: 255 }), tos: fc.integer({ min: 0, max: 255 }),
        ident: fc.integer({ min: 0, max: 0xffff }), dontFragment: fc.boolean(), moreFragments: fc.boolean(),
        fragOffset: fc.integer({ min: 0, max: 0x1fff }).map((x) => x * 8),
      }),
      (r) => {
        const b = new Uint8Array(20 + r.payloadLength);
        assert.equal(emitIpv4(b, 0, r), 20);
        const p = Ipv4Packet.parse(b)!;
        assert.deepEqual(
          [p.src, p.dst, p.protocol, p.payloadLength, p.ttl, p.tos, p.ident, p.dontFragment, p.moreFragments, p.fragOffset],
          [r.src, r.dst, r.protocol, r.payloadLength, r.ttl, r.tos, r.ident, r.dontFragment, r.moreFragments, r.fragOffset],
        );
        assert.equal(p.check(), null);
      },
    ),
  );
});

test('ipv4: TTL decrement keeps the checksum valid (kernel ip_decrease_ttl)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 1, max: 255 }), (h, ttl) => {
      const b = h.slice();
      b[0] = 0x45;
      b[8] = ttl;
      setIpv4Checksum(b, 0);
      assert.equal(decrementTtl(b, 0), ttl - 1);
      assert.ok(verifyChecksum(b, 0, 20));
      const c = (b[10]! << 8) | b[11]!;
      setIpv4Checksum(b, 0);
      const full = (b[10]! << 8) | b[11]!;
      // Both are valid encodings; they only differ between 0x0000 and 0xffff.
      assert.ok(c === full || (c ^ full) === 0xffff);
    }),
  );
  const z = new Uint8Array(20);
  z[0] = 0x45;
  assert.equal(decrementTtl(z, 0), 0);
  assert.equal(z[8], 0);
});

test('icmp: echo and errors quote the offending packet as Linux does', () => {
  const b = new Uint8Array(8 + 56);
  emitIcmpEcho(b, 0, { type: ICMP_ECHO, ident: 1234, seq: 7, payload: new Uint8Array(56).fill(0x42) });
  const p = IcmpPacket.parse(b)!;
  assert.deepEqual([p.type, p.code, p.ident, p.seq, p.payloadLength], [8, 0, 1234, 7, 56]);
  assert.ok(p.verifyChecksum());
  const big = ipv4Packet({ src: 1, dst: 2, protocol: 17 }, new Uint8Array(1000));
  const e = new Uint8Array(8 + LINUX_ICMP_QUOTE_MAX);
  assert.equal(emitIcmpError(e, 0, ICMP_DEST_UNREACH, 4, big, 1400), 8 + 548);
  const ep = IcmpPacket.parse(e)!;
  assert.ok(ep.isError && ep.verifyChecksum());
  assert.equal(ep.nextHopMtu, 1400);
  assert.deepEqual(e.subarray(8), big.subarray(0, 548));
  const small = new Uint8Array(8 + 28);
  assert.equal(emitIcmpError(small, 0, 3, 3, big, 0, 28), 36);
  assert.equal(IcmpPacket.parse(new Uint8Array(7)), null);
});

test('udp: checksum with pseudo-header, emit and verify', () => {
  // RFC 768 example worked by hand: 10.0.0.1:1 -> 10.0.0.2:2, payload "ab".
  const d = hex('0001 0002 000a 0000 6162');
  const src = parseIpv4('10.0.0.1')!, dst = parseIpv4('10.0.0.2')!;
  // pseudo: 0a00+0001+0a00+0002+0011+000a = 0x141e; udp: 0001+0002+000a+0000+6162 = 0x616f; sum 0x758d
  assert.equal(udpChecksum(src, dst, d, 0, d.length), ~0x758d & 0xffff);
  const u = UdpPacket.parse(d)!;
  assert.deepEqual([u.srcPort, u.dstPort, u.udpLength, u.payloadLength], [1, 2, 10, 2]);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: 64 }), fc.nat(0xffff), fc.nat(0xffff), (s, d, payload, sp, dp) => {
      const b = udpDatagram(s, d, sp, dp, payload);
      const v = UdpPacket.parse(b)!;
      assert.ok(v.verifyChecksum(s, d));
      assert.equal(v.check(), null);
      assert.deepEqual([v.srcPort, v.dstPort, v.payloadLength], [sp, dp, payload.length]);
      assert.notEqual(v.checksum, 0);
      const n = new Uint8Array(8 + payload.length);
      n.set(payload, 8);
      emitUdp(n, 0, { srcPort: sp, dstPort: dp, payloadLength: payload.length });
      assert.equal(UdpPacket.parse(n)!.checksum, 0);
    }),
  );
});

test('ipv6: text forms agree with glibc inet_ntop / inet_pton', { skip: HAVE_PYTHON ? false : 'python3 not installed' }, () => {
  const word = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff }));
  const addrs = fc.sample(fc.array(word, { minLength: 8, maxLength: 8 }), { numRuns: 400, seed: 11 }).map((ws) => {
    const b = new Uint8Array(16);
    ws.forEach((w, i) => ((b[2 * i] = w >> 8), (b[2 * i + 1] = w & 0xff)));
    return b;
  });
  const texts = ['::', '::1', '1::', 'fe80::1%eth0', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::ffff:1.2.3.4', '::1.2.3.4', '1::2::3',
    ':1::2', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '::01.2.3.4', '1.2.3.4::', '2001:db8::', '::ffff:1.2.3', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'];
  const py = `
import socket, sys, json
d = json.loads(sys.stdin.read())
nt = [socket.inet_ntop(socket.AF_INET6, bytes(a)) for a in d["a"]]
pt = []
for t in d["t"]:
    try: pt.append(list(socket.inet_pton(socket.AF_INET6, t)))
    except OSError: pt.append(None)
print(json.dumps({"nt": nt, "pt": pt}))`;
  const r = spawnSync('python3', ['-c', py], { input: JSON.stringify({ a: addrs.map((a) => [...a]), t: texts }), encoding: 'utf8' });
  const want = JSON.parse(r.stdout) as { nt: string[]; pt: (number[] | null)[] };
  addrs.forEach((a, i) => {
    assert.equal(formatIpv6(a), want.nt[i]);
    assert.deepEqual([...parseIpv6(want.nt[i]!)!], [...a]);
  });
  texts.forEach((t, i) => assert.deepEqual(parseIpv6(t) ? [...parseIpv6(t)!] : null, want.pt[i], t));
});

test('ipv6: header view', () => {
  const p = Ipv6Packet.parse(hex('6b812345 000c 1140 20010db8000000000000000000000001 20010db8000000000000000000000002'))!;
  assert.deepEqual([p.version, p.trafficClass, p.flowLabel, p.payloadLength, p.nextHeader, p.hopLimit], [6, 0xb8, 0x12345, 12, 17, 64]);
  assert.equal(formatIpv6(p.bytes, p.srcOffset), '2001:db8::1');
  assert.equal(Ipv6Packet.parse(new Uint8Array(40)), null); // version 0
});

test('parsers never throw on random bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: -2, max: 110 }), fc.integer({ min: -2, max: 110 }), (b, off, len) => {
      for (const parse of [EthernetFrame.parse, ArpPacket.parse, Ipv4Packet.parse, IcmpPacket.parse, UdpPacket.parse, Ipv6Packet.parse, VlanTag.parse]) {
        const v = parse(b, off, len);
        if (v) assert.ok(off >= 0 && off + len <= b.length);
      }
      const e = EthernetFrame.parse(b);
      if (e) void [e.dst, e.src, e.ethertype];
      const a = ArpPacket.parse(b);
      if (a) void [a.repr(), a.sha, a.tpa];
      const i = Ipv4Packet.parse(b);
      if (i) void [i.check(), i.payloadLength, i.src];
      const u = UdpPacket.parse(b);
      if (u) void [u.check(), u.verifyChecksum(1, 2)];
      const ic = IcmpPacket.parse(b);
      if (ic) void [ic.verifyChecksum(), ic.restOfHeader];
      stripVlanTag(b);
      insertVlanTag(b, 1);
    }),
  );
  fc.assert(
    fc.property(fc.string(), (s) => {
      parseMac(s);
      llAddrA2n(s);
      parseIpv4(s);
      iproute2Ipv4(s);
      parseIproute2Prefix(s);
      parseIpv6(s);
    }),
  );
});

test('build helpers produce frames the views accept', () => {
  const f = ethernetFrame(MAC_BROADCAST, 2, ETHERTYPE_IPV4, ipv4Packet({ src: 1, dst: 2, protocol: 1 }, icmpEcho(8, 1, 2, new Uint8Array(4))), [{ tci: 7 }]);
  const e = EthernetFrame.parse(f)!;
  const t = VlanTag.parse(f, e.payloadOffset)!;
  assert.equal(t.vid, 7);
  const ip = Ipv4Packet.parse(f, t.payloadOffset)!;
  assert.equal(ip.check(), null);
  assert.ok(IcmpPacket.parse(f, ip.payloadOffset, ip.payloadLength)!.verifyChecksum());
});
