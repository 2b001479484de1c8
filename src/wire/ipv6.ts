/** Minimal IPv6: header view, address text forms, upper-layer checksum. */
import { foldSum, sum16 } from './checksum.ts';

export const IPV6_HLEN = 40;
export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_ICMPV6_NUM = 58;

export class Ipv6Packet {
  bytes: Uint8Array;
  offset: number;
  length: number;

  constructor(bytes: Uint8Array, offset = 0, length = bytes.length - offset) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  static parse(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Ipv6Packet | null {
    if (offset < 0 || length < IPV6_HLEN || offset + length > bytes.length) return null;
    const p = new Ipv6Packet(bytes, offset, length);
    return p.version === 6 ? p : null;
  }

  get version(): number {
    return this.bytes[this.offset]! >>> 4;
  }
  get trafficClass(): number {
    return ((this.bytes[this.offset]! & 0x0f) << 4) | (this.bytes[this.offset + 1]! >>> 4);
  }
  get flowLabel(): number {
    return ((this.bytes[this.offset + 1]! & 0x0f) << 16) | (this.bytes[this.offset + 2]! << 8) | this.bytes[this.offset + 3]!;
  }
  get payloadLength(): number {
    return (this.bytes[this.offset + 4]! << 8) | this.bytes[this.offset + 5]!;
  }
  get nextHeader(): number {
    return this.bytes[this.offset + 6]!;
  }
  get hopLimit(): number {
    return this.bytes[this.offset + 7]!;
  }
  get srcOffset(): number {
    return this.offset + 8;
  }
  get dstOffset(): number {
    return this.offset + 24;
  }
  get payloadOffset(): number {
    return this.offset + IPV6_HLEN;
  }
}

/**
 * RFC 5952-ish text form exactly as tcpdump's addrtostr6 (and glibc inet_ntop) print it:
 * longest zero run of 2+ words becomes "::" (first one on ties), ::a.b.c.d and
 * ::ffff:a.b.c.d for IPv4-compatible/-mapped addresses.
 */
export function formatIpv6(bytes: Uint8Array, off = 0): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((bytes[off + 2 * i]! << 8) | bytes[off + 2 * i + 1]!);
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase === -1) (curBase = i), (curLen = 1);
      else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) (bestBase = curBase), (bestLen = curLen);
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) (bestBase = curBase), (bestLen = curLen);
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      s += `${bytes[off + 12]}.${bytes[off + 13]}.${bytes[off + 14]}.${bytes[off + 15]}`;
      return s;
    }
    s += w[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

/** inet_pton(AF_INET6): 16 bytes or null. Accepts "::", embedded dotted quad at the end. */
export function parseIpv6(s: string): Uint8Array | null {
  const out = new Uint8Array(16);
  let head = s, tail = '';
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
    if (tail.includes('::') || head.includes('.')) return null;
  }
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes('.')) {
        const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(g);
        if (!m) return null;
        const b = m.slice(1).map(Number);
        if (b.some((x, j) => x > 255 || (m[j + 1]!.length > 1 && m[j + 1]![0] === '0'))) return null;
        words.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        words.push(parseInt(g, 16));
      }
    }
    return words;
  };
  const h = parse(head);
  const t = parse(tail);
  if (!h || !t) return null;
  if (dbl >= 0 ? h.length + t.length > 7 : h.length !== 8) return null;
  const words = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  words.forEach((v, i) => {
    out[2 * i] = v >>> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

/**
 * Upper-layer checksum with the IPv6 pseudo-header (RFC 8200 8.1) over buf[off, off+len):
 * returns ~fold(sum); a packet whose checksum field is included verifies when this is 0.
 */
export function ipv6UpperChecksum(ip: Uint8Array, ipOff: number, nextHeader: number, buf: Uint8Array, off: number, len: number): number {
  let acc = sum16(ip, ipOff + 8, 32);
  acc += Math.floor(len / 0x10000) + (len & 0xffff) + nextHeader;
  return ~foldSum(sum16(buf, off, len, acc)) & 0xffff;
}
