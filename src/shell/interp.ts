/**
 * The interpreter proper: executes the syntax tree as generators (see coro.ts) against a
 * ShellHost. Builtins live in builtins.ts (pure) and shellbuiltins.ts (those needing the shell).
 */
import type {
  AndOr, Command, CondNode, FuncDef, List, Pipeline, Redir, SimpleCommand, Word,
} from './ast.ts';
import { ArithError, evalArith } from './arith.ts';
import { binaryTest, unaryTest } from './builtins.ts';
import { type Co, SETTLE } from './coro.ts';
import type { Driver } from './driver.ts';
import {
  type ExpCtx, ExpandError, arithParts, expandPattern, expandString, expandWord, expandWords,
} from './expand.ts';
import { printAndOr, printCommand, traceQuote } from './format.ts';
import { joinPath, matchPattern } from './glob.ts';
import type { FileResult, Process, ShellHost, Signal } from './host.ts';
import { ParseError } from './lexer.ts';
import { Parser, asAssignment } from './parser.ts';
import { FileSink, applyRedirs } from './redirect.ts';
import { BUILTINS } from './shellbuiltins.ts';
import {
  AbortLine, BreakSignal, ContinueSignal, ExitSignal, JobAbort, ReturnSignal,
} from './signals.ts';
import {
  BufferSink, type IO, Input, Job, SIGNUM, type ShellState, type Sink, exitStatus, latin1,
} from './state.ts';

export interface Ctx {
  sh: ShellState;
  io: IO;
  /** The background job this code runs in (its processes and signals). */
  job: Job | undefined;
  /** set -e is ignored here (if/while conditions, all but the last of && ||, `!`). */
  noErrexit: boolean;
  loopDepth: number;
  /** 0 for the main shell; +1 per command substitution (set -x prints one `+` per level). */
  level: number;
}

export interface InterpConfig {
  name: string;
  interactive: boolean;
  netns: string;
  maxLoopIterations: number;
  maxFuncDepth: number;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DECL_BUILTINS = new Set(['export', 'local', 'readonly', 'declare', 'typeset']);

export class Interp {
  /** `$$`; synthetic pids for background shell code come after it. */
  readonly pid: number;
  private nextPid: number;
  /** $RANDOM's generator: seeded, so runs are reproducible. */
  private seed = 42;
  private readonly startNs: number;
  /** Every background job not yet finished, whichever (sub)shell started it. */
  readonly liveJobs: Job[] = [];
  onJobDone: (job: Job) => void = () => {};
  /** Set when a foreground command was ended by a signal vnet sent (timeout -s KILL, unstick). */
  fgDeath: { sig: Signal; pid: number } | undefined;

  constructor(readonly host: ShellHost, readonly cfg: InterpConfig, readonly driver: Driver, pid = 4242) {
    this.pid = pid;
    this.nextPid = pid + 1;
    this.startNs = host.now();
    driver.onTick = () => this.tick();
  }

  newPid(): number {
    return this.nextPid++;
  }

  // ------------------------------------------------------------ messages

  prefix(ctx: Ctx): string {
    return this.cfg.interactive ? `${this.cfg.name}: ` : `${this.cfg.name}: line ${ctx.sh.line}: `;
  }

  write(ctx: Ctx, fd: number, text: string): void {
    ctx.io.fds.get(fd)?.write(text);
  }

  /** A shell error message on the command's stderr, with bash's `NAME: line N: ` prefix. */
  err(ctx: Ctx, msg: string): void {
    this.write(ctx, 2, `${this.prefix(ctx)}${msg}\n`);
  }

  // ------------------------------------------------------------ jobs bookkeeping

  tick(): void {
    for (let i = 0; i < this.liveJobs.length; i++) {
      const j = this.liveJobs[i];
      if (j.done && !j.finalized) {
        j.finalized = true;
        this.liveJobs.splice(i--, 1);
        this.onJobDone(j);
      }
    }
  }

  signalJob(job: Job, sig: Signal): void {
    job.killedBy = sig;
    for (const p of job.procs) if (!p.exited) p.kill(sig);
    if (!job.coDone) job.signal = sig;
  }

