/**
 * Tokenizer for the bash subset. It is pulled token by token by the parser so that, like bash,
 * a script runs up to the line where a lexical error sits. Words keep their raw source text and
 * are already split into parts (quoted / unquoted literals and expansions).
 */
import type { HereDoc, ParamOpKind, Word, WordPart } from './ast.ts';

export type Token =
  | { k: 'word'; word: Word; start: number; end: number; line: number }
  | { k: 'op'; op: string; fd?: number; start: number; end: number; line: number; heredoc?: HereDoc }
  | { k: 'nl'; start: number; end: number; line: number }
  | { k: 'eof'; start: number; end: number; line: number };

/** A syntax error in bash's words; `echo` is the line bash quotes back after the message. */
export class ParseError extends Error {
  constructor(message: string, readonly line: number, readonly echo: boolean) {
    super(message);
  }
}

const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
// Longest first so that `;;&` wins over `;;` over `;`.
const OPS = [
  ';;&', '&>>', '<<<', '<<-',
  '&&', '||', ';;', ';&', '|&', '<<', '>>', '<&', '>&', '<>', '>|', '&>',
  '|', '&', ';', '(', ')', '<', '>',
];
/** Reserved words after which the next word is in command position again. */
const CMD_START_WORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAM = /[0-9?!$#@*\-]/;

type Mode = 'word' | 'dq' | 'heredoc' | 'brace' | 'bracepat' | 'regex';

/**
 * A character an unquoted word takes literally and that nothing in `scan` looks at: not a
 * metacharacter (blank, newline, ; & | ( ) < >), not a quote, backslash, `$`, backquote or `~`.
 */
function plainWordChar(c: number): boolean {
  switch (c) {
    case 32: case 9: case 10: case 59: case 38: case 124: case 40: case 41: case 60: case 62:
    case 92: case 39: case 34: case 36: case 96: case 126:
      return false;
    default:
      return true;
  }
}

interface PendingDoc { delim: string; strip: boolean; quoted: boolean; doc: HereDoc; line: number }

/** Lines as bash counts them at end of input (a last line without newline still counts). */
export function lineCount(src: string): number {
  let n = 0;
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) n++;
  if (src.length > 0 && !src.endsWith('\n')) n++;
  return n;
}

export class Lexer {
  readonly warnings: { line: number; msg: string }[] = [];
  private pending: PendingDoc[] = [];
  private wantDelim: { strip: boolean; tok: Token & { k: 'op' } } | undefined;

  constructor(readonly src: string, public pos = 0, public line = 1) {}

  eofLine(): number {
    return lineCount(this.src) + 1;
  }

  next(): Token {
    this.skipBlanks();
    const start = this.pos;
    const line = this.line;
    const s = this.src;
    if (start >= s.length) {
      this.readHeredocs();
      this.wantDelim = undefined;
      return { k: 'eof', start, end: start, line: this.eofLine() };
    }
    const c = s[start];
    if (c === '\n') {
      this.pos++;
      this.line++;
      this.wantDelim = undefined;
      this.readHeredocs();
      return { k: 'nl', start, end: start + 1, line };
    }
    // IO number: digits directly followed by a redirection operator.
    let d = start;
    while (d < s.length && s[d] >= '0' && s[d] <= '9') d++;
    if (d > start && d < s.length && (s[d] === '<' || s[d] === '>')) {
      const op = this.matchOp(d);
      if (op) {
        this.pos = d + op.length;
        const tok: Token = { k: 'op', op, fd: Number(s.slice(start, d)), start, end: this.pos, line };
        this.afterOp(tok);
        return tok;
      }
    }
    const op = this.matchOp(start);
    if (op) {
      this.pos = start + op.length;
      const tok: Token = { k: 'op', op, start, end: this.pos, line };
      this.afterOp(tok);
      return tok;
    }
    const parts = this.scan('word', false);
    const end = this.pos;
    const word: Word = { parts, raw: s.slice(start, end), start, end, line };
    const tok: Token = { k: 'word', word, start, end, line };
    if (this.wantDelim) {
      this.registerHeredoc(this.wantDelim.strip, this.wantDelim.tok, word);
      this.wantDelim = undefined;
    }
    return tok;
  }

  private afterOp(tok: Token & { k: 'op' }): void {
    this.wantDelim = tok.op === '<<' || tok.op === '<<-' ? { strip: tok.op === '<<-', tok } : undefined;
  }

