/**
 * A tiny harness for driving `ip`, `sysctl` and the virtual filesystem without the shell:
 * a lab, a fake ProcessIO whose spawn runs the same tools synchronously, captured output.
 * Other ip*.test.ts files import it; its own test checks the harness itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab, type Lab } from '../../src/core/index.ts';
import type { NetNamespace } from '../../src/core/netns.ts';
import type { Tool, ToolCtx } from '../../src/tools/types.ts';
import type { Process, ProcessIO, Signal } from '../../src/shell/host.ts';
import { ipTool } from '../../src/tools/ip/index.ts';
import { sysctlTool } from '../../src/tools/sysctl.ts';
import { LabFs } from '../../src/tools/fs.ts';

export interface Result { out: string; err: string; code: number }

export class Harness {
  readonly lab: Lab;
  readonly fs: LabFs;
  readonly tools: Record<string, Tool> = { ip: ipTool, sysctl: sysctlTool };
  private pid = 100;

  constructor(seed = 1) {
    this.lab = createLab({ seed });
    this.fs = new LabFs(this.lab);
  }

  /** Runs one command line (words split on spaces; quotes are not interpreted). */
  sh(line: string, netns = ''): Result {
    return this.run(line.trim().split(/\s+/), netns);
  }

  run(argv: readonly string[], netns = ''): Result {
    const r: Result = { out: '', err: '', code: 0 };
    const proc = this.spawn(argv, netns, (t) => { r.out += t; }, (t) => { r.err += t; });
    this.lab.clock.runUntil(() => proc.exited, this.lab.clock.now + 60e9);
    r.code = proc.status;
    return r;
  }

  spawn(argv: readonly string[], netns: string, out: (t: string) => void, err: (t: string) => void): Process {
    const h = this;
    let exited = false, status = 0;
    const cbs: ((s: number) => void)[] = [];
    let sigHandler: ((s: Signal) => void) | null = null;
    const proc: Process = {
      pid: this.pid++, argv,
      get exited() { return exited; },
      get status() { return status; },
      kill(sig) { if (sigHandler) sigHandler(sig); else finish(128 + 15); },
      onExit(cb) { if (exited) cb(status); else cbs.push(cb); },
    };
    const finish = (s: number): void => {
      if (exited) return;
      exited = true; status = s & 255;
      for (const cb of cbs) cb(status);
    };
    const io: ProcessIO = {
      argv, netns, stdin: '', env: new Map(),
      write(fd, text) { if (!exited) (fd === 1 ? out : err)(text); },
      exit: finish,
      onSignal(handler) { sigHandler = handler; },
      spawn(child, opts) { return h.spawn(child, opts?.netns ?? netns, out, err); },
    };
    const tool = this.tools[argv[0] ?? ''];
    if (!tool) {
      err(`${argv[0]}: command not found\n`);
      finish(127);
      return proc;
    }
    const ns: NetNamespace | undefined = this.lab.ns(netns);
    if (!ns) { err('no such namespace\n'); finish(1); return proc; }
    const ctx: ToolCtx = { lab: this.lab, ns, argv, out: (t) => io.write(1, t), err: (t) => io.write(2, t), io, fs: this.fs };
    const r = tool(ctx);
    if (r !== 'async') finish(r);
    // As the shell does after each command: what the kernel does "right after" (linkwatch…).
    this.lab.clock.settle();
    return proc;
  }

  /** Runs several lines, failing on the first non-zero status. */
  ok(...lines: string[]): void {
    for (const l of lines) {
      const r = this.sh(l);
      if (r.code !== 0) throw new Error(`"${l}" failed (${r.code}): ${r.err}`);
    }
  }
}

test('harness runs ip and captures output', () => {
  const h = new Harness();
  const r = h.sh('ip link show lo');
  assert.equal(r.code, 0);
  assert.match(r.out, /^1: lo: <LOOPBACK>/);
});
