/**
 * Syntax tree of the bash subset vnet runs. Offsets (`start`/`end`) index the source text the
 * node was parsed from, so the runner can report each top-level command exactly as written.
 */

/**
 * One piece of a word. `q` (quoted) parts are never field-split or globbed.
 * Unquoted literal text is globbed but not split; unquoted expansions are both.
 */
export type WordPart =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'param'; name: string; q: boolean; op?: ParamOp; raw: string }
  | { t: 'cmd'; src: string; line: number; q: boolean }
  | { t: 'arith'; src: string; line: number; q: boolean }
  | { t: 'tilde'; user: string }
  /** `${...}` bash rejects only when it is expanded ("bad substitution"). */
  | { t: 'bad'; raw: string };

export type ParamOpKind =
  | '-' | ':-' | '=' | ':=' | '+' | ':+' | '?' | ':?'
  | '#' | '##' | '%' | '%%' | 'len' | '/' | '//';

export interface ParamOp {
  kind: ParamOpKind;
  /** The word after the operator (the pattern for `/`). */
  arg: WordPart[];
  /** Replacement for `${x/pat/rep}`. */
  rep?: WordPart[];
}

export interface Word {
  parts: WordPart[];
  /** Source text exactly as written (used for keywords, messages and `jobs` listings). */
  raw: string;
  start: number;
  end: number;
  line: number;
}

export type RedirOp =
  | '>' | '>>' | '>|' | '<' | '<>' | '>&' | '<&' | '&>' | '&>>' | '<<' | '<<-' | '<<<';

/** Filled in by the lexer once it reaches the line after the `<<` operator. */
export interface HereDoc {
  parts: WordPart[];
  /** Source offsets of the body, through the end of the delimiter line (newline excluded). */
  bodyStart: number;
  bodyEnd: number;
  done: boolean;
}

export interface Redir {
  /** Explicit fd number (`2>`), or undefined for the operator's default. */
  fd: number | undefined;
  op: RedirOp;
  target: Word;
  heredoc?: HereDoc;
  line: number;
}

export interface Assign {
  name: string;
  value: Word;
  append: boolean;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Assign[];
  words: Word[];
  redirs: Redir[];
  line: number;
}

export interface Group { type: 'group'; body: List; redirs: Redir[]; line: number }
export interface Subshell { type: 'subshell'; body: List; redirs: Redir[]; line: number }
export interface If {
  type: 'if';
  clauses: { cond: List; body: List }[];
  orElse: List | undefined;
  redirs: Redir[];
  line: number;
}
export interface For {
  type: 'for';
  name: string;
  /** undefined: `for x; do` iterates the positional parameters. */
  items: Word[] | undefined;
  body: List;
  redirs: Redir[];
  line: number;
}
export interface While { type: 'while'; until: boolean; cond: List; body: List; redirs: Redir[]; line: number }
export interface Case {
  type: 'case';
  word: Word;
  arms: { patterns: Word[]; body: List; fall: ';;' | ';&' | ';;&' }[];
  redirs: Redir[];
  line: number;
}
export interface FuncDef { type: 'func'; name: string; body: Command; line: number; src: string }
export interface ArithCmd { type: 'arithcmd'; src: string; redirs: Redir[]; line: number }
/** `[[ ... ]]`: operands and operators as parsed tokens. */
export interface CondCmd { type: 'cond'; expr: CondNode; redirs: Redir[]; line: number }
export type CondNode =
  | { k: 'and' | 'or'; a: CondNode; b: CondNode }
  | { k: 'not'; a: CondNode }
  | { k: 'unary'; op: string; a: Word }
  | { k: 'binary'; op: string; a: Word; b: Word }
  | { k: 'word'; a: Word };

export type Command =
  | SimpleCommand | Group | Subshell | If | For | While | Case | FuncDef | ArithCmd | CondCmd;

export interface Pipeline {
  negate: boolean;
  /** `time [-p] pipeline`: report its (virtual) duration on stderr. */
  time?: 'bash' | 'posix';
  /** `|&` after stage i (stderr joins the pipe too). */
  cmds: { cmd: Command; errToo: boolean }[];
  line: number;
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipe: Pipeline }[];
  line: number;
}

export interface ListItem {
  cmd: AndOr;
  bg: boolean;
  line: number;
  start: number;
  end: number;
  /** Here-doc bodies belonging to this item (their text follows the command line). */
  heredocs: HereDoc[];
}

export interface List { items: ListItem[] }
