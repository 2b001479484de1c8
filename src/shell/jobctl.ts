/**
 * Job control builtins and where virtual time passes: sleep, timeout, wait, kill, jobs, disown.
 */
import { parseDuration } from './builtins.ts';
import type { Co } from './coro.ts';
import type { Signal } from './host.ts';
import type { Ctx, Interp } from './interp.ts';
import type { Builtin } from './shellbuiltins.ts';
import { type Job, SIGNUM, type ShellState, exitStatus } from './state.ts';

const sync = (f: (it: Interp, argv: string[], ctx: Ctx) => number): Builtin =>
  function* (it, argv, ctx) { return f(it, argv, ctx); };

// ------------------------------------------------------------------ signals

const SIGNAMES: string[] = [
  '', 'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE',
  'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ',
  'VTALRM', 'PROF', 'WINCH', 'IO', 'PWR', 'SYS',
];

export function sigName(n: number): string | undefined {
  if (n >= 1 && n <= 31) return SIGNAMES[n];
  if (n === 34) return 'RTMIN';
  if (n > 34 && n < 50) return `RTMIN+${n - 34}`;
  if (n >= 50 && n < 64) return `RTMAX-${64 - n}`;
  if (n === 64) return 'RTMAX';
  return undefined;
}

/** Signal number from `TERM`, `SIGTERM`, `term` or `15`; undefined if bash would reject it. */
export function parseSignal(s: string): number | undefined {
  if (/^[0-9]+$/.test(s)) {
    const n = Number(s);
    return n === 0 || sigName(n) !== undefined ? n : undefined;
  }
  const name = s.toUpperCase().replace(/^SIG/, '');
  for (let n = 1; n <= 64; n++) if (sigName(n) === name) return n;
  if (name === 'IOT') return 6;
  if (name === 'POLL') return 29;
  return undefined;
}

export function killList(): string {
  let out = '';
  let k = 0;
  for (let n = 1; n <= 64; n++) {
    const name = sigName(n);
    if (!name) continue;
    k++;
    out += `${String(n).padStart(2)}) SIG${name}${k % 5 === 0 ? '\n' : '\t'}`;
  }
  return out.endsWith('\n') ? out : out + '\n';
}

const DELIVERABLE: Record<number, Signal> = { 1: 'HUP', 2: 'INT', 9: 'KILL', 15: 'TERM' };

// ------------------------------------------------------------------ jobs helpers

/** `%1`, `%%`, `%+`, `%-`, `%name`, `%?text` as bash resolves them. */
export function resolveJob(sh: ShellState, spec: string): Job | undefined | 'ambiguous' {
  const jobs = sh.jobs;
  const s = spec.slice(1);
  if (s === '' || s === '%' || s === '+') return jobs[jobs.length - 1];
  if (s === '-') return previousJob(jobs) ?? jobs[jobs.length - 2];
  if (/^[0-9]+$/.test(s)) return jobs.find((j) => j.id === Number(s));
  const hits = s.startsWith('?') ? jobs.filter((j) => j.text.includes(s.slice(1))) : jobs.filter((j) => j.text.startsWith(s));
  if (hits.length > 1) return 'ambiguous';
  return hits[0];
}

/** bash's "-" job: the newest other job still running. */
function previousJob(jobs: Job[]): Job | undefined {
  for (let i = jobs.length - 2; i >= 0; i--) if (!jobs[i].done) return jobs[i];
  return undefined;
}

const SIG_DESC: Record<Signal, string> = { HUP: 'Hangup', INT: 'Interrupt', KILL: 'Killed', TERM: 'Terminated' };

export function jobState(j: Job): string {
  if (!j.done) return 'Running';
  const sig = j.diedOf;
  if (sig) return SIG_DESC[sig];
  return j.status === 0 ? 'Done' : `Exit ${j.status}`;
}