  startJob(node: AndOr, ctx: Ctx, announce: boolean, tag?: unknown): Job {
    const sh = ctx.sh.clone();
    const c = node.first.cmds[0].cmd;
    const simple = node.rest.length === 0 && !node.first.negate && node.first.cmds.length === 1 && c.type === 'simple';
    const job = new Job(printAndOr(node), simple);
    job.tag = tag;
    job.id = ctx.sh.jobs.reduce((m, j) => Math.max(m, j.id), 0) + 1;
    // Interactive bash prints `[1] PID` before the job's first output: hold that output back.
    let held: [Sink, string][] | undefined = announce ? [] : undefined;
    const io: IO = !announce ? ctx.io : {
      stdin: ctx.io.stdin,
      fds: new Map([...ctx.io.fds].map(([fd, s]): [number, Sink | null] => [fd, s && {
        write: (t: string) => { if (held) held.push([s, t]); else s.write(t); },
        bytes: s.bytes ? (b: Uint8Array) => { if (held) held.push([s, latin1(b)]); else s.bytes!(b); } : undefined,
      }])),
    };
    const jctx: Ctx = { sh, io, job, noErrexit: false, loopDepth: 0, level: ctx.level };
    this.liveJobs.push(job);
    const self = this;
    function* body(): Co<number> {
      try {
        return yield* self.execAndOr(node, jctx);
      } catch (e) {
        if (e instanceof JobAbort) return 128 + SIGNUM[e.sig];
        return self.shellBoundary(e, jctx);
      }
    }
    job.task = this.driver.spawn(body(), (st) => {
      job.coDone = true;
      job.status = st;
    });
    job.pid = (job.simple ? job.firstPid : undefined) ?? this.newPid();
    ctx.sh.jobs.push(job);
    ctx.sh.lastBg = job.pid;
    if (announce) {
      this.write(ctx, 2, `[${job.id}] ${job.pid}\n`);
      const out = held ?? [];
      held = undefined;
      for (const [s, t] of out) s.write(t);
    }
    this.tick();
    return job;
  }

  /** What a subshell-like boundary (subshell, job, $(...)) makes of a thrown control signal. */
  shellBoundary(e: unknown, ctx: Ctx): number {
    if (e instanceof ExitSignal || e instanceof AbortLine || e instanceof ReturnSignal) return e.status;
    if (e instanceof BreakSignal || e instanceof ContinueSignal) return 0;
    if (e instanceof JobAbort) throw e;
    return this.crash(e, ctx);
  }

  /** Last-resort guard: an internal error becomes a message, never an exception to the caller. */
  crash(e: unknown, ctx: Ctx): number {
    const msg = e instanceof RangeError ? 'maximum nesting depth exceeded' : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    this.err(ctx, msg);
    return 2;
  }

  checkSignal(ctx: Ctx): void {
    if (ctx.job?.signal) throw new JobAbort(ctx.job.signal);
    this.checkStop();
  }

  /** The host stopped the run (vnet's run-time limits): a script ends, an interactive line is dropped. */
  private checkStop(): void {
    const stop = this.host.stopRun?.();
    if (stop !== undefined) throw this.cfg.interactive ? new AbortLine(stop) : new ExitSignal(stop);
  }

  // ------------------------------------------------------------ lists

  *execList(list: List, ctx: Ctx): Co<number> {
    let st = 0;
    for (const item of list.items) {
      this.checkSignal(ctx);
      if (item.bg) {
        this.startJob(item.cmd, ctx, false);
        st = 0;
        ctx.sh.status = 0;
      } else {
        st = yield* this.execAndOr(item.cmd, ctx);
      }
    }
    return st;
  }

  *execAndOr(ao: AndOr, ctx: Ctx): Co<number> {
    this.checkStop();
    const n = ao.rest.length;
    const noE = ctx.noErrexit ? ctx : { ...ctx, noErrexit: true };
    let st = yield* this.execPipeline(ao.first, n > 0 ? noE : ctx);
    for (let i = 0; i < n; i++) {
      const { op, pipe } = ao.rest[i];
      if ((op === '&&') !== (st === 0)) continue;
      this.checkSignal(ctx);
      st = yield* this.execPipeline(pipe, i < n - 1 ? noE : ctx);
    }
    ctx.sh.status = st;
    return st;
  }

  checkErrexit(st: number, ctx: Ctx): void {
    if (st !== 0 && ctx.sh.opts.errexit && !ctx.noErrexit) throw new ExitSignal(st);
  }

  *execPipeline(p: Pipeline, ctx: Ctx): Co<number> {
    if (!p.time) return yield* this.execPipelineInner(p, ctx);
    const start = this.host.now();
    try {
      return yield* this.execPipelineInner(p, ctx);
    } finally {
      // bash's TIMEFORMAT; vnet has no CPU time, so user and sys are 0.
      const t = (this.host.now() - start) / 1e9;
      const min = Math.floor(t / 60);
      this.write(ctx, 2, p.time === 'posix'
        ? `real ${t.toFixed(2)}\nuser 0.00\nsys 0.00\n`
        : `\nreal\t${min}m${(t - min * 60).toFixed(3)}s\nuser\t0m0.000s\nsys\t0m0.000s\n`);
    }
  }

