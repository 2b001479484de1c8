/**
 * Printing context modelled on tcpdump's netdissect_options: an output buffer, the packet
 * bytes, a movable end-of-capture ("snapend") and the current protocol name. Reads past
 * snapend throw TRUNC, which the top level turns into tcpdump's " [|proto]" marker, the way
 * tcpdump's GET_ macros longjmp.
 */

export interface PrintFlags {
  /** -e: print the link-level header. */
  e: boolean;
  /** Number of -n flags (0: names where tcpdump needs no DNS: ports, protocols, MAC OUIs). */
  n: number;
  /** Number of -v flags. */
  v: number;
  /** -q: quick output. */
  q: boolean;
  /** Number of -x flags. */
  x: number;
  /** Number of -X flags. */
  X: number;
  /** Number of -A flags. */
  A: number;
  /** -S: absolute TCP sequence numbers. */
  S?: boolean;
}

export class Truncated {
  readonly trunc = true;
}
const TRUNC = new Truncated();

export class Ctx {
  out = '';
  protocol = '';
  /** Set when tcpdump would use a printer vnet does not emulate: the output then differs. */
  unemulated: string | null = null;
  snapend: number;
  private stack: number[] = [];
  readonly suppressDefaultPrint: boolean;

  constructor(
    readonly b: Uint8Array,
    caplen: number,
    readonly f: PrintFlags,
    /** TCP conversations seen so far (relative sequence numbers). */
    readonly tcp: Map<string, { seq: number; ack: number }> = new Map(),
  ) {
    this.snapend = Math.min(caplen, b.length);
    this.suppressDefaultPrint = f.q || f.x > 0 || f.X > 0;
  }

  p(s: string | number): void {
    this.out += s;
  }

  trunc(): never {
    throw TRUNC;
  }
  /** nd_print_trunc(): " [|proto]". */
  printTrunc(): void {
    this.out += ` [|${this.protocol}]`;
  }
  printInvalid(): void {
    this.out += ' (invalid)';
  }

  test(at: number, len: number): boolean {
    return at >= 0 && len >= 0 && at + len <= this.snapend;
  }
  check(at: number, len: number): void {
    if (!this.test(at, len)) throw TRUNC;
  }
  avail(at: number): number {
    return at < this.snapend ? this.snapend - at : 0;
  }
  u8(at: number): number {
    if (at < 0 || at >= this.snapend) throw TRUNC;
    return this.b[at]!;
  }
  u16(at: number): number {
    this.check(at, 2);
    return (this.b[at]! << 8) | this.b[at + 1]!;
  }
  u24(at: number): number {
    this.check(at, 3);
    return (this.b[at]! << 16) | (this.b[at + 1]! << 8) | this.b[at + 2]!;
  }
  u32(at: number): number {
    this.check(at, 4);
    return ((this.b[at]! << 24) | (this.b[at + 1]! << 16) | (this.b[at + 2]! << 8) | this.b[at + 3]!) >>> 0;
  }

  /** nd_push_snaplen: only ever shortens. */
  pushSnap(at: number, len: number): void {
    this.stack.push(this.snapend);
    if (len <= this.snapend - at) this.snapend = at + len;
  }
  /** nd_change_snaplen: relative to the snapend saved by the last push. */
  changeSnap(at: number, len: number): void {
    const prev = this.stack.length ? this.stack[this.stack.length - 1]! : this.snapend;
    if (len <= prev - at) this.snapend = at + len;
  }
  popSnap(): void {
    const s = this.stack.pop();
    if (s !== undefined) this.snapend = s;
  }

  ipaddr(at: number): string {
    this.check(at, 4);
    return `${this.b[at]}.${this.b[at + 1]}.${this.b[at + 2]}.${this.b[at + 3]}`;
  }
  etheraddr(at: number): string {
    this.check(at, 6);
    let s = hex2(this.b[at]!);
    for (let i = 1; i < 6; i++) s += ':' + hex2(this.b[at + i]!);
    return s;
  }

  /** ND_DEFAULTPRINT: hex and ASCII of what was captured. */
  defaultPrint(at: number, len: number): void {
    hexAndAscii(this, '\n\t', at, len, 0);
  }
}

export function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16);
}

export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** tok2str(): the name, or fmt with %u / %x / 0x%04x style placeholders filled with v. */
export function tok2str(table: ReadonlyMap<number, string>, fmt: string, v: number): string {
  return table.get(v) ?? cfmt(fmt, v);
}