export function jobLine(j: Job, mark: string, long: boolean): string {
  const text = j.done ? j.text : `${j.text} &`;
  const pid = long ? ` ${String(j.pid).padStart(5)} ` : '  ';
  return `[${j.id}]${mark}${pid}${jobState(j).padEnd(24)}${text}\n`;
}

export function jobMark(jobs: Job[], j: Job): string {
  if (j === jobs[jobs.length - 1]) return '+';
  if (j === previousJob(jobs)) return '-';
  return ' ';
}

// ------------------------------------------------------------------ time

/** Blocks for `seconds` of virtual time, or until the job this runs in is signalled. */
export function* sleepFor(it: Interp, seconds: number, ctx: Ctx, name = 'sleep'): Co<number> {
  const job = ctx.job;
  if (job?.signal) return 128 + SIGNUM[job.signal];
  if (seconds <= 0) return 0;
  const deadline = Number.isFinite(seconds) ? it.host.now() + Math.round(seconds * 1e9) : undefined;
  const w = yield { done: () => job?.signal !== undefined, deadline };
  if (job?.signal) return 128 + SIGNUM[job.signal];
  if (w === 'stuck') {
    it.err(ctx, `${name}: still running with nothing left to happen; interrupted (SIGINT) so the script can go on`);
    return 130;
  }
  return 0;
}

function durationArgs(args: string[], ctx: Ctx, tool: string): number | undefined {
  const e = (t: string): void => { ctx.io.fds.get(2)?.write(t); };
  if (args.length === 0) { e(`${tool}: missing operand\nTry '${tool} --help' for more information.\n`); return undefined; }
  let total = 0;
  let bad = false;
  for (const a of args) {
    const d = parseDuration(a);
    if (d === undefined) { e(`${tool}: invalid time interval '${a}'\n`); bad = true; } else total += d;
  }
  if (bad) { e(`Try '${tool} --help' for more information.\n`); return undefined; }
  return total;
}

const sleep: Builtin = function* (it, argv, ctx) {
  const args = argv.slice(1).filter((a) => a !== '--');
  const total = durationArgs(args, ctx, 'sleep');
  if (total === undefined) return 1;
  return yield* sleepFor(it, total, ctx);
};

/** Commands coreutils' timeout can exec that vnet implements as builtins. */
const PROGRAM_BUILTINS = new Set(['echo', 'printf', 'cat', 'true', 'false', 'test', '[', 'sleep', 'kill']);