  private *execPipelineInner(p: Pipeline, ctx: Ctx): Co<number> {
    const inner = p.negate && !ctx.noErrexit ? { ...ctx, noErrexit: true } : ctx;
    let st: number;
    if (p.cmds.length === 1) {
      const c = p.cmds[0].cmd;
      st = yield* this.execCommand(c, inner);
      if (p.negate) st = st === 0 ? 1 : 0;
      ctx.sh.status = st;
      const checked = c.type === 'simple' || c.type === 'subshell' || c.type === 'arithcmd' || c.type === 'cond';
      if (!p.negate && checked) this.checkErrexit(st, ctx);
      return st;
    }
    // Stage by stage: each stage is a subshell whose whole stdout feeds the next one.
    let input = ctx.io.stdin;
    const statuses: number[] = [];
    for (let i = 0; i < p.cmds.length; i++) {
      const { cmd, errToo } = p.cmds[i];
      const last = i === p.cmds.length - 1;
      const fds = new Map(ctx.io.fds);
      const pipe = new BufferSink();
      if (!last) {
        fds.set(1, pipe);
        if (errToo) fds.set(2, pipe);
      }
      const sctx: Ctx = { ...inner, sh: ctx.sh.clone(), io: { stdin: input, fds } };
      let s: number;
      try {
        s = yield* this.execCommand(cmd, sctx);
      } catch (e) {
        s = this.shellBoundary(e, sctx);
      }
      statuses.push(s);
      input = new Input(pipe.buf);
      if (!last) this.checkSignal(ctx);
    }
    st = statuses[statuses.length - 1];
    if (ctx.sh.opts.pipefail) {
      for (let i = statuses.length - 1; i >= 0; i--) if (statuses[i] !== 0) { st = statuses[i]; break; }
    }
    if (p.negate) st = st === 0 ? 1 : 0;
    ctx.sh.status = st;
    if (!p.negate) this.checkErrexit(st, ctx);
    return st;
  }

  // ------------------------------------------------------------ commands

  *execCommand(c: Command, ctx: Ctx): Co<number> {
    if (c.type === 'simple') return yield* this.execSimple(c, ctx);
    if (c.type === 'func') {
      ctx.sh.funcs.set(c.name, c);
      return 0;
    }
    ctx.sh.line = c.line;
    let cx = ctx;
    let close: (() => void) | undefined;
    if (c.redirs.length > 0) {
      const r = yield* this.redirect(c.redirs, ctx);
      if ('error' in r) { this.err(ctx, r.error); return 1; }
      cx = { ...ctx, io: r.io };
      close = r.close;
    }
    try {
      switch (c.type) {
        case 'group': return yield* this.execList(c.body, cx);
        case 'subshell': {
          const sub: Ctx = { ...cx, sh: cx.sh.clone() };
          try {
            return yield* this.execList(c.body, sub);
          } catch (e) {
            return this.shellBoundary(e, sub);
          }
        }
        case 'if': {
          for (const cl of c.clauses) {
            const st = yield* this.execList(cl.cond, { ...cx, noErrexit: true });
            if (st === 0) return yield* this.execList(cl.body, cx);
          }
          return c.orElse ? yield* this.execList(c.orElse, cx) : 0;
        }
        case 'while': {
          let st = 0;
          for (let n = 1; ; n++) {
            this.loopGuard(n, c.until ? 'until' : 'while', cx);
            const cond = yield* this.execList(c.cond, { ...cx, noErrexit: true });
            if ((cond === 0) === c.until) break;
            const r = yield* this.loopBody(c.body, cx);
            st = r.st;
            if (r.brk) break;
          }
          return st;
        }
        case 'for': {
          if (!NAME_RE.test(c.name)) { this.err(cx, `\`${c.name}': not a valid identifier`); return 1; }
          const items = c.items ? yield* this.expandWords(c.items, cx) : [...cx.sh.positional];
          let st = 0;
          for (let n = 0; n < items.length; n++) {
            this.loopGuard(n + 1, 'for', cx);
            if (cx.sh.opts.xtrace) this.trace(cx, `for ${c.name} in ${c.items ? c.items.map((w) => w.raw).join(' ') : '"$@"'}`);
            if (!cx.sh.set(c.name, items[n])) { this.err(cx, `${c.name}: readonly variable`); return 1; }
            const r = yield* this.loopBody(c.body, cx);
            st = r.st;
            if (r.brk) break;
          }
          return st;
        }
        case 'case':
          try {
            return yield* this.execCase(c, cx);
          } catch (e) {
            return this.expansionFailure(e, cx);
          }
        case 'arithcmd': {
          try {
            const src = yield* expandString(arithParts(c.src, c.line), this.expCtx(cx));
            if (cx.sh.opts.xtrace) this.trace(cx, `(( ${src} ))`);
            return evalArith(src, this.arithVars(cx)) !== 0n ? 0 : 1;
          } catch (e) {
            return this.expansionFailure(e, cx);
          }
        }
        case 'cond': {
          try {
            return (yield* this.evalCond(c.expr, cx)) ? 0 : 1;
          } catch (e) {
            if (e instanceof CondError) { if (e.message) this.err(cx, e.message); return 2; }
            return this.expansionFailure(e, cx);
          }
        }
      }
    } finally {
      close?.();
    }
    return 0;
  }