  private matchOp(at: number): string | undefined {
    // Every operator starts with one of ; & | ( ) < > (most tokens are words: no need to try all).
    const c = this.src.charCodeAt(at);
    if (c !== 59 && c !== 38 && c !== 124 && c !== 40 && c !== 41 && c !== 60 && c !== 62) return undefined;
    for (const op of OPS) if (this.src.startsWith(op, at)) return op;
    return undefined;
  }

  private skipBlanks(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && s[this.pos + 1] === '\n') { this.pos += 2; this.line++; }
      else if (c === '#') { while (this.pos < s.length && s[this.pos] !== '\n') this.pos++; }
      else return;
    }
  }

  private registerHeredoc(strip: boolean, tok: Token & { k: 'op' }, word: Word): void {
    let delim = '';
    let quoted = false;
    for (const p of word.parts) {
      if (p.t === 'lit') { delim += p.v; if (p.q) quoted = true; }
      else { delim += word.raw; break; } // `<<$X`: bash uses the text literally
    }
    if (/['"\\]/.test(word.raw)) quoted = true;
    const doc: HereDoc = { parts: [], bodyStart: this.src.length, bodyEnd: this.src.length, done: false };
    tok.heredoc = doc;
    this.pending.push({ delim, strip, quoted, doc, line: tok.line });
  }

  /** Reads the bodies of here-docs opened on the line just ended. */
  private readHeredocs(): void {
    const s = this.src;
    for (const p of this.pending) {
      const bodyStart = this.pos;
      let bodyEnd = bodyStart;
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= s.length) {
          this.warnings.push({
            line: Math.max(1, lineCount(s)),
            msg: `warning: here-document at line ${p.line} delimited by end-of-file (wanted \`${p.delim}')`,
          });
          bodyEnd = s.length;
          break;
        }
        const nl = s.indexOf('\n', this.pos);
        const lineEnd = nl < 0 ? s.length : nl;
        let text = s.slice(this.pos, lineEnd);
        if (p.strip) text = text.replace(/^\t+/, '');
        this.pos = nl < 0 ? s.length : nl + 1;
        this.line++;
        bodyEnd = lineEnd;
        if (text === p.delim) break;
        lines.push(text);
      }
      const body = lines.map((l) => l + '\n').join('');
      p.doc.parts = p.quoted ? [{ t: 'lit', v: body, q: true }] : new Lexer(body, 0, p.line + 1).scanAll('heredoc');
      p.doc.bodyStart = bodyStart;
      p.doc.bodyEnd = bodyEnd;
      p.doc.done = true;
    }
    this.pending = [];
  }

  /**
   * The operand after `=~` in `[[ ]]`: bash reads it as one word in which `(`, `)` and `|` are
   * ordinary characters (parentheses may even hold blanks).
   */
  regexWord(): Token {
    this.skipBlanks();
    const start = this.pos;
    const line = this.line;
    const parts = this.scan('regex', false);
    const word: Word = { parts, raw: this.src.slice(start, this.pos), start, end: this.pos, line };
    return { k: 'word', word, start, end: this.pos, line };
  }

  /** Scans the whole input in one mode (here-doc bodies). */
  scanAll(mode: Mode): WordPart[] {
    return this.scan(mode, true);
  }

  /** Reads the parts of a word (or quoted/here-doc text) until the mode's terminator. */
  private scan(mode: Mode, inDq: boolean): WordPart[] {
    const parts: WordPart[] = [];
    const s = this.src;
    const brace = mode === 'brace' || mode === 'bracepat';
    // Literal text is "quoted" inside double quotes and here-docs; bare text in `${x:-a b}` is not.
    const litQ = mode === 'dq' || mode === 'heredoc' || (brace && inDq);
    const wordLike = mode === 'word' || mode === 'regex';
    const add = (v: string, q: boolean): void => {
      const last = parts[parts.length - 1];
      if (last && last.t === 'lit' && last.q === q) last.v += v;
      else parts.push({ t: 'lit', v, q });
    };
    const wordStart = this.pos;
    let depth = 0;
    for (;;) {
      if (this.pos >= s.length) return parts;
      const c = s[this.pos];
      if (mode === 'word') {
        if (META.has(c)) return parts;
        // A run of ordinary characters in one go: the same text the character-by-character path
        // at the end of this loop would add, without a string concatenation per character.
        let e = this.pos;
        while (e < s.length && plainWordChar(s.charCodeAt(e))) e++;
        if (e > this.pos) {
          add(s.slice(this.pos, e), litQ);
          this.pos = e;
          continue;
        }
      }
      if (mode === 'regex') {
        if (c === '(') depth++;
        else if (c === ')') { if (depth === 0) return parts; depth--; }
        else if (depth === 0 && (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '<' || c === '>')) return parts;
        else if (c === '\n') return parts;
      }
      if (mode === 'dq' && c === '"') return parts;
      if (brace && c === '}') return parts;
      if (mode === 'bracepat' && c === '/') return parts;
      if (c === '\\') {
        const n = s[this.pos + 1];
        if (n === undefined) { add('\\', litQ); this.pos++; continue; }
        if (n === '\n') { this.pos += 2; this.line++; continue; }
        if (!litQ) { add(n, true); this.pos += 2; continue; }
        const special = mode === 'heredoc' ? '$`\\' : brace ? '$`"\\}' : '$`"\\';
        if (special.includes(n)) { add(n, true); this.pos += 2; continue; }
        add('\\', true);
        this.pos++;
        continue;
      }
      if (c === "'" && !litQ) {
        const line = this.line;
        const close = s.indexOf("'", this.pos + 1);
        if (close < 0) throw new ParseError("unexpected EOF while looking for matching `''", line, false);
        const v = s.slice(this.pos + 1, close);
        this.countLines(v);
        add(v, true);
        this.pos = close + 1;
        continue;
      }
      if (c === '"' && mode !== 'dq' && mode !== 'heredoc') {
        const line = this.line;
        this.pos++;
        const inner = this.scan('dq', true);
        if (s[this.pos] !== '"') throw new ParseError("unexpected EOF while looking for matching `\"'", line, false);
        this.pos++;
        if (inner.length === 0) add('', true); // "" still makes an (empty) field
        for (const p of inner) {
          if (p.t === 'lit') add(p.v, p.q);
          else parts.push(p);
        }
        continue;
      }
      if (c === '$') {
        this.dollar(parts, litQ || (brace && inDq), add);
        continue;
      }
      if (c === '`') {
        parts.push(this.backtick(litQ));
        continue;
      }
      // ~ at the start of a word, or right after `NAME=` (bash expands both).
      if (c === '~' && wordLike && (this.pos === wordStart || (s[this.pos - 1] === '=' && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(s.slice(wordStart, this.pos))))) {
        const m = /^~([A-Za-z0-9_.-]*)(?=\/|$|[ \t\n;&|()<>])/.exec(s.slice(this.pos, this.pos + 256));
        if (m) {
          parts.push({ t: 'tilde', user: m[1] });
          this.pos += m[0].length;
          continue;
        }
      }
      if (c === '\n') this.line++;
      add(c, litQ);
      this.pos++;
    }
  }

  private countLines(v: string): void {
    for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) === 10) this.line++;
  }

  private dollar(parts: WordPart[], q: boolean, add: (v: string, q: boolean) => void): void {
    const s = this.src;
    const n = s[this.pos + 1];
    if (n === '{') { parts.push(this.braceParam(q)); return; }
    if (n === '(' && s[this.pos + 2] === '(') {
      const end = this.findArithEnd(this.pos + 3);
      if (end >= 0) {
        const line = this.line;
        const src = s.slice(this.pos + 3, end);
        this.countLines(src);
        this.pos = end + 2;
        parts.push({ t: 'arith', src, line, q });
        return;
      }
    }
    if (n === '(') {
      const line = this.line;
      this.pos += 2;
      const src = this.cmdSubSource();
      parts.push({ t: 'cmd', src, line, q });
      return;
    }
    if (n === "'" && !q) {
      this.pos++;
      add(this.ansiC(), true);
      return;
    }
    if (n === '"' && !q) { this.pos++; return; } // $"..." is "..." without a locale
    if (n !== undefined && NAME_START.test(n)) {
      let e = this.pos + 1;
      while (e < s.length && NAME_CHAR.test(s[e])) e++;
      const name = s.slice(this.pos + 1, e);
      parts.push({ t: 'param', name, q, raw: s.slice(this.pos, e) });
      this.pos = e;
      return;
    }
    if (n !== undefined && SPECIAL_PARAM.test(n)) {
      parts.push({ t: 'param', name: n, q, raw: '$' + n });
      this.pos += 2;
      return;
    }
    add('$', q);
    this.pos++;
  }

  /** Index of the `))` closing `$((`, or -1 when this is really `$( (...) ...)`. */
  private findArithEnd(from: number): number {
    const s = this.src;
    let depth = 0;
    for (let i = from; i < s.length; i++) {
      const c = s[i];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) return s[i + 1] === ')' ? i : -1;
        depth--;
      }
    }
    return -1;
  }

  /** Source of `$(...)`; a sub-lexer finds the closing paren the way bash's parser would. */
  private cmdSubSource(): string {
    const sub = new Lexer(this.src, this.pos, this.line);
    let depth = 0;
    let caseDepth = 0;
    let prev: Token['k'] | 'none' = 'none';
    let prevRaw = '';
    for (;;) {
      const t = sub.next();
      if (t.k === 'eof') throw new ParseError("unexpected EOF while looking for matching `)'", this.eofLine(), false);
      // `case` is reserved in command position: after an operator, or after a reserved word that
      // starts a command list (`if case …`, `do case …`, `then case …`).
      if (t.k === 'word' && (prev !== 'word' || CMD_START_WORDS.has(prevRaw))) {
        if (t.word.raw === 'case') caseDepth++;
        else if (t.word.raw === 'esac' && caseDepth > 0) caseDepth--;
      }
      if (t.k === 'op' && t.op === '(') depth++;
      if (t.k === 'op' && t.op === ')') {
        if (depth === 0 && caseDepth === 0) {
          const src = this.src.slice(this.pos, t.start);
          this.pos = t.end;
          this.line = sub.line;
          return src;
        }
        if (depth > 0) depth--;
      }
      prev = t.k;
      prevRaw = t.k === 'word' ? t.word.raw : '';
    }
  }

  private backtick(inDq: boolean): WordPart {
    const s = this.src;
    const line = this.line;
    let i = this.pos + 1;
    let src = '';
    for (;;) {
      if (i >= s.length) throw new ParseError("unexpected EOF while looking for matching ``'", line, false);
      const c = s[i];
      if (c === '`') break;
      if (c === '\\' && i + 1 < s.length) {
        const n = s[i + 1];
        if (n === '$' || n === '`' || n === '\\' || (inDq && n === '"')) { src += n; i += 2; continue; }
      }
      src += c;
      i++;
    }
    this.countLines(s.slice(this.pos, i));
    this.pos = i + 1;
    return { t: 'cmd', src, line, q: inDq };
  }

  private ansiC(): string {
    const s = this.src;
    const line = this.line;
    let i = this.pos + 1;
    let out = '';
    for (;;) {
      if (i >= s.length) throw new ParseError("unexpected EOF while looking for matching `''", line, false);
      const c = s[i];
      if (c === "'") break;
      if (c === '\\' && i + 1 < s.length) {
        const r = decodeEscape(s, i + 1, 'ansic');
        out += r.text;
        i = r.next;
        continue;
      }
      if (c === '\n') this.line++;
      out += c;
      i++;
    }
    this.pos = i + 1;
    return out;
  }

  private braceParam(q: boolean): WordPart {
    const s = this.src;
    const start = this.pos;
    const line = this.line;
    this.pos += 2;
    const bad = (): WordPart => {
      // Find the closing brace, then let expansion report "bad substitution".
      let depth = 0;
      while (this.pos < s.length) {
        const c = s[this.pos];
        if (c === '{') depth++;
        else if (c === '}') { if (depth === 0) break; depth--; }
        else if (c === '\n') this.line++;
        this.pos++;
      }
      if (this.pos >= s.length) throw new ParseError("unexpected EOF while looking for matching `}'", line, false);
      this.pos++;
      return { t: 'bad', raw: s.slice(start, this.pos) };
    };
    let len = false;
    if (s[this.pos] === '#' && s[this.pos + 1] !== '}' && s[this.pos + 1] !== undefined &&
        (NAME_CHAR.test(s[this.pos + 1]) || SPECIAL_PARAM.test(s[this.pos + 1]))) {
      len = true;
      this.pos++;
    }
    let name = '';
    const c0 = s[this.pos];
    if (c0 !== undefined && NAME_START.test(c0)) {
      let e = this.pos;
      while (e < s.length && NAME_CHAR.test(s[e])) e++;
      name = s.slice(this.pos, e);
    } else if (c0 !== undefined && /[0-9]/.test(c0)) {
      let e = this.pos;
      while (e < s.length && /[0-9]/.test(s[e])) e++;
      name = s.slice(this.pos, e);
    } else if (c0 !== undefined && SPECIAL_PARAM.test(c0)) {
      name = c0;
    }
    if (!name) return bad();
    this.pos += name.length;
    if (len) {
      if (s[this.pos] !== '}') return bad();
      this.pos++;
      return { t: 'param', name, q, op: { kind: 'len', arg: [] }, raw: s.slice(start, this.pos) };
    }
    if (s[this.pos] === '}') {
      this.pos++;
      return { t: 'param', name, q, raw: s.slice(start, this.pos) };
    }
    const rest = s.slice(this.pos, this.pos + 2);
    let kind: ParamOpKind | undefined;
    for (const k of [':-', ':=', ':+', ':?', '##', '%%', '//', '-', '=', '+', '?', '#', '%', '/'] as const) {
      if (rest.startsWith(k)) { kind = k; break; }
    }
    if (!kind) return bad();
    this.pos += kind.length;
    const isPat = kind === '/' || kind === '//';
    const arg = this.scan(isPat ? 'bracepat' : 'brace', q);
    let rep: WordPart[] | undefined;
    if (isPat && s[this.pos] === '/') {
      this.pos++;
      rep = this.scan('brace', q);
    }
    if (s[this.pos] !== '}') throw new ParseError("unexpected EOF while looking for matching `}'", line, false);
    this.pos++;
    return { t: 'param', name, q, op: { kind, arg, rep }, raw: s.slice(start, this.pos) };
  }
}

