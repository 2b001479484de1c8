/**
 * Builtins that need nothing from the interpreter but their arguments and file access:
 * echo, printf, test/[, cat, and the duration parsing shared by sleep and timeout.
 * Output and messages follow bash 5.2 / GNU coreutils byte for byte.
 */
import { type LD, formatLD, ldFromInt, parseLD } from './floatfmt.ts';
import { decodeEscape } from './lexer.ts';

export interface BuiltinIO {
  out(text: string): void;
  err(text: string): void;
  /** `NAME: line N: ` as bash prefixes its own error messages. */
  prefix: string;
  /** Consumes and returns what is left on standard input. */
  readStdin(): string;
}

// ---------------------------------------------------------------- echo

export function echo(args: readonly string[], io: BuiltinIO): number {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (!/^-[neE]+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (c === 'n') newline = false;
      else if (c === 'e') escapes = true;
      else escapes = false;
    }
  }
  let out = '';
  for (let k = i; k < args.length; k++) {
    if (k > i) out += ' ';
    if (!escapes) { out += args[k]; continue; }
    const r = expandBackslashes(args[k], 'echo');
    out += r.text;
    if (r.stop) { io.out(out); return 0; }
  }
  io.out(newline ? out + '\n' : out);
  return 0;
}

/** echo -e / printf %b escapes; `stop` when `\c` was seen. */
function expandBackslashes(s: string, mode: 'echo' | 'b'): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\' || i + 1 >= s.length) { out += s[i]; continue; }
    // %b also takes \NNN without the leading 0.
    if (mode === 'b' && s[i + 1] >= '1' && s[i + 1] <= '7') {
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))!;
      out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      i += m[0].length;
      continue;
    }
    const r = decodeEscape(s, i + 1, 'echo');
    if (r.stop) return { text: out, stop: true };
    out += r.text;
    i = r.next - 1;
  }
  return { text: out, stop: false };
}

// ---------------------------------------------------------------- printf

/** Quotes a string the way bash's printf %q (and set -x for odd words) does. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/[\x00-\x1f\x7f]/.test(s)) {
    let out = "$'";
    for (const c of s) {
      const code = c.charCodeAt(0);
      const named: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\x1b': '\\E', "'": "\\'", '\\': '\\\\' };
      if (Object.hasOwn(named, c)) out += named[c];
      else if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(8).padStart(3, '0');
      else out += c;
    }
    return out + "'";
  }
  return s.replace(/[^A-Za-z0-9_\/.,:@%+=^-]/g, (c) => (c === '~' && s.indexOf(c) !== 0 ? c : '\\' + c));
}

const UINT64 = 1n << 64n;

/** strtoimax-like parse for printf numeric args; `ok` false means "invalid number". */
function parseNum(arg: string): { v: bigint; ok: boolean } {
  if (arg === '') return { v: 0n, ok: true };
  if (arg[0] === "'" || arg[0] === '"') return { v: BigInt(arg.length > 1 ? arg.codePointAt(1)! : 0), ok: true };
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(arg);
  if (!m) return { v: 0n, ok: false };
  const body = m[2];
  let v = body.startsWith('0x') || body.startsWith('0X') ? BigInt(body) : body.length > 1 && body[0] === '0' ? BigInt('0o' + body.slice(1)) : BigInt(body);
  if (m[1] === '-') v = -v;
  const rest = arg.slice(m[0].length);
  return { v, ok: /^\s*$/.test(rest) && rest.length === 0 };
}

function parseFloatArg(arg: string): { v: LD; ok: boolean; range?: boolean } {
  if (arg === '') return { v: ldFromInt(0n), ok: true };
  if (arg[0] === "'" || arg[0] === '"') return { v: ldFromInt(BigInt(arg.length > 1 ? arg.codePointAt(1)! : 0)), ok: true };
  const r = parseLD(arg);
  if (!r) return { v: ldFromInt(0n), ok: false };
  return { v: r.v, ok: r.len === arg.length, range: r.range };
}

/** %a is rare in scripts: approximate it with the double's hex digits. */
function hexFloat(v: LD, upper: boolean): string {
  const x = 'special' in v ? (v.special === 'inf' ? Infinity : NaN) : Number(v.num) / Number(v.den);
  const s = (v.neg ? '-' : '') + x.toString(16);
  return upper ? s.toUpperCase() : s;
}

function pad(s: string, width: number | undefined, left: boolean, zero: boolean): string {
  if (width === undefined || s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const m = /^([+\- ]|0[xX])?/.exec(s)!;
    const sign = m[0];
    return sign + '0'.repeat(width - s.length) + s.slice(sign.length);
  }
  return ' '.repeat(width - s.length) + s;
}

