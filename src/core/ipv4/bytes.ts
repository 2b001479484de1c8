/** Small byte helpers for IPv4/ARP/ICMP headers (the full zero-copy views live in src/wire). */

export function rd16(b: Uint8Array, o: number): number { return (b[o]! << 8) | b[o + 1]!; }
export function rd32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
export function wr16(b: Uint8Array, o: number, v: number): void { b[o] = (v >>> 8) & 0xff; b[o + 1] = v & 0xff; }
export function wr32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff;
}

/** RFC 1071 internet checksum of b[off, off+len). */
export function inetChecksum(b: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i < end) sum += b[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return (~sum) & 0xffff;
}

export function ipStr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

export function parseIp(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const p = m.slice(1).map(Number);
  if (p.some((x) => x > 255)) return null;
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

export const ETH_P_IP = 0x0800, ETH_P_ARP = 0x0806;
export const IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17;

/** Builds Ethernet + IPv4 header in front of `payload`; returns the frame (dst MAC zero for now). */
export function buildIpFrame(src: number, dst: number, proto: number, ttl: number, tos: number, id: number,
  df: boolean, payload: Uint8Array, srcMac: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + 20 + payload.length);
  f.set(srcMac, 6);
  wr16(f, 12, ETH_P_IP);
  const o = 14;
  f[o] = 0x45; f[o + 1] = tos;
  wr16(f, o + 2, 20 + payload.length);
  wr16(f, o + 4, id);
  wr16(f, o + 6, df ? 0x4000 : 0);
  f[o + 8] = ttl; f[o + 9] = proto;
  wr32(f, o + 12, src); wr32(f, o + 16, dst);
  wr16(f, o + 10, inetChecksum(f, o, 20));
  f.set(payload, 34);
  return f;
}
