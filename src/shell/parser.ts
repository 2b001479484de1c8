/**
 * Recursive-descent parser for the bash subset. Like bash reading a script, it hands out one
 * "unit" at a time (everything up to the next top-level newline) so the runner can execute the
 * lines before a syntax error, exactly as bash does.
 */
import type {
  AndOr, Assign, Case, Command, CondNode, HereDoc, List, ListItem, Pipeline, Redir, RedirOp,
  SimpleCommand, Word, WordPart,
} from './ast.ts';
import { Lexer, ParseError, type Token } from './lexer.ts';

export { ParseError };

const REDIR_OPS = new Set(['>', '>>', '>|', '<', '<>', '>&', '<&', '&>', '&>>', '<<', '<<-', '<<<']);
/** Reserved words that cannot start a command. */
const NOT_A_COMMAND = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);
const COND_UNARY = new Set([
  '-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-p', '-r', '-s', '-t', '-u', '-w', '-x',
  '-G', '-L', '-N', '-O', '-S', '-z', '-n', '-o', '-v',
]);
const COND_BINARY = new Set(['==', '=', '!=', '=~', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

export interface Unit {
  items: ListItem[];
  /** Here-doc warnings bash prints while reading this unit. */
  warnings: { line: number; msg: string }[];
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class Parser {
  private lx: Lexer;
  private buf: Token[] = [];
  private lastEnd = 0;
  private docs: HereDoc[] = [];
  /** Offset where the unit being parsed starts (for error records). */
  unitStart = 0;
  unitLine = 1;

  constructor(readonly src: string, line = 1) {
    this.lx = new Lexer(src, 0, line);
  }

  private peek(i = 0): Token {
    while (this.buf.length <= i) this.buf.push(this.lx.next());
    return this.buf[i];
  }

  private take(): Token {
    const t = this.peek();
    this.buf.shift();
    if (t.k !== 'nl' && t.k !== 'eof') this.lastEnd = t.end;
    return t;
  }

  private isWord(t: Token, raw: string): boolean {
    return t.k === 'word' && t.word.raw === raw;
  }

  private isOp(t: Token, op: string): boolean {
    return t.k === 'op' && t.op === op;
  }

  fail(t: Token): never {
    if (t.k === 'eof') throw new ParseError('syntax error: unexpected end of file', t.line, false);
    const text = t.k === 'nl' ? 'newline' : this.src.slice(t.start, t.end);
    throw new ParseError(`syntax error near unexpected token \`${text}'`, t.line, true);
  }

  private skipNl(): void {
    while (this.peek().k === 'nl') this.take();
  }

  /** The next top-level line of commands, or null at end of input. Throws ParseError. */
  parseUnit(): Unit | null {
    this.skipNl();
    const first = this.peek();
    this.unitStart = first.start;
    this.unitLine = first.line;
    if (first.k === 'eof') return null;
    const items: ListItem[] = [];
    for (;;) {
      const item = this.parseItem();
      items.push(item);
      const t = this.peek();
      if (t.k === 'nl') { this.take(); break; }
      if (t.k === 'eof') break;
      if (!item.sep) this.fail(t);
    }
    return { items: items.map(stripSep), warnings: this.lx.warnings.splice(0) };
  }

  private parseItem(): ListItem & { sep: boolean } {
    const first = this.peek();
    const docsBefore = this.docs.length;
    const cmd = this.parseAndOr();
    const end = this.lastEnd;
    let bg = false;
    let sep = false;
    const t = this.peek();
    if (this.isOp(t, ';')) { this.take(); sep = true; }
    else if (this.isOp(t, '&')) { this.take(); bg = true; sep = true; }
    const heredocs = this.docs.splice(docsBefore);
    return { cmd, bg, line: first.line, start: first.start, end, heredocs, sep };
  }

  private isStop(t: Token, stops: readonly string[]): boolean {
    if (t.k === 'word') return stops.includes(t.word.raw);
    if (t.k === 'op') return stops.includes(t.op);
    return false;
  }

  /** A compound_list: items separated by `;`, `&` or newlines, up to a stop word. */
  private parseList(stops: readonly string[]): List {
    const items: ListItem[] = [];
    this.skipNl();
    for (;;) {
      const t = this.peek();
      if (t.k === 'eof' || this.isStop(t, stops)) break;
      const item = this.parseItem();
      items.push(stripSep(item));
      if (this.peek().k === 'nl') { this.skipNl(); continue; }
      if (!item.sep) break;
      this.skipNl();
    }
    return { items };
  }

  /** A non-empty list followed by one of `ends` (not consumed). */
  private parseBody(stops: readonly string[]): List {
    const body = this.parseList(stops);
    const t = this.peek();
    if (body.items.length === 0 || !this.isStop(t, stops)) this.fail(t);
    return body;
  }

  private expectWord(raw: string): void {
    const t = this.peek();
    if (!this.isWord(t, raw)) this.fail(t);
    this.take();
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || (t.op !== '&&' && t.op !== '||')) break;
      this.take();
      this.skipNl();
      rest.push({ op: t.op, pipe: this.parsePipeline() });
    }
    return { first, rest, line: first.line };
  }

  private parsePipeline(): Pipeline {
    const start = this.peek();
    let negate = false;
    let time: Pipeline['time'];
    for (;;) {
      if (this.isWord(this.peek(), '!')) { this.take(); negate = !negate; continue; }
      if (this.isWord(this.peek(), 'time') && !time) {
        this.take();
        time = 'bash';
        if (this.isWord(this.peek(), '-p')) { this.take(); time = 'posix'; }
        continue;
      }
      break;
    }
    const nx = this.peek();
    if (time && (nx.k === 'nl' || nx.k === 'eof' || (nx.k === 'op' && [';', '&', '&&', '||', ')', ';;'].includes(nx.op)))) {
      // `time` alone times nothing.
      const w = { parts: [{ t: 'lit' as const, v: ':', q: false }], raw: ':', start: nx.start, end: nx.start, line: nx.line };
      return { negate, time, cmds: [{ cmd: { type: 'simple', assigns: [], words: [w], redirs: [], line: nx.line }, errToo: false }], line: start.line };
    }
    const cmds: Pipeline['cmds'] = [{ cmd: this.parseCommand(), errToo: false }];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || (t.op !== '|' && t.op !== '|&')) break;
      this.take();
      cmds[cmds.length - 1].errToo = t.op === '|&';
      this.skipNl();
      cmds.push({ cmd: this.parseCommand(), errToo: false });
    }
    return { negate, time, cmds, line: start.line };
  }

  private parseCommand(): Command {
    const t = this.peek();
    if (t.k === 'word') {
      const raw = t.word.raw;
      switch (raw) {
        case 'if': return this.withRedirs(this.parseIf());
        case 'for': return this.withRedirs(this.parseFor());
        case 'while': case 'until': return this.withRedirs(this.parseWhile());
        case 'case': return this.withRedirs(this.parseCase());
        case '{': return this.withRedirs(this.parseGroup());
        case '[[': return this.withRedirs(this.parseCond());
        case 'function': return this.parseFunction(true);
      }
      if (NOT_A_COMMAND.has(raw)) this.fail(t);
      if (NAME_RE.test(raw) && this.isOp(this.peek(1), '(')) return this.parseFunction(false);
      return this.parseSimple();
    }
    if (t.k === 'op') {
      if (t.op === '(') {
        const t1 = this.peek(1);
        if (this.isOp(t1, '(') && t1.start === t.end && this.buf.length === 2) {
          const arith = this.tryArithCommand(t, t1);
          if (arith) return this.withRedirs(arith);
        }
        return this.withRedirs(this.parseSubshell());
      }
      if (REDIR_OPS.has(t.op)) return this.parseSimple();
    }
    return this.fail(t);
  }

  private withRedirs<T extends Command & { redirs: Redir[] }>(c: T): T {
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || !REDIR_OPS.has(t.op)) return c;
      c.redirs.push(this.parseRedir());
    }
  }

  /** `(( expr ))`: re-reads the source after `((` up to the matching `))`. */
  private tryArithCommand(t: Token, t1: Token): (Command & { redirs: Redir[] }) | undefined {
    const s = this.src;
    let depth = 0;
    for (let i = t1.end; i < s.length; i++) {
      const c = s[i];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth > 0) { depth--; continue; }
        if (s[i + 1] !== ')') return undefined;
        const src = s.slice(t1.end, i);
        this.buf = [];
        this.lx.pos = i + 2;
        this.lx.line = t.line + (src.match(/\n/g)?.length ?? 0);
        this.lastEnd = i + 2;
        return { type: 'arithcmd', src, redirs: [], line: t.line };
      }
    }
    return undefined;
  }

  private parseRedir(): Redir {
    const t = this.take() as Token & { k: 'op' };
    const target = this.peek();
    if (target.k !== 'word') this.fail(target);
    this.take();
    const r: Redir = { fd: t.fd, op: t.op as RedirOp, target: target.word, line: t.line };
    if (t.op === '<<' || t.op === '<<-') {
      r.heredoc = t.heredoc;
      if (t.heredoc) this.docs.push(t.heredoc);
    }
    return r;
  }

  private parseSimple(): SimpleCommand {
    const first = this.peek();
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirs: [], line: first.line };
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && REDIR_OPS.has(t.op)) { cmd.redirs.push(this.parseRedir()); continue; }
      if (t.k !== 'word') break;
      if (cmd.words.length === 0) {
        const a = asAssignment(t.word);
        if (a) {
          this.take();
          const n = this.peek();
          if (a.value.parts.length === 0 && this.isOp(n, '(') && n.start === t.end) {
            throw new ParseError(`syntax error: array assignment \`${t.word.raw}(...)' is not supported by vnet`, n.line, true);
          }
          cmd.assigns.push(a);
          continue;
        }
      }
      this.take();
      cmd.words.push(t.word);
    }
    if (cmd.assigns.length === 0 && cmd.words.length === 0 && cmd.redirs.length === 0) this.fail(this.peek());
    return cmd;
  }

  private parseSubshell(): Command & { redirs: Redir[] } {
    const t = this.take();
    const body = this.parseBody([')']);
    this.take();
    return { type: 'subshell', body, redirs: [], line: t.line };
  }

  private parseGroup(): Command & { redirs: Redir[] } {
    const t = this.take();
    const body = this.parseBody(['}']);
    this.take();
    return { type: 'group', body, redirs: [], line: t.line };
  }

  private parseIf(): Command & { redirs: Redir[] } {
    const t = this.take();
    const clauses: { cond: List; body: List }[] = [];
    let orElse: List | undefined;
    for (;;) {
      const cond = this.parseBody(['then']);
      this.expectWord('then');
      const body = this.parseBody(['elif', 'else', 'fi']);
      clauses.push({ cond, body });
      const k = this.take() as Token & { k: 'word' };
      if (k.word.raw === 'elif') continue;
      if (k.word.raw === 'else') {
        orElse = this.parseBody(['fi']);
        this.take();
      }
      break;
    }
    return { type: 'if', clauses, orElse, redirs: [], line: t.line };
  }

  private parseWhile(): Command & { redirs: Redir[] } {
    const t = this.take() as Token & { k: 'word' };
    const cond = this.parseBody(['do']);
    this.take();
    const body = this.parseBody(['done']);
    this.take();
    return { type: 'while', until: t.word.raw === 'until', cond, body, redirs: [], line: t.line };
  }

  private parseFor(): Command & { redirs: Redir[] } {
    const t = this.take();
    const nameTok = this.peek();
    if (nameTok.k !== 'word') this.fail(nameTok);
    this.take();
    let items: Word[] | undefined;
    this.skipNl();
    if (this.isWord(this.peek(), 'in')) {
      this.take();
      items = [];
      for (;;) {
        const w = this.peek();
        if (w.k !== 'word') break;
        this.take();
        items.push(w.word);
      }
      const sep = this.peek();
      if (this.isOp(sep, ';') || sep.k === 'nl') this.take();
      else this.fail(sep);
    } else if (this.isOp(this.peek(), ';')) {
      this.take();
    }
    this.skipNl();
    this.expectWord('do');
    const body = this.parseBody(['done']);
    this.take();
    return { type: 'for', name: nameTok.word.raw, items, body, redirs: [], line: t.line };
  }

  private parseCase(): Case {
    const t = this.take();
    const w = this.peek();
    if (w.k !== 'word') this.fail(w);
    this.take();
    this.skipNl();
    this.expectWord('in');
    this.skipNl();
    const arms: Case['arms'] = [];
    for (;;) {
      const p = this.peek();
      if (this.isWord(p, 'esac')) { this.take(); break; }
      if (this.isOp(p, '(')) this.take();
      const patterns: Word[] = [];
      for (;;) {
        const pw = this.peek();
        if (pw.k !== 'word') this.fail(pw);
        this.take();
        patterns.push(pw.word);
        if (this.isOp(this.peek(), '|')) { this.take(); continue; }
        break;
      }
      if (!this.isOp(this.peek(), ')')) this.fail(this.peek());
      this.take();
      const body = this.parseList(['esac', ';;', ';&', ';;&']);
      const e = this.peek();
      let fall: ';;' | ';&' | ';;&' = ';;';
      if (e.k === 'op' && (e.op === ';;' || e.op === ';&' || e.op === ';;&')) {
        this.take();
        fall = e.op;
        this.skipNl();
      } else if (!this.isWord(e, 'esac')) {
        this.fail(e);
      }
      arms.push({ patterns, body, fall });
    }
    return { type: 'case', word: w.word, arms, redirs: [], line: t.line };
  }

  private parseFunction(keyword: boolean): Command {
    const start = this.peek();
    if (keyword) this.take();
    const nameTok = this.peek();
    if (nameTok.k !== 'word') this.fail(nameTok);
    this.take();
    if (this.isOp(this.peek(), '(')) {
      this.take();
      if (!this.isOp(this.peek(), ')')) this.fail(this.peek());
      this.take();
    } else if (!keyword) {
      this.fail(this.peek());
    }
    this.skipNl();
    const b = this.peek();
    const compound = b.k === 'word' ? ['{', 'if', 'for', 'while', 'until', 'case', '[['].includes(b.word.raw) : this.isOp(b, '(');
    if (!compound) this.fail(b);
    const body = this.parseCommand();
    return { type: 'func', name: nameTok.word.raw, body, line: start.line, src: this.src.slice(start.start, this.lastEnd) };
  }

  private parseCond(): Command & { redirs: Redir[] } {
    const t = this.take();
    const expr = this.condOr();
    const e = this.peek();
    if (!this.isWord(e, ']]')) this.fail(e);
    this.take();
    return { type: 'cond', expr, redirs: [], line: t.line };
  }

  private condOr(): CondNode {
    let a = this.condAnd();
    while (this.isOp(this.peek(), '||')) { this.take(); this.skipNl(); a = { k: 'or', a, b: this.condAnd() }; }
    return a;
  }

  private condAnd(): CondNode {
    let a = this.condNot();
    while (this.isOp(this.peek(), '&&')) { this.take(); this.skipNl(); a = { k: 'and', a, b: this.condNot() }; }
    return a;
  }

  private condNot(): CondNode {
    if (this.isWord(this.peek(), '!')) { this.take(); return { k: 'not', a: this.condNot() }; }
    return this.condPrimary();
  }

  private condPrimary(): CondNode {
    const t = this.peek();
    if (this.isOp(t, '(')) {
      this.take();
      const e = this.condOr();
      if (!this.isOp(this.peek(), ')')) this.fail(this.peek());
      this.take();
      return e;
    }
    if (t.k !== 'word' || t.word.raw === ']]') this.fail(t);
    this.take();
    const n = this.peek();
    if (COND_UNARY.has(t.word.raw) && n.k === 'word' && n.word.raw !== ']]') {
      this.take();
      return { k: 'unary', op: t.word.raw, a: n.word };
    }
    let op: string | undefined;
    if (n.k === 'word' && COND_BINARY.has(n.word.raw)) op = n.word.raw;
    else if (n.k === 'op' && (n.op === '<' || n.op === '>')) op = n.op;
    if (op === undefined) return { k: 'word', a: t.word };
    this.take();
    const b = op === '=~' && this.buf.length === 0 ? this.lx.regexWord() : this.peek();
    if (b.k !== 'word' || b.word.raw === '') this.fail(b.k === 'word' ? this.peek() : b);
    if (b === this.buf[0]) this.take();
    else this.lastEnd = b.end;
    return { k: 'binary', op, a: t.word, b: b.word };
  }
}

function stripSep(item: ListItem & { sep?: boolean }): ListItem {
  const { sep: _sep, ...rest } = item;
  return rest;
}

/** `NAME=value` / `NAME+=value` in command position (the name part must be unquoted). */
export function asAssignment(w: Word): Assign | undefined {
  const p0 = w.parts[0];
  if (!p0 || p0.t !== 'lit' || p0.q) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(p0.v);
  if (!m) return undefined;
  const restLit = p0.v.slice(m[0].length);
  const parts: WordPart[] = [];
  if (restLit) parts.push({ t: 'lit', v: restLit, q: false });
  parts.push(...w.parts.slice(1));
  const rawIdx = w.raw.indexOf('=') + 1;
  return {
    name: m[1],
    append: m[2] === '+',
    value: { parts, raw: w.raw.slice(rawIdx), start: w.start + rawIdx, end: w.end, line: w.line },
  };
}

/** Source text of a list item as the runner reports it: here-doc bodies follow the line. */
export function itemText(src: string, item: ListItem): string {
  let text = src.slice(item.start, item.end);
  for (const d of item.heredocs) {
    if (d.done && d.bodyStart >= item.end) text += '\n' + src.slice(d.bodyStart, d.bodyEnd);
  }
  return text;
}