/** bash's printf builtin. `setVar` receives the output for `printf -v NAME`. */
export function printf(argv: readonly string[], io: BuiltinIO, setVar?: (name: string, v: string) => number): number {
  let args = argv.slice();
  let varName: string | undefined;
  if (args[0] === '-v') {
    if (args.length < 2) { io.err(`${io.prefix}printf: -v: option requires an argument\nprintf: usage: printf [-v var] format [arguments]\n`); return 2; }
    varName = args[1];
    args = args.slice(2);
  }
  if (args[0] === '--') args = args.slice(1);
  if (args.length === 0) { io.err('printf: usage: printf [-v var] format [arguments]\n'); return 2; }
  const fmt = args[0];
  const rest = args.slice(1);
  let out = '';
  let status = 0;
  let ai = 0;
  const next = (): string | undefined => (ai < rest.length ? rest[ai++] : undefined);
  const bad = (a: string): void => { io.err(`${io.prefix}printf: ${a}: invalid number\n`); status = 1; };
  const flush = (): number => {
    if (varName !== undefined) {
      const st = setVar ? setVar(varName, out) : 0;
      if (st !== 0) return st;
    } else {
      io.out(out);
    }
    return status;
  };
  for (;;) {
    const startAi = ai;
    let i = 0;
    while (i < fmt.length) {
      const c = fmt[i];
      if (c === '\\') {
        const r = decodeEscape(fmt, i + 1, 'printf');
        out += r.text;
        i = r.next;
        continue;
      }
      if (c !== '%') { out += c; i++; continue; }
      if (fmt[i + 1] === '%') { out += '%'; i += 2; continue; }
      // %[flags][width][.precision][length]conversion
      let j = i + 1;
      let flags = '';
      while (j < fmt.length && "-+ #0'".includes(fmt[j])) flags += fmt[j++];
      let width: number | undefined;
      if (fmt[j] === '*') {
        const a = next() ?? '';
        const n = parseNum(a);
        if (!n.ok) bad(a);
        width = Number(n.v);
        if (width < 0) { flags += '-'; width = -width; }
        j++;
      } else {
        const m = /^[0-9]+/.exec(fmt.slice(j));
        if (m) { width = Number(m[0]); j += m[0].length; }
      }
      let prec: number | undefined;
      if (fmt[j] === '.') {
        j++;
        if (fmt[j] === '*') {
          const a = next() ?? '';
          const n = parseNum(a);
          if (!n.ok) bad(a);
          prec = Math.max(0, Number(n.v));
          j++;
        } else {
          const m = /^[0-9]*/.exec(fmt.slice(j))!;
          prec = Number(m[0] || '0');
          j += m[0].length;
        }
      }
      while (j < fmt.length && 'hlLjzt'.includes(fmt[j])) j++;
      const conv = fmt[j];
      const left = flags.includes('-');
      const zero = flags.includes('0') && !left;
      if (conv === undefined || !'diouxXeEfFgGaAcsbq'.includes(conv)) {
        io.err(`${io.prefix}printf: \`${conv ?? ''}': invalid format character\n`);
        status = 1;
        flush();
        return 1;
      }
      i = j + 1;
      const arg = next();
      switch (conv) {
        case 's': case 'q': {
          let s = arg ?? '';
          if (conv === 'q') s = arg === undefined ? "''" : shellQuote(s);
          if (prec !== undefined) s = s.slice(0, prec);
          out += pad(s, width, left, false);
          break;
        }
        case 'b': {
          const r = expandBackslashes(arg ?? '', 'b');
          let s = r.text;
          if (prec !== undefined) s = s.slice(0, prec);
          out += pad(s, width, left, false);
          if (r.stop) return flush();
          break;
        }
        case 'c': {
          const s = arg === undefined ? '' : arg === '' ? '\0' : Array.from(arg)[0];
          out += pad(s, width, left, false);
          break;
        }
        case 'd': case 'i': case 'o': case 'u': case 'x': case 'X': {
          const a = arg ?? '';
          const n = parseNum(a);
          if (!n.ok) bad(a);
          // strtoimax/strtoumax clamp out-of-range values (with a warning from bash).
          const signed = conv === 'd' || conv === 'i';
          let raw = n.v;
          const lo = signed ? -(1n << 63n) : -(UINT64 - 1n);
          const hi = signed ? (1n << 63n) - 1n : UINT64 - 1n;
          if (raw < lo || raw > hi) {
            io.err(`${io.prefix}printf: warning: ${a}: Numerical result out of range\n`);
            raw = signed ? (raw < lo ? lo : hi) : UINT64 - 1n;
          }
          let v = BigInt.asIntN(64, raw);
          let s: string;
          let sign = '';
          if (conv === 'd' || conv === 'i') {
            if (v < 0n) { sign = '-'; v = -v; }
            else if (flags.includes('+')) sign = '+';
            else if (flags.includes(' ')) sign = ' ';
            s = v.toString();
          } else {
            const u = v < 0n ? v + UINT64 : v;
            s = u.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
            if (conv === 'X') s = s.toUpperCase();
            if (flags.includes('#') && u !== 0n) {
              if (conv === 'o' && !s.startsWith('0')) s = '0' + s;
              if (conv === 'x') sign = '0x';
              if (conv === 'X') sign = '0X';
            }
          }
          if (prec !== undefined) s = s.padStart(prec, '0');
          if (prec === 0 && v === 0n) s = '';
          out += pad(sign + s, width, left, zero && prec === undefined);
          break;
        }
        default: {
          const a = arg ?? '';
          const n = parseFloatArg(a);
          if (!n.ok) bad(a);
          if (n.range) io.err(`${io.prefix}printf: warning: ${a}: Numerical result out of range\n`);
          let s = conv === 'a' || conv === 'A' ? hexFloat(n.v, conv === 'A') : formatLD(n.v, conv, prec, flags.includes('#'));
          if (!s.startsWith('-')) {
            if (flags.includes('+')) s = '+' + s;
            else if (flags.includes(' ')) s = ' ' + s;
          }
          out += pad(s, width, left, zero && !('special' in n.v));
        }
      }
    }
    // The format is reused while arguments remain (and it consumed some).
    if (ai >= rest.length || ai === startAi) break;
  }
  return flush();
}