  private loopGuard(n: number, what: string, ctx: Ctx): void {
    this.checkSignal(ctx);
    if (n > this.cfg.maxLoopIterations) {
      this.err(ctx, `${what}: loop stopped after ${this.cfg.maxLoopIterations} iterations (vnet's safety limit)`);
      throw new AbortLine(1);
    }
  }

  private *loopBody(body: List, ctx: Ctx): Co<{ st: number; brk: boolean }> {
    try {
      return { st: yield* this.execList(body, { ...ctx, loopDepth: ctx.loopDepth + 1 }), brk: false };
    } catch (e) {
      if (e instanceof BreakSignal) {
        if (e.n > 1) throw new BreakSignal(e.n - 1);
        return { st: 0, brk: true };
      }
      if (e instanceof ContinueSignal) {
        if (e.n > 1) throw new ContinueSignal(e.n - 1);
        return { st: 0, brk: false };
      }
      throw e;
    }
  }

  private *execCase(c: Extract<Command, { type: 'case' }>, ctx: Ctx): Co<number> {
    const w = yield* expandString(c.word.parts, this.expCtx(ctx));
    if (ctx.sh.opts.xtrace) this.trace(ctx, `case ${w} in`);
    let st = 0;
    let i = 0;
    while (i < c.arms.length) {
      let matched = false;
      for (const p of c.arms[i].patterns) {
        if (matchPattern(yield* expandPattern(p, this.expCtx(ctx)), w)) { matched = true; break; }
      }
      if (!matched) { i++; continue; }
      st = yield* this.execList(c.arms[i].body, ctx);
      let fall = c.arms[i].fall;
      while (fall === ';&' && i + 1 < c.arms.length) {
        i++;
        st = yield* this.execList(c.arms[i].body, ctx);
        fall = c.arms[i].fall;
      }
      if (fall !== ';;&') return st;
      i++;
    }
    return st;
  }

  // ------------------------------------------------------------ [[ ]]

  private *evalCond(n: CondNode, ctx: Ctx): Co<boolean> {
    const cx = this.expCtx(ctx);
    const str = function* (w: Word): Co<string> { return yield* expandString(w.parts, cx); };
    const trace = (t: string): void => { if (ctx.sh.opts.xtrace) this.trace(ctx, `[[ ${t} ]]`); };
    switch (n.k) {
      case 'and': return (yield* this.evalCond(n.a, ctx)) && (yield* this.evalCond(n.b, ctx));
      case 'or': return (yield* this.evalCond(n.a, ctx)) || (yield* this.evalCond(n.b, ctx));
      case 'not': return !(yield* this.evalCond(n.a, ctx));
      case 'word': {
        const a = yield* str(n.a);
        trace(a);
        return a !== '';
      }
      case 'unary': {
        const a = yield* str(n.a);
        trace(`${n.op} ${a}`);
        return unaryTest(n.op, a, this.testFs(ctx));
      }
      case 'binary': {
        const a = yield* str(n.a);
        if (n.op === '==' || n.op === '=' || n.op === '!=' || n.op === '=~') {
          const pat = yield* expandPattern(n.b, cx);
          trace(`${a} ${n.op} ${pat.map((p) => p.c).join('')}`);
          if (n.op !== '=~') {
            const m = matchPattern(pat, a);
            return n.op === '!=' ? !m : m;
          }
          // Quoted parts of the regex match literally; bash uses POSIX EREs, close to JS regexps.
          let src = '';
          for (const ch of pat) src += ch.q ? ch.c.replace(/[\\^$.*+?()[\]{}|\/]/g, '\\$&') : ch.c;
          let re: RegExp;
          try { re = new RegExp(src); } catch { throw new CondError(''); }
          const m = re.exec(a);
          ctx.sh.set('BASH_REMATCH', m ? m[0] : '');
          return m !== null;
        }
        const b = yield* str(n.b);
        trace(`${a} ${n.op} ${b}`);
        if (n.op.startsWith('-') && ['-eq', '-ne', '-lt', '-le', '-gt', '-ge'].includes(n.op)) {
          const av = evalArith(a, this.arithVars(ctx));
          const bv = evalArith(b, this.arithVars(ctx));
          return binaryTest(n.op, String(av), String(bv));
        }
        return binaryTest(n.op, a, b);
      }
    }
  }

