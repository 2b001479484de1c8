/**
 * Frame generators for the bad-input properties: well-formed frames of every protocol vnet's
 * wire views and tcpdump's printer decode, then damaged the ways real bad frames are damaged
 * (cut short, bits flipped, length and offset fields overwritten, bytes spliced in or out).
 * Structured-then-mutated frames reach the deep decoding paths that pure random bytes almost
 * never reach (a random byte string is a valid IPv4-in-802.1Q-in-Ethernet frame about never).
 */
import fc from 'fast-check';
import { arpPacket, ethernetFrame, icmpEcho, icmpError, ipv4Packet, ipv6Packet, setIcmpv6Checksum, udpDatagram } from '../../src/wire/build.ts';
import { setIpv4Checksum } from '../../src/wire/ipv4.ts';

const u8 = fc.integer({ min: 0, max: 255 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });

/** MACs: the ones the kernel treats specially, plus random ones. */
export const macArb = fc.oneof(
  fc.constantFrom(0xffffffffffff, 0, 0x0180c2000000, 0x0180c2000001, 0x0180c200000e, 0x01005e000001, 0x333300000001,
    0x020000000001, 0x020000000002),
  fc.integer({ min: 0, max: 0xffffffffffff }),
);

/** IPv4 addresses around the lab's subnets, plus the special ones and random ones. */
export const ipArb = fc.oneof(
  fc.constantFrom(0xc0000201, 0xc0000202, 0xc000020a, 0xc00002ff, 0xc6336401, 0xcb007101, 0x7f000001, 0, 0xffffffff,
    0xe0000001, 0xe00000fb),
  fc.integer({ min: 0xc0000200, max: 0xc00002ff }),
  u32,
);

const ip6Arb = fc.oneof(
  fc.constantFrom('fe80::1', 'ff02::1', 'ff02::2', 'ff02::16', '::', '::1', 'ff02::1:ff00:1', '2001:db8::1')
    .map((s) => ip6Bytes(s)),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
);

function ip6Bytes(s: string): Uint8Array {
  // Small local parser: only the fixed forms above.
  const out = new Uint8Array(16);
  const [head, tail = ''] = s.split('::') as [string, string?];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  h.forEach((g, i) => { const v = parseInt(g, 16); out[2 * i] = v >> 8; out[2 * i + 1] = v & 0xff; });
  t.forEach((g, i) => { const v = parseInt(g, 16); const j = 8 - t.length + i; out[2 * j] = v >> 8; out[2 * j + 1] = v & 0xff; });
  return out;
}

const tcpSegment = fc.record({
  sport: u16, dport: fc.oneof(fc.constantFrom(22, 80, 179, 443, 0), u16), seq: u32, ack: u32,
  off: fc.integer({ min: 0, max: 15 }), flags: u8, win: u16, opts: bytes(40), data: bytes(40),
}).map((t) => {
  const optLen = t.opts.length & ~3;
  const b = new Uint8Array(20 + optLen + t.data.length);
  const v = new DataView(b.buffer);
  v.setUint16(0, t.sport); v.setUint16(2, t.dport); v.setUint32(4, t.seq); v.setUint32(8, t.ack);
  b[12] = t.off << 4; b[13] = t.flags; v.setUint16(14, t.win);
  b.set(t.opts.subarray(0, optLen), 20);
  b.set(t.data, 20 + optLen);
  return b;
});

/** IPv4 header options: the ones tcpdump decodes (RR, TS, RA, NOP, EOL, LSRR) and junk. */
const ipOptions = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.constantFrom(
    Uint8Array.of(0x94, 4, 0, 0), Uint8Array.of(1, 1, 1, 0), Uint8Array.of(7, 7, 4, 0, 0, 0, 0, 0),
    Uint8Array.of(0x44, 12, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0), Uint8Array.of(0x83, 3, 4, 0), Uint8Array.of(7, 0, 0, 0),
    Uint8Array.of(0x44, 2, 0, 0), Uint8Array.of(7, 255, 4, 0),
  ),
  bytes(40).map((b) => b.subarray(0, b.length & ~3)),
);