// ---------------------------------------------------------------- test / [

export interface TestFs {
  exists(path: string): boolean;
  isDir(path: string): boolean;
  size(path: string): number;
  varSet(name: string): boolean;
}

class TestError extends Error {}

const UNARY = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-n', '-o', '-p', '-r', '-s', '-t', '-u', '-v', '-w', '-x', '-z', '-G', '-L', '-N', '-O', '-S']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

function toInt(s: string): bigint {
  const m = /^\s*([+-]?[0-9]+)\s*$/.exec(s);
  if (!m) throw new TestError(`${s}: integer expression expected`);
  const v = BigInt(m[1]);
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new TestError(`${s}: integer expression expected`);
  return v;
}

export function unaryTest(op: string, a: string, fs: TestFs): boolean {
  switch (op) {
    case '-z': return a === '';
    case '-n': return a !== '';
    case '-e': case '-a': return fs.exists(a);
    case '-f': return fs.exists(a) && !fs.isDir(a);
    case '-d': return fs.isDir(a);
    case '-s': return fs.exists(a) && (fs.isDir(a) || fs.size(a) > 0);
    case '-r': case '-w': return fs.exists(a);
    case '-x': return fs.isDir(a);
    // The lab's only character devices are the /dev nodes the kernel makes (tapN for macvtap…).
    case '-c': return /^\/dev\/(null|zero|full|random|urandom|tty|tap\d+|net\/tun)$/.test(a) && fs.exists(a);
    case '-v': return fs.varSet(a);
    case '-o': return false;
    default: return false; // -b -c -g -h -k -p -t -u -G -L -N -O -S: no such files in the lab
  }
}

export function binaryTest(op: string, a: string, b: string): boolean {
  switch (op) {
    case '=': case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '-eq': return toInt(a) === toInt(b);
    case '-ne': return toInt(a) !== toInt(b);
    case '-lt': return toInt(a) < toInt(b);
    case '-le': return toInt(a) <= toInt(b);
    case '-gt': return toInt(a) > toInt(b);
    case '-ge': return toInt(a) >= toInt(b);
    default: return false; // -nt -ot -ef: no timestamps or inodes to compare
  }
}

/** test / [ with POSIX's argument-count rules, then bash's -a/-o precedence parser. */
export function test(name: string, argv: readonly string[], io: BuiltinIO, fs: TestFs): number {
  let args = argv.slice();
  if (name === '[') {
    if (args[args.length - 1] !== ']') { io.err(`${io.prefix}[: missing \`]'\n`); return 2; }
    args = args.slice(0, -1);
  }
  try {
    return evalTest(args, fs) ? 0 : 1;
  } catch (e) {
    if (e instanceof TestError) { io.err(`${io.prefix}${name}: ${e.message}\n`); return 2; }
    throw e;
  }
}

