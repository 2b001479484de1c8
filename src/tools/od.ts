/**
 * od (GNU coreutils): dump bytes in octal, hex, decimal or as characters. Options: -A RADIX,
 * -j SKIP, -N COUNT, -t TYPE (d/o/u/x with size 1/2/4/8 or C/S/I/L, c, a, and the z suffix), -v,
 * -w[N], and the traditional -b -c -d -o -s -x -i -l. Layout as coreutils computes it: every type
 * of a line gets the same width, its padding spread over the fields from the left; a run of
 * identical lines is shown once followed by `*` (unless -v); the last line is the end offset.
 * Input is the shell's byte-per-char text (files or stdin).
 */
import type { Tool, ToolCtx } from './types.ts';

interface Spec {
  kind: 'd' | 'o' | 'u' | 'x' | 'c' | 'a';
  size: number;
  /** Digits of one field (without the separating space). */
  width: number;
  pad: number;
  /** The `z` suffix: printable characters >…< after the line. */
  trailer: boolean;
}

const SIZE_LETTERS: Record<string, number> = { C: 1, S: 2, I: 4, L: 8 };
const ASCII_NAMES = ['nul', 'soh', 'stx', 'etx', 'eot', 'enq', 'ack', 'bel', 'bs', 'ht', 'nl', 'vt', 'ff', 'cr',
  'so', 'si', 'dle', 'dc1', 'dc2', 'dc3', 'dc4', 'nak', 'syn', 'etb', 'can', 'em', 'sub', 'esc', 'fs', 'gs', 'rs', 'us', 'sp'];
const C_ESCAPES: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

function fieldWidth(kind: Spec['kind'], size: number): number {
  switch (kind) {
    case 'x': return 2 * size;
    case 'o': return Math.ceil((8 * size) / 3);
    case 'u': return String(2n ** BigInt(8 * size) - 1n).length;
    case 'd': return String(-(2n ** BigInt(8 * size - 1))).length;
    default: return 3;
  }
}

/** Parses one -t argument (it may hold several types: `x1z`, `d2c`). */
function parseTypes(s: string, out: Spec[]): string | null {
  let i = 0;
  while (i < s.length) {
    const k = s[i]!;
    i++;
    if (k === 'c' || k === 'a') {
      const trailer = s[i] === 'z';
      if (trailer) i++;
      out.push({ kind: k, size: 1, width: 3, pad: 0, trailer });
      continue;
    }
    if (!'doux'.includes(k)) return k === 'f' ? 'floating point types are not supported' : `invalid character '${k}' in type string '${s}'`;
    let size = 4;
    const m = /^(\d+|[CSIL])/.exec(s.slice(i));
    if (m) {
      i += m[1]!.length;
      size = SIZE_LETTERS[m[1]!] ?? Number(m[1]);
      if (![1, 2, 4, 8].includes(size)) return `invalid type string '${s}';\nthis system doesn't provide a ${size}-byte integral type`;
    }
    const trailer = s[i] === 'z';
    if (trailer) i++;
    out.push({ kind: k as Spec['kind'], size, width: fieldWidth(k as Spec['kind'], size), pad: 0, trailer });
  }
  return null;
}

/** coreutils' xstrtoumax with od's suffixes (b, k, m, kB, MB, K, M, G; 0x/0 prefixes). */
function parseCount(s: string): number | null {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)(b|kB|k|K|KiB|MB|m|M|MiB|GB|G|GiB)?$/.exec(s);
  if (!m) return null;
  const n = m[1]!.startsWith('0x') || m[1]!.startsWith('0X') ? parseInt(m[1]!, 16)
    : m[1]!.length > 1 && m[1]!.startsWith('0') ? parseInt(m[1]!, 8) : Number(m[1]);
  const mult: Record<string, number> = { '': 1, b: 512, k: 1024, K: 1024, KiB: 1024, kB: 1000, MB: 1e6, m: 1048576, M: 1048576, MiB: 1048576, GB: 1e9, G: 1073741824, GiB: 1073741824 };
  return n * mult[m[2] ?? '']!;
}

function formatField(sp: Spec, bytes: Uint8Array, off: number): string {
  if (sp.kind === 'c') {
    const b = bytes[off]!;
    if (C_ESCAPES[b] !== undefined) return C_ESCAPES[b]!;
    if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
    return b.toString(8).padStart(3, '0');
  }
  if (sp.kind === 'a') {
    const b = bytes[off]! & 0x7f;
    return b <= 0x20 ? ASCII_NAMES[b]! : b === 0x7f ? 'del' : String.fromCharCode(b);
  }
  let v = 0n;
  for (let i = sp.size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i] ?? 0);
  if (sp.kind === 'd' && v >= 2n ** BigInt(8 * sp.size - 1)) v -= 2n ** BigInt(8 * sp.size);
  if (sp.kind === 'x') return v.toString(16).padStart(sp.width, '0');
  if (sp.kind === 'o') return v.toString(8).padStart(sp.width, '0');
  return v.toString();
}

