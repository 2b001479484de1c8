/**
 * IPv4 addresses as uint32 numbers (always >>> 0, so they compare with === and sort as numbers).
 */

export type Ipv4 = number;

export function readIpv4(bytes: Uint8Array, off: number): Ipv4 {
  return ((bytes[off]! << 24) | (bytes[off + 1]! << 16) | (bytes[off + 2]! << 8) | bytes[off + 3]!) >>> 0;
}

export function writeIpv4(bytes: Uint8Array, off: number, a: Ipv4): void {
  bytes[off] = a >>> 24;
  bytes[off + 1] = (a >>> 16) & 0xff;
  bytes[off + 2] = (a >>> 8) & 0xff;
  bytes[off + 3] = a & 0xff;
}

export function formatIpv4(a: Ipv4): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

/**
 * Strict dotted quad, as glibc inet_pton(AF_INET): exactly four decimal parts 0..255, no
 * leading zeros ("01" is rejected, "0" is fine), nothing else.
 */
export function parseIpv4(s: string): Ipv4 | null {
  if (!/^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/.test(s)) return null;
  let a = 0;
  for (const p of s.split('.')) {
    const n = +p;
    if (n > 255) return null;
    a = a * 256 + n;
  }
  return a;
}

/** Network mask for a prefix length 0..32. */
export function prefixMask(plen: number): Ipv4 {
  return plen <= 0 ? 0 : plen >= 32 ? 0xffffffff : (0xffffffff << (32 - plen)) >>> 0;
}

export function networkOf(a: Ipv4, plen: number): Ipv4 {
  return (a & prefixMask(plen)) >>> 0;
}

export function broadcastOf(a: Ipv4, plen: number): Ipv4 {
  return (a | ~prefixMask(plen)) >>> 0;
}

export function inPrefix(a: Ipv4, net: Ipv4, plen: number): boolean {
  const m = prefixMask(plen);
  return ((a & m) >>> 0) === ((net & m) >>> 0);
}

/** Prefix length of a contiguous mask, or -1 (iproute2 mask2bits()). */
export function maskToPrefix(mask: Ipv4): number {
  const host = ~mask >>> 0;
  if ((host & (host + 1)) !== 0) return -1;
  let bits = 0;
  for (let m = mask >>> 0; m; m = (m << 1) >>> 0) bits++;
  return bits;
}

export function isIpv4Multicast(a: Ipv4): boolean {
  return a >>> 28 === 0xe;
}

/**
 * C strtoul(s, &end, 0): leading blanks, optional sign, 0x-hex / 0-octal / decimal. Returns the
 * value (Infinity when it would not fit an unsigned long, or is a non-zero negative, which C
 * wraps to a huge number) and how many characters were consumed; null when nothing converts.
 */
export function strtoul0(s: string): { value: number; consumed: number } | null {
  const m = /^([ \t\n\v\f\r]*)([+-]?)(?:(0[xX])([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))/.exec(s);
  if (!m) return null;
  let value: number;
  if (m[3]) value = parseInt(m[4]!, 16);
  else if (m[5] !== undefined) value = parseInt(m[5], 8);
  else value = parseInt(m[6]!, 10);
  if (m[2] === '-' && value !== 0) value = Infinity;
  if (value > 0xffff_ffff_ffff_ffff) value = Infinity;
  return { value, consumed: m[0].length };
}

/**
 * iproute2 get_addr_ipv4(): one to four parts, each strtoul(.., 0) <= 255 (so "10" is
 * 10.0.0.0, "10.1" is 10.1.0.0, "0x0a.010.0.1" is 10.8.0.1). Missing parts are zero.
 */
export function iproute2Ipv4(s: string): Ipv4 | null {
  const parts = [0, 0, 0, 0];
  let rest = s;
  for (let i = 0; i < 4; i++) {
    const r = strtoul0(rest);
    if (r === null || r.value > 255) return null;
    parts[i] = r.value;
    rest = rest.slice(r.consumed);
    if (rest === '') break;
    if (i === 3 || rest[0] !== '.') return null;
    rest = rest.slice(1);
  }
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** iproute2 get_unsigned(): the whole string must convert and fit in 32 bits. */
function getUnsigned(s: string): number | null {
  if (s === '') return null;
  const r = strtoul0(s);
  if (r === null || r.consumed !== s.length || r.value > 0xffffffff) return null;
  return r.value;
}

/** An IPv4 prefix as iproute2's get_prefix_1(.., AF_INET) understands it. */
export interface Iproute2Prefix {
  addr: Ipv4;
  plen: number;
  /** A '/' was given (or the keyword `default`, which iproute2 also flags so). */
  plenSpecified: boolean;
  /** `default`, `any` or `all`: iproute2's bitlen -2 marker (plen becomes 0). */
  keyword: 'default' | 'any' | 'all' | null;
}

/**
 * iproute2 get_prefix_1(arg, AF_INET): `A`, `A/P`, `A/MASK` (dotted contiguous mask) and the
 * keywords default/any/all (which take no '/'). Returns null where iproute2 fails; callers
 * print `Error: inet prefix is expected rather than "ARG".` (or "any valid" for AF_UNSPEC).
 * Addresses containing ':' are IPv6 and are not handled here (null).
 */
export function parseIproute2Prefix(arg: string): Iproute2Prefix | null {
  const slash = arg.indexOf('/');
  const addrPart = slash >= 0 ? arg.slice(0, slash) : arg;
  const keyword = addrPart === 'default' || addrPart === 'any' || addrPart === 'all' ? addrPart : null;
  let addr = 0;
  if (keyword === null) {
    if (addrPart.includes(':')) return null;
    const a = iproute2Ipv4(addrPart);
    if (a === null) return null;
    addr = a;
  }
  if (slash < 0) return { addr, plen: keyword ? 0 : 32, plenSpecified: keyword === 'default', keyword };
  if (keyword) return null;
  const plen = iproute2Netmask(arg.slice(slash + 1));
  if (plen === null || plen > 32) return null;
  return { addr, plen, plenSpecified: true, keyword: null };
}

/** iproute2 get_netmask(): a number (strtoul base 0), else a dotted contiguous mask. */
function iproute2Netmask(s: string): number | null {
  const n = getUnsigned(s);
  if (n !== null) return n;
  // get_addr_1 also takes the keywords here; they leave the address zero, i.e. mask /0.
  if (s === 'default' || s === 'any' || s === 'all') return 0;
  if (s.includes(':')) return null;
  const m = iproute2Ipv4(s);
  if (m === null) return null;
  const b = maskToPrefix(m);
  return b >= 0 ? b : null;
}