const timeout: Builtin = function* (it, argv, ctx) {
  const e = (t: string): void => { ctx.io.fds.get(2)?.write(t); };
  let sig: Signal = 'TERM';
  let killAfter: number | undefined;
  let preserve = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (a === '--preserve-status') { preserve = true; continue; }
    if (a === '--foreground' || a === '-v' || a === '--verbose') continue;
    let val: string | undefined;
    let opt: string | undefined;
    if (a === '-s' || a === '-k') { opt = a; val = argv[++i]; }
    else if (a.startsWith('--signal=')) { opt = '-s'; val = a.slice(9); }
    else if (a.startsWith('--kill-after=')) { opt = '-k'; val = a.slice(13); }
    else if (/^-[sk]./.test(a)) { opt = a.slice(0, 2); val = a.slice(2); }
    else if (a.startsWith('-') && a.length > 1 && !/^-[0-9.]/.test(a)) {
      e(`timeout: invalid option -- '${a.slice(1, 2)}'\nTry 'timeout --help' for more information.\n`);
      return 125;
    } else break;
    if (val === undefined) {
      e(`timeout: option requires an argument -- '${opt!.slice(1)}'\nTry 'timeout --help' for more information.\n`);
      return 125;
    }
    if (opt === '-s') {
      const n = parseSignal(val);
      if (n === undefined) { e(`timeout: ${val}: invalid signal\nTry 'timeout --help' for more information.\n`); return 125; }
      const d = DELIVERABLE[n];
      if (!d) { e(`timeout: ${val}: signal not supported by vnet\n`); return 125; }
      sig = d;
    } else {
      killAfter = parseDuration(val);
      if (killAfter === undefined) { e(`timeout: invalid time interval '${val}'\nTry 'timeout --help' for more information.\n`); return 125; }
    }
  }
  const rest = argv.slice(i);
  if (rest.length < 2) {
    e("Try 'timeout --help' for more information.\n");
    return 125;
  }
  const limit = parseDuration(rest[0]);
  if (limit === undefined) { e(`timeout: invalid time interval '${rest[0]}'\nTry 'timeout --help' for more information.\n`); return 125; }
  const cmd = rest.slice(1);
  const name = cmd[0];
  if (name === 'sleep') {
    const d = durationArgs(cmd.slice(1), ctx, 'sleep');
    if (d === undefined) return 1;
    if (limit > 0 && limit < d) {
      const st = yield* sleepFor(it, limit, ctx);
      if (st !== 0) return st;
      if (sig === 'KILL' && !ctx.job) it.fgDeath = { sig, pid: it.newPid() };
      return sig === 'KILL' || preserve ? 128 + SIGNUM[sig] : 124;
    }
    return yield* sleepFor(it, d, ctx);
  }
  if (PROGRAM_BUILTINS.has(name) && !it.readsStream(cmd, ctx)) return yield* it.dispatch(cmd, new Map(), ctx);
  if (ctx.sh.funcs.has(name) || (it.isBuiltin(name) && !it.readsStream(cmd, ctx))) {
    e(`timeout: failed to run command '${name}': No such file or directory\n`);
    return 127;
  }
  // An external command, watched with a deadline.
  const out = ctx.io.fds.get(1);
  const err = ctx.io.fds.get(2);
  const proc = it.host.spawn(cmd, {
    netns: it.cfg.netns,
    stdin: ctx.io.stdin.takeAll(),
    env: ctx.sh.exportedEnv(),
    stdout: (t) => out?.write(t),
    stderr: (t) => err?.write(t),
    stdoutBytes: out?.bytes ? (b) => out.bytes!(b) : undefined,
  });
  if (proc.notFound) {
    e(`timeout: failed to run command '${name}': No such file or directory\n`);
    return 127;
  }
  if (ctx.job) { ctx.job.procs.add(proc); ctx.job.firstPid ??= proc.pid; }
  const deadline = limit > 0 && Number.isFinite(limit) ? it.host.now() + Math.round(limit * 1e9) : undefined;
  let timedOut = false;
  let killed = false;
  if (!proc.exited) {
    const w = yield { done: () => proc.exited, deadline };
    if (!proc.exited && w === 'deadline') {
      timedOut = true;
      proc.kill(sig);
      if (!proc.exited) {
        const kd = killAfter !== undefined && killAfter > 0 ? it.host.now() + Math.round(killAfter * 1e9) : undefined;
        const w2 = yield { done: () => proc.exited, deadline: kd };
        if (!proc.exited && (w2 === 'deadline' || w2 === 'stuck')) {
          killed = true;
          proc.kill('KILL');
          if (!proc.exited) yield { done: () => proc.exited };
        }
      }
    } else if (!proc.exited) {
      yield* it.unstick(proc, name, ctx);
    }
  }
  if (!timedOut) return proc.exited ? exitStatus(proc.status) : 137;
  // coreutils re-raises SIGKILL on itself, so bash sees (and reports) a killed command.
  if ((killed || sig === 'KILL') && !ctx.job) it.fgDeath = { sig: 'KILL', pid: proc.pid };
  if (preserve) return proc.exited ? exitStatus(proc.status) : 137;
  return killed || sig === 'KILL' ? 137 : 124;
};

function jobArg(it: Interp, ctx: Ctx, builtin: string, a: string): Job | 'bad' | number {
  if (a.startsWith('%')) {
    const j = resolveJob(ctx.sh, a);
    if (j === 'ambiguous') { it.err(ctx, `${builtin}: ${a}: ambiguous job spec`); return 'bad'; }
    if (!j) { it.err(ctx, `${builtin}: ${a}: no such job`); return 'bad'; }
    return j;
  }
  if (/^[0-9]+$/.test(a)) {
    const j = ctx.sh.jobs.find((x) => x.pid === Number(a));
    return j ?? Number(a);
  }
  return 'bad';
}

