/** UDP header view and emitter, with the IPv4 pseudo-header checksum. */
import { foldSum, sum16, sum32 } from './checksum.ts';
import type { Ipv4 } from './ipv4addr.ts';

export const UDP_HLEN = 8;
export const IPPROTO_UDP_NUM = 17;

export class UdpPacket {
  bytes: Uint8Array;
  offset: number;
  length: number;

  constructor(bytes: Uint8Array, offset = 0, length = bytes.length - offset) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /** Null unless the 8-byte header fits. The length field is not trusted (see check()). */
  static parse(bytes: Uint8Array, offset = 0, length = bytes.length - offset): UdpPacket | null {
    if (offset < 0 || length < UDP_HLEN || offset + length > bytes.length) return null;
    return new UdpPacket(bytes, offset, length);
  }

  private u16(o: number): number {
    return (this.bytes[this.offset + o]! << 8) | this.bytes[this.offset + o + 1]!;
  }
  get srcPort(): number {
    return this.u16(0);
  }
  get dstPort(): number {
    return this.u16(2);
  }
  /** The header's length field (header + payload). */
  get udpLength(): number {
    return this.u16(4);
  }
  get checksum(): number {
    return this.u16(6);
  }
  get payloadOffset(): number {
    return this.offset + UDP_HLEN;
  }
  /** Payload length per the length field, clipped to available bytes. */
  get payloadLength(): number {
    return Math.max(0, Math.min(this.udpLength, this.length) - UDP_HLEN);
  }
  /** Null when the length field is consistent (8 <= len <= available). */
  check(): 'bad-length' | null {
    const l = this.udpLength;
    return l < UDP_HLEN || l > this.length ? 'bad-length' : null;
  }
  /** A zero checksum means "none" over IPv4 and verifies. */
  verifyChecksum(src: Ipv4, dst: Ipv4): boolean {
    if (this.checksum === 0) return true;
    const len = this.udpLength;
    if (len < UDP_HLEN || len > this.length) return false;
    return foldSum(sum16(this.bytes, this.offset, len, pseudoSum(src, dst, len))) === 0xffff;
  }
}

function pseudoSum(src: Ipv4, dst: Ipv4, len: number): number {
  return sum32(dst, sum32(src, IPPROTO_UDP_NUM + len));
}

/**
 * Checksum over pseudo-header + UDP header + payload at buf[off, off+len) (the checksum field
 * must be zero while computing). A result of 0 is sent as 0xffff (RFC 768).
 */
export function udpChecksum(src: Ipv4, dst: Ipv4, buf: Uint8Array, off: number, len: number): number {
  const c = ~foldSum(sum16(buf, off, len, pseudoSum(src, dst, len))) & 0xffff;
  return c === 0 ? 0xffff : c;
}

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  payloadLength: number;
}

/**
 * Writes the 8-byte header at `off`; the payload must already be at off+8. With addresses the
 * checksum is computed, without them it is left 0 ("no checksum", legal over IPv4).
 * Returns the payload offset.
 */
export function emitUdp(buf: Uint8Array, off: number, r: UdpRepr, src?: Ipv4, dst?: Ipv4): number {
  const len = UDP_HLEN + r.payloadLength;
  buf[off] = r.srcPort >>> 8;
  buf[off + 1] = r.srcPort & 0xff;
  buf[off + 2] = r.dstPort >>> 8;
  buf[off + 3] = r.dstPort & 0xff;
  buf[off + 4] = (len >>> 8) & 0xff;
  buf[off + 5] = len & 0xff;
  buf[off + 6] = 0;
  buf[off + 7] = 0;
  if (src !== undefined && dst !== undefined) {
    const c = udpChecksum(src, dst, buf, off, len);
    buf[off + 6] = c >>> 8;
    buf[off + 7] = c & 0xff;
  }
  return off + UDP_HLEN;
}
