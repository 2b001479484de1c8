/**
 * A lab session that can be saved and loaded exactly.
 *
 * The lab's scheduler holds closures (ARP and FDB timers, STP, linkwatch, a background ping's
 * next echo), which no structural dump can restore. vnet is deterministic, so a session instead
 * keeps a journal of its inputs (options and seed, the world, every script and interactive line,
 * in order); a state file is that journal plus a summary of the lab at the save point
 * (digest.ts). Loading builds a fresh lab, replays the journal silently up to the save point,
 * checks the rebuilt lab against the summary, and only then is the new lab used: a bad file
 * leaves the lab in memory as it was.
 *
 * A save made by a command (`vnet save FILE` in a script or line) records which started process
 * it was (the session counts them); the replay stops the lab at that command ("cut"): the rest of
 * that script then runs against a frozen lab that nothing can change (host.ts).
 */
import { createLab, type Lab } from '../core/index.ts';
import type { LabOptions } from '../core/lab.ts';
import type { LabLimits } from '../core/limits.ts';
import { kernelConfigDiff, type KernelConfig } from '../core/kconfig.ts';
import { LabFs } from '../tools/fs.ts';
import { defaultTools } from '../tools/index.ts';
import { Shell, type CommandRecord } from '../shell/index.ts';
import type { ShellHost } from '../shell/host.ts';
import { SessionHost } from './host.ts';
import { labDigest, firstDifference, type Json } from './digest.ts';
import { decodeState, encodeState, type JournalEntry, type StateBody, type StateOptions } from './format.ts';
import type { Tool } from '../tools/types.ts';

export interface SessionOptions extends LabOptions {
  limits?: Partial<LabLimits>;
}

export type LoadResult = { ok: true; session: LabSession } | { ok: false; error: string };

export class LabSession {
  lab: Lab;
  host: SessionHost;
  fs: LabFs;
  readonly options: StateOptions;
  private readonly journal: JournalEntry[] = [];
  /** Processes started so far (the position of a save made by a command). */
  spawns = 0;
  /** Set when this session was adopted by another (an in-lab `vnet load`): that one is in charge. */
  private owner: LabSession | null = null;
  /** Interactive shells: the base one, then one per `ip netns exec NS bash` entered. */
  private stack: { shell: Shell; netns: string }[] = [];
  /** Where interactive output goes (the terminal); none while replaying. */
  onLineOutput: ((fd: 1 | 2, text: string) => void) | null = null;
  /** Replay state: the process number to freeze at in the entry being replayed, and what to check there. */
  private cutAt = -1;
  private cutDigest: { [k: string]: Json } | null = null;
  private cutResult: string | null | undefined;
  /** Why this session can no longer be saved (a run was cut by real time, which no replay can redo). */
  private unsaveable: string | null = null;
  /** Bumped on every adopt, so a line that loaded a lab does not pop the new shell stack. */
  private generation = 0;
  /** The ShellHost every shell of this session uses: always the current lab's host. */
  readonly shellHost: ShellHost;

  constructor(opts: SessionOptions = {}) {
    this.options = { seed: opts.seed ?? 1, ipv6: opts.ipv6 ?? true };
    if (opts.backlogDelayNs !== undefined) this.options.backlogDelayNs = opts.backlogDelayNs;
    if (opts.maxFramesPerMs !== undefined) this.options.maxFramesPerMs = opts.maxFramesPerMs;
    if (opts.limits && Object.keys(opts.limits).length) this.options.limits = { ...opts.limits } as Record<string, number>;
    // Only a non-default kernel build is written: the files of plain labs stay as they were.
    const kc = kernelConfigDiff(opts.kernelConfig);
    if (Object.keys(kc).length) this.options.kernelConfig = kc as Record<string, boolean>;
    this.lab = createLab(opts);
    this.fs = new LabFs(this.lab);
    this.host = new SessionHost(this.lab, { ...defaultTools(), vnet: vnetTool(this) }, this.fs);
    this.host.onSpawn = () => this.top().spawns++;
    const self = this;
    const h = (): SessionHost => self.top().host;
    this.shellHost = {
      now: () => h().now(),
      runUntil: (done, limitNs) => h().runUntil(done, limitNs),
      settle: () => h().settle(),
      spawn: (argv, io) => h().spawn(argv, io),
      readFile: (ns, p) => h().readFile(ns, p),
      writeFile: (ns, p, d, a) => h().writeFile(ns, p, d, a),
      listDir: (ns, p) => h().listDir(ns, p),
      exists: (ns, p) => h().exists(ns, p),
      isStream: (ns, p) => h().isStream(ns, p),
      stopRun: () => h().stopRun(),
      which: (name) => h().which(name),
    };
  }

