/**
 * Programs that are shell builtins in a script but can also be run as programs — by
 * `ip netns exec NS timeout 2 tcpdump …`, `ip netns exec NS sleep 1`, `ip netns exec NS echo …`.
 * They behave as coreutils does; long-running ones live on the virtual clock.
 */
import { NS_PER_SEC, type Timer } from '../core/clock.ts';
import type { Process, Signal } from '../shell/host.ts';
import type { Tool, ToolCtx } from './types.ts';

/** coreutils' xstrtod + suffix: 1.5, 2s, 1m, 1h, 1d. */
export function parseDuration(s: string): number | null {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  if (!m) return null;
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * mult;
}

export const sleepTool: Tool = (ctx) => {
  const args = ctx.argv.slice(1);
  if (!args.length) { ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n"); return 1; }
  let total = 0;
  for (const a of args) {
    const d = parseDuration(a);
    if (d === null) { ctx.err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`); return 1; }
    total += d;
  }
  const t = ctx.lab.clock.after(total * NS_PER_SEC, () => ctx.io.exit(0));
  ctx.io.onSignal(() => { t.cancel(); });
  return 'async';
};

const SIGNALS: Record<string, Signal> = { TERM: 'TERM', INT: 'INT', KILL: 'KILL', HUP: 'HUP', '15': 'TERM', '2': 'INT', '9': 'KILL', '1': 'HUP' };

export const timeoutTool: Tool = (ctx) => {
  const a = ctx.argv.slice(1);
  let sig: Signal = 'TERM';
  let killAfter: number | null = null;
  let preserve = false;
  let i = 0;
  for (; i < a.length && a[i]!.startsWith('-') && a[i] !== '-'; i++) {
    const w = a[i]!;
    if (w === '-s' || w === '--signal') { sig = SIGNALS[(a[++i] ?? '').replace(/^SIG/, '')] ?? 'TERM'; continue; }
    if (w.startsWith('--signal=')) { sig = SIGNALS[w.slice(9).replace(/^SIG/, '')] ?? 'TERM'; continue; }
    if (w === '-k' || w === '--kill-after') { killAfter = parseDuration(a[++i] ?? ''); continue; }
    if (w === '--preserve-status') { preserve = true; continue; }
    if (w === '--foreground' || w === '-v' || w === '--verbose') continue;
    ctx.err(`timeout: invalid option -- '${w.replace(/^-+/, '')}'\nTry 'timeout --help' for more information.\n`);
    return 125;
  }
  const durText = a[i];
  const cmd = a.slice(i + 1);
  if (durText === undefined || !cmd.length) { ctx.err("timeout: missing operand\nTry 'timeout --help' for more information.\n"); return 125; }
  const dur = parseDuration(durText);
  if (dur === null) { ctx.err(`timeout: invalid time interval '${durText}'\nTry 'timeout --help' for more information.\n`); return 125; }
  const child: Process = ctx.io.spawn(cmd);
  if (child.notFound) {
    ctx.err(`timeout: failed to run command '${cmd[0]}': No such file or directory\n`);
    return 127;
  }
  if (child.exited) return child.status;
  let timedOut = false;
  let timer: Timer | null = dur > 0 ? ctx.lab.clock.after(dur * NS_PER_SEC, () => {
    timedOut = true;
    child.kill(sig);
    if (killAfter !== null && !child.exited) ctx.lab.clock.after(killAfter * NS_PER_SEC, () => child.kill('KILL'));
  }) : null;
  child.onExit((st) => {
    timer?.cancel(); timer = null;
    ctx.io.exit(timedOut && !preserve ? 124 : st);
  });
  ctx.io.onSignal((s) => { timer?.cancel(); child.kill(s); });
  return 'async';
};

function echoText(args: string[]): string {
  let nl = true, esc = false, i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i]!); i++) {
    for (const c of args[i]!.slice(1)) { if (c === 'n') nl = false; else if (c === 'e') esc = true; else esc = false; }
  }
  let s = args.slice(i).join(' ');
  if (esc) s = s.replace(/\\(n|t|\\|r|a|b|e|0[0-7]{0,3})/g, (_m, c: string) => ({ n: '\n', t: '\t', '\\': '\\', r: '\r', a: '\x07', b: '\b', e: '\x1b' } as Record<string, string>)[c] ?? String.fromCharCode(parseInt(c.slice(1) || '0', 8)));
  return s + (nl ? '\n' : '');
}

export const echoTool: Tool = (ctx) => { ctx.out(echoText(ctx.argv.slice(1))); return 0; };
export const trueTool: Tool = () => 0;
export const falseTool: Tool = () => 1;

export const catTool: Tool = (ctx: ToolCtx) => {
  const files = ctx.argv.slice(1).filter((f) => f !== '-');
  if (!files.length) { ctx.out(ctx.io.stdin); return 0; }
  let status = 0;
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    // A frame device (/dev/tapN): read() blocks for the next frame, so cat runs until killed.
    const st = ctx.fs.openStream?.(ctx.io.netns, f, () => !ctx.io.exited);
    if (st) {
      if (!st.ok) { ctx.err(`cat: ${f}: ${st.message}\n`); status = 1; continue; }
      const stream = st.value;
      stream.onRead((frame) => ctx.out(latin1(frame)));
      ctx.io.onSignal(() => { stream.onRead(null); stream.close(); });
      return 'async';
    }
    const r = ctx.fs.read(ctx.io.netns, f);
    if (r.ok) ctx.out(r.value);
    else { ctx.err(`cat: ${f}: ${r.message}\n`); status = 1; }
  }
  return status;
};

/** Bytes as the shell's byte-per-char strings (what pipes and redirections carry). */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