/** An IPv4 packet with options around `payload`; checksum right, so the kernel takes it seriously. */
function ipv4Of(payload: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.record({
    src: ipArb, dst: ipArb, ttl: fc.oneof(fc.constantFrom(0, 1, 64, 255), u8), tos: u8, ident: u16,
    df: fc.boolean(), mf: fc.boolean(), fragOffset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0x1fff }).map((x) => x * 8)),
    opts: ipOptions, proto: fc.oneof(fc.constantFrom(1, 2, 6, 17, 41, 47, 58, 89, 103, 112), u8), payload,
  }).map((r) => {
    const p = ipv4Packet({ src: r.src, dst: r.dst, protocol: r.proto, ttl: r.ttl, tos: r.tos, ident: r.ident,
      dontFragment: r.df, moreFragments: r.mf, fragOffset: r.fragOffset }, r.payload);
    if (!r.opts.length) return p;
    // Splice the options in after the fixed header and fix IHL, total length and checksum.
    const out = new Uint8Array(p.length + r.opts.length);
    out.set(p.subarray(0, 20));
    out.set(r.opts, 20);
    out.set(p.subarray(20), 20 + r.opts.length);
    out[0] = 0x40 | ((20 + r.opts.length) >> 2);
    out[2] = out.length >> 8; out[3] = out.length & 0xff;
    setIpv4Checksum(out, 0);
    return out;
  });
}

const echoArb = fc.tuple(fc.constantFrom(0, 8, 13, 14, 17, 18), u16, u16, bytes(64)).map(([t, id, sq, d]) => icmpEcho(t, id, sq, d));
const udpArb = fc.tuple(ipArb, ipArb, fc.oneof(fc.constantFrom(53, 67, 68, 123, 137, 161, 514, 4789, 6081), u16), u16, bytes(80), fc.boolean())
  .map(([s, d, dp, sp, data, ck]) => udpDatagram(s, d, sp, dp, data, ck));
const simplePayload = fc.oneof(echoArb, udpArb, tcpSegment, bytes(64));
/** ICMP errors quote the packet that caused them: an inner IPv4 packet, itself any shape. */
const errorArb = fc.tuple(fc.constantFrom(3, 4, 5, 11, 12), fc.integer({ min: 0, max: 15 }), u32, ipv4Of(simplePayload))
  .map(([t, c, rest, inner]) => icmpError(t, c, inner, rest));

const ipv4Arb = ipv4Of(fc.oneof(
  { weight: 3, arbitrary: echoArb },
  { weight: 2, arbitrary: errorArb },
  { weight: 2, arbitrary: udpArb },
  { weight: 1, arbitrary: tcpSegment },
  { weight: 1, arbitrary: bytes(64) },
));

/** ICMPv6 messages vnet's own IPv6 chatter uses (ND, MLDv2) and their neighbours. */
const icmp6Msg = fc.tuple(fc.constantFrom(1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 143), u8, bytes(64))
  .map(([type, code, body]) => {
    const m = new Uint8Array(4 + body.length);
    m[0] = type; m[1] = code;
    m.set(body, 4);
    return m;
  });

const ipv6Arb = fc.record({
  src: ip6Arb, dst: ip6Arb, hlim: fc.constantFrom(1, 64, 255), kind: fc.constantFrom('icmp6', 'hbh', 'udp', 'raw'),
  msg: icmp6Msg, raw: bytes(60), nh: u8,
}).map((r) => {
  if (r.kind === 'icmp6' || r.kind === 'hbh') {
    // MLD reports travel behind a hop-by-hop header with the router-alert option, as Linux sends them.
    const hbh = r.kind === 'hbh' ? Uint8Array.of(58, 0, 5, 2, 0, 0, 1, 0) : null;
    const payload = hbh ? concat(hbh, r.msg) : r.msg;
    const p = ipv6Packet(r.src, r.dst, hbh ? 0 : 58, r.hlim, payload);
    setIcmpv6Checksum(p, 40 + (hbh?.length ?? 0));
    return p;
  }
  if (r.kind === 'udp') return ipv6Packet(r.src, r.dst, 17, r.hlim, concat(Uint8Array.of(0x02, 0x22, 0x02, 0x23, (8 + r.raw.length) >> 8, (8 + r.raw.length) & 0xff, 0, 0), r.raw));
  return ipv6Packet(r.src, r.dst, r.nh, r.hlim, r.raw);
});

const arpArb = fc.record({ oper: fc.oneof(fc.constantFrom(1, 2, 3, 4, 8, 9), u16), sha: macArb, spa: ipArb, tha: macArb, tpa: ipArb })
  .map((r) => arpPacket(r));

/** 802.2 LLC frames: STP/RSTP BPDUs (what bridges send) and other SAPs. */
const llcArb = fc.record({ kind: fc.constantFrom('stp', 'rstp', 'tcn', 'snap', 'raw'), body: bytes(40), ctl: u8 })
  .map((r) => {
    if (r.kind === 'raw') return concat(Uint8Array.of(r.body[0] ?? 0, r.body[1] ?? 0, r.ctl), r.body.subarray(2));
    if (r.kind === 'snap') return concat(Uint8Array.of(0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00), r.body);
    const bpdu = new Uint8Array(r.kind === 'tcn' ? 4 : r.kind === 'rstp' ? 36 : 35);
    bpdu[2] = r.kind === 'rstp' ? 2 : 0;
    bpdu[3] = r.kind === 'tcn' ? 0x80 : r.kind === 'rstp' ? 2 : 0;
    bpdu.set(r.body.subarray(0, bpdu.length - 4), 4);
    return concat(Uint8Array.of(0x42, 0x42, 0x03), bpdu);
  });