  // ------------------------------------------------------------ simple commands

  *execSimple(c: SimpleCommand, ctx: Ctx): Co<number> {
    const sh = ctx.sh;
    sh.line = c.line;
    const before = sh.cmdsubs;
    let argv: string[];
    try {
      argv = yield* this.expandArgs(c.words, ctx);
    } catch (e) {
      return this.expansionFailure(e, ctx);
    }
    const assigns: [string, string][] = [];
    try {
      for (const a of c.assigns) {
        let v = yield* expandString(a.value.parts, this.expCtx(ctx));
        if (a.append) v = (sh.get(a.name) ?? '') + v;
        assigns.push([a.name, v]);
      }
    } catch (e) {
      return this.expansionFailure(e, ctx);
    }
    sh.line = c.line;
    if (argv.length === 0) {
      if (sh.opts.xtrace) for (const [k, v] of assigns) this.trace(ctx, `${k}=${traceQuote(v)}`);
      for (const [k, v] of assigns) {
        // bash discards the rest of the line after assigning to a readonly variable.
        if (!sh.set(k, v)) { this.err(ctx, `${k}: readonly variable`); throw new AbortLine(1); }
      }
      const st = sh.cmdsubs !== before ? sh.status : 0;
      if (c.redirs.length > 0) {
        const r = yield* this.redirect(c.redirs, ctx);
        if ('error' in r) { this.err(ctx, r.error); return 1; }
        r.close();
      }
      return st;
    }
    let cx = ctx;
    let close: (() => void) | undefined;
    if (c.redirs.length > 0) {
      const r = yield* this.redirect(c.redirs, ctx);
      if ('error' in r) { this.err(ctx, r.error); return 1; }
      cx = { ...ctx, io: r.io };
      close = r.close;
    }
    if (sh.opts.xtrace) {
      for (const [k, v] of assigns) this.trace(cx, `${k}=${traceQuote(v)}`);
      this.trace(cx, argv.map(traceQuote).join(' '));
    }
    try {
      this.fgDeath = undefined;
      const st = yield* this.dispatch(argv, new Map(assigns), cx);
      const death = this.fgDeath as { sig: Signal; pid: number } | undefined;
      if (death && !ctx.job) {
        this.fgDeath = undefined;
        this.reportDeath(ctx, death.sig, death.pid, printCommand(c));
      }
      return st;
    } finally {
      close?.();
    }
  }

  /** bash's notice for a foreground command killed by a signal (INT is never reported, TERM tersely). */
  reportDeath(ctx: Ctx, sig: Signal, pid: number, text: string): void {
    if (sig === 'INT') return;
    const desc = { HUP: 'Hangup', KILL: 'Killed', TERM: 'Terminated', INT: 'Interrupt' }[sig];
    if (sig === 'TERM') { this.write(ctx, 2, 'Terminated\n'); return; }
    this.write(ctx, 2, `${this.prefix(ctx)}${String(pid).padStart(5)} ${desc.padEnd(24)}${text}\n`);
  }

  trace(ctx: Ctx, text: string): void {
    this.write(ctx, 2, `${'+'.repeat(ctx.level + 1)} ${text}\n`);
  }

  /** Reports an expansion error the way bash does and decides how far to unwind. */
  expansionFailure(e: unknown, ctx: Ctx): number {
    if (e instanceof ArithError) e = new ExpandError(e.message, false);
    if (!(e instanceof ExpandError)) throw e;
    this.err(ctx, e.message);
    ctx.sh.status = 1;
    if (e.fatal && !this.cfg.interactive) throw new ExitSignal(1);
    throw new AbortLine(1);
  }

  private *expandArgs(words: Word[], ctx: Ctx): Co<string[]> {
    if (words.length === 0) return [];
    const cx = this.expCtx(ctx);
    const first = yield* expandWords([words[0]], cx);
    if (first.length !== 1 || !DECL_BUILTINS.has(first[0]) || words.length === 1) {
      return [...first, ...(yield* expandWords(words.slice(1), cx))];
    }
    // export A=$x: the value is not split or globbed, like an assignment.
    const out = [...first];
    for (const w of words.slice(1)) {
      const a = asAssignment(w);
      if (a) out.push(`${a.name}${a.append ? '+=' : '='}${yield* expandString(a.value.parts, cx)}`);
      else out.push(...(yield* expandWord(w, cx)));
    }
    return out;
  }