  /** The session in charge (the one that adopted this one, if any). */
  top(): LabSession {
    let s: LabSession = this;
    while (s.owner) s = s.owner;
    return s;
  }

  // ---- inputs (each one is journaled before it runs)

  /** Builds the world (its output is not a record; a failure is reported on `onOutput`). */
  runWorld(text: string, onOutput?: (fd: 1 | 2, text: string) => void): number {
    if (!text) return 0;
    this.journal.push({ kind: 'world', text });
    return this.run(() => {
      const r = new Shell(this.shellHost, { scriptName: 'world' }).runScript(text);
      if (r.status !== 0) {
        const failed = r.records.find((x) => x.exit !== 0);
        onOutput?.(2, `vnet: the world script failed${failed ? ` at line ${failed.line}: ${failed.command}\n${failed.stderr}` : '\n'}`);
      }
      this.shellHost.settle();
      return r.status;
    }, onOutput);
  }

  /** Runs a whole script in a new shell (as `vnet run` does). */
  runScript(text: string, opts: { name?: string; onOutput?: (fd: 1 | 2, t: string) => void; onRecord?: (r: CommandRecord) => void } = {}):
    { status: number; records: CommandRecord[] } {
    const name = opts.name ?? 'script';
    this.journal.push({ kind: 'script', name, text });
    let records: CommandRecord[] = [];
    const status = this.run(() => {
      const so: ConstructorParameters<typeof Shell>[1] = { scriptName: name };
      if (opts.onOutput) so.onOutput = opts.onOutput;
      if (opts.onRecord) so.onRecord = opts.onRecord;
      const r = new Shell(this.shellHost, so).runScript(text);
      records = r.records;
      return r.status;
    }, opts.onOutput);
    return { status, records };
  }

  /**
   * One line of the interactive shell (`vnet shell`): variables, functions and jobs persist.
   * `ip netns exec NS bash` enters NS in a nested interactive shell; `exit` leaves it.
   */
  runLine(line: string): number {
    this.journal.push({ kind: 'line', text: line });
    const out = (fd: 1 | 2, t: string): void => { this.top().onLineOutput?.(fd, t); };
    return this.run(() => {
      if (!this.stack.length) this.stack.push({ shell: new Shell(this.shellHost, { scriptName: 'vnet', onOutput: out }), netns: '' });
      const enter = /^\s*ip\s+netns\s+exec\s+(\S+)\s+(ba)?sh\s*$/.exec(line);
      if (enter) {
        if (!this.lab.named.has(enter[1]!)) {
          out(2, `Cannot open network namespace "${enter[1]}": No such file or directory\n`);
          return 255;
        }
        this.stack.push({ shell: new Shell(this.shellHost, { scriptName: 'bash', netns: enter[1]!, onOutput: out }), netns: enter[1]! });
        return 0;
      }
      const gen = this.generation;
      const top = this.stack[this.stack.length - 1]!;
      const status = top.shell.runLine(line);
      if (gen === this.generation && top.shell.exited) {
        this.stack.pop();
        if (!this.stack.length) this.closed = true;
      }
      return status;
    }, out);
  }

