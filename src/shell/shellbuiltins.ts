/**
 * Builtins that need the interpreter: variables, options, control flow, command lookup.
 * Job control (sleep, wait, kill, jobs, timeout) is in jobctl.ts.
 */
import { ArithError, evalArith } from './arith.ts';
import { type BuiltinIO, cat, echo, printf, test } from './builtins.ts';
import type { Co } from './coro.ts';
import { printFunction } from './format.ts';
import type { Ctx, Interp } from './interp.ts';
import { JOB_BUILTINS, killList, parseSignal, sigName } from './jobctl.ts';
import { BreakSignal, ContinueSignal, ExitSignal, ReturnSignal } from './signals.ts';
import type { ShellState } from './state.ts';

export type Builtin = (it: Interp, argv: string[], ctx: Ctx) => Co<number>;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function bio(it: Interp, ctx: Ctx): BuiltinIO {
  return {
    out: (t) => ctx.io.fds.get(1)?.write(t),
    err: (t) => ctx.io.fds.get(2)?.write(t),
    prefix: it.prefix(ctx),
    readStdin: () => ctx.io.stdin.takeAll(),
  };
}

function errCount(ctx: Ctx): number {
  const s = ctx.io.fds.get(1) as { errors?: number } | null | undefined;
  return s?.errors ?? 0;
}

/** Runs an output builtin and reports write errors as bash does (`echo: write error: ...`). */
function writer(name: string, f: (it: Interp, argv: string[], ctx: Ctx, io: BuiltinIO) => number): Builtin {
  return function* (it, argv, ctx) {
    const before = errCount(ctx);
    const out = ctx.io.fds.get(1);
    let wrote = false;
    const io = bio(it, ctx);
    const st = f(it, argv, ctx, { ...io, out: (t) => { wrote = true; io.out(t); } });
    if (out === null && wrote) { it.err(ctx, `${name}: write error: Bad file descriptor`); return 1; }
    if (errCount(ctx) > before) {
      it.err(ctx, `${name}: write error: ${(out as { error?: string }).error}`);
      return 1;
    }
    return st;
  };
}

const sync = (f: (it: Interp, argv: string[], ctx: Ctx) => number): Builtin =>
  function* (it, argv, ctx) { return f(it, argv, ctx); };

// ------------------------------------------------------------------ options & variables

/** shopt: nullglob works; other common options are accepted and ignored. */
const SHOPT_KNOWN = ['nullglob', 'extglob', 'expand_aliases', 'globstar', 'dotglob', 'nocaseglob', 'failglob', 'inherit_errexit', 'lastpipe', 'checkwinsize', 'histappend', 'sourcepath', 'xpg_echo'];
const shoptState = new WeakMap<ShellState, Set<string>>();

const shopt: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  const on = shoptState.get(sh) ?? new Set(['sourcepath', 'checkwinsize', 'expand_aliases']);
  shoptState.set(sh, on);
  if (sh.opts.nullglob) on.add('nullglob'); else on.delete('nullglob');
  let mode: 's' | 'u' | 'q' | 'p' | undefined;
  let quiet = false;
  const names: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^-[suqpo]+$/.test(a)) {
      if (a.includes('q')) quiet = true;
      if (a.includes('s')) mode = 's';
      else if (a.includes('u')) mode = 'u';
      continue;
    }
    names.push(a);
  }
  let st = 0;
  const out = ctx.io.fds.get(1);
  const list = names.length ? names : mode ? [] : SHOPT_KNOWN;
  for (const n of list) {
    if (!SHOPT_KNOWN.includes(n)) { it.err(ctx, `shopt: ${n}: invalid shell option name`); st = 1; continue; }
    if (mode === 's') on.add(n);
    else if (mode === 'u') on.delete(n);
    else if (quiet) { if (!on.has(n)) st = 1; }
    else { out?.write(`${n.padEnd(15)}\t${on.has(n) ? 'on' : 'off'}\n`); if (names.length && !on.has(n)) st = 1; }
  }
  sh.opts.nullglob = on.has('nullglob');
  return st;
};