  *dispatch(argv: string[], tmp: Map<string, string>, ctx: Ctx): Co<number> {
    const name = argv[0];
    const fn = ctx.sh.funcs.get(name);
    if (fn) return yield* this.callFunction(fn, argv, tmp, ctx);
    const b = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
    if (b) {
      const restore = this.pushTemp(ctx.sh, tmp);
      try {
        const st = yield* b(this, argv, ctx);
        yield SETTLE;
        return st;
      } finally {
        restore();
      }
    }
    return yield* this.external(argv, tmp, ctx);
  }

  isBuiltin(name: string): boolean {
    return Object.hasOwn(BUILTINS, name);
  }

  /** `command NAME ...`: a builtin or external command even if a function has that name. */
  *dispatchNoFunc(argv: string[], ctx: Ctx): Co<number> {
    if (Object.hasOwn(BUILTINS, argv[0])) {
      const st = yield* BUILTINS[argv[0]](this, argv, ctx);
      yield SETTLE;
      return st;
    }
    return yield* this.external(argv, new Map(), ctx);
  }

  /** Prefix assignments (`A=b cmd`) seen by a builtin or function, undone afterwards. */
  pushTemp(sh: ShellState, tmp: Map<string, string>): () => void {
    if (tmp.size === 0) return () => {};
    const saved = new Map<string, ReturnType<ShellState['vars']['get']>>();
    for (const [k, v] of tmp) {
      const old = sh.vars.get(k);
      saved.set(k, old ? { ...old } : undefined);
      sh.vars.set(k, { value: v, exported: true, readonly: false });
    }
    return () => {
      for (const [k, old] of saved) {
        if (old) sh.vars.set(k, old);
        else sh.vars.delete(k);
      }
    };
  }

  private *callFunction(fn: FuncDef, argv: string[], tmp: Map<string, string>, ctx: Ctx): Co<number> {
    const sh = ctx.sh;
    if (sh.funcDepth >= this.cfg.maxFuncDepth) {
      this.err(ctx, `${fn.name}: maximum function nesting level exceeded (${this.cfg.maxFuncDepth})`);
      throw new AbortLine(1);
    }
    const savedPos = sh.positional;
    sh.positional = argv.slice(1);
    const restore = this.pushTemp(sh, tmp);
    const frame = new Map<string, ReturnType<ShellState['vars']['get']>>();
    sh.locals.push(frame);
    sh.funcDepth++;
    try {
      return yield* this.execCommand(fn.body, { ...ctx, loopDepth: 0 });
    } catch (e) {
      if (e instanceof ReturnSignal) return e.status;
      throw e;
    } finally {
      sh.funcDepth--;
      sh.locals.pop();
      for (const [k, old] of frame) {
        if (old) sh.vars.set(k, old);
        else sh.vars.delete(k);
      }
      sh.positional = savedPos;
      restore();
    }
  }

  /** Does this builtin-implemented command read a blocking device (then the host's program runs it)? */
  readsStream(argv: readonly string[], ctx: Ctx): boolean {
    const h = this.host;
    if (argv[0] !== 'cat' || !h.isStream) return false;
    return argv.slice(1).some((a) => a !== '-' && !a.startsWith('-') && h.isStream!(this.cfg.netns, this.abs(ctx, a)));
  }

  /** Runs the host's program of that name, bypassing builtins (cat of a blocking device). */
  *program(argv: string[], ctx: Ctx): Co<number> { return yield* this.external(argv, new Map(), ctx); }

  private *external(argv: string[], tmp: Map<string, string>, ctx: Ctx): Co<number> {
    const out = ctx.io.fds.get(1);
    const err = ctx.io.fds.get(2);
    const before = sinkErrors(out);
    let proc: Process;
    try {
      proc = this.host.spawn(argv, {
        netns: this.cfg.netns,
        stdin: ctx.io.stdin.takeAll(),
        env: ctx.sh.exportedEnv(tmp),
        stdout: (t) => out?.write(t),
        stderr: (t) => err?.write(t),
        stdoutBytes: out?.bytes ? (b) => out.bytes!(b) : undefined,
      });
    } catch (e) {
      this.err(ctx, `${argv[0]}: ${e instanceof Error ? e.message : String(e)}`);
      return 126;
    }
    if (proc.notFound) {
      // bash: a name with a slash is a path that does not exist; anything else was searched in PATH.
      this.err(ctx, `${argv[0]}: ${argv[0]!.includes('/') ? 'No such file or directory' : 'command not found'}`);
      return 127;
    }
    if (ctx.job) {
      ctx.job.procs.add(proc);
      ctx.job.firstPid ??= proc.pid;
    }
    if (!proc.exited) {
      yield { done: () => proc.exited };
      if (!proc.exited) yield* this.unstick(proc, argv[0], ctx);
    }
    yield SETTLE;
    let st = proc.exited ? exitStatus(proc.status) : 128 + SIGNUM.KILL;
    if (out && sinkErrors(out) > before) {
      err?.write(`${argv[0]}: write error: ${out.error}\n`);
      if (st === 0) st = 1;
    }
    return st;
  }