/**
 * Decodes one backslash escape starting at `s[i]` (the char after the backslash).
 * 'ansic' is $'...'; 'echo' is echo -e / printf %b (octal needs a leading 0); 'printf' is a
 * printf format string (octal without the 0).
 */
export function decodeEscape(s: string, i: number, mode: 'ansic' | 'echo' | 'printf'): { text: string; next: number; stop?: boolean } {
  const c = s[i];
  const simple: Record<string, string> = {
    a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\',
  };
  if (Object.hasOwn(simple, c)) return { text: simple[c], next: i + 1 };
  if (mode === 'ansic' && (c === "'" || c === '"' || c === '?')) return { text: c, next: i + 1 };
  if (mode === 'printf' && c === '"') return { text: '"', next: i + 1 };
  if (c === 'c') {
    if (mode === 'echo') return { text: '', next: i + 1, stop: true };
    if (mode === 'ansic' && i + 1 < s.length) {
      return { text: String.fromCharCode(s.charCodeAt(i + 1) & 0x1f), next: i + 2 };
    }
  }
  if (c === 'x') {
    const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1, i + 3));
    if (m) return { text: String.fromCharCode(parseInt(m[0], 16)), next: i + 1 + m[0].length };
    return { text: '\\x', next: i + 1 };
  }
  if (c === 'u' || c === 'U') {
    const m = new RegExp(`^[0-9a-fA-F]{1,${c === 'u' ? 4 : 8}}`).exec(s.slice(i + 1, i + 9));
    if (m) {
      const cp = parseInt(m[0], 16);
      return { text: cp <= 0x10ffff ? String.fromCodePoint(cp) : '', next: i + 1 + m[0].length };
    }
    return { text: '\\' + c, next: i + 1 };
  }
  if (mode === 'echo' && c === '0') {
    const m = /^[0-7]{0,3}/.exec(s.slice(i + 1, i + 4))!;
    return { text: String.fromCharCode(parseInt(m[0] || '0', 8) & 0xff), next: i + 1 + m[0].length };
  }
  if (mode !== 'echo' && c !== undefined && c >= '0' && c <= '7') {
    const m = /^[0-7]{1,3}/.exec(s.slice(i, i + 3))!;
    return { text: String.fromCharCode(parseInt(m[0], 8) & 0xff), next: i + m[0].length };
  }
  if (c === undefined) return { text: '\\', next: i };
  return { text: '\\' + c, next: i + 1 };
}