/** bittok2str(): names of set bits joined by sep (", "), or fmt/'none'. */
export function bittok2str(table: readonly [number, string][], fmt: string, v: number, sep = ', '): string {
  const names = table.filter(([bit]) => bit && ((v & bit) >>> 0) === bit >>> 0).map(([, s]) => s);
  return names.length ? names.join(sep) : cfmt(fmt, v);
}

/** Minimal printf for tok2str formats: %u, %x, %02x, %04x, %08x. */
export function cfmt(fmt: string, v: number): string {
  return fmt.replace(/%(0?)(\d*)([ux])/g, (_m, z: string, w: string, c: string) => {
    const s = c === 'u' ? String(v >>> 0) : (v >>> 0).toString(16);
    return w ? s.padStart(+w, z ? '0' : ' ') : s;
  });
}

const isGraph = (c: number) => c > 0x20 && c < 0x7f;

/** hex_and_ascii_print_with_offset(). Throws TRUNC (after printing) when cut short. */
export function hexAndAscii(ctx: Ctx, ident: string, at: number, length: number, oset: number): void {
  const cap = ctx.avail(at);
  let truncated = false;
  if (length > cap) {
    length = cap;
    truncated = true;
  }
  let hex = '', asc = '', i = 0;
  const flush = () => {
    ctx.p(`${ident}0x${hex4(oset)}: ${hex.padEnd(40)}  ${asc}`);
  };
  let p = at;
  for (let n = length >> 1; n > 0; n--) {
    const s1 = ctx.b[p++]!, s2 = ctx.b[p++]!;
    hex += ' ' + hex2(s1) + hex2(s2);
    asc += (isGraph(s1) ? String.fromCharCode(s1) : '.') + (isGraph(s2) ? String.fromCharCode(s2) : '.');
    if (++i >= 8) {
      flush();
      i = 0;
      hex = asc = '';
      oset += 16;
    }
  }
  if (length & 1) {
    const s1 = ctx.b[p++]!;
    hex += ' ' + hex2(s1);
    asc += isGraph(s1) ? String.fromCharCode(s1) : '.';
    i++;
  }
  if (i > 0) flush();
  if (truncated) ctx.trunc();
}

/** hex_print_with_offset(). */
export function hexPrint(ctx: Ctx, ident: string, at: number, length: number, oset = 0): void {
  const cap = ctx.avail(at);
  let truncated = false;
  if (length > cap) {
    length = cap;
    truncated = true;
  }
  let i = 0, p = at;
  for (let n = length >> 1; n > 0; n--) {
    if (i++ % 8 === 0) {
      ctx.p(`${ident}0x${hex4(oset)}: `);
      oset += 16;
    }
    ctx.p(' ' + hex2(ctx.b[p]!) + hex2(ctx.b[p + 1]!));
    p += 2;
  }
  if (length & 1) {
    if (i % 8 === 0) ctx.p(`${ident}0x${hex4(oset)}: `);
    ctx.p(' ' + hex2(ctx.b[p]!));
  }
  if (truncated) ctx.trunc();
}

/** ascii_print(): graphic bytes, tab, space and LF as is; CR dropped unless mid-line. */
export function asciiPrint(ctx: Ctx, at: number, length: number): void {
  ctx.protocol = 'ascii';
  const cap = ctx.avail(at);
  let truncated = false;
  if (length > cap) {
    length = cap;
    truncated = true;
  }
  ctx.p('\n');
  let p = at;
  while (length > 0) {
    const s = ctx.b[p++]!;
    length--;
    if (s === 0x0d) {
      if (length > 1 && ctx.b[p] !== 0x0a) ctx.p('.');
    } else if (!isGraph(s) && s !== 0x09 && s !== 0x20 && s !== 0x0a) ctx.p('.');
    else ctx.p(String.fromCharCode(s));
  }
  if (truncated) ctx.trunc();
}

/** print_unknown_data(). */
export function printUnknownData(ctx: Ctx, at: number, ident: string, len: number): void {
  if (!ctx.test(at, 0)) {
    ctx.p(`${ident}Dissector error: print_unknown_data called with pointer past end of packet`);
    return;
  }
  hexPrint(ctx, ident, at, Math.min(len, ctx.avail(at)));
}