const OPTION_NAMES: Record<string, keyof ShellState['opts']> = {
  errexit: 'errexit', xtrace: 'xtrace', pipefail: 'pipefail', nounset: 'nounset', noglob: 'noglob',
};
const OPTION_LETTERS: Record<string, keyof ShellState['opts']> = { e: 'errexit', x: 'xtrace', u: 'nounset', f: 'noglob' };
const SET_USAGE = 'set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n';
const IGNORED_LETTERS = 'abhkmnptvBCEHPT';

function quoteValue(v: string): string {
  return /^[A-Za-z0-9_\/.,:@%+=^-]*$/.test(v) && v !== '' ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

const set: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  const out = (t: string): void => { ctx.io.fds.get(1)?.write(t); };
  if (argv.length === 1) {
    for (const k of [...sh.vars.keys()].sort()) {
      const v = sh.vars.get(k)!;
      if (v.value !== undefined) out(`${k}=${quoteValue(v.value)}\n`);
    }
    return 0;
  }
  const setOpt = (name: string, on: boolean): boolean => {
    const o = Object.hasOwn(OPTION_NAMES, name) ? OPTION_NAMES[name] : undefined;
    if (!o) {
      if (['allexport', 'braceexpand', 'emacs', 'errtrace', 'functrace', 'hashall', 'histexpand', 'history', 'ignoreeof', 'interactive-comments', 'keyword', 'monitor', 'noclobber', 'noexec', 'nolog', 'notify', 'onecmd', 'physical', 'posix', 'privileged', 'verbose', 'vi'].includes(name)) return true;
      it.err(ctx, `set: ${name}: invalid option name`);
      return false;
    }
    sh.opts[o] = on;
    return true;
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { sh.positional = argv.slice(i + 1); return 0; }
    if (a === '-') { sh.opts.xtrace = false; sh.positional = argv.slice(i + 1); return 0; }
    if ((a === '-o' || a === '+o') && i + 1 >= argv.length) {
      for (const [n, k] of Object.entries(OPTION_NAMES)) {
        out(a === '-o' ? `${n.padEnd(15)}\t${sh.opts[k] ? 'on' : 'off'}\n` : `set ${sh.opts[k] ? '-o' : '+o'} ${n}\n`);
      }
      return 0;
    }
    if (/^[-+]/.test(a) && a.length > 1) {
      const on = a[0] === '-';
      for (const c of a.slice(1)) {
        if (c === 'o') {
          const name = argv[++i];
          if (name === undefined) return 0;
          if (!setOpt(name, on)) return 2;
          continue;
        }
        const o = Object.hasOwn(OPTION_LETTERS, c) ? OPTION_LETTERS[c] : undefined;
        if (o) { sh.opts[o] = on; continue; }
        if (IGNORED_LETTERS.includes(c)) continue;
        it.err(ctx, `set: ${a[0]}${c}: invalid option`);
        ctx.io.fds.get(2)?.write(SET_USAGE);
        return 2;
      }
      continue;
    }
    sh.positional = argv.slice(i);
    return 0;
  }
  return 0;
};

function assignArg(it: Interp, ctx: Ctx, builtin: string, a: string, after: (name: string) => void): boolean {
  const m = /^([^=+]*)(\+?=)?([\s\S]*)$/.exec(a)!;
  const name = m[1];
  if (!NAME_RE.test(name) || (m[2] === undefined && a.includes('+'))) {
    it.err(ctx, `${builtin}: \`${a}': not a valid identifier`);
    return false;
  }
  if (m[2] !== undefined) {
    const v = m[2] === '+=' ? (ctx.sh.get(name) ?? '') + m[3] : m[3];
    if (!ctx.sh.set(name, v)) { it.err(ctx, `${name}: readonly variable`); return false; }
  }
  after(name);
  return true;
}

function declQuote(v: string): string {
  return `"${v.replace(/[\\"$`]/g, '\\$&')}"`;
}

