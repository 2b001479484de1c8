/**
 * Shared pieces of the `ip` tool: argument cursor, iproute2's keyword and number parsing rules
 * (matches(), strtol/strtoul with base 0), its fatal-error helpers (invarg, duparg, …) and the
 * address parsers/formatters. Every fatal path throws IpExit, which the entry point turns into
 * the exit status iproute2 would give (exit(-1) → 255).
 */
import type { NetNamespace } from '../../core/netns.ts';
import type { NetDevice } from '../../core/netdev.ts';
import { strerror, type NlError } from '../../core/errno.ts';

/** Thrown to stop the command with an exit status (the C code's exit()/return paths). */
export class IpExit {
  constructor(readonly code: number) {}
}

export interface Out {
  out(text: string): void;
  err(text: string): void;
}

/** A cursor over argv that mirrors NEXT_ARG / NEXT_ARG_OK / PREV_ARG. */
export class Args {
  i = 0;
  constructor(readonly v: readonly string[], readonly io: Out) {}
  get more(): boolean { return this.i < this.v.length; }
  get cur(): string { return this.v[this.i]!; }
  get left(): number { return this.v.length - this.i; }
  /** NEXT_ARG: the next word, or "Command line is not complete" (exit 255). */
  next(): string {
    this.i++;
    if (this.i >= this.v.length) incomplete(this.io);
    return this.v[this.i]!;
  }
  nextOk(): boolean { return this.left - 1 > 0; }
  step(): void { this.i++; }
  rest(): string[] { return this.v.slice(this.i); }
}

/** iproute2 matches(): true when `prefix` is a (possibly empty) prefix of `word`. */
export function matches(prefix: string, word: string): boolean {
  return word.startsWith(prefix);
}

