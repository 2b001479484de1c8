/** Ethernet II header view and emitter. */
import { readMac, writeMac, type Mac } from './mac.ts';

export const ETH_HLEN = 14;
export const ETH_ALEN = 6;
/** Minimum frame length without FCS; the kernel pads shorter frames on real NICs only. */
export const ETH_ZLEN = 60;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_LLDP = 0x88cc;
/** Values up to this are an 802.3 length, not a type. */
export const ETHERTYPE_MAX_LENGTH = 1500;

/**
 * A view over an Ethernet header at `offset` in `bytes`. Reusable: call reset() to point it at
 * another frame instead of allocating a new view per packet.
 */
export class EthernetFrame {
  bytes: Uint8Array;
  offset: number;
  /** Length of the frame from offset (header + payload). */
  length: number;

  constructor(bytes: Uint8Array, offset = 0, length = bytes.length - offset) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /** Null when the range cannot hold an Ethernet header. */
  static parse(bytes: Uint8Array, offset = 0, length = bytes.length - offset): EthernetFrame | null {
    const f = new EthernetFrame(bytes, offset, length);
    return f.valid() ? f : null;
  }

  /** Re-targets this view; returns false (view unusable) if the range is too short. */
  reset(bytes: Uint8Array, offset = 0, length = bytes.length - offset): boolean {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this.valid();
  }

  valid(): boolean {
    return this.offset >= 0 && this.length >= ETH_HLEN && this.offset + this.length <= this.bytes.length;
  }

  get dst(): Mac {
    return readMac(this.bytes, this.offset);
  }
  set dst(m: Mac) {
    writeMac(this.bytes, this.offset, m);
  }
  get src(): Mac {
    return readMac(this.bytes, this.offset + 6);
  }
  set src(m: Mac) {
    writeMac(this.bytes, this.offset + 6, m);
  }
  get ethertype(): number {
    return (this.bytes[this.offset + 12]! << 8) | this.bytes[this.offset + 13]!;
  }
  set ethertype(t: number) {
    this.bytes[this.offset + 12] = t >>> 8;
    this.bytes[this.offset + 13] = t & 0xff;
  }
  get payloadOffset(): number {
    return this.offset + ETH_HLEN;
  }
  get payloadLength(): number {
    return this.length - ETH_HLEN;
  }
}

/** Writes a 14-byte header at `off`; returns the payload offset. buf must have room. */
export function emitEthernet(buf: Uint8Array, off: number, dst: Mac, src: Mac, ethertype: number): number {
  writeMac(buf, off, dst);
  writeMac(buf, off + 6, src);
  buf[off + 12] = ethertype >>> 8;
  buf[off + 13] = ethertype & 0xff;
  return off + ETH_HLEN;
}

/** Allocates a frame of header + payload, with the payload copied in. */
export function buildEthernetFrame(dst: Mac, src: Mac, ethertype: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(ETH_HLEN + payload.length);
  emitEthernet(f, 0, dst, src, ethertype);
  f.set(payload, ETH_HLEN);
  return f;
}
