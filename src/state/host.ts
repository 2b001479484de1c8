/**
 * The lab host a session runs on: LabHost plus what saving, loading and run limits need.
 *
 * - Every started process is counted (`onSpawn`): the count is where a save made by a command
 *   sits in its journal entry, so a replay can stop at exactly that command.
 * - `frozen`: after a replay reached its save point nothing may change the lab any more while the
 *   interrupted script or line finishes: time stands still, commands do nothing, files are not
 *   written and signals are not delivered.
 * - Run limits (virtual and real time): when one is hit, every running process gets SIGTERM (as
 *   `timeout` does), nothing more starts, and the shell ends the script (or drops the interactive
 *   line) at the next command, with timeout's status 124.
 */
import type { Lab } from '../core/lab.ts';
import { limitMessage, type LabLimits } from '../core/limits.ts';
import { LabHost, type VirtualFs } from '../host/labhost.ts';
import type { FileResult, Process, Signal } from '../shell/host.ts';
import type { Tool } from '../tools/types.ts';

/** Deadlines of the current run, shared by the hosts a session swaps between. */
export class RunGuard {
  frozen = false;
  /** Why the current run was stopped, once a limit was hit. */
  halted: string | null = null;
  /** Which limit stopped it. */
  haltedBy: 'runSeconds' | 'wallSeconds' | null = null;
  runDeadline = Infinity;
  wallDeadline = Infinity;
  private polls = 0;
  /** Where the limit message goes (the running script's stderr). */
  report: ((text: string) => void) | null = null;

  /** `wall` false: no real-time limit. */
  start(limits: LabLimits, now: number, wall: boolean): void {
    this.halted = null;
    this.haltedBy = null;
    this.runDeadline = now + limits.runSeconds * 1e9;
    this.wallDeadline = wall ? Date.now() + limits.wallSeconds * 1000 : Infinity;
  }

  end(): void { this.runDeadline = Infinity; this.wallDeadline = Infinity; this.halted = null; }

  /** Real time is read every 1024 calls only: this runs once per scheduler event or command. */
  wallExceeded(): boolean {
    if (this.wallDeadline === Infinity || (++this.polls & 1023) !== 0) return false;
    return Date.now() > this.wallDeadline;
  }
}

/** What the shell holds for a started process; ignores signals while the lab is frozen. */
class Handle implements Process {
  constructor(private readonly p: Process, private readonly guard: RunGuard) {}
  get pid(): number { return this.p.pid; }
  get argv(): readonly string[] { return this.p.argv; }
  get exited(): boolean { return this.p.exited; }
  get status(): number { return this.p.status; }
  get notFound(): boolean | undefined { return this.p.notFound; }
  kill(sig: Signal): void { if (!this.guard.frozen) this.p.kill(sig); }
  onExit(cb: (status: number) => void): void { this.p.onExit(cb); }
}

/** A command "run" while frozen (did nothing, succeeded) or after a run limit (status 124). */
class Done implements Process {
  readonly exited = true;
  constructor(readonly pid: number, readonly argv: readonly string[], readonly status: number) {}
  kill(): void {}
  onExit(cb: (status: number) => void): void { cb(this.status); }
}

export class SessionHost extends LabHost {
  guard = new RunGuard();
  onSpawn: (() => void) | null = null;
  private readonly live = new Set<Process>();

  constructor(lab: Lab, tools: Record<string, Tool>, fs: VirtualFs) { super(lab, tools, fs); }

  override runUntil(done: () => boolean, limitNs?: number): boolean {
    const g = this.guard;
    if (g.frozen || g.halted) return done();
    if (g.runDeadline === Infinity && g.wallDeadline === Infinity) return super.runUntil(done, limitNs);
    const now = this.lab.clock.now;
    let limit = limitNs;
    if (g.runDeadline !== Infinity && (limit === undefined || now + limit > g.runDeadline)) limit = Math.max(0, g.runDeadline - now);
    let wall = false;
    const r = super.runUntil(() => done() || (wall = g.wallExceeded()), limit);
    if (!wall && r) return true;
    if (wall) this.halt('wallSeconds');
    else if (this.lab.clock.now >= g.runDeadline) this.halt('runSeconds');
    return done();
  }

  override settle(): void {
    if (!this.guard.frozen && !this.guard.halted) super.settle();
  }

  override spawn(argv: readonly string[], io: Parameters<LabHost['spawn']>[1]): Process {
    const g = this.guard;
    if (g.frozen) return new Done(0, argv, 0);
    // The run was stopped: nothing more starts; the shell stops at the next command (stopRun).
    if (g.halted) return new Done(0, argv, 124);
    this.onSpawn?.();
    const p = super.spawn(argv, io);
    if (!p.exited) {
      this.live.add(p);
      p.onExit(() => this.live.delete(p));
    }
    return new Handle(p, g);
  }

  /** Asked by the shell before each command: also where real time is checked for loops of builtins. */
  stopRun(): number | undefined {
    const g = this.guard;
    if (!g.halted && !g.frozen && g.wallExceeded()) this.halt('wallSeconds');
    return g.halted ? 124 : undefined;
  }

  override writeFile(netns: string, path: string, data: string, append: boolean): FileResult<void> {
    if (this.guard.frozen) return { ok: true, value: undefined };
    return super.writeFile(netns, path, data, append);
  }

  /** A run limit was hit: say so, then stop every process as `timeout` would (SIGTERM). */
  private halt(key: 'runSeconds' | 'wallSeconds'): void {
    const g = this.guard;
    if (g.halted) return;
    const value = this.lab.limits[key];
    g.haltedBy = key;
    g.halted = `${limitMessage(key, value)}: the script ran for more than ${value} s of ${key === 'runSeconds' ? 'virtual' : 'real'} time and was stopped\n`;
    this.lab.log(g.halted.trimEnd());
    g.report?.(g.halted);
    for (const p of [...this.live]) p.kill('TERM');
  }
}