const exportB: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  let args = argv.slice(1);
  let unexport = false;
  while (args[0] && /^-[nfp]+$/.test(args[0])) { if (args[0].includes('n')) unexport = true; args = args.slice(1); }
  if (args[0] === '--') args = args.slice(1);
  if (args.length === 0) {
    for (const k of [...sh.vars.keys()].sort()) {
      const v = sh.vars.get(k)!;
      if (v.exported) ctx.io.fds.get(1)?.write(v.value === undefined ? `declare -x ${k}\n` : `declare -x ${k}=${declQuote(v.value)}\n`);
    }
    return 0;
  }
  let st = 0;
  for (const a of args) {
    const ok = assignArg(it, ctx, 'export', a, (name) => {
      const v = sh.vars.get(name);
      if (v) v.exported = !unexport;
      else if (!unexport) sh.vars.set(name, { value: undefined, exported: true, readonly: false });
    });
    if (!ok) st = 1;
  }
  return st;
};

const readonlyB: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  const args = argv.slice(1).filter((a) => !/^-[pf]+$/.test(a) && a !== '--');
  if (args.length === 0) {
    for (const k of [...sh.vars.keys()].sort()) {
      const v = sh.vars.get(k)!;
      if (v.readonly) ctx.io.fds.get(1)?.write(v.value === undefined ? `declare -r ${k}\n` : `declare -r ${k}=${declQuote(v.value)}\n`);
    }
    return 0;
  }
  let st = 0;
  for (const a of args) {
    const ok = assignArg(it, ctx, 'readonly', a, (name) => {
      const v = sh.vars.get(name);
      if (v) v.readonly = true;
      else sh.vars.set(name, { value: undefined, exported: false, readonly: true });
    });
    if (!ok) st = 1;
  }
  return st;
};

const declare: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  let exp = false;
  let ro = false;
  let global = false;
  const names: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      if (/[aA]/.test(a)) { it.err(ctx, `${argv[0]}: arrays are not supported by vnet`); return 1; }
      if (a.includes('f') || a.includes('F')) return 0;
      if (a.includes('x')) exp = a[0] === '-';
      if (a.includes('r')) ro = true;
      if (a.includes('g')) global = true;
      continue;
    }
    names.push(a);
  }
  let st = 0;
  for (const a of names) {
    const name = a.replace(/\+?=[\s\S]*$/, '');
    if (sh.funcDepth > 0 && !global && NAME_RE.test(name)) sh.makeLocal(name);
    const ok = assignArg(it, ctx, argv[0], a, (n) => {
      let v = sh.vars.get(n);
      if (!v) { v = { value: undefined, exported: false, readonly: false }; sh.vars.set(n, v); }
      if (exp) v.exported = true;
      if (ro) v.readonly = true;
    });
    if (!ok) st = 1;
  }
  return st;
};

const local: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  if (sh.funcDepth === 0) { it.err(ctx, 'local: can only be used in a function'); return 1; }
  let st = 0;
  for (const a of argv.slice(1)) {
    if (/^-[a-zA-Z]+$/.test(a)) continue;
    const name = a.replace(/\+?=[\s\S]*$/, '');
    if (NAME_RE.test(name)) sh.makeLocal(name);
    const ok = assignArg(it, ctx, 'local', a, (n) => {
      if (!a.includes('=') && !sh.vars.has(n)) sh.vars.set(n, { value: undefined, exported: false, readonly: false });
    });
    if (!ok) st = 1;
  }
  return st;
};

const unset: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  let mode: 'v' | 'f' | 'any' = 'any';
  let st = 0;
  for (const a of argv.slice(1)) {
    if (a === '-v') { mode = 'v'; continue; }
    if (a === '-f') { mode = 'f'; continue; }
    if (a === '--') continue;
    if (mode !== 'f' && sh.vars.has(a)) {
      if (sh.vars.get(a)!.readonly) { it.err(ctx, `unset: ${a}: cannot unset: readonly variable`); st = 1; continue; }
      sh.vars.delete(a);
      continue;
    }
    if (mode === 'v' && !NAME_RE.test(a)) { it.err(ctx, `unset: \`${a}': not a valid identifier`); st = 1; continue; }
    if (mode !== 'v') sh.funcs.delete(a);
  }
  return st;
};

