/**
 * 48-bit MAC addresses as plain numbers: hi16 * 2^32 + lo32. A double holds 48 bits exactly,
 * so MACs can be compared with ===, used as Map keys and stored without allocation.
 */

import { iproute2Ipv4 } from './ipv4addr.ts';

export type Mac = number;

const TWO32 = 0x1_0000_0000;

export const MAC_BROADCAST: Mac = 0xffff_ffff_ffff;
export const MAC_ZERO: Mac = 0;

export function readMac(bytes: Uint8Array, off: number): Mac {
  const hi = (bytes[off]! << 8) | bytes[off + 1]!;
  const lo = ((bytes[off + 2]! << 24) | (bytes[off + 3]! << 16) | (bytes[off + 4]! << 8) | bytes[off + 5]!) >>> 0;
  return hi * TWO32 + lo;
}

export function writeMac(bytes: Uint8Array, off: number, mac: Mac): void {
  const hi = Math.floor(mac / TWO32);
  const lo = mac >>> 0; // ToUint32 is modulo 2^32, exactly the low word
  bytes[off] = hi >>> 8;
  bytes[off + 1] = hi & 0xff;
  bytes[off + 2] = lo >>> 24;
  bytes[off + 3] = (lo >>> 16) & 0xff;
  bytes[off + 4] = (lo >>> 8) & 0xff;
  bytes[off + 5] = lo & 0xff;
}

export function macFromBytes(b: ArrayLike<number>): Mac {
  return ((b[0]! << 8) | b[1]!) * TWO32 + (((b[2]! << 24) | (b[3]! << 16) | (b[4]! << 8) | b[5]!) >>> 0);
}

export function macToBytes(mac: Mac): Uint8Array {
  const b = new Uint8Array(6);
  writeMac(b, 0, mac);
  return b;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case colon form, as `ip link` and tcpdump print it. */
export function formatMac(mac: Mac): string {
  const hi = Math.floor(mac / TWO32);
  const lo = mac >>> 0;
  return `${HEX[hi >>> 8]}:${HEX[hi & 0xff]}:${HEX[lo >>> 24]}:${HEX[(lo >>> 16) & 0xff]}:${HEX[(lo >>> 8) & 0xff]}:${HEX[lo & 0xff]}`;
}

/** Formats `len` bytes at `off` as colon-separated hex (any link-layer address length). */
export function formatHexColon(bytes: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += (i ? ':' : '') + HEX[bytes[off + i]!];
  return s;
}

/** Strict form: six groups of exactly two hex digits separated by ':' (case-insensitive). */
export function parseMac(s: string): Mac | null {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(s)) return null;
  return parseInt(s.replace(/:/g, ''), 16);
}

/**
 * iproute2's ll_addr_a2n(): what `ip link set dev X address ARG` accepts.
 *
 * Each ':'-separated group goes through sscanf("%x"), so 1-digit groups (`a:b:c:d:e:f`), a
 * leading `0x`, leading blanks, a sign, and trailing junk after the digits (`1g`) are all
 * accepted; the value is truncated to a C int and must land in 0..255. An argument with a '.'
 * is read as an IPv4 address (4 bytes, for IP tunnels). The result is the byte string of
 * whatever length was given; the caller checks it against the device's address length
 * (iproute2 sends it as is and the kernel rejects a short one with EINVAL).
 * `maxLen` is the caller's buffer size (32 for `ip link ... address`).
 */
export function llAddrA2n(arg: string, maxLen = 32): { ok: true; bytes: number[] } | { ok: false; error: string } {
  const invalid = (a: string) => ({ ok: false as const, error: `"${a}" is invalid lladdr.` });
  if (arg.includes('.')) {
    const v = iproute2Ipv4(arg);
    if (v === null) return invalid(arg);
    if (maxLen < 4) return { ok: false, error: '' };
    return { ok: true, bytes: [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff] };
  }
  const out: number[] = [];
  let rest = arg;
  for (let i = 0; i < maxLen; i++) {
    const colon = rest.indexOf(':');
    const group = colon >= 0 ? rest.slice(0, colon) : rest;
    const temp = scanfHexInt(group);
    if (temp === null || temp < 0 || temp > 255) return invalid(group);
    out.push(temp);
    if (colon < 0) break;
    rest = rest.slice(colon + 1);
  }
  return { ok: true, bytes: out };
}

/** glibc sscanf("%x", &int): null when no conversion happens; else the value as a C int. */
function scanfHexInt(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]*)/.exec(s)!;
  let digits = m[3]!;
  if (digits === '') {
    // "0x" with no hex digit after it still converts the leading 0 (glibc behaviour).
    return /^[ \t\n\v\f\r]*[+-]?0[xX]/.test(s) ? 0 : null;
  }
  digits = digits.replace(/^0+/, '');
  let low32: number;
  if (digits.length > 16) low32 = 0xffffffff; // strtoul overflow saturates to ULONG_MAX
  else {
    low32 = digits === '' ? 0 : parseInt(digits.slice(-8), 16);
    if (m[1] === '-') low32 = (0x1_0000_0000 - low32) % 0x1_0000_0000;
  }
  return low32 | 0;
}

export function isBroadcast(mac: Mac): boolean {
  return mac === MAC_BROADCAST;
}

/** I/G bit: least significant bit of the first octet (broadcast is also multicast). */
export function isMulticast(mac: Mac): boolean {
  return (Math.floor(mac / 0x100_0000_0000) & 1) === 1;
}

export function isUnicast(mac: Mac): boolean {
  return !isMulticast(mac);
}

export function isZero(mac: Mac): boolean {
  return mac === 0;
}

/** U/L bit: second least significant bit of the first octet. */
export function isLocallyAdministered(mac: Mac): boolean {
  return (Math.floor(mac / 0x100_0000_0000) & 2) === 2;
}

/** The kernel's is_valid_ether_addr(): not multicast and not all-zero. */
export function isValidUnicast(mac: Mac): boolean {
  return !isMulticast(mac) && mac !== 0;
}