const wait: Builtin = function* (it, argv, ctx) {
  const sh = ctx.sh;
  let args = argv.slice(1);
  let anyOne = false;
  while (args[0] && /^-[nf]+$/.test(args[0])) { if (args[0].includes('n')) anyOne = true; args = args.slice(1); }
  if (args[0] === '--') args = args.slice(1);
  const interrupted = (): boolean => ctx.job?.signal !== undefined;
  const reap = (j: Job): void => {
    sh.reaped.set(j.pid, j.status);
    sh.jobs = sh.jobs.filter((x) => x !== j);
  };
  if (args.length === 0) {
    const targets = sh.jobs.filter((j) => !j.done);
    if (anyOne) {
      if (targets.length === 0) return 127;
      yield { done: () => targets.some((j) => j.done) || interrupted() };
      const j = targets.find((x) => x.done);
      if (!j) return interrupted() ? 128 + SIGNUM[ctx.job!.signal!] : 0;
      reap(j);
      return j.status;
    }
    if (targets.length) yield { done: () => targets.every((j) => j.done) || interrupted() };
    if (interrupted()) return 128 + SIGNUM[ctx.job!.signal!];
    // Only the jobs waited for leave the table; ones that had already ended stay for `jobs`.
    for (const j of targets) if (j.done) reap(j);
    return 0;
  }
  let st = 0;
  for (const a of args) {
    const r = a.startsWith('%') || /^[0-9]+$/.test(a) ? jobArg(it, ctx, 'wait', a) : 'bad';
    if (r === 'bad') {
      if (a.startsWith('%')) { st = 127; continue; }
      it.err(ctx, `wait: \`${a}': not a pid or valid job spec`);
      st = 1;
      continue;
    }
    if (typeof r === 'number') {
      const saved = sh.reaped.get(r);
      if (saved !== undefined) { st = saved; continue; }
      it.err(ctx, `wait: pid ${r} is not a child of this shell`);
      st = 127;
      continue;
    }
    if (!r.done) yield { done: () => r.done || interrupted() };
    if (interrupted()) return 128 + SIGNUM[ctx.job!.signal!];
    if (!r.done) { st = 0; continue; } // can never finish: bash would hang, we go on
    st = r.status;
    reap(r);
  }
  return st;
};

