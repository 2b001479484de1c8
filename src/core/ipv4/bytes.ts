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

/**
 * Frames are carved from shared 16 KiB slabs rather than each getting an ArrayBuffer of its own:
 * V8 gives every typed array over 64 bytes a separately allocated, externally tracked backing
 * store, which costs about a microsecond per packet in allocation and garbage collection — more
 * than the rest of an ICMP round trip. A slab is never handed out twice, so a frame's bytes start
 * zeroed exactly as `new Uint8Array(n)`'s do, and the slab is freed once no frame in it is
 * referenced. (No lab state: only where the next frame's bytes come from.) Nothing in vnet reads
 * a frame's `.buffer` as if it were the frame; big frames still get their own buffer.
 */
const SLAB_BYTES = 16384;
const SLAB_MAX_FRAME = 2048;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/** A zero-filled frame buffer of `n` bytes (`new Uint8Array(n)`, cheaper for packet-sized n). */
export function allocFrame(n: number): Uint8Array {
  if (n > SLAB_MAX_FRAME) return new Uint8Array(n);
  if (slabUsed + n > SLAB_BYTES) { slab = new ArrayBuffer(SLAB_BYTES); slabUsed = 0; }
  const f = new Uint8Array(slab, slabUsed, n);
  slabUsed += (n + 7) & ~7;
  return f;
}

/** Builds Ethernet + IPv4 header in front of `payload`; returns the frame (dst MAC zero for now). */
export function buildIpFrame(src: number, dst: number, proto: number, ttl: number, tos: number, id: number,
  df: boolean, payload: Uint8Array, srcMac: Uint8Array): Uint8Array {
  const f = allocFrame(14 + 20 + payload.length);
  f[6] = srcMac[0]!; f[7] = srcMac[1]!; f[8] = srcMac[2]!; f[9] = srcMac[3]!; f[10] = srcMac[4]!; f[11] = srcMac[5]!;
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
