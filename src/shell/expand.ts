/**
 * Word expansion in bash's order: tilde, parameter, command substitution and arithmetic (left to
 * right), then field splitting of unquoted expansion results, then pathname expansion.
 */
import type { Word, WordPart } from './ast.ts';
import { braceExpand } from './braces.ts';
import { ArithError, evalArith } from './arith.ts';
import type { Co } from './coro.ts';
import { type GlobFs, type PatChar, globPaths, matchPattern, removePattern, replacePattern } from './glob.ts';
import { Lexer, ParseError } from './lexer.ts';

/** An expansion failure; `fatal` ones end a non-interactive shell (set -u, ${x:?}). */
export class ExpandError extends Error {
  constructor(message: string, readonly fatal: boolean) {
    super(message);
  }
}

export interface ExpCtx {
  /** Variables and special parameters (`?`, `!`, `1`...); undefined when unset. */
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  positional(): string[];
  nounset: boolean;
  noglob: boolean;
  nullglob?: boolean;
  ifs: string;
  home: string;
  cwd: string;
  glob: GlobFs;
  /** Runs `$(...)` and returns its stdout. */
  cmdsub(src: string, line: number): Co<string>;
}

/** A piece of expanded text. `split`: comes from an unquoted expansion. `brk`: "$@" field break. */
type Seg = { s: string; q: boolean; split: boolean; at?: boolean } | { brk: true };

const SPECIAL = new Set(['?', '!', '$', '#', '@', '*', '-']);

function* expandParts(parts: readonly WordPart[], cx: ExpCtx): Co<Seg[]> {
  const out: Seg[] = [];
  for (const p of parts) {
    switch (p.t) {
      case 'lit':
        out.push({ s: p.v, q: p.q, split: false });
        break;
      case 'tilde':
        if (p.user === '') out.push({ s: cx.home, q: true, split: false });
        else if (p.user === 'root') out.push({ s: '/root', q: true, split: false });
        else out.push({ s: '~' + p.user, q: false, split: false });
        break;
      case 'bad':
        throw new ExpandError(`${p.raw}: bad substitution`, false);
      case 'cmd': {
        const text = yield* cx.cmdsub(p.src, p.line);
        out.push({ s: text.replace(/\n+$/, ''), q: p.q, split: !p.q });
        break;
      }
      case 'arith': {
        const src = yield* expandString(arithParts(p.src, p.line), cx);
        let v: bigint;
        try {
          v = evalArith(src, { get: (n) => cx.get(n), set: (n, val) => cx.set(n, val) });
        } catch (e) {
          if (e instanceof ArithError) throw new ExpandError(e.message, false);
          throw e;
        }
        out.push({ s: String(v), q: p.q, split: !p.q });
        break;
      }
      case 'param':
        out.push(...(yield* expandParam(p, cx)));
        break;
    }
  }
  return out;
}

function* expandParam(p: Extract<WordPart, { t: 'param' }>, cx: ExpCtx): Co<Seg[]> {
  const { name, op } = p;
  if ((name === '@' || name === '*') && (!op || op.kind === 'len')) {
    const args = cx.positional();
    if (op) return [{ s: String(args.length), q: p.q, split: !p.q }];
    if (!p.q) return [{ s: args.join(' '), q: false, split: true }];
    if (name === '*') return [{ s: args.join(cx.ifs === '' ? '' : cx.ifs[0] ?? ' '), q: true, split: false }];
    const segs: Seg[] = [];
    args.forEach((a, i) => {
      if (i > 0) segs.push({ brk: true });
      segs.push({ s: a, q: true, split: false, at: true });
    });
    return segs;
  }
  const val = cx.get(name);
  const word = (s: string): Seg[] => [{ s, q: p.q, split: !p.q }];
  if (!op) {
    if (val === undefined && cx.nounset && !SPECIAL.has(name) && name !== '0') {
      throw new ExpandError(`${name}: unbound variable`, true);
    }
    return word(val ?? '');
  }
  const unsetOrNull = (colon: boolean): boolean => val === undefined || (colon && val === '');
  // Bare text inside an unquoted ${x:-a b} is split like any expansion result.
  const argSegs = function* (): Co<Seg[]> {
    const segs = yield* expandParts(op.arg, cx);
    return segs.map((s) => ('brk' in s ? s : { ...s, split: s.split || !s.q }));
  };
  switch (op.kind) {
    case 'len':
      if (val === undefined && cx.nounset && !SPECIAL.has(name)) throw new ExpandError(`${name}: unbound variable`, true);
      return word(String(Array.from(val ?? '').length));
    case '-': case ':-':
      return unsetOrNull(op.kind === ':-') ? yield* argSegs() : word(val!);
    case '+': case ':+':
      return unsetOrNull(op.kind === ':+') ? [] : yield* argSegs();
    case '=': case ':=': {
      if (!unsetOrNull(op.kind === ':=')) return word(val!);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ExpandError(`$${name}: cannot assign in this way`, false);
      const v = joinSegs(yield* expandParts(op.arg, cx));
      cx.set(name, v);
      return word(v);
    }
    case '?': case ':?': {
      if (!unsetOrNull(op.kind === ':?')) return word(val!);
      const msg = joinSegs(yield* expandParts(op.arg, cx));
      throw new ExpandError(`${name}: ${msg || (op.kind === ':?' ? 'parameter null or not set' : 'parameter not set')}`, true);
    }
    case '#': case '##': case '%': case '%%': {
      if (val === undefined && cx.nounset) throw new ExpandError(`${name}: unbound variable`, true);
      const pat = yield* patternOf(op.arg, cx);
      return word(removePattern(val ?? '', pat, op.kind));
    }
    case '/': case '//': {
      if (val === undefined && cx.nounset) throw new ExpandError(`${name}: unbound variable`, true);
      let pat = yield* patternOf(op.arg, cx);
      const rep = op.rep ? joinSegs(yield* expandParts(op.rep, cx)) : '';
      const v = val ?? '';
      // ${x/#pat/rep} and ${x/%pat/rep} anchor the match at the start or the end.
      const anchor = op.kind === '/' && pat.length > 0 && !pat[0].q && (pat[0].c === '#' || pat[0].c === '%') ? pat[0].c : undefined;
      if (anchor) {
        pat = pat.slice(1);
        const kind = anchor === '#' ? '##' : '%%';
        const rest = removePattern(v, pat, kind);
        if (rest === v && !matchPattern(pat, '')) return word(v);
        return word(anchor === '#' ? rep + rest : rest + rep);
      }
      return word(replacePattern(v, pat, rep, op.kind === '//'));
    }
  }
}