const kill: Builtin = function* (it, argv, ctx) {
  const usage = 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n';
  const out = (t: string): void => { ctx.io.fds.get(1)?.write(t); };
  let i = 1;
  let sig = 15;
  const a1 = argv[1];
  if (a1 === '-l' || a1 === '-L') {
    if (argv.length === 2) { out(killList()); return 0; }
    let st = 0;
    for (const a of argv.slice(2)) {
      if (/^[0-9]+$/.test(a)) {
        const n = Number(a) > 128 ? Number(a) - 128 : Number(a);
        const name = sigName(n);
        if (name) out(name + '\n');
        else { it.err(ctx, `kill: ${a}: invalid signal specification`); st = 1; }
      } else {
        const n = parseSignal(a);
        if (n !== undefined && n > 0) out(`${n}\n`);
        else { it.err(ctx, `kill: ${a}: invalid signal specification`); st = 1; }
      }
    }
    return st;
  }
  if (a1 === '-s' || a1 === '-n') {
    if (argv.length < 3) { it.err(ctx, `kill: ${a1}: option requires an argument`); return 1; }
    const n = parseSignal(argv[2]);
    if (n === undefined) { it.err(ctx, `kill: ${argv[2]}: invalid signal specification`); return 1; }
    sig = n;
    i = 3;
  } else if (a1 !== undefined && a1.startsWith('-') && a1 !== '--') {
    const n = parseSignal(a1.slice(1));
    if (n === undefined) { it.err(ctx, `kill: ${a1.slice(1)}: invalid signal specification`); return 1; }
    sig = n;
    i = 2;
  }
  if (argv[i] === '--') i++;
  const targets = argv.slice(i);
  if (targets.length === 0) { ctx.io.fds.get(2)?.write(usage); return 2; }
  const deliver = DELIVERABLE[sig];
  let st = 0;
  for (const t of targets) {
    let job: Job | undefined;
    let pid: number | undefined;
    if (t.startsWith('%')) {
      const j = resolveJob(ctx.sh, t);
      if (j === 'ambiguous') { it.err(ctx, `kill: ${t}: ambiguous job spec`); st = 1; continue; }
      if (!j) { it.err(ctx, `kill: ${t}: no such job`); st = 1; continue; }
      job = j;
    } else if (/^-?[0-9]+$/.test(t)) {
      pid = Number(t);
      job = ctx.sh.jobs.find((j) => j.pid === pid) ?? it.liveJobs.find((j) => j.pid === pid);
    } else {
      it.err(ctx, `kill: ${t}: arguments must be process or job IDs`);
      st = 1;
      continue;
    }
    const proc = job ? undefined : it.liveJobs.flatMap((j) => [...j.procs]).find((p) => p.pid === pid && !p.exited);
    if (!job && !proc) { it.err(ctx, `kill: (${t}) - No such process`); st = 1; continue; }
    if (sig === 0) continue;
    if (!deliver) { it.err(ctx, `kill: SIG${sigName(sig)}: signal not supported by vnet`); st = 1; continue; }
    if (job) { if (!job.done) it.signalJob(job, deliver); }
    else proc!.kill(deliver);
  }
  return st;
};

const jobs: Builtin = function* (it, argv, ctx) {
  let long = false;
  let pids = false;
  let running = false;
  const specs: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^-[lprsn]+$/.test(a)) {
      if (a.includes('l')) long = true;
      if (a.includes('p')) pids = true;
      if (a.includes('r')) running = true;
      if (a.includes('s')) return 0; // no stopped jobs in vnet
    } else specs.push(a);
  }
  const sh = ctx.sh;
  let list = sh.jobs;
  let st = 0;
  if (specs.length) {
    list = [];
    for (const s of specs) {
      const j = resolveJob(sh, s.startsWith('%') ? s : '%' + s);
      if (!j || j === 'ambiguous') { it.err(ctx, `jobs: ${s}: no such job`); st = 1; } else list.push(j);
    }
  }
  if (running) list = list.filter((j) => !j.done);
  const out = ctx.io.fds.get(1);
  for (const j of list) {
    out?.write(pids ? `${j.pid}\n` : jobLine(j, jobMark(sh.jobs, j), long));
  }
  // Listed finished jobs are forgotten, as after bash's notification.
  if (!pids) {
    for (const j of list) if (j.done) sh.reaped.set(j.pid, j.status);
    sh.jobs = sh.jobs.filter((j) => !(j.done && list.includes(j)));
  }
  return st;
};

export const JOB_BUILTINS: Record<string, Builtin> = {
  sleep,
  timeout,
  wait,
  kill,
  jobs,
  disown: sync((it, argv, ctx) => {
    // vnet still stops disowned jobs at the end of the script: there is nothing to outlive it.
    const specs = argv.slice(1).filter((a) => !a.startsWith('-') || a.startsWith('%'));
    const all = argv.includes('-a');
    const drop = all ? ctx.sh.jobs : specs.length ? specs.map((s) => resolveJob(ctx.sh, s)) : [ctx.sh.jobs[ctx.sh.jobs.length - 1]];
    let st = 0;
    for (const j of drop) {
      if (!j || j === 'ambiguous') { it.err(ctx, `disown: ${specs[0] ?? 'current'}: no such job`); st = 1; continue; }
      ctx.sh.jobs = ctx.sh.jobs.filter((x) => x !== j);
    }
    return st;
  }),
};
