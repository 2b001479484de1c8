/**
 * How the kernel runner cuts a scenario into top-level commands.
 *
 * The project's own splitter is `splitScript` in src/shell/index.ts (written by the shell engineer).
 * `loadSplitScript()` uses it as soon as that module exports it; until then it falls back to the
 * minimal stand-in below, which is for the kernel runner's own use only (it is not a shell parser:
 * it only has to find where one top-level and-or list ends and the next begins).
 *
 * Contract (same as src/shell): each top-level command is one and-or list, separated by newline,
 * `;` or `&`. A command ended by `&` keeps the `&` at the end of its text (that is how the runner
 * knows to start it in the background). `line` is the 1-based line of its first character.
 */

export interface SplitCommand {
  line: number;
  command: string;
  /** Set by src/shell's splitter; the stand-in leaves it out and keeps the `&` in the text instead. */
  background?: boolean;
}

export type SplitResult = { ok: true; commands: SplitCommand[] } | { ok: false; error: string };

export type SplitFn = (text: string) => SplitResult;

let cached: { fn: SplitFn; source: 'src/shell' | 'fallback' } | undefined;

/** The real splitter when src/shell/index.ts exports it, else the stand-in. */
export async function loadSplitScript(): Promise<{ fn: SplitFn; source: 'src/shell' | 'fallback' }> {
  if (cached) return cached;
  try {
    const modPath = '../../src/shell/index.ts'; // not a literal: the module may not exist yet
    const mod = (await import(modPath)) as Record<string, unknown>;
    if (typeof mod.splitScript === 'function') {
      cached = { fn: mod.splitScript as SplitFn, source: 'src/shell' };
      return cached;
    }
  } catch {
    // not written yet, or does not load: use the stand-in
  }
  cached = { fn: splitScriptFallback, source: 'fallback' };
  return cached;
}

/** Whether a split command runs in the background: the splitter's flag, else a trailing lone `&`. */
export function runsInBackground(c: SplitCommand): boolean {
  return c.background ?? isBackground(c.command);
}

/** The command text to run, without a trailing background `&`. */
export function foregroundText(c: SplitCommand): string {
  return isBackground(c.command) ? stripBackground(c.command) : c.command;
}

/** True when a command text ends with a lone `&` (background), not `&&` or a redirection like `>&`. */
export function isBackground(command: string): boolean {
  const t = command.replace(/\s+$/, '');
  if (!t.endsWith('&')) return false;
  const before = t.slice(0, -1);
  if (before.endsWith('&') || before.endsWith('>') || before.endsWith('<') || before.endsWith('|')) return false;
  // an escaped \& is a literal character
  let bs = 0;
  for (let i = before.length - 1; i >= 0 && before[i] === '\\'; i--) bs++;
  return bs % 2 === 0;
}

/** The command text without its trailing background `&`. */
export function stripBackground(command: string): string {
  return command.replace(/\s+$/, '').slice(0, -1).replace(/\s+$/, '');
}

const OPEN_WORDS = new Set(['if', 'case', 'for', 'while', 'until', 'select', '{']);
const CLOSE_WORDS = new Set(['fi', 'esac', 'done', '}']);
/** After these words the next word is again in command position. */
const CMD_START_AFTER = new Set(['then', 'do', 'else', 'elif', '{', '!', 'if', 'while', 'until', 'time']);

/**
 * Minimal stand-in splitter. Handles quotes, `\` escapes and line continuations, comments,
 * `$(…)`/`${…}`/backticks, `( … )` subshells, `{ … }` groups, if/case/for/while/until blocks,
 * here-documents and trailing `&&`, `||`, `|` that continue a list onto the next line.
 */