export function incomplete(io: Out): never {
  io.err('Command line is not complete. Try option "help"\n');
  throw new IpExit(255);
}
export function invarg(io: Out, msg: string, arg: string): never {
  io.err(`Error: argument "${arg}" is wrong: ${msg}\n`);
  throw new IpExit(255);
}
export function duparg(io: Out, key: string, arg: string): never {
  io.err(`Error: duplicate "${key}": "${arg}" is the second value.\n`);
  throw new IpExit(255);
}
export function duparg2(io: Out, key: string, arg: string): never {
  io.err(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`);
  throw new IpExit(255);
}
export function missarg(io: Out, key: string): never {
  io.err(`Error: argument "${key}" is required\n`);
  throw new IpExit(255);
}
/** nodev(): prints and returns -1 → exit 1. */
export function nodev(io: Out, dev: string): never {
  io.err(`Cannot find device "${dev}"\n`);
  throw new IpExit(1);
}
export function fail(io: Out, text: string, code: number): never {
  io.err(text);
  throw new IpExit(code);
}

/** How rtnl_talk reports a kernel error: extack text when there is one (libmnl build). */
export function kernelError(io: Out, e: NlError): string {
  let text: string;
  if (e.extack) {
    const m = e.extack;
    text = `Error: ${m}${m.endsWith('.') ? '' : '.'}\n`;
  } else {
    text = `RTNETLINK answers: ${strerror(e.errno)}\n`;
  }
  io.err(text);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Numbers: strtol/strtoul(arg, &end, base) semantics, with BigInt so huge inputs behave.

interface StrtoResult { value: bigint; neg: boolean; end: number; digits: boolean }

function strto(s: string, base: number): StrtoResult {
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i]!)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  let b = base;
  if ((b === 0 || b === 16) && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') &&
    /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    i += 2; b = 16;
  } else if (b === 0) {
    b = s[i] === '0' ? 8 : 10;
  }
  let v = 0n;
  const start = i;
  for (; i < s.length; i++) {
    const d = digitVal(s[i]!);
    if (d < 0 || d >= b) break;
    v = v * BigInt(b) + BigInt(d);
  }
  const digits = i > start;
  return { value: v, neg, end: digits ? i : 0, digits };
}

function digitVal(c: string): number {
  const x = c.charCodeAt(0);
  if (x >= 48 && x <= 57) return x - 48;
  if (x >= 97 && x <= 122) return x - 87;
  if (x >= 65 && x <= 90) return x - 55;
  return -1;
}

const LONG_MAX = (1n << 63n) - 1n;
const ULONG_MAX = (1n << 64n) - 1n;

/** strtoul: the value as C sees it (negation wraps, overflow saturates with ERANGE). */
function strtoul(s: string, base: number): { v: bigint; ok: boolean; erange: boolean } {
  const r = strto(s, base);
  if (!r.digits || r.end !== s.length) return { v: 0n, ok: false, erange: false };
  if (r.value > ULONG_MAX) return { v: ULONG_MAX, ok: true, erange: true };
  const v = r.neg ? (r.value === 0n ? 0n : (ULONG_MAX + 1n - r.value)) : r.value;
  return { v, ok: true, erange: false };
}

/** get_integer (strtol, int range). */
export function getInteger(s: string, base = 0): number | null {
  if (!s) return null;
  const r = strto(s, base);
  if (!r.digits || r.end !== s.length) return null;
  const v = r.neg ? -r.value : r.value;
  if (v > LONG_MAX || v < -LONG_MAX - 1n) return null;
  if (v < -2147483648n || v > 2147483647n) return null;
  return Number(v);
}

function getUnsignedMax(s: string, max: bigint, base = 0): number | null {
  if (!s) return null;
  const r = strtoul(s, base);
  if (!r.ok) return null;
  if (r.erange) return null;
  if (r.v > max) return null;
  return Number(r.v);
}

export const getUnsigned = (s: string, base = 0): number | null => getUnsignedMax(s, 0xffffffffn, base);
export const getU32 = getUnsigned;
export const getU16 = (s: string, base = 0): number | null => getUnsignedMax(s, 0xffffn, base);
export const getU8 = (s: string, base = 0): number | null => getUnsignedMax(s, 0xffn, base);
export function getU64(s: string, base = 0): bigint | null {
  if (!s) return null;
  const r = strtoul(s, base);
  if (!r.ok || r.erange) return null;
  return r.v;
}

/** atoi: leading digits, 0 when none. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = parseInt(m[1]!, 10);
  return Number.isFinite(n) ? (n | 0) : 0;
}

/** strtoul with the "whole string, at most `max`" rule of the rt_names a2n helpers. */
export function strtoulMax(s: string, max: number): number | null {
  const r = strtoul(s, 0);
  if (!r.ok || r.v > BigInt(max)) return null;
  return Number(r.v);
}

// ---------------------------------------------------------------------------------------------
// Names (dev_valid_name as iproute2 mimics it).

export function checkIfname(name: string): boolean {
  if (utf8Len(name) >= 16) return false;
  return checkAltIfname(name);
}
export function checkAltIfname(name: string): boolean {
  if (name === '') return false;
  for (const ch of name) if (ch === '/' || ' \t\n\v\f\r'.includes(ch)) return false;
  return true;
}
export function utf8Len(s: string): number { return new TextEncoder().encode(s).length; }

// ---------------------------------------------------------------------------------------------
// Link-layer addresses (ll_addr_a2n / ll_addr_n2a).

/** ll_addr_a2n: returns the bytes, or prints "is invalid lladdr" and returns null. */
export function llAddrA2n(io: Out, arg: string, maxLen = 32): Uint8Array | null {
  if (arg.includes('.')) {
    const a = parseIpv4(arg);
    if (a === null) { io.err(`"${arg}" is invalid lladdr.\n`); return null; }
    if (maxLen < 4) return null;
    return new Uint8Array([(a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255]);
  }
  const out: number[] = [];
  let rest = arg;
  for (let i = 0; i < maxLen; i++) {
    const c = rest.indexOf(':');
    const part = c >= 0 ? rest.slice(0, c) : rest;
    const v = scanHex(part);
    if (v === null) { io.err(`"${part}" is invalid lladdr.\n`); return null; }
    if (v < 0 || v > 255) { io.err(`"${part}" is invalid lladdr.\n`); return null; }
    out.push(v);
    if (c < 0) break;
    rest = rest.slice(c + 1);
  }
  return new Uint8Array(out);
}

/** sscanf("%x"): skips spaces, optional sign and 0x, reads hex digits; null if none. */
function scanHex(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(s);
  if (!m) return null;
  let v = parseInt(m[3]!.slice(-9), 16);
  if (m[3]!.length > 8) v = 0xffffffff; // sscanf overflow: out of range either way
  v = v | 0;
  if (m[1] === '-') v = -v | 0;
  return v;
}

export function macStr(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + b[i]!.toString(16).padStart(2, '0');
  return s;
}

// ---------------------------------------------------------------------------------------------
// Internet addresses (get_addr_1 / get_prefix_1 / get_addr / get_prefix).

export const AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10, AF_PACKET = 17, AF_BRIDGE = 7, AF_MPLS = 28;

export interface InetPrefix {
  family: number;
  /** IPv4 as uint32; IPv6 as 16 bytes. */
  v4: number;
  v6: Uint8Array;
  bytelen: number;
  /** -1: no length given (host); -2: "default"/"all"/"any" before prefix handling. */
  bitlen: number;
  prefixSpecified: boolean;
  /** "all"/"any" (bytelen 0). */
  any: boolean;
}

/** get_addr_ipv4: iproute2's own dotted parser (10.8 means 10.8.0.0, numbers via strtoul base 0). */
export function parseIpv4(s: string): number | null {
  const bytes = [0, 0, 0, 0];
  let cp = s;
  for (let i = 0; i < 4; i++) {
    const r = strto(cp, 0);
    if (!r.digits) return null;
    let v: bigint = r.value;
    if (r.neg) v = v === 0n ? 0n : ULONG_MAX + 1n - v;
    if (v > 255n) return null;
    bytes[i] = Number(v);
    const rest = cp.slice(r.end);
    if (rest === '') break;
    if (i === 3 || rest[0] !== '.') return null;
    cp = rest.slice(1);
  }
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/** inet_pton(AF_INET6). */
export function parseIpv6(s: string): Uint8Array | null {
  if (s.length === 0) return null;
  let head: string[] = [], tail: string[] = [];
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return null;
    const a = s.slice(0, dbl), b = s.slice(dbl + 2);
    head = a === '' ? [] : a.split(':');
    tail = b === '' ? [] : b.split(':');
  } else {
    head = s.split(':');
  }
  const words: number[] = [];
  const parseGroup = (g: string, last: boolean): number[] | null => {
    if (last && g.includes('.')) {
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(g)) return null;
      const p = g.split('.').map((x) => parseInt(x, 10));
      if (p.some((x) => x > 255) || g.split('.').some((x) => x.length > 1 && x[0] === '0')) return null;
      return [(p[0]! << 8) | p[1]!, (p[2]! << 8) | p[3]!];
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    return [parseInt(g, 16)];
  };
  const all = [...head, ...tail];
  const hw: number[] = [], tw: number[] = [];
  for (let i = 0; i < head.length; i++) {
    const r = parseGroup(head[i]!, dbl < 0 && i === head.length - 1);
    if (!r) return null;
    hw.push(...r);
  }
  for (let i = 0; i < tail.length; i++) {
    const r = parseGroup(tail[i]!, i === tail.length - 1);
    if (!r) return null;
    tw.push(...r);
  }
  void all;
  if (dbl >= 0) {
    if (hw.length + tw.length > 7) return null;
    words.push(...hw, ...new Array(8 - hw.length - tw.length).fill(0), ...tw);
  } else {
    if (hw.length !== 8) return null;
    words.push(...hw);
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) { out[2 * i] = words[i]! >> 8; out[2 * i + 1] = words[i]! & 255; }
  return out;
}

/** inet_ntop(AF_INET6) with glibc's rules (longest zero run ≥ 2 words, ::ffff:a.b.c.d). */
export function ipv6Str(a: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((a[2 * i]! << 8) | a[2 * i + 1]!);
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  // IPv4-mapped / compatible forms
  if (bestStart === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
    const v4 = `${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
    if (bestLen === 5) return `::ffff:${v4}`;
    if (w[6] !== 0 || w[7]! > 1) return `::${v4}`;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) { s += '::'; i += bestLen - 1; continue; }
    if (s !== '' && !s.endsWith(':')) s += ':';
    s += w[i]!.toString(16);
  }
  return s;
}