  /**
   * A foreground command that can never finish (nothing left to happen in the lab, or the wait
   * cap hit): like a user pressing Ctrl-C, then kill -9, so the script always goes on.
   */
  *unstick(proc: Process, name: string, ctx: Ctx): Co<void> {
    this.err(ctx, `${name}: still running with nothing left to happen; interrupted (SIGINT) so the script can go on`);
    for (const sig of ['INT', 'KILL'] as const) {
      proc.kill(sig);
      if (!proc.exited) yield { done: () => proc.exited };
      if (sig === 'KILL') this.fgDeath = { sig, pid: proc.pid };
      if (proc.exited) return;
    }
  }

  // ------------------------------------------------------------ redirections

  *redirect(redirs: Redir[], ctx: Ctx): Co<{ io: IO; close: () => void } | { error: string }> {
    try {
      return yield* applyRedirs(this, redirs, ctx);
    } catch (e) {
      return this.expansionFailure(e, ctx) as never;
    }
  }

  abs(ctx: Ctx, path: string): string {
    return joinPath(ctx.sh.cwd, path);
  }

  readPath(ctx: Ctx, path: string): FileResult<string> {
    if (path === '/dev/null') return { ok: true, value: '' };
    if (path === '') return { ok: false, errno: 2, message: 'No such file or directory' };
    return this.host.readFile(this.cfg.netns, this.abs(ctx, path));
  }

  testFs(ctx: Ctx): { exists(p: string): boolean; isDir(p: string): boolean; size(p: string): number; varSet(n: string): boolean } {
    const ns = this.cfg.netns;
    return {
      exists: (p) => p !== '' && (p === '/dev/null' || this.host.exists(ns, this.abs(ctx, p))),
      isDir: (p) => p !== '' && this.host.listDir(ns, this.abs(ctx, p)).ok,
      size: (p) => { const r = this.readPath(ctx, p); return r.ok ? r.value.length : 0; },
      varSet: (n) => this.getVar(ctx, n) !== undefined,
    };
  }

  // ------------------------------------------------------------ expansion glue

  getVar(ctx: Ctx, name: string): string | undefined {
    const sh = ctx.sh;
    switch (name) {
      case '?': return String(sh.status);
      case '!': return sh.lastBg === undefined ? undefined : String(sh.lastBg);
      case '$': return String(this.pid);
      case '#': return String(sh.positional.length);
      case '-': return `${sh.opts.errexit ? 'e' : ''}${sh.opts.noglob ? 'f' : ''}h${sh.opts.nounset ? 'u' : ''}${sh.opts.xtrace ? 'x' : ''}B`;
      case '0': return this.cfg.name;
    }
    if (/^[0-9]+$/.test(name)) return sh.positional[Number(name) - 1];
    const v = sh.get(name);
    if (v !== undefined || sh.vars.has(name)) return v;
    // Dynamic variables bash provides (unless the script set its own).
    switch (name) {
      case 'LINENO': return String(sh.line);
      case 'UID': case 'EUID': return '0';
      case 'PPID': return '1';
      case 'BASHPID': return String(this.pid);
      case 'SECONDS': return String(Math.floor((this.host.now() - this.startNs) / 1e9));
      case 'RANDOM':
        this.seed = (Math.imul(this.seed, 1103515245) + 12345) & 0x7fffffff;
        return String((this.seed >> 16) & 0x7fff);
    }
    return undefined;
  }

  arithVars(ctx: Ctx): { get(n: string): string | undefined; set(n: string, v: string): void } {
    return {
      get: (n) => this.getVar(ctx, n),
      set: (n, v) => { if (!ctx.sh.set(n, v)) throw new ArithError(`${n}: readonly variable`); },
    };
  }

  expCtx(ctx: Ctx): ExpCtx {
    const sh = ctx.sh;
    const ifs = sh.vars.get('IFS');
    return {
      get: (n) => this.getVar(ctx, n),
      set: (n, v) => { if (!sh.set(n, v)) throw new ExpandError(`${n}: readonly variable`, false); },
      positional: () => sh.positional,
      nounset: sh.opts.nounset,
      noglob: sh.opts.noglob,
      nullglob: sh.opts.nullglob,
      ifs: ifs === undefined || ifs.value === undefined ? ' \t\n' : ifs.value,
      home: sh.get('HOME') ?? '/root',
      cwd: sh.cwd,
      glob: {
        list: (p) => { const r = this.host.listDir(this.cfg.netns, p); return r.ok ? r.value : undefined; },
        exists: (p) => this.host.exists(this.cfg.netns, p),
      },
      cmdsub: (src, line) => this.cmdsub(src, line, ctx),
    };
  }