  /** The namespace the interactive shell is in ('' = the script's own). */
  get netns(): string { return this.stack[this.stack.length - 1]?.netns ?? ''; }

  /** The base interactive shell has exited (`exit` at the top level). */
  get exited(): boolean { return this.closed; }
  private closed = false;

  /** Runs one input under the run-time limits; a run stopped by a limit ends with status 124. */
  private run(f: () => number, onOutput?: (fd: 1 | 2, t: string) => void): number {
    const g = this.host.guard;
    if (this.owner) return f(); // an adopted session's inputs are run by its owner
    g.start(this.lab.limits, this.lab.clock.now, true);
    g.report = onOutput ? (t) => onOutput(2, t) : null;
    try {
      const status = f();
      const by = this.host.guard.haltedBy;
      if (by === 'wallSeconds') this.unsaveable = 'a run was stopped by the wall-time limit, which depends on real time, so no replay can redo it';
      return by ? 124 : status;
    } finally {
      this.host.guard.end();
    }
  }

  /**
   * Changes limits from now on (`vnet run --state FILE --limit …`): journaled, since limits
   * change what later inputs do.
   */
  setLimits(limits: Partial<LabLimits>): void {
    this.journal.push({ kind: 'limits', text: JSON.stringify(limits) });
    Object.assign(this.lab.limits, limits);
  }

  /** Why the lab cannot be saved now, or null. */
  get saveError(): string | null { return this.top().unsaveable; }

  // ---- saving

  /** The state file of the lab now (between inputs). Throws if `saveError` says it cannot be saved. */
  save(): string {
    if (this.unsaveable) throw new Error(`cannot save the lab: ${this.unsaveable}`);
    return encodeState(this.body(this.journal.length, undefined));
  }

  /** The state file for a save made by the command now running (the current input is cut there). */
  saveFromCommand(): string {
    return encodeState(this.body(this.journal.length, this.spawns));
  }

  private body(entries: number, cut: number | undefined): StateBody {
    const journal: JournalEntry[] = this.journal.slice(0, entries)
      .map((e, i) => (i === entries - 1 && cut !== undefined ? { ...e, cut } : { ...e }));
    return { options: this.options, journal, point: { entries }, digest: labDigest(this.lab, this.fs) };
  }

  /**
   * Called by `vnet save` before it writes: during a replay, at the process where the original
   * save was made, checks the rebuilt lab against the file's summary. Returns true if the lab must
   * now freeze (after the file is written).
   */
  atCut(): boolean {
    const t = this.top();
    if (t.cutAt < 0 || t.spawns !== t.cutAt) return false;
    if (t.cutDigest) {
      const d = firstDifference(t.cutDigest as Json, labDigest(t.lab, t.fs) as Json);
      t.cutResult = d;
    } else t.cutResult = null;
    return true;
  }

  freeze(): void { this.top().host.guard.frozen = true; }

  // ---- loading

