/**
 * vnet's lab-script shell: runs bash scripts against a ShellHost, one record per executed
 * top-level command (what `vnet run --json` prints), with live output callbacks.
 *
 * Where it knowingly differs from bash (because vnet has no real processes or time):
 * - pipelines run stage by stage: a stage gets the previous stage's whole output;
 * - a foreground command that can never finish (nothing left to happen, or still busy after
 *   `maxWaitSeconds` of virtual time) is interrupted with SIGINT, then SIGKILL, with a message;
 *   `wait` in that situation just returns 0;
 * - at the end of a script (or `exit`) jobs still running get SIGTERM, then SIGKILL;
 * - signals to a background job reach all its live processes; its shell code (loops, later
 *   commands) stops at the next command. Only HUP, INT, KILL and TERM can be delivered;
 * - loops stop after `maxLoopIterations`, functions nest at most `maxFuncDepth` deep;
 * - no arrays, no `exec` redirections, no job control (fg/bg/Ctrl-Z).
 */
import type { Co } from './coro.ts';
import { Driver } from './driver.ts';
import type { ShellHost } from './host.ts';
import { type Ctx, Interp } from './interp.ts';
import { ParseError } from './lexer.ts';
import { Parser, itemText } from './parser.ts';
import { jobLine, jobMark } from './jobctl.ts';
import { AbortLine, BreakSignal, ContinueSignal, ExitSignal, ReturnSignal } from './signals.ts';
import { Input, type Job, ShellState, type Sink } from './state.ts';

export type { ShellHost, Process, ProcessIO, Signal, FileResult } from './host.ts';

export interface CommandRecord {
  /** 1-based line where the command starts. */
  line: number;
  /** Source text as written (trimmed; continuation lines and here-doc bodies included). */
  command: string;
  /** Exit status; 0 for a backgrounded command, like bash's `$?` after `&`. */
  exit: number;
  stdout: string;
  stderr: string;
  background: boolean;
  /** For a background command: its final status once the job ended. */
  jobStatus?: number;
}

export interface ShellOptions {
  /** Name used in messages (`NAME: line 3: ...`) and `$0`. Default 'vnet'. */
  scriptName?: string;
  /** Network namespace the script runs in ('' = the lab's default). */
  netns?: string;
  /** Exported environment on top of HOME/PATH/PWD. */
  env?: Record<string, string>;
  /** Working directory for relative paths. Default '/'. */
  cwd?: string;
  /** Live output, as produced (non-JSON mode). */
  onOutput?: (fd: 1 | 2, text: string) => void;
  /** A record is complete: foreground commands when they finish, background ones when their job ends. */
  onRecord?: (r: CommandRecord) => void;
  /** A wait without its own deadline gives up after this much virtual time. Default 3600. */
  maxWaitSeconds?: number;
  /** while/until/for iterations before the loop is stopped with an error. Default 100000. */
  maxLoopIterations?: number;
  /** Function call depth limit. Default 200. */
  maxFuncDepth?: number;
  /** Value of `$$`. Default 4242. */
  pid?: number;
}

export interface SplitResult {
  ok: true;
  commands: { line: number; command: string; background: boolean }[];
}

/**
 * The top-level commands of a script exactly as Shell.runScript reports them (line, source text,
 * backgrounded), without running anything. Syntax errors come back in bash's words.
 */
export function splitScript(text: string, scriptName = 'vnet'): SplitResult | { ok: false; error: string } {
  const p = new Parser(text);
  const commands: SplitResult['commands'] = [];
  try {
    for (;;) {
      const u = p.parseUnit();
      if (!u) break;
      for (const item of u.items) commands.push({ line: item.line, command: itemText(text, item), background: item.bg });
    }
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: formatParseError(e, text, scriptName) };
    return { ok: false, error: `${scriptName}: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { ok: true, commands };
}

function formatParseError(e: ParseError, text: string, name: string): string {
  let s = `${name}: line ${e.line}: ${e.message}`;
  if (e.echo) s += `\n${name}: line ${e.line}: \`${text.split('\n')[e.line - 1] ?? ''}'`;
  return s;
}

const SIG_DEATH: Record<string, string> = { HUP: 'Hangup', KILL: 'Killed' };

/**
 * Line numbers of offsets in one text, counted on from the last offset asked for: offsets come in
 * script order, so a whole script costs one pass instead of one pass per command.
 */
class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  at(offset: number): number {
    const text = this.text;
    const end = Math.min(offset, text.length);
    if (end < this.offset) { this.offset = 0; this.line = 1; }
    let n = this.line;
    for (let i = this.offset; i < end; i++) if (text.charCodeAt(i) === 10) n++;
    this.offset = end;
    this.line = n;
    return n;
  }
}

export class Shell {
  private readonly it: Interp;
  private readonly driver: Driver;
  private readonly sh: ShellState;
  private readonly name: string;
  /** Set once `exit` ran (runLine callers should stop reading input). */
  exited = false;

