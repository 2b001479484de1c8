/**
 * 802.1Q / 802.1ad tags. In a frame the tag sits where the ethertype was: TPID (0x8100 or
 * 0x88a8) in the ethertype slot, then TCI, then the inner ethertype. The view covers the
 * 4 bytes after the TPID (TCI + inner type), i.e. it starts at the outer payload offset.
 */
import { ETH_HLEN, ETHERTYPE_QINQ, ETHERTYPE_VLAN } from './ethernet.ts';

export const VLAN_HLEN = 4;
export const VLAN_VID_MASK = 0x0fff;

/** TPIDs tcpdump and the kernel treat as VLAN tags (0x9100/0x9200 are pre-standard QinQ). */
export function isVlanTpid(t: number): boolean {
  return t === ETHERTYPE_VLAN || t === ETHERTYPE_QINQ || t === 0x9100 || t === 0x9200;
}

export function makeTci(pcp: number, dei: boolean | number, vid: number): number {
  return ((pcp & 7) << 13) | ((dei ? 1 : 0) << 12) | (vid & VLAN_VID_MASK);
}

export class VlanTag {
  bytes: Uint8Array;
  offset: number;

  constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.offset = offset;
  }

  static parse(bytes: Uint8Array, offset: number, length = bytes.length - offset): VlanTag | null {
    return offset >= 0 && length >= VLAN_HLEN && offset + length <= bytes.length ? new VlanTag(bytes, offset) : null;
  }

  get tci(): number {
    return (this.bytes[this.offset]! << 8) | this.bytes[this.offset + 1]!;
  }
  get pcp(): number {
    return this.bytes[this.offset]! >>> 5;
  }
  get dei(): boolean {
    return (this.bytes[this.offset]! & 0x10) !== 0;
  }
  get vid(): number {
    return this.tci & VLAN_VID_MASK;
  }
  get ethertype(): number {
    return (this.bytes[this.offset + 2]! << 8) | this.bytes[this.offset + 3]!;
  }
  get payloadOffset(): number {
    return this.offset + VLAN_HLEN;
  }
}

/** Returns a new frame with an outermost tag (tpid, tci) inserted after the source MAC. */
export function insertVlanTag(frame: Uint8Array, tci: number, tpid = ETHERTYPE_VLAN): Uint8Array | null {
  if (frame.length < ETH_HLEN) return null;
  const out = new Uint8Array(frame.length + VLAN_HLEN);
  out.set(frame.subarray(0, 12), 0);
  out[12] = tpid >>> 8;
  out[13] = tpid & 0xff;
  out[14] = (tci >>> 8) & 0xff;
  out[15] = tci & 0xff;
  out.set(frame.subarray(12), 16);
  return out;
}

/** Removes the outermost tag; null when the frame is not tagged (or too short). */
export function stripVlanTag(frame: Uint8Array): { frame: Uint8Array; tpid: number; tci: number } | null {
  if (frame.length < ETH_HLEN + VLAN_HLEN) return null;
  const tpid = (frame[12]! << 8) | frame[13]!;
  if (!isVlanTpid(tpid)) return null;
  const tci = (frame[14]! << 8) | frame[15]!;
  const out = new Uint8Array(frame.length - VLAN_HLEN);
  out.set(frame.subarray(0, 12), 0);
  out.set(frame.subarray(16), 12);
  return { frame: out, tpid, tci };
}