  /** Rebuilds the session a state file describes; the caller's lab is not touched. */
  static load(text: string, name = 'state file'): LoadResult {
    const d = decodeState(text);
    if (!d.ok) return { ok: false, error: `${name}: ${d.error}` };
    const b = d.body;
    const opts: SessionOptions = { seed: b.options.seed, ipv6: b.options.ipv6 };
    if (b.options.backlogDelayNs !== undefined) opts.backlogDelayNs = b.options.backlogDelayNs;
    if (b.options.maxFramesPerMs !== undefined) opts.maxFramesPerMs = b.options.maxFramesPerMs;
    if (b.options.limits) opts.limits = b.options.limits as Partial<LabLimits>;
    if (b.options.kernelConfig) opts.kernelConfig = b.options.kernelConfig as Partial<KernelConfig>;
    const s = new LabSession(opts);
    const journal = b.journal.slice(0, b.point.entries) as JournalEntry[];
    try {
      for (let i = 0; i < journal.length; i++) {
        const e = journal[i]!;
        const last = i === journal.length - 1;
        s.cutAt = e.cut ?? -1;
        s.cutDigest = last ? b.digest : null;
        s.cutResult = undefined;
        if (e.kind === 'world') s.runWorld(e.text);
        else if (e.kind === 'limits') s.setLimits(JSON.parse(e.text) as Partial<LabLimits>);
        else if (e.kind === 'script') s.runScript(e.text, { name: e.name });
        else s.runLine(e.text);
        s.host.guard.frozen = false;
        // The original ran each input within the wall-time limit (a lab cut by it cannot be saved),
        // so a replay that is not is an edited file, not a slow machine worth waiting for.
        if (s.unsaveable) return { ok: false, error: `${name} does not reproduce: replaying input ${i + 1} took longer than the wall-time limit (${s.lab.limits.wallSeconds} s)` };
        if (e.cut !== undefined) {
          s.journal[s.journal.length - 1]!.cut = e.cut;
          if (s.cutResult === undefined) return { ok: false, error: `${name} does not reproduce: the save in input ${i + 1} was never reached` };
          if (last && s.cutResult) return { ok: false, error: `${name} does not reproduce: ${s.cutResult}` };
        }
      }
    } catch (e) {
      return { ok: false, error: `${name} does not reproduce: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      s.cutAt = -1;
      s.cutDigest = null;
    }
    const last = journal[journal.length - 1];
    if (!last || last.cut === undefined) {
      const diff = firstDifference(b.digest as Json, labDigest(s.lab, s.fs) as Json);
      if (diff) return { ok: false, error: `${name} does not reproduce: ${diff}` };
    }
    return { ok: true, session: s };
  }

  /**
   * An in-lab `vnet load`: from now on this session runs on `other`'s lab (and its interactive
   * shells). The journal stays this session's: replaying it runs the same `vnet load` again.
   */
  adopt(other: LabSession): void {
    const t = this.top();
    other.owner = t;
    other.host.guard = t.host.guard;
    t.lab = other.lab;
    t.host = other.host;
    t.fs = other.fs;
    t.stack = other.stack;
    t.closed = false;
    t.generation++;
  }
}

const VNET_USAGE = 'Usage: vnet save FILE\n       vnet load FILE\n';

/**
 * `vnet save FILE` / `vnet load FILE` inside the lab. FILE is in the lab's own filesystem (export
 * it with `vnet run --out DIR`). A load replaces the lab at once: the script or line that ran it
 * goes on in the loaded lab; a file that is damaged, newer or does not reproduce is refused and
 * the lab stays as it was.
 */
function vnetTool(session: LabSession): Tool {
  return (ctx) => {
    const [, sub, file, ...rest] = ctx.argv;
    if (sub === 'help' || sub === '--help' || sub === '-h') { ctx.out(VNET_USAGE); return 0; }
    if ((sub !== 'save' && sub !== 'load') || !file || rest.length) { ctx.err(VNET_USAGE); return 2; }
    const top = session.top();
    const netns = ctx.io.netns;
    if (sub === 'save') {
      if (top.saveError) { ctx.err(`vnet: cannot save the lab: ${top.saveError}\n`); return 1; }
      const freeze = top.atCut();
      const w = ctx.fs.write(netns, file, top.saveFromCommand(), false);
      if (!w.ok) { ctx.err(`vnet: cannot write ${file}: ${w.message}\n`); return 1; }
      if (freeze) top.freeze();
      return 0;
    }
    const r = ctx.fs.read(netns, file);
    if (!r.ok) { ctx.err(`vnet: cannot read ${file}: ${r.message}\n`); return 1; }
    const l = LabSession.load(r.value, `state file ${file}`);
    if (!l.ok) { ctx.err(`vnet: ${l.error}\n`); return 1; }
    top.adopt(l.session);
    return 0;
  };
}
