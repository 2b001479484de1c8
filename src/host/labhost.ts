/**
 * The ShellHost a lab offers to the shell: virtual time from the lab's scheduler, commands from
 * the tool table run "inside" a namespace, files from the lab's virtual filesystem. Nothing here
 * touches the real machine.
 */
import type { Lab } from '../core/lab.ts';
import type { FileResult, Process, ProcessIO, ShellHost, Signal } from '../shell/host.ts';
import type { Tool, ToolCtx } from '../tools/types.ts';
import type { CharStream } from '../tools/fs.ts';
import { TOOL_PATHS } from '../tools/index.ts';
import { Shell } from '../shell/index.ts';

export interface VirtualFs {
  read(netns: string, path: string): FileResult<string>;
  write(netns: string, path: string, data: string, append: boolean): FileResult<void>;
  list(netns: string, path: string): FileResult<string[]>;
  exists(netns: string, path: string): boolean;
  /** Binary files (pcap): optional for hosts that only do text. */
  readBytes?(path: string): Uint8Array | undefined;
  writeBytes?(path: string, data: Uint8Array, append: boolean): FileResult<void>;
  /** Frame devices (/dev/tapN): null when `path` is not one (tools/fs.ts). */
  openStream?(netns: string, path: string, alive?: () => boolean): FileResult<CharStream> | null;
  isStream?(netns: string, path: string): boolean;
}

const SIGNUM: Record<Signal, number> = { HUP: 1, INT: 2, KILL: 9, TERM: 15 };

/** runUntil's condition for "just let time pass" (one shared function, not a closure per command). */
const never = (): boolean => false;

class LabProcess implements Process {
  exited = false;
  status = 0;
  notFound = false;
  private exitCbs: ((s: number) => void)[] = [];
  signalHandler: ((sig: Signal) => void) | null = null;

  constructor(readonly pid: number, readonly argv: readonly string[]) {}

  finish(status: number): void {
    if (this.exited) return;
    this.exited = true;
    this.status = status & 0xff;
    for (const cb of this.exitCbs.splice(0)) cb(this.status);
  }

  kill(sig: Signal): void {
    if (this.exited) return;
    if (sig !== 'KILL' && this.signalHandler) {
      const h = this.signalHandler;
      h(sig);
      // A handler that did not exit leaves the process running (like SIG_IGN); tools exit here.
      if (!this.exited) this.finish(128 + SIGNUM[sig]);
      return;
    }
    this.finish(128 + SIGNUM[sig]);
  }

  onExit(cb: (status: number) => void): void {
    if (this.exited) cb(this.status); else this.exitCbs.push(cb);
  }
}

export class LabHost implements ShellHost {
  private nextPid = 1000;
  /**
   * Virtual time a process takes to start (fork + exec + dynamic linking). Measured on the
   * project's VM: `ip link show` ≈ 2 ms, `ip netns exec NS ip …` ≈ 4 ms (two execs). Scripts race
   * against kernel timers (ARP retries, linkwatch) exactly as much as on Linux.
   */
  spawnLatencyNs = 2_000_000;

  constructor(readonly lab: Lab, readonly tools: Record<string, Tool>, readonly fs: VirtualFs) {}

  now(): number { return this.lab.clock.now; }

  runUntil(done: () => boolean, limitNs?: number): boolean {
    const deadline = limitNs === undefined ? Infinity : this.lab.clock.now + limitNs;
    return this.lab.clock.runUntil(done, deadline);
  }

  settle(): void { this.lab.clock.settle(); }

  /** `command -v`: the program's path, or undefined when the lab has no such program. */
  which(name: string): string | undefined {
    const base = name.slice(name.lastIndexOf('/') + 1);
    if (!Object.hasOwn(this.tools, base) && base !== 'sh' && base !== 'bash') return undefined;
    if (name.includes('/')) return name;
    return TOOL_PATHS[base] ?? `/usr/bin/${base}`;
  }