  constructor(readonly host: ShellHost, readonly opts: ShellOptions = {}) {
    this.name = opts.scriptName ?? 'vnet';
    this.driver = new Driver(host, {
      maxWaitNs: (opts.maxWaitSeconds ?? 3600) * 1e9,
      maxEvents: 2_000_000,
    });
    this.it = new Interp(host, {
      name: this.name,
      interactive: false,
      netns: opts.netns ?? '',
      maxLoopIterations: opts.maxLoopIterations ?? 100000,
      maxFuncDepth: opts.maxFuncDepth ?? 200,
    }, this.driver, opts.pid ?? 4242);
    this.it.onJobDone = (job) => this.jobDone(job);
    this.driver.onCrash = (e) => {
      this.opts.onOutput?.(2, `${this.name}: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    };
    const sh = new ShellState();
    sh.cwd = opts.cwd ?? '/';
    const exp = (k: string, v: string): void => { sh.vars.set(k, { value: v, exported: true, readonly: false }); };
    exp('HOME', '/root');
    exp('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    exp('PWD', sh.cwd);
    exp('USER', 'root');
    exp('SHELL', '/bin/bash');
    sh.vars.set('BASH', { value: '/bin/bash', exported: false, readonly: false });
    sh.vars.set('BASH_VERSION', { value: '5.2.15(1)-release', exported: false, readonly: false });
    sh.vars.set('OSTYPE', { value: 'linux-gnu', exported: false, readonly: false });
    for (const [k, v] of Object.entries(opts.env ?? {})) exp(k, v);
    this.sh = sh;
  }

  /** Runs a whole script; background jobs still running at the end get SIGTERM and are waited for. */
  runScript(text: string): { status: number; records: CommandRecord[] } {
    this.it.cfg.interactive = false;
    const records: CommandRecord[] = [];
    const status = this.guard(() => this.driver.run(this.main(text, records, false)));
    this.guard(() => { this.driver.run(this.terminateJobs()); return 0; });
    return { status, records };
  }

  /** One line of the interactive shell: variables, functions and jobs persist between calls. */
  runLine(text: string): number {
    if (this.exited) return this.sh.status;
    this.it.cfg.interactive = true;
    const status = this.guard(() => this.driver.run(this.main(text, [], true)));
    if (this.exited) this.guard(() => { this.driver.run(this.terminateJobs()); return 0; });
    else this.notifyInteractive();
    return status;
  }

  /** Lets finished background jobs be noticed (interactive prompt). */
  poll(): void {
    this.driver.waitFor({ done: () => true });
    if (!this.exited) this.notifyInteractive();
  }

  /** Current `$?`. */
  get status(): number {
    return this.sh.status;
  }

  /** Last resort: a bug or a misbehaving host becomes a message, never an exception. */
  private guard(f: () => number): number {
    try {
      return f();
    } catch (e) {
      const msg = e instanceof RangeError ? 'nesting too deep' : e instanceof Error ? e.message : String(e);
      this.opts.onOutput?.(2, `${this.name}: internal error: ${msg}\n`);
      this.sh.status = 2;
      return 2;
    }
  }

  private newRecord(line: number, command: string, background: boolean): CommandRecord {
    return { line, command, exit: 0, stdout: '', stderr: '', background };
  }

  private sink(rec: CommandRecord, fd: 1 | 2): Sink {
    return {
      write: (t: string) => {
        if (t === '') return;
        if (fd === 1) rec.stdout += t;
        else rec.stderr += t;
        this.opts.onOutput?.(fd, t);
      },
    };
  }

  private topCtx(rec: CommandRecord): Ctx {
    return {
      sh: this.sh,
      io: { stdin: new Input(''), fds: new Map<number, Sink | null>([[1, this.sink(rec, 1)], [2, this.sink(rec, 2)]]) },
      job: undefined,
      noErrexit: false,
      loopDepth: 0,
      level: 0,
    };
  }

  private jobDone(job: Job): void {
    const rec = job.tag as CommandRecord | undefined;
    if (!rec) return;
    rec.jobStatus = job.status;
    this.opts.onRecord?.(rec);
  }

  private *main(text: string, records: CommandRecord[], interactive: boolean): Co<number> {
    const parser = new Parser(text);
    const sh = this.sh;
    const lines = new LineCounter(text);
    let status = sh.status;
    for (;;) {
      let unit;
      try {
        unit = parser.parseUnit();
      } catch (err) {
        // Absurdly deep nesting overflows the recursive parser: report it like a syntax error.
        const e = err instanceof RangeError ? new ParseError('syntax error: nesting too deep', parser.unitLine, false) : err;
        if (!(e instanceof ParseError)) throw e;
        const lines = text.split('\n');
        const upto = lines.slice(0, Math.min(e.line, lines.length)).join('\n').length;
        const rec = this.newRecord(parser.unitLine, text.slice(parser.unitStart, Math.max(upto, parser.unitStart)).trim(), false);
        records.push(rec);
        this.it.parseError(e, text, this.topCtx(rec));
        rec.exit = 2;
        sh.status = 2;
        this.opts.onRecord?.(rec);
        if (!interactive) return yield* this.exitShell(2, records);
        return 2;
      }
      if (!unit) break;
      let warn = unit.warnings.map((w) => `${this.name}: line ${w.line}: ${w.msg}\n`).join('');
      let first = true;
      for (const item of unit.items) {
        const rec = this.newRecord(item.line, itemText(text, item), item.bg);
        records.push(rec);
        const ctx = this.topCtx(rec);
        if (warn) { ctx.io.fds.get(2)!.write(warn); warn = ''; }
        if (first && !interactive) {
          const end = unit.items[unit.items.length - 1].end;
          this.notifyDeaths(ctx, () => lines.at(end));
        }
        first = false;
        sh.line = item.line;
        try {
          if (item.bg) {
            this.it.startJob(item.cmd, ctx, interactive, rec);
            sh.status = 0;
            status = 0;
            continue;
          }
          status = yield* this.it.execAndOr(item.cmd, ctx);
          rec.exit = status;
        } catch (e) {
          if (e instanceof ExitSignal) {
            rec.exit = e.status;
            this.opts.onRecord?.(rec);
            return yield* this.exitShell(e.status, records);
          }
          status = this.topLevelSignal(e, ctx);
          rec.exit = status;
          sh.status = status;
          this.opts.onRecord?.(rec);
          if (e instanceof AbortLine) break; // bash discards the rest of the line
          continue;
        }
        this.opts.onRecord?.(rec);
      }
    }
    if (!interactive) return yield* this.exitShell(status, records);
    return status;
  }

  private topLevelSignal(e: unknown, ctx: Ctx): number {
    if (e instanceof AbortLine || e instanceof ReturnSignal) return e.status;
    if (e instanceof BreakSignal || e instanceof ContinueSignal) return 0;
    return this.it.crash(e, ctx);
  }

  /** The shell exits: run the EXIT trap (its output is a record of its own, on line 0). */
  private *exitShell(status: number, records: CommandRecord[]): Co<number> {
    this.exited = true;
    this.sh.status = status;
    const action = this.sh.traps.get('EXIT');
    if (action === undefined) return status;
    this.sh.traps.delete('EXIT');
    const rec = this.newRecord(0, action, false);
    records.push(rec);
    const ctx = this.topCtx(rec);
    let st: number;
    try {
      st = yield* this.it.runText(action, this.sh.line, ctx);
    } catch (e) {
      if (e instanceof ExitSignal) {
        rec.exit = e.status;
        this.opts.onRecord?.(rec);
        return e.status;
      }
      st = this.topLevelSignal(e, ctx);
    }
    rec.exit = st;
    this.opts.onRecord?.(rec);
    return status;
  }

  /**
   * Before running a line, bash drops jobs killed by a signal from its table and reports those
   * killed by anything but INT/TERM (with the number of the line just read, counted only then).
   */
  private notifyDeaths(ctx: Ctx, line: () => number): void {
    const sh = this.sh;
    if (sh.jobs.length === 0) return;
    for (const j of [...sh.jobs]) {
      const sig = j.diedOf;
      if (!sig) continue;
      if (SIG_DEATH[sig]) {
        ctx.io.fds.get(2)?.write(`${this.name}: line ${line()}: ${String(j.pid).padStart(5)} ${SIG_DEATH[sig].padEnd(24)}${j.text}\n`);
      }
      sh.reaped.set(j.pid, j.status);
      sh.jobs = sh.jobs.filter((x) => x !== j);
    }
  }

  /** Interactive bash prints `[1]+  Done  cmd` for finished jobs before the next prompt. */
  private notifyInteractive(): void {
    const sh = this.sh;
    const done = sh.jobs.filter((j) => j.done);
    for (const j of done) {
      this.opts.onOutput?.(2, jobLine(j, jobMark(sh.jobs, j), false));
      sh.reaped.set(j.pid, j.status);
    }
    sh.jobs = sh.jobs.filter((j) => !j.done);
  }

  /** End of script: SIGTERM to jobs still running (so e.g. tcpdump flushes), then SIGKILL. */
  private *terminateJobs(): Co<void> {
    const live = (): Job[] => this.it.liveJobs.filter((j) => !j.done);
    if (live().length === 0) return;
    for (const sig of ['TERM', 'KILL'] as const) {
      for (const j of live()) this.it.signalJob(j, sig);
      const jobs = live();
      yield { done: () => jobs.every((j) => j.done) };
      if (live().length === 0) return;
    }
    // Processes that ignore even SIGKILL: give up on them so the run always ends.
    for (const j of live()) {
      if (j.task) this.driver.drop(j.task, 137);
      j.coDone = true;
      j.status = 137;
      for (const p of j.procs) if (!p.exited) j.procs.delete(p);
    }
    this.it.tick();
  }
}

export { Interp } from './interp.ts';