/** Splits a line for `read` on IFS; backslash-escaped characters never split. */
function readSplit(chars: { c: string; esc: boolean }[], n: number, ifs: string): string[] {
  const isWs = (c: string): boolean => ' \t\n'.includes(c) && ifs.includes(c);
  const isIfs = (x: { c: string; esc: boolean }): boolean => !x.esc && ifs.includes(x.c);
  let i = 0;
  const skipWs = (): void => { while (i < chars.length && !chars[i].esc && isWs(chars[i].c)) i++; };
  skipWs();
  const out: string[] = [];
  while (out.length < n - 1 && i < chars.length) {
    let f = '';
    while (i < chars.length && !isIfs(chars[i])) f += chars[i++].c;
    out.push(f);
    skipWs();
    if (i < chars.length && isIfs(chars[i]) && !isWs(chars[i].c)) { i++; skipWs(); }
  }
  // The last name takes the rest, minus trailing IFS whitespace.
  let end = chars.length;
  while (end > i && !chars[end - 1].esc && isWs(chars[end - 1].c)) end--;
  out.push(chars.slice(i, end).map((x) => x.c).join(''));
  return out;
}

const read: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  let raw = false;
  let delim = '\n';
  const names: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (names.length === 0 && /^-[rs]+$/.test(a)) { if (a.includes('r')) raw = true; continue; }
    if (names.length === 0 && (a === '-p' || a === '-t' || a === '-u' || a === '-n' || a === '-N')) { i++; continue; }
    if (names.length === 0 && a === '-d') { delim = argv[++i] ?? ''; delim = delim === '' ? '\0' : delim[0]; continue; }
    if (names.length === 0 && a === '-a') { it.err(ctx, 'read: arrays are not supported by vnet'); return 2; }
    if (a === '--' && names.length === 0) continue;
    if (!NAME_RE.test(a)) { it.err(ctx, `read: \`${a}': not a valid identifier`); return 1; }
    names.push(a);
  }
  const input = ctx.io.stdin;
  const chars: { c: string; esc: boolean }[] = [];
  let eof = true;
  const text = input.text;
  let p = input.pos;
  while (p < text.length) {
    const c = text[p++];
    if (c === delim) { eof = false; break; }
    if (!raw && c === '\\') {
      if (p >= text.length) break;
      const n = text[p++];
      if (n === '\n') continue;
      chars.push({ c: n, esc: true });
      continue;
    }
    chars.push({ c, esc: false });
  }
  const hadData = p > input.pos;
  input.pos = p;
  const ifsVar = sh.vars.get('IFS');
  const ifs = ifsVar === undefined || ifsVar.value === undefined ? ' \t\n' : ifsVar.value;
  const setv = (n: string, v: string): boolean => {
    if (sh.set(n, v)) return true;
    it.err(ctx, `${n}: readonly variable`);
    return false;
  };
  if (names.length === 0) {
    if (!setv('REPLY', chars.map((x) => x.c).join(''))) return 1;
  } else {
    const fields = readSplit(chars, names.length, ifs);
    for (let k = 0; k < names.length; k++) if (!setv(names[k], fields[k] ?? '')) return 1;
  }
  return eof || !hadData ? 1 : 0;
};

function numArg(it: Interp, ctx: Ctx, name: string, a: string | undefined, dflt: number): number | undefined {
  if (a === undefined) return dflt;
  if (!/^\s*[+-]?[0-9]+\s*$/.test(a)) { it.err(ctx, `${name}: ${a}: numeric argument required`); return undefined; }
  return Number(a);
}

const exit: Builtin = function* (it, argv, ctx) {
  if (it.cfg.interactive && ctx.level === 0 && !ctx.job) ctx.io.fds.get(2)?.write('exit\n');
  if (argv.length > 2) { it.err(ctx, 'exit: too many arguments'); return 1; }
  const a = argv[1];
  if (a !== undefined && !/^\s*[+-]?[0-9]+\s*$/.test(a)) {
    it.err(ctx, `exit: ${a}: numeric argument required`);
    throw new ExitSignal(2);
  }
  const n = a === undefined ? ctx.sh.status : Number(BigInt.asUintN(8, BigInt(a.trim())));
  throw new ExitSignal(n);
};