export function ipv4Str(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

function emptyPrefix(family: number): InetPrefix {
  return { family, v4: 0, v6: new Uint8Array(16), bytelen: 0, bitlen: 0, prefixSpecified: false, any: false };
}

export function afBitLen(af: number): number {
  return af === AF_INET6 ? 128 : af === AF_INET ? 32 : af === AF_MPLS ? 20 : 0;
}

/** get_addr_1: 0 on success (filled), -1 on failure. */
export function getAddr1(name: string, family: number): InetPrefix | null {
  const p = emptyPrefix(family);
  if (name === 'default') {
    if (family === AF_MPLS) return null;
    p.bytelen = afBitLen(family) / 8;
    p.bitlen = -2;
    p.prefixSpecified = true;
    return p;
  }
  if (name === 'all' || name === 'any') {
    if (family === AF_MPLS) return null;
    p.bytelen = 0; p.bitlen = -2; p.any = true;
    return p;
  }
  if (family === AF_PACKET) return null;
  if (name.includes(':')) {
    p.family = AF_INET6;
    if (family !== AF_UNSPEC && family !== AF_INET6) return null;
    const a = parseIpv6(name);
    if (!a) return null;
    p.v6 = a; p.bytelen = 16; p.bitlen = -1;
    return p;
  }
  if (family === AF_MPLS) return null;
  p.family = AF_INET;
  if (family !== AF_UNSPEC && family !== AF_INET) return null;
  const a = parseIpv4(name);
  if (a === null) return null;
  p.v4 = a; p.bytelen = 4; p.bitlen = -1;
  return p;
}

/** get_prefix_1 */
export function getPrefix1(arg: string, family: number): InetPrefix | null {
  const slash = arg.indexOf('/');
  const dst = getAddr1(slash >= 0 ? arg.slice(0, slash) : arg, family);
  if (!dst) return null;
  let bitlen = afBitLen(dst.family);
  if (slash >= 0) {
    if (dst.bitlen === -2) return null;
    const plen = getNetmask(arg.slice(slash + 1));
    if (plen === null || plen > bitlen) return null;
    dst.prefixSpecified = true;
    bitlen = plen;
  } else if (dst.bitlen === -2) {
    bitlen = 0;
  }
  dst.bitlen = bitlen;
  return dst;
}

function getNetmask(s: string): number | null {
  const u = getUnsigned(s, 0);
  if (u !== null) return u;
  const a = getAddr1(s, AF_INET);
  if (a && a.family === AF_INET) {
    const host = (~a.v4) >>> 0;
    if (((host & (host + 1)) >>> 0) !== 0) return null;
    let bits = 0;
    for (let m = a.v4; m; m = (m << 1) >>> 0) bits++;
    return bits;
  }
  return null;
}

function familyNameVerbose(f: number): string {
  return f === AF_UNSPEC ? 'any valid' : familyName(f);
}

export function familyName(f: number): string {
  switch (f) {
    case AF_INET: return 'inet';
    case AF_INET6: return 'inet6';
    case AF_PACKET: return 'link';
    case AF_MPLS: return 'mpls';
    case AF_BRIDGE: return 'bridge';
    default: return '???';
  }
}

/** get_addr: exits 1 with "Error: … address is expected rather than …". */
export function getAddr(io: Out, arg: string, family: number): InetPrefix {
  const r = getAddr1(arg, family);
  if (!r) fail(io, `Error: ${familyNameVerbose(family)} address is expected rather than "${arg}".\n`, 1);
  return r;
}

/** get_prefix: exits 1 with "Error: … prefix is expected rather than …". */
export function getPrefix(io: Out, arg: string, family: number): InetPrefix {
  if (family === AF_PACKET) {
    fail(io, `Error: "${arg}" may be inet prefix, but it is not allowed in this context.\n`, 1);
  }
  const r = getPrefix1(arg, family);
  if (!r) fail(io, `Error: ${familyNameVerbose(family)} prefix is expected rather than "${arg}".\n`, 1);
  return r;
}

/** read_family */
export function readFamily(name: string): number {
  if (name === 'inet') return AF_INET;
  if (name === 'inet6') return AF_INET6;
  if (name === 'link') return AF_PACKET;
  if (name === 'ipx') return 4;
  if (name === 'dnet') return 12;
  if (name === 'mpls') return AF_MPLS;
  if (name === 'bridge') return AF_BRIDGE;
  return AF_UNSPEC;
}

// ---------------------------------------------------------------------------------------------
// rt_names tables (Debian's /etc/iproute2 defaults).

const RT_PROTOS: Record<number, string> = {
  0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt',
  11: 'zebra', 12: 'bird', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 18: 'keepalived',
  42: 'babel', 99: 'openr', 186: 'bgp', 187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp',
};
const RT_SCOPES: Record<number, string> = { 0: 'global', 255: 'nowhere', 254: 'host', 253: 'link', 200: 'site' };
const RT_TABLES: Record<number, string> = { 255: 'local', 254: 'main', 253: 'default', 0: 'unspec' };

function lookupName(tab: Record<number, string>, arg: string): number | undefined {
  for (const [k, v] of Object.entries(tab)) if (v === arg) return Number(k);
  return undefined;
}

export function rtprotA2n(arg: string): number | null {
  return lookupName(RT_PROTOS, arg) ?? strtoulMax(arg, 255);
}
export function rtprotN2a(id: number): string { return RT_PROTOS[id] ?? String(id); }
export function rtscopeA2n(arg: string): number | null {
  return lookupName(RT_SCOPES, arg) ?? strtoulMax(arg, 255);
}
export function rtscopeN2a(id: number): string { return RT_SCOPES[id] ?? String(id); }
export function rttableA2n(arg: string): number | null {
  return lookupName(RT_TABLES, arg) ?? strtoulMax(arg, 0xffffffff);
}
export function rttableN2a(id: number): string { return RT_TABLES[id] ?? String(id); }
export function groupA2n(arg: string): number | null {
  if (arg === 'default') return 0;
  const r = strto(arg, 0);
  if (!r.digits || r.end !== arg.length) return null;
  const v = r.neg ? -r.value : r.value;
  if (v > 2147483647n || v < -2147483648n) return null;
  return Number(v);
}
export function groupN2a(id: number): string { return id === 0 ? 'default' : String(id); }

// ---------------------------------------------------------------------------------------------
// Device lookup (ll_name_to_index): by name, then altname, then "ifN" style index.

export function devByName(ns: NetNamespace, name: string): NetDevice | undefined {
  const idx = llNameToIndex(ns, name);
  return idx ? ns.byIndex.get(idx) : undefined;
}

/** ll_name_to_index: the index, or 0. "ifN" gives N even when no such device exists. */
export function llNameToIndex(ns: NetNamespace, name: string): number {
  const d = ns.devices.get(name);
  if (d) return d.ifindex;
  for (const x of ns.devices.values()) if (x.altnames.includes(name)) return x.ifindex;
  const m = /^if[ \t]*\+?(\d+)/.exec(name);
  if (m) return Number(BigInt(m[1]!) & 0xffffffffn);
  return 0;
}

/** The devices of a namespace in ifindex order (the order of a link dump). */
export function devicesInOrder(ns: NetNamespace): NetDevice[] {
  return [...ns.byIndex.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}
