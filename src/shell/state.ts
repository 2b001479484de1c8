/**
 * Shell state (variables, functions, options, jobs) and the plumbing of file descriptors.
 * A subshell, pipeline stage or background job gets a clone, so its assignments stay its own.
 */
import type { FuncDef } from './ast.ts';
import type { Task } from './driver.ts';
import type { Process, Signal } from './host.ts';

export interface Sink {
  write(text: string): void;
  bytes?(b: Uint8Array): void;
  /** First write error (e.g. EINVAL from a /proc/sys file), reported by the writer. */
  error?: string;
}

export class BufferSink implements Sink {
  buf = '';
  write(t: string): void { this.buf += t; }
  bytes(b: Uint8Array): void { this.buf += latin1(b); }
}

export const NULL_SINK: Sink = { write() {}, bytes() {} };

export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** Standard input as a string plus a read position, shared by commands reading the same fd. */
export class Input {
  pos = 0;
  constructor(readonly text: string) {}
  /** Everything not read yet; the reader (an external command) consumes it all. */
  takeAll(): string {
    const s = this.text.slice(this.pos);
    this.pos = this.text.length;
    return s;
  }
  /** One line without its newline; `eof` when the line was not newline-terminated. */
  readLine(): { line: string; eof: boolean } | undefined {
    if (this.pos >= this.text.length) return undefined;
    const nl = this.text.indexOf('\n', this.pos);
    if (nl < 0) {
      const line = this.text.slice(this.pos);
      this.pos = this.text.length;
      return { line, eof: true };
    }
    const line = this.text.slice(this.pos, nl);
    this.pos = nl + 1;
    return { line, eof: false };
  }
}

export interface IO {
  stdin: Input;
  /** fd → sink; null is a closed fd (`>&-`). */
  fds: Map<number, Sink | null>;
}

export interface Var {
  /** undefined: declared (`export X`) but without a value. */
  value: string | undefined;
  exported: boolean;
  readonly: boolean;
}

export interface ShellOpts {
  errexit: boolean;
  xtrace: boolean;
  pipefail: boolean;
  nounset: boolean;
  noglob: boolean;
  /** shopt -s nullglob */
  nullglob: boolean;
}

/** A host status as bash would see it (0-255). */
export function exitStatus(st: number): number {
  return Number.isInteger(st) ? st & 255 : 1;
}

export const SIGNUM: Record<Signal, number> = { HUP: 1, INT: 2, KILL: 9, TERM: 15 };

export class Job {
  id = 0;
  pid = 0;
  firstPid: number | undefined;
  readonly procs = new Set<Process>();
  task: Task | undefined;
  coDone = false;
  status = 0;
  /** Signal received and not yet acted on by the job's shell code (it aborts at the next command). */
  signal: Signal | undefined;
  /** Last signal delivered to the job (for bash's "Killed" notices and `jobs`). */
  killedBy: Signal | undefined;
  finalized = false;
  /** Whatever the runner attaches (its CommandRecord). */
  tag: unknown;
  constructor(readonly text: string, readonly simple: boolean) {}
  get done(): boolean {
    if (!this.coDone) return false;
    for (const p of this.procs) if (!p.exited) return false;
    return true;
  }
  /** True when the job ended from the signal we sent it. */
  get diedOf(): Signal | undefined {
    return this.killedBy && this.done && this.status === 128 + SIGNUM[this.killedBy] ? this.killedBy : undefined;
  }
}

export class ShellState {
  vars = new Map<string, Var>();
  funcs = new Map<string, FuncDef>();
  opts: ShellOpts = { errexit: false, xtrace: false, pipefail: false, nounset: false, noglob: false, nullglob: false };
  cwd = '/';
  positional: string[] = [];
  status = 0;
  lastBg: number | undefined;
  jobs: Job[] = [];
  /** Line of the command being run, for error messages. */
  line = 0;
  funcDepth = 0;
  /** Saved values for `local`, one frame per active function call. */
  locals: Map<string, Var | undefined>[] = [];
  traps = new Map<string, string>();
  /** Command substitutions run so far (an assignment-only command takes the last one's status). */
  cmdsubs = 0;
  /** Statuses of jobs already waited for, so `wait $pid` can be repeated as in bash. */
  reaped = new Map<number, number>();
  /** Depth of `source` (where `return` is allowed). */
  sourcing = 0;

  clone(): ShellState {
    const s = new ShellState();
    for (const [k, v] of this.vars) s.vars.set(k, { ...v });
    s.funcs = new Map(this.funcs);
    s.opts = { ...this.opts };
    s.cwd = this.cwd;
    s.positional = [...this.positional];
    s.status = this.status;
    s.lastBg = this.lastBg;
    s.jobs = [...this.jobs];
    s.line = this.line;
    s.funcDepth = this.funcDepth;
    s.locals = this.locals.map((m) => new Map(m));
    s.traps = new Map(this.traps);
    s.cmdsubs = this.cmdsubs;
    s.reaped = new Map(this.reaped);
    s.sourcing = this.sourcing;
    return s;
  }

  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  /** Sets a variable; returns false if it is readonly. */
  set(name: string, value: string, exported?: boolean): boolean {
    const v = this.vars.get(name);
    if (v?.readonly) return false;
    if (v) {
      v.value = value;
      if (exported) v.exported = true;
    } else {
      this.vars.set(name, { value, exported: exported ?? false, readonly: false });
    }
    return true;
  }

  /** `local NAME`: remembers the outer value so the function's return restores it. */
  makeLocal(name: string): void {
    const frame = this.locals[this.locals.length - 1];
    if (!frame || frame.has(name)) return;
    const v = this.vars.get(name);
    frame.set(name, v ? { ...v } : undefined);
  }

  exportedEnv(extra?: Map<string, string>): Map<string, string> {
    const env = new Map<string, string>();
    for (const [k, v] of this.vars) if (v.exported && v.value !== undefined) env.set(k, v.value);
    if (extra) for (const [k, v] of extra) env.set(k, v);
    return env;
  }
}
