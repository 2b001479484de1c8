/** ARP (RFC 826) view and emitter. Ethernet/IPv4 is the only pairing the repr covers. */
import { ETHERTYPE_IPV4 } from './ethernet.ts';
import { readIpv4, writeIpv4, type Ipv4 } from './ipv4addr.ts';
import { readMac, writeMac, type Mac } from './mac.ts';

export const ARP_HDR_FIXED = 8;
/** Ethernet/IPv4 ARP packet length. */
export const ARP_ETH_IPV4_LEN = 28;
export const ARPHRD_ETHER = 1;
export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;

export class ArpPacket {
  bytes: Uint8Array;
  offset: number;
  length: number;

  constructor(bytes: Uint8Array, offset = 0, length = bytes.length - offset) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /** Null unless the fixed header and all four addresses fit. */
  static parse(bytes: Uint8Array, offset = 0, length = bytes.length - offset): ArpPacket | null {
    if (offset < 0 || length < ARP_HDR_FIXED || offset + length > bytes.length) return null;
    const p = new ArpPacket(bytes, offset, length);
    return length >= p.totalLength ? p : null;
  }

  private u16(o: number): number {
    return (this.bytes[this.offset + o]! << 8) | this.bytes[this.offset + o + 1]!;
  }
  get htype(): number {
    return this.u16(0);
  }
  get ptype(): number {
    return this.u16(2);
  }
  get hlen(): number {
    return this.bytes[this.offset + 4]!;
  }
  get plen(): number {
    return this.bytes[this.offset + 5]!;
  }
  get oper(): number {
    return this.u16(6);
  }
  /** Bytes covered by header and addresses. */
  get totalLength(): number {
    return ARP_HDR_FIXED + 2 * (this.hlen + this.plen);
  }
  get shaOffset(): number {
    return this.offset + 8;
  }
  get spaOffset(): number {
    return this.shaOffset + this.hlen;
  }
  get thaOffset(): number {
    return this.spaOffset + this.plen;
  }
  get tpaOffset(): number {
    return this.thaOffset + this.hlen;
  }
  /** True for the Ethernet/IPv4 shape (htype 1, ptype 0x0800, hlen 6, plen 4). */
  get isEthernetIpv4(): boolean {
    return this.htype === ARPHRD_ETHER && this.ptype === ETHERTYPE_IPV4 && this.hlen === 6 && this.plen === 4;
  }
  /** The address getters assume isEthernetIpv4. */
  get sha(): Mac {
    return readMac(this.bytes, this.shaOffset);
  }
  get spa(): Ipv4 {
    return readIpv4(this.bytes, this.spaOffset);
  }
  get tha(): Mac {
    return readMac(this.bytes, this.thaOffset);
  }
  get tpa(): Ipv4 {
    return readIpv4(this.bytes, this.tpaOffset);
  }

  /** Null unless Ethernet/IPv4. */
  repr(): ArpRepr | null {
    if (!this.isEthernetIpv4) return null;
    return { oper: this.oper, sha: this.sha, spa: this.spa, tha: this.tha, tpa: this.tpa };
  }
}

export interface ArpRepr {
  oper: number;
  sha: Mac;
  spa: Ipv4;
  tha: Mac;
  tpa: Ipv4;
}

/** Writes a 28-byte Ethernet/IPv4 ARP packet at `off`; returns the offset after it. */
export function emitArp(buf: Uint8Array, off: number, r: ArpRepr): number {
  buf[off] = 0;
  buf[off + 1] = ARPHRD_ETHER;
  buf[off + 2] = ETHERTYPE_IPV4 >>> 8;
  buf[off + 3] = ETHERTYPE_IPV4 & 0xff;
  buf[off + 4] = 6;
  buf[off + 5] = 4;
  buf[off + 6] = r.oper >>> 8;
  buf[off + 7] = r.oper & 0xff;
  writeMac(buf, off + 8, r.sha);
  writeIpv4(buf, off + 14, r.spa);
  writeMac(buf, off + 18, r.tha);
  writeIpv4(buf, off + 24, r.tpa);
  return off + ARP_ETH_IPV4_LEN;
}