const returnB: Builtin = function* (it, argv, ctx) {
  if (ctx.sh.funcDepth === 0 && !ctx.sh.sourcing) {
    it.err(ctx, "return: can only `return' from a function or sourced script");
    return 2;
  }
  const a = argv[1];
  if (a !== undefined && !/^\s*[+-]?[0-9]+\s*$/.test(a)) {
    it.err(ctx, `return: ${a}: numeric argument required`);
    throw new ReturnSignal(2);
  }
  throw new ReturnSignal(a === undefined ? ctx.sh.status : Number(BigInt.asUintN(8, BigInt(a.trim()))));
};

function loopCtl(kind: 'break' | 'continue'): Builtin {
  return function* (it, argv, ctx) {
    const n = numArg(it, ctx, kind, argv[1], 1);
    if (n === undefined) return 1;
    if (n < 1) { it.err(ctx, `${kind}: ${argv[1]}: loop count out of range`); return 1; }
    if (ctx.loopDepth === 0) {
      it.err(ctx, `${kind}: only meaningful in a \`for', \`while', or \`until' loop`);
      return 0;
    }
    const k = Math.min(n, ctx.loopDepth);
    throw kind === 'break' ? new BreakSignal(k) : new ContinueSignal(k);
  };
}

const shift: Builtin = function* (it, argv, ctx) {
  const n = numArg(it, ctx, 'shift', argv[1], 1);
  if (n === undefined) return 1;
  if (n < 0) { it.err(ctx, `shift: ${argv[1]}: shift count out of range`); return 1; }
  if (n > ctx.sh.positional.length) return 1;
  ctx.sh.positional = ctx.sh.positional.slice(n);
  return 0;
};

const cd: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  const args = argv.slice(1).filter((a) => a !== '-L' && a !== '-P' && a !== '--');
  if (args.length > 1) { it.err(ctx, 'cd: too many arguments'); return 1; }
  let dir: string | undefined = args[0];
  let print = false;
  if (dir === undefined) {
    dir = sh.get('HOME');
    if (dir === undefined) { it.err(ctx, 'cd: HOME not set'); return 1; }
  } else if (dir === '-') {
    dir = sh.get('OLDPWD');
    if (dir === undefined) { it.err(ctx, 'cd: OLDPWD not set'); return 1; }
    print = true;
  }
  if (dir === '') return 0;
  const abs = it.abs(ctx, dir);
  if (abs !== '/' && !it.host.listDir(it.cfg.netns, abs).ok) {
    it.err(ctx, `cd: ${dir}: ${it.host.exists(it.cfg.netns, abs) ? 'Not a directory' : 'No such file or directory'}`);
    return 1;
  }
  sh.set('OLDPWD', sh.cwd);
  sh.cwd = abs;
  sh.set('PWD', abs);
  if (print) ctx.io.fds.get(1)?.write(abs + '\n');
  return 0;
};

const evalB: Builtin = function* (it, argv, ctx) {
  const src = argv.slice(1).join(' ');
  if (src.trim() === '') return 0;
  return yield* it.runText(src, ctx.sh.line, ctx, 'eval');
};

const source: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  const file = argv[1];
  if (file === undefined) {
    it.err(ctx, `${argv[0]}: filename argument required`);
    ctx.io.fds.get(2)?.write(`${argv[0]}: usage: ${argv[0]} filename [arguments]\n`);
    return 2;
  }
  const r = it.readPath(ctx, file);
  if (!r.ok) { it.err(ctx, `${file}: ${r.message}`); return 1; }
  const savedPos = sh.positional;
  if (argv.length > 2) sh.positional = argv.slice(2);
  sh.sourcing++;
  try {
    return yield* it.runText(r.value, 1, ctx, file);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  } finally {
    sh.sourcing--;
    if (argv.length > 2) sh.positional = savedPos;
  }
};

