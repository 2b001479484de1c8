/**
 * JSON as libteam reads and writes it with jansson 2.14: json_loads (an object or array at the
 * top, duplicate keys refused) with jansson's error texts ("'}' expected near end of file",
 * "'[' or '{' expected near 'garbage'", "on line L, column C"), and json_dumps with
 * JSON_INDENT(n)|JSON_SORT_KEYS|JSON_ENSURE_ASCII as teamdctl prints dumps.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export class JsonError extends Error {}

type Tok = { t: string; text: string; value?: Json; line: number; col: number };

/** jansson's lexer: one token, with the line and column of its last character. */
class Lexer {
  private i = 0;
  private line = 1;
  private col = 0;
  constructor(private readonly s: string) {}

  private getc(): string {
    const c = this.s[this.i++];
    if (c === undefined) return '';
    if (c === '\n') { this.line++; this.col = 0; } else this.col++;
    return c;
  }
  private peek(): string { return this.s[this.i] ?? ''; }

  next(): Tok {
    let c = this.getc();
    while (c === ' ' || c === '\t' || c === '\n' || c === '\r') c = this.getc();
    if (c === '') return { t: 'eof', text: '', line: this.line, col: this.col };
    if ('{}[]:,'.includes(c)) return { t: c, text: c, line: this.line, col: this.col };
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(c);
    if (/[A-Za-z]/.test(c)) {
      let w = c;
      while (/[A-Za-z]/.test(this.peek())) w += this.getc();
      const lit: Record<string, Json> = { true: true, false: false, null: null };
      if (w in lit) return { t: 'value', text: w, value: lit[w]!, line: this.line, col: this.col };
      return { t: 'invalid', text: w, line: this.line, col: this.col };
    }
    return { t: 'invalid', text: c, line: this.line, col: this.col };
  }

  private string(): Tok {
    let text = '"', v = '';
    for (;;) {
      const c = this.getc();
      if (c === '') return { t: 'invalid', text, line: this.line, col: this.col };
      text += c;
      if (c === '"') return { t: 'value', text, value: v, line: this.line, col: this.col };
      if (c < ' ') return { t: 'invalid', text, line: this.line, col: this.col };
      if (c !== '\\') { v += c; continue; }
      const e = this.getc();
      text += e;
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) v += simple[e];
      else if (e === 'u') {
        let h = '';
        for (let k = 0; k < 4; k++) { const d = this.getc(); text += d; h += d; }
        if (!/^[0-9a-fA-F]{4}$/.test(h)) return { t: 'invalid', text, line: this.line, col: this.col };
        v += String.fromCharCode(parseInt(h, 16));
      } else return { t: 'invalid', text, line: this.line, col: this.col };
    }
  }

  private number(first: string): Tok {
    let w = first;
    while (/[0-9eE.+-]/.test(this.peek())) w += this.getc();
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(w)) return { t: 'invalid', text: w, line: this.line, col: this.col };
    return { t: 'value', text: w, value: Number(w), line: this.line, col: this.col };
  }
}

/** json_loads(text, JSON_REJECT_DUPLICATES): throws JsonError with jansson's message. */
export function jsonLoads(text: string): Json {
  const lx = new Lexer(text);
  let tok = lx.next();
  const fail = (what: string): never => {
    const near = tok.t === 'eof' ? 'near end of file' : `near '${tok.text}'`;
    throw new JsonError(`${what} ${near} on line ${tok.line}, column ${tok.col}`);
  };
  const adv = () => { tok = lx.next(); };
  const kind = (): string => tok.t;
  const value = (): Json => {
    if (kind() === 'invalid') fail('invalid token');
    if (kind() === '{') {
      const o: JsonObject = {};
      adv();
      if (kind() === '}') return o;
      for (;;) {
        if (kind() !== 'value' || typeof tok.value !== 'string') fail("string or '}' expected");
        const k = tok.value as string;
        if (Object.prototype.hasOwnProperty.call(o, k)) fail(`duplicate object key`);
        adv();
        if (kind() !== ':') fail("':' expected");
        adv();
        o[k] = value();
        adv();
        if (kind() === '}') return o;
        if (kind() !== ',') fail("'}' expected");
        adv();
      }
    }
    if (kind() === '[') {
      const a: Json[] = [];
      adv();
      if (kind() === ']') return a;
      for (;;) {
        a.push(value());
        adv();
        if (kind() === ']') return a;
        if (kind() !== ',') fail("']' expected");
        adv();
      }
    }
    if (kind() === 'value') return tok.value!;
    return fail('unexpected token');
  };
  if (tok.t !== '{' && tok.t !== '[') fail("'[' or '{' expected");
  const v = value();
  adv();
  if (tok.t !== 'eof') fail('end of file expected');
  return v;
}

function str(s: string): string {
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') o += '\\"';
    else if (ch === '\\') o += '\\\\';
    else if (ch === '\n') o += '\\n';
    else if (ch === '\t') o += '\\t';
    else if (ch === '\r') o += '\\r';
    else if (ch === '\b') o += '\\b';
    else if (ch === '\f') o += '\\f';
    else if (c < 0x20 || c > 0x7e) {
      if (c > 0xffff) {
        const v = c - 0x10000;
        o += `\\u${(0xd800 + (v >> 10)).toString(16).padStart(4, '0')}\\u${(0xdc00 + (v & 0x3ff)).toString(16).padStart(4, '0')}`;
      } else o += `\\u${c.toString(16).padStart(4, '0')}`;
    } else o += ch;
  }
  return o + '"';
}

/** json_dumps(v, JSON_INDENT(indent)|JSON_SORT_KEYS|JSON_ENSURE_ASCII); indent 0 = one line with ", " and ": ". */
export function jsonDumps(v: Json, indent: number, depth = 0): string {
  const nl = (d: number) => (indent ? '\n' + ' '.repeat(indent * d) : '');
  const sep = indent ? ',' : ', ';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return '[' + v.map((x) => nl(depth + 1) + jsonDumps(x, indent, depth + 1)).join(sep) + nl(depth) + ']';
  }
  const keys = Object.keys(v).sort();
  if (!keys.length) return '{}';
  return '{' + keys.map((k) => `${nl(depth + 1)}${str(k)}: ${jsonDumps(v[k]!, indent, depth + 1)}`).join(sep) + nl(depth) + '}';
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