function evalTest(a: string[], fs: TestFs): boolean {
  switch (a.length) {
    case 0: return false;
    case 1: return a[0] !== '';
    case 2:
      if (a[0] === '!') return a[1] === '';
      if (UNARY.has(a[0])) return unaryTest(a[0], a[1], fs);
      throw new TestError(`${a[0]}: unary operator expected`);
    case 3:
      if (BINARY.has(a[1])) return binaryTest(a[1], a[0], a[2]);
      if (a[1] === '-a') return a[0] !== '' && a[2] !== '';
      if (a[1] === '-o') return a[0] !== '' || a[2] !== '';
      if (a[0] === '!') return !evalTest(a.slice(1), fs);
      if (a[0] === '(' && a[2] === ')') return a[1] !== '';
      throw new TestError(`${a[1]}: binary operator expected`);
    case 4:
      if (a[0] === '!') return !evalTest(a.slice(1), fs);
      if (a[0] === '(' && a[3] === ')') return evalTest(a.slice(1, 3), fs);
  }
  const p = new TestParser(a, fs);
  const v = p.or();
  if (p.i < a.length) throw new TestError('too many arguments');
  return v;
}

class TestParser {
  i = 0;
  constructor(readonly a: string[], readonly fs: TestFs) {}
  or(): boolean {
    let v = this.and();
    while (this.a[this.i] === '-o') { this.i++; const r = this.and(); v = v || r; }
    return v;
  }
  and(): boolean {
    let v = this.not();
    while (this.a[this.i] === '-a') { this.i++; const r = this.not(); v = v && r; }
    return v;
  }
  not(): boolean {
    if (this.a[this.i] === '!') { this.i++; return !this.not(); }
    return this.primary();
  }
  primary(): boolean {
    const a = this.a;
    if (this.i >= a.length) throw new TestError('argument expected');
    if (a[this.i] === '(') {
      this.i++;
      const v = this.or();
      if (a[this.i] !== ')') throw new TestError("`)' expected");
      this.i++;
      return v;
    }
    if (this.i + 2 < a.length + 0 && BINARY.has(a[this.i + 1])) {
      const v = binaryTest(a[this.i + 1], a[this.i], a[this.i + 2]);
      this.i += 3;
      return v;
    }
    if (UNARY.has(a[this.i]) && this.i + 1 < a.length) {
      const v = unaryTest(a[this.i], a[this.i + 1], this.fs);
      this.i += 2;
      return v;
    }
    return a[this.i++] !== '';
  }
}

// ---------------------------------------------------------------- cat

export function cat(args: readonly string[], io: BuiltinIO, read: (path: string) => { ok: true; value: string } | { ok: false; message: string }): number {
  let number = false;
  let ends = false;
  let squeeze = false;
  const files: string[] = [];
  let opts = true;
  for (const a of args) {
    if (opts && a === '--') { opts = false; continue; }
    if (opts && a.startsWith('-') && a !== '-') {
      for (const c of a.slice(1)) {
        if (c === 'n') number = true;
        else if (c === 'E') ends = true;
        else if (c === 's') squeeze = true;
        else if (c === 'u') { /* unbuffered: nothing to do */ }
        else {
          io.err(`cat: invalid option -- '${c}'\nTry 'cat --help' for more information.\n`);
          return 1;
        }
      }
      continue;
    }
    files.push(a);
  }
  if (files.length === 0) files.push('-');
  let status = 0;
  let lineNo = 0;
  let prevBlank = false;
  for (const f of files) {
    let text: string;
    if (f === '-') text = io.readStdin();
    else {
      const r = read(f);
      if (!r.ok) { io.err(`cat: ${f}: ${r.message}\n`); status = 1; continue; }
      text = r.value;
    }
    if (!number && !ends && !squeeze) { io.out(text); continue; }
    let out = '';
    const lines = text.split('\n');
    lines.forEach((line, idx) => {
      const last = idx === lines.length - 1;
      if (last && line === '') return;
      const blank = line === '';
      if (squeeze && blank && prevBlank) return;
      prevBlank = blank;
      if (number) out += String(++lineNo).padStart(6) + '\t';
      out += line + (last ? '' : (ends ? '$' : '') + '\n');
    });
    io.out(out);
  }
  return status;
}

// ---------------------------------------------------------------- durations

/** coreutils sleep/timeout interval: number with optional s/m/h/d suffix; seconds or undefined. */
export function parseDuration(s: string): number | undefined {
  if (/^\+?inf(inity)?$/i.test(s)) return Infinity;
  const m = /^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?([smhd]?)$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[1] + (m[2] ?? ''));
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[3] as '' | 's' | 'm' | 'h' | 'd'];
  return v * mult;
}
