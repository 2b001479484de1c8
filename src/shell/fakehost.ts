/**
 * A tiny discrete-event ShellHost used by the shell's tests (and handy for demos): a virtual
 * clock, an in-memory filesystem and a few fake commands whose timing is known exactly.
 * Not the lab: src/cli/labhost.ts is the real implementation.
 */
import type { FileResult, Process, ShellHost, Signal } from './host.ts';
import { type CommandRecord, Shell, type ShellOptions } from './index.ts';

const SIGNUM: Record<Signal, number> = { HUP: 1, INT: 2, KILL: 9, TERM: 15 };

export class FakeProc implements Process {
  exited = false;
  status = 0;
  private exitCbs: ((s: number) => void)[] = [];
  sigHandler: ((sig: Signal) => void) | undefined;
  readonly signals: Signal[] = [];
  constructor(readonly pid: number, readonly argv: readonly string[], readonly out: (t: string) => void, readonly err: (t: string) => void) {}
  exit(st: number): void {
    if (this.exited) return;
    this.exited = true;
    this.status = st;
    for (const cb of this.exitCbs) cb(st);
  }
  kill(sig: Signal): void {
    if (this.exited) return;
    this.signals.push(sig);
    if (this.sigHandler && sig !== 'KILL') this.sigHandler(sig);
    else this.exit(128 + SIGNUM[sig]);
  }
  onExit(cb: (s: number) => void): void {
    if (this.exited) cb(this.status);
    else this.exitCbs.push(cb);
  }
}

type Impl = (p: FakeProc, h: FakeHost, io: { stdin: string; env: ReadonlyMap<string, string>; netns: string }) => void;

export class FakeHost implements ShellHost {
  t = 0;
  private seq = 0;
  private queue: { at: number; seq: number; fn: () => void }[] = [];
  private nextPid = 100;
  files = new Map<string, string>();
  dirs = new Set<string>(['/', '/tmp', '/root', '/proc', '/proc/sys', '/proc/sys/net', '/proc/sys/net/ipv4', '/sys', '/sys/class', '/sys/class/net']);
  readonly log: { argv: string[]; netns: string; stdin: string; env: Map<string, string>; at: number }[] = [];
  readonly writes: { netns: string; path: string; data: string; append: boolean }[] = [];
  commands: Record<string, Impl> = {};

  constructor() {
    const sec = 1e9;
    this.commands = {
      // Prints its arguments and exits at once.
      quick: (p) => { p.out(p.argv.slice(1).join(' ') + '\n'); p.exit(0); },
      // Exits with the status given.
      fail: (p) => { const n = parseInt(p.argv[1] ?? '1', 10); p.exit(Number.isNaN(n) ? 1 : n & 255); },
      // Echoes its standard input (an external `cat`).
      xcat: (p, _h, io) => { p.out(io.stdin); p.exit(0); },
      // Prints one environment variable.
      getenv: (p, _h, io) => { p.out((io.env.get(p.argv[1]) ?? '<unset>') + '\n'); p.exit(0); },
      // Prints to stderr and stdout.
      both: (p) => { p.out('out\n'); p.err('err\n'); p.exit(3); },
      // Exits after N virtual seconds.
      slow: (p, h) => {
        const n = Number(p.argv[1] ?? 1) || 0;
        h.after(n * sec, () => { p.out(`slow ${n} done\n`); p.exit(0); });
      },
      // Runs until signalled; like tcpdump it flushes its output on TERM/INT and exits 0.
      daemon: (p, h) => {
        p.out('daemon: listening\n');
        let n = 0;
        p.sigHandler = (sig) => {
          p.out(`daemon: ${n} packets captured\n`);
          p.err(`daemon: got ${sig}\n`);
          p.exit(0);
        };
        if (p.argv[1] === 'tick') {
          const tick = (): void => { if (!p.exited) { n++; h.after(sec, tick); } };
          h.after(sec, tick);
        }
      },
      // Ignores TERM and INT; only SIGKILL ends it.
      stubborn: (p) => { p.sigHandler = () => {}; },
      // Default signal handling (dies with 128+n), never exits by itself.
      forever: () => {},
      // Emits a line every second forever (perpetual activity), default signal handling.
      chatter: (p, h) => {
        let n = 0;
        const tick = (): void => { if (!p.exited) { p.out(`chatter ${++n}\n`); h.after(sec, tick); } };
        h.after(sec, tick);
      },
      // Reports the namespace it runs in.
      whereami: (p, _h, io) => { p.out(`netns=${io.netns}\n`); p.exit(0); },
    };
  }