/** The text of $((...)) or ((...)) with its own $x and $(...) expansions parsed. */
export function arithParts(src: string, line: number): WordPart[] {
  try {
    return new Lexer(src, 0, line).scanAll('heredoc');
  } catch (e) {
    if (e instanceof ParseError) throw new ExpandError(`${src}: ${e.message}`, false);
    throw e;
  }
}

function joinSegs(segs: Seg[]): string {
  let s = '';
  for (const x of segs) if (!('brk' in x)) s += x.s;
  return s;
}

function* patternOf(parts: readonly WordPart[], cx: ExpCtx): Co<PatChar[]> {
  const segs = yield* expandParts(parts, cx);
  const pat: PatChar[] = [];
  for (const x of segs) if (!('brk' in x)) for (const c of x.s) pat.push({ c, q: x.q });
  return pat;
}

/** A word as a pattern (case, [[ == ]], ${x#...}): quoted characters match literally. */
export function* expandPattern(w: Word, cx: ExpCtx): Co<PatChar[]> {
  return yield* patternOf(w.parts, cx);
}

/** Expansion without splitting or globbing: assignments, redirection targets, here-docs, case. */
export function* expandString(parts: readonly WordPart[], cx: ExpCtx): Co<string> {
  return joinSegs(yield* expandParts(parts, cx));
}

/**
 * A field being built: its text, and the quoted/unquoted pieces it came from, which make its
 * glob pattern (one PatChar per character) only when an unquoted glob character is in it.
 */
interface Field { text: string; pieces: { s: string; q: boolean }[]; glob: boolean; present: boolean }

const GLOB_CHARS = /[*?[]/;

function fieldPattern(f: Field): PatChar[] {
  const pat: PatChar[] = [];
  for (const p of f.pieces) for (const c of p.s) pat.push({ c, q: p.q });
  return pat;
}

/** Full expansion of command words: fields after splitting and pathname expansion. */
export function* expandWords(words: readonly Word[], cx: ExpCtx): Co<string[]> {
  const out: string[] = [];
  for (const w of words) for (const b of braceExpand(w)) out.push(...(yield* expandWord(b, cx)));
  return out;
}

export function* expandWord(w: Word, cx: ExpCtx): Co<string[]> {
  const segs = yield* expandParts(w.parts, cx);
  return splitAndGlob(segs, cx);
}

function splitAndGlob(segs: Seg[], cx: ExpCtx): string[] {
  const ifs = cx.ifs;
  const isWs = (c: string): boolean => (c === ' ' || c === '\t' || c === '\n') && ifs.includes(c);
  const fields: Field[] = [];
  let cur: Field = { text: '', pieces: [], glob: false, present: false };
  let afterWsDelim = false;
  const push = (): void => { fields.push(cur); cur = { text: '', pieces: [], glob: false, present: false }; };
  for (const seg of segs) {
    if ('brk' in seg) { cur.present = true; push(); continue; }
    if (!seg.split) {
      cur.text += seg.s;
      cur.pieces.push({ s: seg.s, q: seg.q });
      if (!seg.q && GLOB_CHARS.test(seg.s)) cur.glob = true;
      if (seg.s !== '' || seg.q) cur.present = true;
      afterWsDelim = false;
      continue;
    }
    for (const c of seg.s) {
      if (ifs.includes(c)) {
        if (isWs(c)) {
          if (cur.present) { push(); afterWsDelim = true; }
        } else {
          if (!afterWsDelim) push();
          afterWsDelim = false;
        }
        continue;
      }
      afterWsDelim = false;
      cur.text += c;
      cur.pieces.push({ s: c, q: false });
      if (c === '*' || c === '?' || c === '[') cur.glob = true;
      cur.present = true;
    }
  }
  if (cur.present) fields.push(cur);
  const out: string[] = [];
  for (const f of fields) {
    if (!cx.noglob && f.glob) {
      const pat = fieldPattern(f);
      const m = globPaths(pat, cx.cwd, cx.glob);
      if (m.length > 0 || cx.nullglob) { out.push(...m); continue; }
    }
    out.push(f.text);
  }
  return out;
}

/** Here-doc body expansion (bodies with a quoted delimiter are a single literal part). */
export function* expandHeredoc(parts: readonly WordPart[], cx: ExpCtx): Co<string> {
  return yield* expandString(parts, cx);
}

