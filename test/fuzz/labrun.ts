/**
 * Runs tools in a lab the way the shell does (LabHost), for the properties: one argv at a time,
 * in a namespace, with a virtual-time limit (a command still running then is interrupted, as
 * `timeout` would), and with tool exceptions kept with their stack instead of only the
 * "internal error" line LabHost prints.
 */
import { newSession, type Session } from '../../src/index.ts';
import type { Tool } from '../../src/tools/types.ts';
import type { Process } from '../../src/shell/host.ts';
import { NS_PER_SEC } from '../../src/core/clock.ts';

export interface RunResult { out: string; err: string; code: number; interrupted: boolean }

export class LabRun {
  readonly s: Session;
  /** Exceptions tools threw (LabHost turns them into status 134 and an "internal error" line). */
  readonly crashes: string[] = [];

  constructor(seed = 1, opts: { ipv6?: boolean } = {}) {
    this.s = newSession({ seed, ...opts });
    const tools = this.s.host.tools as Record<string, Tool>;
    for (const [name, tool] of Object.entries(tools)) {
      tools[name] = (ctx) => {
        try {
          return tool(ctx);
        } catch (e) {
          this.crashes.push(`${ctx.argv.join(' ')}: ${(e as Error).stack ?? String(e)}`);
          throw e;
        }
      };
    }
  }

  get lab() { return this.s.lab; }

  /** Runs argv in namespace `netns` ('' = the initial one) for at most `limitSec` of virtual time. */
  run(argv: readonly string[], netns = '', limitSec = 20): RunResult {
    const r: RunResult = { out: '', err: '', code: 0, interrupted: false };
    const proc: Process = this.s.host.spawn(argv, {
      netns, stdin: '', env: new Map(), stdout: (t) => { r.out += t; }, stderr: (t) => { r.err += t; },
    });
    this.s.host.runUntil(() => proc.exited, limitSec * NS_PER_SEC);
    if (!proc.exited) {
      r.interrupted = true;
      proc.kill('INT');
      this.s.host.runUntil(() => proc.exited, NS_PER_SEC);
      if (!proc.exited) proc.kill('KILL');
    }
    this.s.host.settle();
    r.code = proc.status;
    return r;
  }

  /** Runs a line split on spaces; throws if it fails (for building fixtures). */
  must(line: string, netns = ''): void {
    const r = this.run(line.split(' '), netns);
    if (r.code !== 0) throw new Error(`fixture command failed: ${line}: ${r.err}`);
  }

  /** Lets virtual time pass (timers, ARP, linkwatch). */
  advance(sec: number): void {
    this.s.host.runUntil(() => false, sec * NS_PER_SEC);
  }
}

/** stderr text that only a bug prints. */
export const BUG_TEXT = /internal error|TypeError|RangeError|ReferenceError|is not a function|Cannot read prop|\bundefined\b|\bNaN\b|\[object /;
