/**
 * Discrete-event scheduler: the only source of time in a lab.
 *
 * Time is a number of nanoseconds since the lab started. Events with the same time run in the
 * order they were scheduled (a sequence number breaks ties), so a run is fully deterministic.
 */

export interface Timer {
  readonly time: number;
  /** Cancelling is O(1): the event stays in the heap but does nothing when it comes up. */
  cancel(): void;
  readonly pending: boolean;
}

class Event implements Timer {
  constructor(public time: number, public seq: number, public fn: (() => void) | null) {}
  cancel(): void { this.fn = null; }
  get pending(): boolean { return this.fn !== null; }
}

export const NS_PER_MS = 1_000_000;
export const NS_PER_SEC = 1_000_000_000;

export class Scheduler {
  now = 0;
  private heap: Event[] = [];
  private seq = 0;
  /** Events run so far; lets storm guards and benchmarks count work. */
  executed = 0;

  /** Runs `fn` after `delayNs` of virtual time (0 = later in this same instant). */
  after(delayNs: number, fn: () => void): Timer {
    return this.at(this.now + Math.max(0, delayNs), fn);
  }

  at(time: number, fn: () => void): Timer {
    const ev = new Event(Math.max(time, this.now), this.seq++, fn);
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(ev, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = ev;
    return ev;
  }

  /** Time of the next live event, or Infinity. */
  nextTime(): number {
    this.dropCancelled();
    return this.heap.length ? this.heap[0]!.time : Infinity;
  }

  get pendingCount(): number { return this.heap.length; }

  /** Runs the next event, advancing the clock. Returns false when nothing is left. */
  runNext(): boolean {
    this.dropCancelled();
    const ev = this.pop();
    if (!ev) return false;
    if (ev.time > this.now) this.now = ev.time;
    const fn = ev.fn!;
    ev.fn = null;
    this.executed++;
    fn();
    return true;
  }

  /**
   * Runs events until `done()` holds, nothing is left, or the next event lies beyond
   * `deadline` (absolute ns; the clock is then moved to the deadline). Returns done().
   */
  runUntil(done: () => boolean, deadline = Infinity): boolean {
    while (!done()) {
      const t = this.nextTime();
      if (t === Infinity || t > deadline) {
        if (deadline !== Infinity && deadline > this.now) this.now = deadline;
        return done();
      }
      this.runNext();
    }
    return true;
  }

  /** Runs everything due now (what the kernel does "straight after" a syscall returns). */
  settle(): void {
    while (this.nextTime() <= this.now) this.runNext();
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0]!.fn === null) this.pop();
  }

  private pop(): Event | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(h[r]!, h[l]!) ? r : l;
        if (!less(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function less(a: Event, b: Event): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
