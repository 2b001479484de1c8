/** ICMPv4 view and emitters. */
import { internetChecksum, verifyChecksum } from './checksum.ts';

export const ICMP_HLEN = 8;
export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;

export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_NET_UNKNOWN = 6;
export const ICMP_PKT_FILTERED = 13;
export const ICMP_EXC_TTL = 0;
export const ICMP_EXC_FRAGTIME = 1;

/**
 * Linux icmp_send() quotes as much of the offending datagram as fits in a 576-byte reply:
 * 576 - 20 (outer IP) - 8 (ICMP) = 548 bytes. RFC 792's minimum is the IP header + 8 bytes.
 */
export const LINUX_ICMP_QUOTE_MAX = 548;

export class IcmpPacket {
  bytes: Uint8Array;
  offset: number;
  length: number;

  constructor(bytes: Uint8Array, offset = 0, length = bytes.length - offset) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  static parse(bytes: Uint8Array, offset = 0, length = bytes.length - offset): IcmpPacket | null {
    if (offset < 0 || length < ICMP_HLEN || offset + length > bytes.length) return null;
    return new IcmpPacket(bytes, offset, length);
  }

  private u16(o: number): number {
    return (this.bytes[this.offset + o]! << 8) | this.bytes[this.offset + o + 1]!;
  }
  get type(): number {
    return this.bytes[this.offset]!;
  }
  get code(): number {
    return this.bytes[this.offset + 1]!;
  }
  get checksum(): number {
    return this.u16(2);
  }
  /** Echo identifier (bytes 4-5). */
  get ident(): number {
    return this.u16(4);
  }
  /** Echo sequence number (bytes 6-7). */
  get seq(): number {
    return this.u16(6);
  }
  /** Next-hop MTU of a fragmentation-needed error (bytes 6-7). */
  get nextHopMtu(): number {
    return this.u16(6);
  }
  /** The 32-bit "rest of header" word (gateway of a redirect, pointer of a param problem). */
  get restOfHeader(): number {
    return ((this.bytes[this.offset + 4]! << 24) | (this.u16(5) << 8) | this.bytes[this.offset + 7]!) >>> 0;
  }
  get payloadOffset(): number {
    return this.offset + ICMP_HLEN;
  }
  get payloadLength(): number {
    return this.length - ICMP_HLEN;
  }
  get isError(): boolean {
    const t = this.type;
    return t === ICMP_DEST_UNREACH || t === ICMP_TIME_EXCEEDED || t === ICMP_PARAMETERPROB || t === ICMP_REDIRECT || t === 4;
  }
  verifyChecksum(): boolean {
    return verifyChecksum(this.bytes, this.offset, this.length);
  }
}

function setChecksum(buf: Uint8Array, off: number, len: number): void {
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  const c = internetChecksum(buf, off, len);
  buf[off + 2] = c >>> 8;
  buf[off + 3] = c & 0xff;
}

function header(buf: Uint8Array, off: number, type: number, code: number, rest: number): void {
  buf[off] = type;
  buf[off + 1] = code;
  buf[off + 4] = rest >>> 24;
  buf[off + 5] = (rest >>> 16) & 0xff;
  buf[off + 6] = (rest >>> 8) & 0xff;
  buf[off + 7] = rest & 0xff;
}

export interface IcmpEchoRepr {
  /** ICMP_ECHO (8) or ICMP_ECHOREPLY (0). */
  type: number;
  ident: number;
  seq: number;
  payload: Uint8Array;
}

/** Writes an echo request/reply with checksum; returns the offset after it. */
export function emitIcmpEcho(buf: Uint8Array, off: number, r: IcmpEchoRepr): number {
  header(buf, off, r.type, 0, (((r.ident & 0xffff) << 16) | (r.seq & 0xffff)) >>> 0);
  buf.set(r.payload, off + ICMP_HLEN);
  const len = ICMP_HLEN + r.payload.length;
  setChecksum(buf, off, len);
  return off + len;
}

/** How many bytes of an offending datagram an error quotes (original IP packet length given). */
export function icmpQuoteLength(originalLength: number, maxQuote = LINUX_ICMP_QUOTE_MAX): number {
  return Math.max(0, Math.min(originalLength, maxQuote));
}

/**
 * Writes an error message (destination unreachable, time exceeded, parameter problem...)
 * quoting `original` (the offending IP packet, starting at its IP header) up to maxQuote
 * bytes. `rest` is the 32-bit word after the checksum: next-hop MTU for frag-needed (in the
 * low 16 bits), pointer << 24 for parameter problem, 0 otherwise. Returns the end offset.
 */
export function emitIcmpError(
  buf: Uint8Array,
  off: number,
  type: number,
  code: number,
  original: Uint8Array,
  rest = 0,
  maxQuote = LINUX_ICMP_QUOTE_MAX,
): number {
  const q = icmpQuoteLength(original.length, maxQuote);
  header(buf, off, type, code, rest >>> 0);
  buf.set(original.subarray(0, q), off + ICMP_HLEN);
  const len = ICMP_HLEN + q;
  setChecksum(buf, off, len);
  return off + len;
}
