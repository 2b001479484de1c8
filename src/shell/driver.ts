/**
 * Runs the foreground coroutine and every background job coroutine against the host's virtual
 * clock. All host.runUntil calls happen here, never inside a coroutine, so a generator is never
 * resumed while it is already running.
 */
import type { Block, Co, Wake } from './coro.ts';
import type { ShellHost } from './host.ts';

export interface Task {
  gen: Co<number> | undefined;
  block: Block | undefined;
  finished: boolean;
  running: boolean;
  onFinish: (status: number) => void;
}

export interface DriverLimits {
  /** Longest a wait without its own deadline may last, in virtual ns (then it is "stuck"). */
  maxWaitNs: number;
  /** Host events a single wait may consume before it is treated as stuck (runaway guard). */
  maxEvents: number;
}

export class Driver {
  private tasks: Task[] = [];
  /** Called after anything may have changed (a task stepped, time moved). */
  onTick: () => void = () => {};
  /** Called when a background coroutine throws something that is not a shell signal. */
  onCrash: (e: unknown) => number = () => 1;

  constructor(readonly host: ShellHost, readonly limits: DriverLimits) {}

  /** Starts a background coroutine and runs it until it first blocks (like fork + exec). */
  spawn(gen: Co<number>, onFinish: (status: number) => void): Task {
    const t: Task = { gen, block: undefined, finished: false, running: false, onFinish };
    this.tasks.push(t);
    this.step(t, 'ready', true);
    return t;
  }

  /** Abandons a coroutine without running any more of it. */
  drop(t: Task, status: number): void {
    if (t.finished) return;
    t.gen = undefined;
    t.block = undefined;
    this.finish(t, status);
  }

  /** Drives `main` to completion while background tasks progress. Exceptions propagate. */
  run<T>(main: Generator<Block, T, Wake>): T {
    let r = main.next('ready');
    while (!r.done) r = main.next(this.waitFor(r.value));
    this.onTick();
    return r.value;
  }

  private ready(t: Task): boolean {
    const b = t.block;
    if (!b || t.finished || t.running) return false;
    return b.settle === true || b.done() || (b.deadline !== undefined && this.host.now() >= b.deadline);
  }

  private finish(t: Task, status: number): void {
    if (t.finished) return;
    t.finished = true;
    t.gen = undefined;
    t.block = undefined;
    t.onFinish(status);
  }

  private step(t: Task, wake: Wake, first = false): void {
    if (t.running || t.finished || !t.gen) return;
    t.running = true;
    try {
      let w = wake;
      for (;;) {
        const gen: Co<number> | undefined = t.gen;
        if (!gen) break;
        const r = first ? gen.next() : gen.next(w);
        first = false;
        if (r.done) { t.running = false; this.finish(t, r.value); break; }
        t.block = r.value;
        if (t.block.settle) { this.host.settle(); w = 'ready'; continue; }
        if (t.block.done()) { w = 'ready'; continue; }
        break;
      }
    } catch (e) {
      t.running = false;
      this.finish(t, this.onCrash(e));
    } finally {
      t.running = false;
    }
  }

  private wakeOf(t: Task): Wake {
    const b = t.block!;
    return b.done() || b.settle ? 'ready' : 'deadline';
  }

  /** Steps every background task that can make progress, until none can. */
  private stepReady(): void {
    for (let guard = 0; guard < 100000; guard++) {
      const t = this.tasks.find((x) => this.ready(x));
      if (!t) break;
      this.step(t, this.wakeOf(t));
    }
    this.tasks = this.tasks.filter((x) => !x.finished);
    this.onTick();
  }

  private anyTaskReady(): boolean {
    return this.tasks.some((t) => this.ready(t));
  }

  /** Blocks the foreground on `b`, driving the host and background tasks meanwhile. */
  waitFor(b: Block): Wake {
    const host = this.host;
    if (b.settle) {
      host.settle();
      this.stepReady();
      return 'ready';
    }
    const start = host.now();
    let events = 0;
    let stall = 0;
    for (;;) {
      this.stepReady();
      if (b.done()) return 'ready';
      const now = host.now();
      if (b.deadline !== undefined && now >= b.deadline) return 'deadline';
      if (b.deadline === undefined && (now - start >= this.limits.maxWaitNs || events > this.limits.maxEvents)) return 'stuck';
      let target = b.deadline;
      for (const t of this.tasks) {
        const d = t.block?.deadline;
        if (d !== undefined && !t.finished && (target === undefined || d < target)) target = d;
      }
      // Never let a background timer carry an open-ended wait past its cap.
      if (b.deadline === undefined && target !== undefined) target = Math.min(target, start + this.limits.maxWaitNs);
      const wake = (): boolean => {
        events++;
        return b.done() || this.anyTaskReady() || events > this.limits.maxEvents ||
          (b.deadline === undefined && host.now() - start >= this.limits.maxWaitNs);
      };
      if (target !== undefined) {
        host.runUntil(wake, Math.max(0, target - now));
        // A host that neither ran anything nor moved its clock would spin us forever.
        if (host.now() === now && !b.done() && !this.anyTaskReady()) {
          if (++stall > 1000) return b.deadline !== undefined ? 'deadline' : 'stuck';
        } else {
          stall = 0;
        }
        continue;
      }
      const ok = host.runUntil(wake);
      if (!ok) {
        this.stepReady();
        return b.done() ? 'ready' : 'stuck';
      }
    }
  }

  /** Background tasks still alive (for the end-of-script cleanup). */
  get pending(): number {
    return this.tasks.filter((t) => !t.finished).length;
  }
}