/** A whole Ethernet frame of any of the shapes above, with 0 to 2 VLAN tags. */
export const wellFormedFrame: fc.Arbitrary<Uint8Array> = fc.record({
  dst: macArb, src: macArb,
  vlans: fc.array(fc.record({ tci: u16, tpid: fc.constantFrom(0x8100, 0x88a8, 0x9100) }), { maxLength: 2 }),
  body: fc.oneof(
    { weight: 4, arbitrary: ipv4Arb.map((p) => ({ type: 0x0800, p })) },
    { weight: 3, arbitrary: arpArb.map((p) => ({ type: 0x0806, p })) },
    { weight: 2, arbitrary: ipv6Arb.map((p) => ({ type: 0x86dd, p })) },
    { weight: 1, arbitrary: llcArb.map((p) => ({ type: -1, p })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0x88cc, 0x8809, 0x8035, 0x88e5, 0x0842, 0x9000, 0x22f0, 0x0600), bytes(60)).map(([type, p]) => ({ type, p })) },
  ),
}).map((r) => {
  // LLC frames carry an 802.3 length instead of a type.
  const type = r.body.type === -1 ? r.body.p.length : r.body.type;
  return ethernetFrame(r.dst, r.src, type, r.body.p, r.vlans);
});

export type Mutation =
  | { k: 'truncate'; at: number }
  | { k: 'flip'; at: number; bit: number }
  | { k: 'set'; at: number; v: number }
  | { k: 'set16'; at: number; v: number }
  | { k: 'insert'; at: number; data: Uint8Array }
  | { k: 'delete'; at: number; n: number }
  | { k: 'extend'; data: Uint8Array };

/** Offsets are fractions of the frame length, so a mutation means the same thing after shrinking. */
const frac = fc.integer({ min: 0, max: 1000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Mostly cut the tail (the deep layers), sometimes into the headers.
  fc.record({ k: fc.constant('truncate' as const), at: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 400, max: 1000 }) }, { weight: 1, arbitrary: frac }) }),
  fc.record({ k: fc.constant('flip' as const), at: frac, bit: fc.integer({ min: 0, max: 7 }) }),
  // Header fields sit in the first 60 bytes; aim there most of the time.
  fc.record({ k: fc.constant('set' as const), at: fc.oneof(fc.integer({ min: 0, max: 60 }).map((x) => -x - 1), frac), v: fc.constantFrom(0, 1, 0x45, 0x4f, 0x7f, 0x80, 0xff) }),
  fc.record({ k: fc.constant('set16' as const), at: fc.integer({ min: 0, max: 70 }).map((x) => -x - 1), v: fc.constantFrom(0, 1, 4, 8, 20, 0x7fff, 0xffff, 0x8100, 0x0800) }),
  fc.record({ k: fc.constant('insert' as const), at: frac, data: bytes(8) }),
  fc.record({ k: fc.constant('delete' as const), at: frac, n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ k: fc.constant('extend' as const), data: bytes(40) }),
);

function pos(at: number, len: number): number {
  // Negative: an absolute offset (-1 → 0); otherwise per mille of the length.
  return at < 0 ? Math.min(-at - 1, Math.max(0, len - 1)) : Math.floor((at * len) / 1000);
}

export function applyMutations(frame: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  let f: Uint8Array = frame.slice();
  for (const m of muts) {
    const n = f.length;
    switch (m.k) {
      case 'truncate': f = f.slice(0, pos(m.at, n)); break;
      case 'flip': if (n) f[pos(m.at, n)]! ^= 1 << m.bit; break;
      case 'set': if (n) f[pos(m.at, n)] = m.v; break;
      case 'set16': { const p = pos(m.at, n); if (p + 1 < n) { f[p] = m.v >> 8; f[p + 1] = m.v & 0xff; } break; }
      case 'insert': { const p = pos(m.at, n); f = concat(f.subarray(0, p), m.data, f.subarray(p)); break; }
      case 'delete': { const p = pos(m.at, n); f = concat(f.subarray(0, p), f.subarray(p + m.n)); break; }
      case 'extend': f = concat(f, m.data); break;
    }
  }
  return f;
}

/** A frame as bad input: mostly well-formed-then-damaged, sometimes intact, sometimes pure noise. */
export const badFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(wellFormedFrame, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([f, m]) => applyMutations(f, m)) },
  { weight: 2, arbitrary: wellFormedFrame },
  { weight: 1, arbitrary: bytes(120) },
);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