  spawn(argv: readonly string[], io: Parameters<ShellHost['spawn']>[1]): Process {
    if (this.spawnLatencyNs > 0) this.lab.clock.runUntil(never, this.lab.clock.now + this.spawnLatencyNs);
    const proc = new LabProcess(this.nextPid++, argv);
    const name = argv[0] ?? '';
    const base = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
    if (base === 'sh' || base === 'bash') return this.runNestedShell(proc, argv, io);
    const tool = this.tools[base];
    if (!tool) {
      proc.notFound = true;
      proc.finish(127);
      return proc;
    }
    const ns = this.lab.ns(io.netns);
    if (!ns) {
      io.stderr(`Cannot open network namespace "${io.netns}": No such file or directory\n`);
      proc.finish(255);
      return proc;
    }
    const host = this;
    const pio: ProcessIO = {
      argv, netns: io.netns, stdin: io.stdin, env: io.env,
      write(fd, text) { if (!proc.exited) (fd === 1 ? io.stdout : io.stderr)(text); },
      writeBytes(_fd, bytes) { if (!proc.exited && io.stdoutBytes) io.stdoutBytes(bytes); },
      exit(status) { proc.finish(status); },
      get exited() { return proc.exited; },
      onSignal(handler) { proc.signalHandler = handler; },
      spawn(childArgv, opts) {
        return host.spawn(childArgv, { ...io, netns: opts?.netns ?? io.netns, env: opts?.env ?? io.env });
      },
    };
    const ctx: ToolCtx = {
      lab: this.lab, ns, argv,
      out: (t) => pio.write(1, t), err: (t) => pio.write(2, t), io: pio, fs: this.fs,
    };
    let r: number | 'async';
    try {
      r = tool(ctx);
    } catch (e) {
      // A tool bug must never take the lab down: report it like a crashed program.
      io.stderr(`${base}: internal error: ${(e as Error).message}\n`);
      r = 134;
    }
    if (r !== 'async') proc.finish(r);
    return proc;
  }

  /**
   * `bash -c '…'`, `sh FILE`: a child shell in the same namespace. It runs to completion before
   * spawn returns (a nested interpreter), which is exact for foreground use.
   */
  private runNestedShell(proc: LabProcess, argv: readonly string[], io: Parameters<ShellHost['spawn']>[1]): Process {
    const args = argv.slice(1).filter((a, i) => !(i === 0 && (a === '-e' || a === '-x')));
    let text: string | null = null;
    let name = argv[0] ?? 'bash';
    if (args[0] === '-c') {
      text = args[1] ?? '';
      if (args[2] !== undefined) name = args[2];
      if (args[1] === undefined) { io.stderr(`${argv[0]}: -c: option requires an argument\n`); proc.finish(2); return proc; }
    } else if (args.length) {
      const r = this.fs.read(io.netns, args[0]!);
      if (!r.ok) { io.stderr(`${argv[0]}: ${args[0]}: No such file or directory\n`); proc.finish(127); return proc; }
      text = r.value;
      name = args[0]!;
    } else text = io.stdin;
    const sh = new Shell(this, { scriptName: name, netns: io.netns, onOutput: (fd, t) => (fd === 1 ? io.stdout : io.stderr)(t) });
    const res = sh.runScript(text);
    proc.finish(res.status);
    return proc;
  }

  readFile(netns: string, path: string): FileResult<string> { return this.fs.read(netns, path); }
  writeFile(netns: string, path: string, data: string, append: boolean): FileResult<void> {
    return this.fs.write(netns, path, data, append);
  }
  listDir(netns: string, path: string): FileResult<string[]> { return this.fs.list(netns, path); }
  exists(netns: string, path: string): boolean { return this.fs.exists(netns, path); }

  /** A frame device (/dev/tapN): its readers are programs that block, not the shell's builtins. */
  isStream(netns: string, path: string): boolean { return this.fs.isStream?.(netns, path) ?? false; }
}
