/** IPv4 header view, emitter and forwarding helpers. */
import { internetChecksum, verifyChecksum } from './checksum.ts';
import { readIpv4, writeIpv4, type Ipv4 } from './ipv4addr.ts';

export const IPV4_HLEN = 20;
export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_GRE = 47;
export const IPPROTO_ICMPV6 = 58;

export const IP_RF = 0x8000;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFMASK = 0x1fff;

export class Ipv4Packet {
  bytes: Uint8Array;
  offset: number;
  /** Bytes available from offset (may exceed totalLength: link padding). */
  length: number;

  constructor(bytes: Uint8Array, offset = 0, length = bytes.length - offset) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /**
   * Null unless version is 4, IHL >= 5 and the whole header (with options) is present.
   * totalLength is not checked against `length`: see check() for the kernel's rules.
   */
  static parse(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Ipv4Packet | null {
    if (offset < 0 || length < IPV4_HLEN || offset + length > bytes.length) return null;
    const p = new Ipv4Packet(bytes, offset, length);
    if (p.version !== 4 || p.ihl < 5 || p.headerLength > length) return null;
    return p;
  }

  /** The kernel's ip_rcv_core() checks: null when acceptable, else why not. */
  check(): 'bad-length' | 'bad-checksum' | null {
    const tl = this.totalLength;
    if (tl < this.headerLength || tl > this.length) return 'bad-length';
    if (!this.verifyChecksum()) return 'bad-checksum';
    return null;
  }

  private u16(o: number): number {
    return (this.bytes[this.offset + o]! << 8) | this.bytes[this.offset + o + 1]!;
  }
  get version(): number {
    return this.bytes[this.offset]! >>> 4;
  }
  get ihl(): number {
    return this.bytes[this.offset]! & 0x0f;
  }
  get headerLength(): number {
    return this.ihl * 4;
  }
  get tos(): number {
    return this.bytes[this.offset + 1]!;
  }
  get totalLength(): number {
    return this.u16(2);
  }
  get ident(): number {
    return this.u16(4);
  }
  /** The 16-bit flags+fragment-offset word. */
  get fragWord(): number {
    return this.u16(6);
  }
  get dontFragment(): boolean {
    return (this.fragWord & IP_DF) !== 0;
  }
  get moreFragments(): boolean {
    return (this.fragWord & IP_MF) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragOffset(): number {
    return (this.fragWord & IP_OFFMASK) * 8;
  }
  get ttl(): number {
    return this.bytes[this.offset + 8]!;
  }
  get protocol(): number {
    return this.bytes[this.offset + 9]!;
  }
  get checksum(): number {
    return this.u16(10);
  }
  get src(): Ipv4 {
    return readIpv4(this.bytes, this.offset + 12);
  }
  get dst(): Ipv4 {
    return readIpv4(this.bytes, this.offset + 16);
  }
  get payloadOffset(): number {
    return this.offset + this.headerLength;
  }
  /** Payload bytes per totalLength, clipped to what is present. */
  get payloadLength(): number {
    return Math.max(0, Math.min(this.totalLength, this.length) - this.headerLength);
  }
  verifyChecksum(): boolean {
    return verifyChecksum(this.bytes, this.offset, this.headerLength);
  }
}

export interface Ipv4Repr {
  src: Ipv4;
  dst: Ipv4;
  protocol: number;
  /** Bytes after the 20-byte header. */
  payloadLength: number;
  ttl?: number;
  tos?: number;
  ident?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** In bytes; must be a multiple of 8. */
  fragOffset?: number;
}

/** Writes a 20-byte header (no options) with its checksum; returns the payload offset. */
export function emitIpv4(buf: Uint8Array, off: number, r: Ipv4Repr): number {
  const total = IPV4_HLEN + r.payloadLength;
  const frag = (r.dontFragment ? IP_DF : 0) | (r.moreFragments ? IP_MF : 0) | (((r.fragOffset ?? 0) >>> 3) & IP_OFFMASK);
  const id = r.ident ?? 0;
  buf[off] = 0x45;
  buf[off + 1] = r.tos ?? 0;
  buf[off + 2] = (total >>> 8) & 0xff;
  buf[off + 3] = total & 0xff;
  buf[off + 4] = (id >>> 8) & 0xff;
  buf[off + 5] = id & 0xff;
  buf[off + 6] = frag >>> 8;
  buf[off + 7] = frag & 0xff;
  buf[off + 8] = r.ttl ?? 64;
  buf[off + 9] = r.protocol;
  buf[off + 10] = 0;
  buf[off + 11] = 0;
  writeIpv4(buf, off + 12, r.src);
  writeIpv4(buf, off + 16, r.dst);
  setIpv4Checksum(buf, off);
  return off + IPV4_HLEN;
}

/** Recomputes the header checksum in place (header length from IHL). */
export function setIpv4Checksum(buf: Uint8Array, off: number): void {
  buf[off + 10] = 0;
  buf[off + 11] = 0;
  const c = internetChecksum(buf, off, (buf[off]! & 0x0f) * 4);
  buf[off + 10] = c >>> 8;
  buf[off + 11] = c & 0xff;
}

/**
 * Forwarding's TTL decrement with the kernel's incremental checksum update
 * (include/net/ip.h ip_decrease_ttl): add 0x0100 with end-around carry. Returns the new TTL;
 * does nothing and returns 0 if the TTL is already 0.
 */
export function decrementTtl(buf: Uint8Array, off: number): number {
  const ttl = buf[off + 8]!;
  if (ttl === 0) return 0;
  buf[off + 8] = ttl - 1;
  const check = ((buf[off + 10]! << 8) | buf[off + 11]!) + 0x0100;
  const c = (check + (check >= 0xffff ? 1 : 0)) & 0xffff;
  buf[off + 10] = c >>> 8;
  buf[off + 11] = c & 0xff;
  return ttl - 1;
}
