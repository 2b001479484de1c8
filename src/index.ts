/**
 * vnet's library API: build a lab, run lab scripts in it, get per-command results.
 * Works in Node and in a browser (no Node APIs here).
 */
import { createLab, type Lab } from './core/index.ts';
import type { LabOptions } from './core/lab.ts';
import { LabHost } from './host/labhost.ts';
import { defaultTools } from './tools/index.ts';
import { LabFs } from './tools/fs.ts';
import { Shell, type CommandRecord } from './shell/index.ts';
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

export function newSession(opts: LabOptions = {}): Session {
  const lab = createLab(opts);
  const fs = new LabFs(lab);
  const host = new LabHost(lab, defaultTools(), fs);
  return { lab, host, fs };
}

export interface RunOptions extends LabOptions {
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

/** Builds the world (unrecorded), then runs the script; synchronous and deterministic. */
export function runScript(text: string, opts: RunOptions = {}): { status: number; records: CommandRecord[]; session: Session } {
  const session = newSession(opts);
  const w = worldText(opts.world);
  if (w) {
    const ws = new Shell(session.host, { scriptName: 'world' });
    const r = ws.runScript(w);
    if (r.status !== 0) {
      const failed = r.records.find((x) => x.exit !== 0);
      opts.onOutput?.(2, `vnet: the world script failed${failed ? ` at line ${failed.line}: ${failed.command}\n${failed.stderr}` : '\n'}`);
    }
    session.host.settle();
  }
  opts.beforeScript?.(session);
  const shellOpts: ConstructorParameters<typeof Shell>[1] = { scriptName: opts.scriptName ?? 'script' };
  if (opts.onOutput) shellOpts.onOutput = opts.onOutput;
  if (opts.onRecord) shellOpts.onRecord = opts.onRecord;
  const shell = new Shell(session.host, shellOpts);
  const res = shell.runScript(text);
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
