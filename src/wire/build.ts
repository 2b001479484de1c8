/**
 * Allocating frame/packet constructors on top of the emit* helpers, for code paths where
 * convenience beats zero-copy (ping, ARP, tests).
 */
import { emitArp, type ArpRepr } from './arp.ts';
import { foldSum, sum16 } from './checksum.ts';
import { ETH_HLEN, emitEthernet } from './ethernet.ts';
import { emitIcmpEcho, emitIcmpError, icmpQuoteLength, LINUX_ICMP_QUOTE_MAX } from './icmp.ts';
import { emitIpv4, IPV4_HLEN, type Ipv4Repr } from './ipv4.ts';
import type { Ipv4 } from './ipv4addr.ts';
import type { Mac } from './mac.ts';
import { emitUdp, UDP_HLEN } from './udp.ts';
import { ETHERTYPE_VLAN } from './ethernet.ts';

export interface VlanSpec {
  tci: number;
  /** 0x8100 (default) or 0x88a8. */
  tpid?: number;
}

/** dst/src/type header, then tags outermost first, then payload. */
export function ethernetFrame(dst: Mac, src: Mac, ethertype: number, payload: Uint8Array, vlans: VlanSpec[] = []): Uint8Array {
  const f = new Uint8Array(ETH_HLEN + 4 * vlans.length + payload.length);
  let o = emitEthernet(f, 0, dst, src, vlans.length ? (vlans[0]!.tpid ?? ETHERTYPE_VLAN) : ethertype);
  vlans.forEach((v, i) => {
    const inner = i + 1 < vlans.length ? (vlans[i + 1]!.tpid ?? ETHERTYPE_VLAN) : ethertype;
    f[o] = (v.tci >>> 8) & 0xff;
    f[o + 1] = v.tci & 0xff;
    f[o + 2] = inner >>> 8;
    f[o + 3] = inner & 0xff;
    o += 4;
  });
  f.set(payload, o);
  return f;
}

export function arpPacket(r: ArpRepr): Uint8Array {
  const b = new Uint8Array(28);
  emitArp(b, 0, r);
  return b;
}

/** IPv4 packet with a 20-byte header; payloadLength in repr is taken from payload. */
export function ipv4Packet(r: Omit<Ipv4Repr, 'payloadLength'>, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(IPV4_HLEN + payload.length);
  emitIpv4(b, 0, { ...r, payloadLength: payload.length });
  b.set(payload, IPV4_HLEN);
  return b;
}

export function icmpEcho(type: number, ident: number, seq: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + payload.length);
  emitIcmpEcho(b, 0, { type, ident, seq, payload });
  return b;
}

export function icmpError(type: number, code: number, original: Uint8Array, rest = 0, maxQuote = LINUX_ICMP_QUOTE_MAX): Uint8Array {
  const b = new Uint8Array(8 + icmpQuoteLength(original.length, maxQuote));
  emitIcmpError(b, 0, type, code, original, rest, maxQuote);
  return b;
}

/** UDP datagram; with checksum (the default) src/dst addresses are needed for the pseudo-header. */
export function udpDatagram(src: Ipv4, dst: Ipv4, srcPort: number, dstPort: number, payload: Uint8Array, checksum = true): Uint8Array {
  const b = new Uint8Array(UDP_HLEN + payload.length);
  b.set(payload, UDP_HLEN);
  if (checksum) emitUdp(b, 0, { srcPort, dstPort, payloadLength: payload.length }, src, dst);
  else emitUdp(b, 0, { srcPort, dstPort, payloadLength: payload.length });
  return b;
}

/** IPv6 packet; `payload` starts with whatever `nextHeader` says (extension headers included). */
export function ipv6Packet(src: Uint8Array, dst: Uint8Array, nextHeader: number, hopLimit: number, payload: Uint8Array, trafficClass = 0, flowLabel = 0): Uint8Array {
  const b = new Uint8Array(40 + payload.length);
  b[0] = 0x60 | (trafficClass >>> 4);
  b[1] = ((trafficClass & 0x0f) << 4) | ((flowLabel >>> 16) & 0x0f);
  b[2] = (flowLabel >>> 8) & 0xff;
  b[3] = flowLabel & 0xff;
  b[4] = payload.length >>> 8;
  b[5] = payload.length & 0xff;
  b[6] = nextHeader;
  b[7] = hopLimit;
  b.set(src.subarray(0, 16), 8);
  b.set(dst.subarray(0, 16), 24);
  b.set(payload, 40);
  return b;
}

/**
 * Fills the ICMPv6 checksum (bytes 2-3 of the message at msgOff) of an IPv6 packet built by
 * ipv6Packet; msgOff is past any extension headers.
 */
export function setIcmpv6Checksum(pkt: Uint8Array, msgOff: number): void {
  const len = pkt.length - msgOff;
  pkt[msgOff + 2] = 0;
  pkt[msgOff + 3] = 0;
  const acc = sum16(pkt, 8, 32) + Math.floor(len / 0x10000) + (len & 0xffff) + 58;
  const c = ~foldSum(sum16(pkt, msgOff, len, acc)) & 0xffff;
  pkt[msgOff + 2] = c >>> 8;
  pkt[msgOff + 3] = c & 0xff;
}