/** One type's line: fields right-aligned in width + their share of the padding (print_* in od.c). */
function formatLine(sp: Spec, block: Uint8Array, n: number, perLine: number): string {
  const fields = perLine / sp.size;
  const blank = Math.floor((perLine - n) / sp.size);
  let out = '';
  let padLeft = sp.pad;
  for (let i = fields; i > blank; i--) {
    const nextPad = Math.floor((sp.pad * (i - 1)) / fields);
    const w = padLeft - nextPad + sp.width;
    out += formatField(sp, block, (fields - i) * sp.size).padStart(w);
    padLeft = nextPad;
  }
  if (sp.trailer) {
    // The blank fields' widths and what is left of the padding, then the characters.
    out += ' '.repeat(padLeft + blank * sp.width) + '  >';
    for (let i = 0; i < n; i++) {
      const b = block[i]!;
      out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    out += '<';
  }
  return out;
}

function fmtAddr(radix: string, a: number): string {
  switch (radix) {
    case 'd': return String(a).padStart(7, '0');
    case 'x': return a.toString(16).padStart(6, '0');
    case 'n': return '';
    default: return a.toString(8).padStart(7, '0');
  }
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

export const odTool: Tool = (ctx: ToolCtx) => {
  const a = ctx.argv.slice(1);
  const specs: Spec[] = [];
  const files: string[] = [];
  let radix = 'o';
  let skip = 0;
  let limit: number | null = null;
  let verbose = false;
  let perLine: number | null = null;
  const bad = (msg: string): number => { ctx.err(`od: ${msg}\nTry 'od --help' for more information.\n`); return 1; };
  const traditional: Record<string, string> = { b: 'o1', c: 'c', d: 'u2', o: 'o2', s: 'd2', x: 'x2', i: 'dI', l: 'dL' };
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (w === '--') { files.push(...a.slice(i + 1)); break; }
    let opt: string | undefined, val: string | undefined;
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(w);
    if (long) {
      const map: Record<string, string> = { 'address-radix': 'A', 'skip-bytes': 'j', 'read-bytes': 'N', format: 't', 'output-duplicates': 'v', width: 'w' };
      opt = map[long[1]!];
      if (!opt) return bad(`unrecognized option '${w}'`);
      val = long[2];
      if (val === undefined && 'AjNt'.includes(opt)) val = a[++i];
      if (opt === 'w' && val === undefined) val = '32';
    } else if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const c = w[j]!;
        if ('AjNt'.includes(c)) {
          opt = c; val = j + 1 < w.length ? w.slice(j + 1) : a[++i];
          if (val === undefined) return bad(`option requires an argument -- '${c}'`);
          break;
        }
        if (c === 'w') { opt = 'w'; val = j + 1 < w.length ? w.slice(j + 1) : '32'; break; }
        if (c === 'v') { verbose = true; continue; }
        const t = traditional[c];
        if (!t) return bad(`invalid option -- '${c}'`);
        parseTypes(t, specs);
      }
    } else { files.push(w); continue; }
    if (opt === undefined) continue;
    const v = val ?? '';
    if (opt === 'A') {
      if (!/^[doxn]$/.test(v)) { ctx.err(`od: invalid output address radix '${v}'; it must be one character from [doxn]\n`); return 1; }
      radix = v;
    } else if (opt === 'j' || opt === 'N') {
      const n = parseCount(v);
      if (n === null) { ctx.err(`od: invalid ${opt === 'j' ? 'skip-bytes' : 'read-bytes'} argument '${v}'\n`); return 1; }
      if (opt === 'j') skip = n; else limit = n;
    } else if (opt === 't') {
      const e = parseTypes(v, specs);
      if (e) { ctx.err(`od: ${e}\n`); return 1; }
    } else if (opt === 'w') {
      const n = parseCount(v);
      if (n === null || n === 0) { ctx.err(`od: invalid -w argument '${v}'\n`); return 1; }
      perLine = n;
    } else if (opt === 'v') verbose = true;
  }
  if (!specs.length) parseTypes('o2', specs);

  // Input: the files one after another (or stdin), then -j and -N.
  let text = '';
  let status = 0;
  if (!files.length || (files.length === 1 && files[0] === '-')) text = ctx.io.stdin;
  else {
    let opened = 0;
    for (const f of files) {
      if (f === '-') { text += ctx.io.stdin; opened++; continue; }
      const r = ctx.fs.read(ctx.io.netns, f);
      if (r.ok) { text += r.value; opened++; } else { ctx.err(`od: ${f}: ${r.message}\n`); status = 1; }
    }
    if (opened === 0) return status; // nothing could be opened: no dump, not even an offset
  }
  if (skip > text.length) { ctx.err('od: cannot skip past end of combined input\n'); return 1; }
  const end = limit === null ? text.length : Math.min(text.length, skip + limit);
  const data = new Uint8Array(end - skip);
  for (let i = 0; i < data.length; i++) data[i] = text.charCodeAt(skip + i) & 0xff;

  // Line layout: a multiple of every type's size; each type padded to the widest one's width.
  const lcm = specs.reduce((m, s) => (m * s.size) / gcd(m, s.size), 1);
  const width = perLine !== null && perLine % lcm === 0 ? perLine : perLine !== null ? lcm : Math.max(16, lcm);
  let lineWidth = 0;
  for (const s of specs) lineWidth = Math.max(lineWidth, (s.width + 1) * (width / s.size));
  for (const s of specs) s.pad = lineWidth - s.width * (width / s.size);

  let out = '';
  let prev: Uint8Array | null = null;
  let starred = false;
  const addrPad = radix === 'n' ? '' : ' '.repeat(fmtAddr(radix, 0).length);
  for (let off = 0; off < data.length; off += width) {
    const n = Math.min(width, data.length - off);
    const block = new Uint8Array(width);
    block.set(data.subarray(off, off + n));
    if (!verbose && prev && n === width && block.every((b, i) => b === prev![i])) {
      if (!starred) out += '*\n';
      starred = true;
      continue;
    }
    starred = false;
    prev = n === width ? block : null;
    specs.forEach((s, k) => {
      out += (k === 0 ? fmtAddr(radix, skip + off) : addrPad) + formatLine(s, block, n, width) + '\n';
    });
  }
  if (radix !== 'n') out += fmtAddr(radix, skip + data.length) + '\n';
  ctx.out(out);
  return status;
};