  *expandWords(words: Word[], ctx: Ctx): Co<string[]> {
    try {
      return yield* expandWords(words, this.expCtx(ctx));
    } catch (e) {
      this.expansionFailure(e, ctx);
      return [];
    }
  }

  /** `$(...)`: a subshell whose stdout is captured; bash clears set -e inside it. */
  *cmdsub(src: string, line: number, ctx: Ctx): Co<string> {
    const sh = ctx.sh.clone();
    sh.opts.errexit = false;
    const buf = new BufferSink();
    const fds = new Map(ctx.io.fds);
    fds.set(1, buf);
    const cx: Ctx = { ...ctx, sh, io: { stdin: ctx.io.stdin, fds }, noErrexit: false, loopDepth: 0, level: ctx.level + 1 };
    const file = catShortcut(src, line);
    const st = file ? yield* this.readInto(file, cx) : yield* this.runSource(src, line, cx);
    ctx.sh.status = st;
    ctx.sh.cmdsubs++;
    return buf.buf;
  }

  /** `$(< file)`: the file's contents without running cat. */
  private *readInto(target: Word, ctx: Ctx): Co<number> {
    try {
      const words = yield* expandWord(target, this.expCtx(ctx));
      if (words.length !== 1) { this.err(ctx, `${target.raw}: ambiguous redirect`); return 1; }
      const r = this.readPath(ctx, words[0]);
      if (!r.ok) { this.err(ctx, `${words[0]}: ${r.message}`); return 1; }
      ctx.io.fds.get(1)?.write(r.value);
      return 0;
    } catch (e) {
      return this.shellBoundary(e, ctx);
    }
  }

  /** Parses and runs source text in `ctx` as its own shell (for $(...)). */
  *runSource(src: string, line: number, ctx: Ctx): Co<number> {
    try {
      return yield* this.runText(src, line, ctx);
    } catch (e) {
      return this.shellBoundary(e, ctx);
    }
  }

  /** Parses and runs text in the current shell (eval, source); control signals propagate. */
  *runText(src: string, line: number, ctx: Ctx, label?: string): Co<number> {
    const parser = new Parser(src, line);
    let st = 0;
    for (;;) {
      let unit;
      try {
        unit = parser.parseUnit();
      } catch (err) {
        const e = err instanceof RangeError ? new ParseError('syntax error: nesting too deep', parser.unitLine, false) : err;
        if (!(e instanceof ParseError)) throw e;
        this.parseError(e, src, ctx, label, line);
        return 2;
      }
      if (!unit) break;
      for (const w of unit.warnings) this.write(ctx, 2, `${this.cfg.name}: line ${w.line}: ${w.msg}\n`);
      st = yield* this.execList({ items: unit.items }, ctx);
    }
    return st;
  }

  parseError(e: ParseError, src: string, ctx: Ctx, label?: string, base = 1): void {
    const where = label ? `${label}: ` : '';
    const pre = this.cfg.interactive && !label ? `${this.cfg.name}: ` : `${this.cfg.name}: ${where}line ${e.line}: `;
    this.write(ctx, 2, `${pre}${e.message}\n`);
    // An interactive shell does not quote the offending line back.
    if (e.echo && !(this.cfg.interactive && !label)) {
      const text = src.split('\n')[e.line - base] ?? '';
      this.write(ctx, 2, `${pre}\`${text}'\n`);
    }
  }
}

class CondError extends Error {}

/** The target of `$(< file)`, if that is all the command substitution holds. */
function catShortcut(src: string, line: number): Word | undefined {
  if (!/^\s*</.test(src)) return undefined;
  try {
    const p = new Parser(src, line);
    const u = p.parseUnit();
    if (!u || p.parseUnit() || u.items.length !== 1) return undefined;
    const ao = u.items[0].cmd;
    const c = ao.first.cmds[0].cmd;
    if (ao.rest.length || ao.first.negate || ao.first.cmds.length !== 1 || c.type !== 'simple') return undefined;
    if (c.words.length || c.assigns.length || c.redirs.length !== 1 || c.redirs[0].op !== '<' || c.redirs[0].fd !== undefined) return undefined;
    return c.redirs[0].target;
  } catch {
    return undefined;
  }
}

function sinkErrors(s: Sink | null | undefined): number {
  return s instanceof FileSink ? s.errors : 0;
}