export function splitScriptFallback(text: string): SplitResult {
  const commands: SplitCommand[] = [];
  let i = 0;
  let line = 1;
  let start = -1; // index of the first character of the current command
  let startLine = 0;
  let depth = 0; // open compound commands / subshells
  let caseDepth = 0;
  let word = ''; // current unquoted word being read (for keyword detection)
  let wordIsPlain = true;
  let cmdPos = true; // is the next word in command position?
  let pendingContinuation = false; // the last token was && || |
  const heredocs: { delim: string; strip: boolean }[] = [];
  const n = text.length;

  const begin = () => {
    if (start < 0) {
      start = i;
      startLine = line;
    }
  };
  const endWord = () => {
    if (word === '') return;
    if (wordIsPlain && cmdPos) {
      if (OPEN_WORDS.has(word)) {
        depth++;
        if (word === 'case') caseDepth++;
      } else if (CLOSE_WORDS.has(word)) {
        depth = Math.max(0, depth - 1);
        if (word === 'esac') caseDepth = Math.max(0, caseDepth - 1);
      }
    }
    if (wordIsPlain && cmdPos && CMD_START_AFTER.has(word)) cmdPos = true;
    else if (wordIsPlain && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) && cmdPos) cmdPos = true;
    else cmdPos = false;
    // `for x in …; do`, `case x in`: only the first word of a clause is a keyword
    word = '';
    wordIsPlain = true;
  };
  const finish = (endIdx: number) => {
    if (start >= 0) {
      const cmd = text.slice(start, endIdx).trim();
      if (cmd !== '') commands.push({ line: startLine, command: cmd });
    }
    start = -1;
    cmdPos = true;
    pendingContinuation = false;
  };

  /** Skip a quoted/nested construct starting at i; returns index after it. */
  const skipNested = (from: number): number => {
    let j = from;
    const c = text[j];
    if (c === "'") {
      j++;
      while (j < n && text[j] !== "'") {
        if (text[j] === '\n') line++;
        j++;
      }
      return j + 1;
    }
    if (c === '"') {
      j++;
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\') {
          if (text[j + 1] === '\n') line++;
          j += 2;
          continue;
        }
        if (text[j] === '$' && (text[j + 1] === '(' || text[j + 1] === '{')) {
          j = skipNested(j);
          continue;
        }
        if (text[j] === '`') {
          j = skipNested(j);
          continue;
        }
        if (text[j] === '\n') line++;
        j++;
      }
      return j + 1;
    }
    if (c === '`') {
      j++;
      while (j < n && text[j] !== '`') {
        if (text[j] === '\\') j++;
        else if (text[j] === '\n') line++;
        j++;
      }
      return j + 1;
    }
    if (c === '$' && (text[j + 1] === '(' || text[j + 1] === '{')) {
      const open = text[j + 1];
      const close = open === '(' ? ')' : '}';
      let d = 1;
      j += 2;
      while (j < n && d > 0) {
        const ch = text[j];
        if (ch === "'" || ch === '"' || ch === '`' || (ch === '$' && (text[j + 1] === '(' || text[j + 1] === '{'))) {
          j = skipNested(j);
          continue;
        }
        if (ch === '\\') {
          j += 2;
          continue;
        }
        if (ch === '\n') line++;
        if (ch === open) d++;
        else if (ch === close) d--;
        j++;
      }
      return j;
    }
    return j + 1;
  };

  while (i < n) {
    const c = text[i];
    if (c === '\\') {
      if (text[i + 1] === '\n') {
        // line continuation
        endWord();
        i += 2;
        line++;
        continue;
      }
      begin();
      word += text.slice(i, i + 2);
      wordIsPlain = false;
      i += 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`' || (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{'))) {
      begin();
      const j = skipNested(i);
      if (j > n) return { ok: false, error: `unexpected EOF while looking for matching \`${c}'` };
      word += text.slice(i, j);
      wordIsPlain = false;
      i = j;
      continue;
    }
    if (c === '#' && word === '') {
      // comment to end of line
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      endWord();
      line++;
      i++;
      // here-document bodies follow the line that introduced them
      while (heredocs.length > 0) {
        const h = heredocs.shift()!;
        while (i < n) {
          let e = text.indexOf('\n', i);
          if (e < 0) e = n;
          const l = text.slice(i, e);
          i = Math.min(n, e + 1);
          line++;
          if ((h.strip ? l.replace(/^\t+/, '') : l) === h.delim) break;
        }
      }
      if (depth === 0 && !pendingContinuation) finish(i - 1);
      else cmdPos = true;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
      continue;
    }
    if (c === ';') {
      endWord();
      if (text[i + 1] === ';') {
        // `;;` ends a case item
        i += 2;
        cmdPos = true;
        continue;
      }
      if (depth === 0) {
        finish(i);
        i++;
        continue;
      }
      i++;
      cmdPos = true;
      continue;
    }
    if (c === '&' || c === '|') {
      endWord();
      begin();
      const two = text.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        i += 2;
        pendingContinuation = true;
        cmdPos = true;
        continue;
      }
      if (c === '&' && text[i + 1] === '>') {
        // &> redirection
        i += 2;
        continue;
      }
      if (c === '|') {
        i += text[i + 1] === '&' ? 2 : 1;
        pendingContinuation = true;
        cmdPos = true;
        continue;
      }
      // a single & : background
      const prev = text.slice(0, i).replace(/[ \t]+$/, '');
      if (prev.endsWith('>') || prev.endsWith('<')) {
        i++;
        continue;
      }
      i++;
      if (depth === 0) finish(i);
      else cmdPos = true;
      continue;
    }
    if (c === '(' || c === ')') {
      endWord();
      begin();
      if (caseDepth === 0) {
        if (c === '(') depth++;
        else depth = Math.max(0, depth - 1);
      }
      i++;
      cmdPos = c === '(';
      pendingContinuation = false;
      continue;
    }
    if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      endWord();
      begin();
      let j = i + 2;
      let strip = false;
      if (text[j] === '-') {
        strip = true;
        j++;
      }
      while (text[j] === ' ' || text[j] === '\t') j++;
      const m = /^(?:'([^']*)'|"([^"]*)"|\\?([^\s;&|<>()]+))/.exec(text.slice(j));
      if (m) {
        heredocs.push({ delim: m[1] ?? m[2] ?? m[3] ?? '', strip });
        i = j + m[0].length;
        continue;
      }
      i += 2;
      continue;
    }
    begin();
    pendingContinuation = false;
    word += c;
    i++;
  }
  endWord();
  if (depth > 0) return { ok: false, error: 'syntax error: unexpected end of file' };
  finish(n);
  return { ok: true, commands };
}