  after(delayNs: number, fn: () => void): void {
    this.queue.push({ at: this.t + delayNs, seq: this.seq++, fn });
  }

  now(): number { return this.t; }

  private pop(limit: number | undefined): (() => void) | undefined {
    if (this.queue.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const a = this.queue[i];
      const b = this.queue[best];
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    const ev = this.queue[best];
    if (limit !== undefined && ev.at > limit) return undefined;
    this.queue.splice(best, 1);
    this.t = Math.max(this.t, ev.at);
    return ev.fn;
  }

  runUntil(done: () => boolean, limitNs?: number): boolean {
    const end = limitNs === undefined ? undefined : this.t + limitNs;
    for (;;) {
      if (done()) return true;
      const fn = this.pop(end);
      if (!fn) {
        if (end !== undefined) this.t = Math.max(this.t, end);
        return done();
      }
      fn();
    }
  }

  settle(): void {
    for (;;) {
      const fn = this.pop(this.t);
      if (!fn) return;
      fn();
    }
  }

  spawn(argv: readonly string[], io: Parameters<ShellHost['spawn']>[1]): Process {
    const p = new FakeProc(this.nextPid++, argv, io.stdout, io.stderr);
    this.log.push({ argv: [...argv], netns: io.netns, stdin: io.stdin, env: new Map(io.env), at: this.t });
    const impl = Object.hasOwn(this.commands, argv[0]) ? this.commands[argv[0]] : undefined;
    if (!impl) {
      io.stderr(`${argv[0]}: command not found\n`);
      p.exit(127);
    } else {
      impl(p, this, { stdin: io.stdin, env: io.env, netns: io.netns });
    }
    return p;
  }

  which(name: string): string | undefined {
    return Object.hasOwn(this.commands, name) ? `/usr/bin/${name}` : undefined;
  }

  readFile(_netns: string, path: string): FileResult<string> {
    if (this.dirs.has(path)) return { ok: false, errno: 21, message: 'Is a directory' };
    const v = this.files.get(path);
    if (v === undefined) return { ok: false, errno: 2, message: 'No such file or directory' };
    return { ok: true, value: v };
  }

  writeFile(netns: string, path: string, data: string, append: boolean): FileResult<void> {
    this.writes.push({ netns, path, data, append });
    if (this.dirs.has(path)) return { ok: false, errno: 21, message: 'Is a directory' };
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    if (!this.dirs.has(dir)) return { ok: false, errno: 2, message: 'No such file or directory' };
    if (path === '/proc/sys/net/ipv4/ip_forward' && !/^[01]\n?$/.test(data) && data !== '') {
      return { ok: false, errno: 22, message: 'Invalid argument' };
    }
    this.files.set(path, (append ? this.files.get(path) ?? '' : '') + data);
    return { ok: true, value: undefined };
  }

  listDir(_netns: string, path: string): FileResult<string[]> {
    const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    if (!this.dirs.has(p)) {
      return this.files.has(p) ? { ok: false, errno: 20, message: 'Not a directory' } : { ok: false, errno: 2, message: 'No such file or directory' };
    }
    const pre = p === '/' ? '/' : p + '/';
    const names = new Set<string>();
    for (const k of [...this.files.keys(), ...this.dirs]) {
      if (k.startsWith(pre) && k.length > pre.length) names.add(k.slice(pre.length).split('/')[0]);
    }
    return { ok: true, value: [...names] };
  }

  exists(_netns: string, path: string): boolean {
    const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    return this.dirs.has(p) || this.files.has(p);
  }
}

export interface FakeRun {
  status: number;
  stdout: string;
  stderr: string;
  records: CommandRecord[];
  host: FakeHost;
  shell: Shell;
}

/** Runs a script on a fresh FakeHost (or the one given) and collects everything. */
export function fakeRun(text: string, opts: ShellOptions & { host?: FakeHost } = {}): FakeRun {
  const host = opts.host ?? new FakeHost();
  let stdout = '';
  let stderr = '';
  const shell = new Shell(host, {
    ...opts,
    onOutput: (fd, t) => {
      if (fd === 1) stdout += t;
      else stderr += t;
      opts.onOutput?.(fd, t);
    },
  });
  const r = shell.runScript(text);
  return { status: r.status, stdout, stderr, records: r.records, host, shell };
}