const let_: Builtin = function* (it, argv, ctx) {
  if (argv.length < 2) { it.err(ctx, 'let: expression expected'); return 1; }
  let v = 0n;
  for (const a of argv.slice(1)) {
    try {
      v = evalArith(a, it.arithVars(ctx));
    } catch (e) {
      if (e instanceof ArithError) { it.err(ctx, e.message); return 1; }
      throw e;
    }
  }
  return v !== 0n ? 0 : 1;
};

const trap: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  const args = argv.slice(1).filter((a) => a !== '--');
  if (args.length === 0 || args[0] === '-p') {
    for (const [k, v] of sh.traps) ctx.io.fds.get(1)?.write(`trap -- '${v.replace(/'/g, `'\\''`)}' ${k}\n`);
    return 0;
  }
  if (args[0] === '-l') { ctx.io.fds.get(1)?.write(killList()); return 0; }
  let action: string | undefined = args[0];
  let sigs = args.slice(1);
  if (/^[0-9]+$/.test(action) && sigs.length === 0) { sigs = [action]; action = undefined; }
  if (action === '-') action = undefined;
  let st = 0;
  for (const s of sigs) {
    const up = s.toUpperCase().replace(/^SIG/, '');
    const name = up === '0' || up === 'EXIT' ? 'EXIT' : ['ERR', 'DEBUG', 'RETURN'].includes(up) ? up : parseSignal(s) !== undefined ? sigName(parseSignal(s)!) ?? 'EXIT' : undefined;
    if (!name) { it.err(ctx, `trap: ${s}: invalid signal specification`); st = 1; continue; }
    if (action === undefined) sh.traps.delete(name);
    else sh.traps.set(name, action);
  }
  return st;
};

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', '{', '}', '!', '[[', ']]', 'coproc']);

type Kind = { kind: 'keyword' | 'function' | 'builtin' } | { kind: 'file'; path: string } | undefined;

function lookup(it: Interp, ctx: Ctx, name: string): Kind {
  if (KEYWORDS.has(name)) return { kind: 'keyword' };
  if (ctx.sh.funcs.has(name)) return { kind: 'function' };
  if (Object.hasOwn(BUILTINS, name) || name === 'command' || name === 'type') return { kind: 'builtin' };
  if (name.includes('/')) return it.host.exists(it.cfg.netns, it.abs(ctx, name)) ? { kind: 'file', path: name } : undefined;
  const path = it.host.which ? it.host.which(name) : `/usr/bin/${name}`;
  return path === undefined ? undefined : { kind: 'file', path };
}

function describe(ctx: Ctx, name: string, k: NonNullable<Kind>): string {
  switch (k.kind) {
    case 'keyword': return `${name} is a shell keyword\n`;
    case 'builtin': return `${name} is a shell builtin\n`;
    case 'file': return `${name} is ${k.path}\n`;
    case 'function': return `${name} is a function\n${printFunction(ctx.sh.funcs.get(name)!)}\n`;
  }
}

/** `command [-v|-V] name...`, or run a command bypassing functions. */
const command: Builtin = function* (it, argv, ctx) {
  let i = 1;
  let mode: 'v' | 'V' | undefined;
  for (; i < argv.length && /^-[pvV]+$/.test(argv[i]); i++) {
    if (argv[i].includes('V')) mode = 'V';
    else if (argv[i].includes('v')) mode = mode ?? 'v';
  }
  if (argv[i] === '--') i++;
  const names = argv.slice(i);
  if (names.length === 0) return 0;
  if (!mode) {
    const name = names[0];
    if (Object.hasOwn(BUILTINS, name) || name === 'command' || name === 'type') return yield* ctx.sh.funcs.has(name) ? it.dispatchNoFunc(names, ctx) : it.dispatch(names, new Map(), ctx);
    return yield* it.dispatchNoFunc(names, ctx);
  }
  const out = ctx.io.fds.get(1);
  let found = false;
  for (const n of names) {
    const k = lookup(it, ctx, n);
    if (!k) { if (mode === 'V') it.err(ctx, `command: ${n}: not found`); continue; }
    found = true;
    out?.write(mode === 'V' ? describe(ctx, n, k) : `${k.kind === 'file' ? k.path : n}\n`);
  }
  return found ? 0 : 1;
};

const type: Builtin = function* (it, argv, ctx) {
  let i = 1;
  let flag = '';
  for (; i < argv.length && /^-[tpPaf]+$/.test(argv[i]); i++) flag += argv[i].slice(1);
  const out = ctx.io.fds.get(1);
  let st = 0;
  for (const n of argv.slice(i)) {
    const k = lookup(it, ctx, n);
    if (!k) {
      if (!flag.includes('t') && !/[pP]/.test(flag)) it.err(ctx, `type: ${n}: not found`);
      st = 1;
      continue;
    }
    if (flag.includes('t')) out?.write(k.kind + '\n');
    else if (/[pP]/.test(flag)) { if (k.kind === 'file') out?.write(k.path + '\n'); else if (flag.includes('P')) st = 1; }
    else out?.write(describe(ctx, n, k));
  }
  return st;
};

const exec: Builtin = function* (it, argv, ctx) {
  if (argv.length === 1) {
    it.err(ctx, 'exec: redirections without a command are not supported by vnet');
    return 1;
  }
  // execve failing: bash's own words, status 127, and a non-interactive shell ends there.
  const name = argv[1]!;
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (!ctx.sh.funcs.has(name) && !it.isBuiltin(name) && it.host.which && it.host.which(base) === undefined) {
    it.err(ctx, name.includes('/') ? `${name}: No such file or directory` : `exec: ${name}: not found`);
    if (it.cfg.interactive) return 127;
    throw new ExitSignal(127);
  }
  const st = yield* it.dispatch(argv.slice(1), new Map(), ctx);
  throw new ExitSignal(st);
};

const catBuiltin = writer('cat', (it, argv, ctx, io) => cat(argv.slice(1), io, (p) => it.readPath(ctx, p)));

export const BUILTINS: Record<string, Builtin> = {
  ':': sync(() => 0),
  true: sync(() => 0),
  false: sync(() => 1),
  echo: writer('echo', (_it, argv, _ctx, io) => echo(argv.slice(1), io)),
  printf: writer('printf', (it, argv, ctx, io) => printf(argv.slice(1), io, (name, v) => {
    if (!NAME_RE.test(name)) { it.err(ctx, `printf: \`${name}': not a valid identifier`); return 2; }
    if (!ctx.sh.set(name, v)) { it.err(ctx, `${name}: readonly variable`); return 1; }
    return 0;
  })),
  test: sync((it, argv, ctx) => test('test', argv.slice(1), bio(it, ctx), it.testFs(ctx))),
  '[': sync((it, argv, ctx) => test('[', argv.slice(1), bio(it, ctx), it.testFs(ctx))),
  cat: function* (it, argv, ctx) {
    // A blocking device (/dev/tapN) is read by the cat program, which waits on the virtual clock.
    if (it.readsStream(argv, ctx)) return yield* it.program(argv, ctx);
    return yield* catBuiltin(it, argv, ctx);
  },
  pwd: sync((_it, _argv, ctx) => { ctx.io.fds.get(1)?.write(ctx.sh.cwd + '\n'); return 0; }),
  ...JOB_BUILTINS,
  set,
  export: exportB,
  readonly: readonlyB,
  declare,
  typeset: declare,
  local,
  unset,
  read,
  exit,
  return: returnB,
  break: loopCtl('break'),
  continue: loopCtl('continue'),
  shift,
  cd,
  eval: evalB,
  source,
  '.': source,
  let: let_,
  trap,
  exec,
  command,
  type,
  shopt,
  umask: sync((_it, argv, ctx) => { if (argv.length === 1) ctx.io.fds.get(1)?.write('0022\n'); return 0; }),
  ulimit: sync((_it, argv, ctx) => { ctx.io.fds.get(1)?.write(argv.includes('-n') ? '1024\n' : 'unlimited\n'); return 0; }),
};
