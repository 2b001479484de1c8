/**
 * vnet's library API: build a lab, run lab scripts in it, get per-command results.
 * Works in Node and in a browser (no Node APIs here).
 */
import { createLab, type Lab } from './core/index.ts';
import type { LabHost } from './host/labhost.ts';
import type { LabFs } from './tools/fs.ts';
import type { CommandRecord } from './shell/index.ts';
import { LabSession, type SessionOptions } from './state/session.ts';
import { WORLDS } from './worlds.ts';
import { startTrace, summarize } from './trace/index.ts';

export type { CommandRecord };
export { createLab };
// Whole-run packet captures (src/capture): what `vnet run --capture NS/IF … --out DIR` uses;
// start them in RunOptions.beforeScript, stop them after the run.
export {
  startCaptures, parseCaptureSpec, formatCaptureSpec, captureFileName, END_DRAIN_NS,
  type CaptureSpec, type CaptureSet, type CaptureFile, type CapturedFrame,
} from './capture/index.ts';

export interface Session {
  lab: Lab;
  host: LabHost;
  fs: LabFs;
}

// Saving and loading whole labs (src/state): a session journals its inputs; `save()` gives the
// state file, `LabSession.load(text)` rebuilds it (or says why not). Limits: src/core/limits.ts.
export { LabSession, type SessionOptions, type LoadResult } from './state/session.ts';
export { DEFAULT_LIMITS, LIMIT_NAMES, parseLimit, type LabLimits } from './core/limits.ts';
// Kernel build options a lab can be given (`kernelConfig` in SessionOptions / RunOptions).
export { DEFAULT_KERNEL_CONFIG, KERNEL_CONFIG_NAMES, parseKernelConfig, type KernelConfig } from './core/kconfig.ts';

/** A new lab with its host and filesystem: a LabSession (which also saves, loads and limits). */
export function newSession(opts: SessionOptions = {}): LabSession {
  return new LabSession(opts);
}

export interface RunOptions extends SessionOptions {
  /** 'default', 'none', or the text of a world script. */
  world?: string;
  scriptName?: string;
  onOutput?: (fd: 1 | 2, text: string) => void;
  onRecord?: (r: CommandRecord) => void;
  /** Called once the world is built, before the script runs (captures attach here). */
  beforeScript?: (s: Session) => void;
}

export function worldText(world: string | undefined): string {
  if (world === undefined || world === 'default') return WORLDS['default']!;
  if (world === 'none') return '';
  return WORLDS[world] ?? world;
}

/**
 * Builds the world (unrecorded), then runs the script; synchronous and deterministic. With
 * `session`, the script runs in that (e.g. loaded) session instead and no world is built.
 */
export function runScript(text: string, opts: RunOptions & { session?: LabSession } = {}):
  { status: number; records: CommandRecord[]; session: LabSession } {
  let session = opts.session;
  if (!session) {
    session = newSession(opts);
    session.runWorld(worldText(opts.world), opts.onOutput);
  }
  opts.beforeScript?.(session);
  const so: Parameters<LabSession['runScript']>[1] = { name: opts.scriptName ?? 'script' };
  if (opts.onOutput) so.onOutput = opts.onOutput;
  if (opts.onRecord) so.onRecord = opts.onRecord;
  const res = session.runScript(text, so);
  return { status: res.status, records: res.records, session };
}

/** Sends one ping from `netns` ('' = the script's own) to `dest` and records every hop it causes. */
export function tracePing(session: Session, netns: string, dest: string, opts: { count?: number } = {}):
  { hops: import('./trace/index.ts').TraceHop[]; summary: import('./trace/index.ts').TraceSummary; output: string } {
  const stop = startTrace(session.lab);
  let output = '';
  const proc = session.host.spawn(['ping', '-c', String(opts.count ?? 1), '-W', '3', dest], {
    netns, stdin: '', env: new Map(), stdout: (t) => { output += t; }, stderr: (t) => { output += t; },
  });
  session.host.runUntil(() => proc.exited);
  session.host.settle();
  const hops = stop();
  const m = /(\d+) received/.exec(output);
  const received = m ? Number(m[1]) : 0;
  return { hops, summary: summarize(hops, proc.status === 0, received), output };
}
