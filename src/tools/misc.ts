/**
 * The small programs lab scripts lean on besides the network tools: modprobe/lsmod (every vnet
 * driver is built in), ls, and the text filters people pipe `ip` output through (grep, head,
 * tail, wc, sort, uniq). Each prints what its coreutils/grep/kmod counterpart prints for the
 * options supported, and refuses the rest with that program's usual message.
 */
import type { Tool, ToolCtx } from './types.ts';

/** Modules vnet emulates, with the sizes lsmod shows (made-up but stable). */
const MODULES: Record<string, { size: number; deps: string[] }> = {
  macvlan: { size: 36864, deps: [] }, macvtap: { size: 16384, deps: [] }, tap: { size: 28672, deps: ['macvtap'] },
  veth: { size: 40960, deps: [] }, bridge: { size: 401408, deps: [] }, stp: { size: 12288, deps: ['bridge'] },
  llc: { size: 16384, deps: ['bridge', 'stp'] }, '8021q': { size: 45056, deps: [] }, garp: { size: 20480, deps: ['8021q'] },
  mrp: { size: 20480, deps: ['8021q'] }, ipvlan: { size: 53248, deps: [] }, ipvtap: { size: 12288, deps: [] },
  dummy: { size: 12288, deps: [] }, bonding: { size: 241664, deps: [] }, vxlan: { size: 139264, deps: [] },
  vrf: { size: 40960, deps: [] }, team: { size: 57344, deps: [] }, nlmon: { size: 12288, deps: [] },
  netdevsim: { size: 135168, deps: [] },
};

export function loadedModules(ctx: ToolCtx): Set<string> { return ctx.lab.modules; }

export const modprobeTool: Tool = (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const remove = ctx.argv.includes('-r');
  if (!args.length) { ctx.err('modprobe: ERROR: missing parameters. See -h.\n'); return 1; }
  const mods = loadedModules(ctx);
  for (const raw of remove ? args : args.slice(0, 1)) {
    const m = raw.replace(/-/g, '_');
    const known = MODULES[m] ?? MODULES[raw];
    if (!known) {
      ctx.err(`modprobe: FATAL: Module ${raw} not found in directory /lib/modules/6.18.0-vnet\n`);
      return 1;
    }
    if (remove) mods.delete(raw); else { mods.add(raw); for (const d of Object.keys(MODULES)) if (MODULES[d]!.deps.includes(raw)) void d; }
  }
  return 0;
};

export const lsmodTool: Tool = (ctx) => {
  const mods = loadedModules(ctx);
  let out = 'Module                  Size  Used by\n';
  for (const m of [...mods].reverse()) {
    const info = MODULES[m]!;
    const users = info.deps.filter((d) => mods.has(d));
    out += `${m.padEnd(19)} ${String(info.size).padStart(8)}  ${users.length}${users.length ? ' ' + users.join(',') : ''}\n`;
  }
  ctx.out(out);
  return 0;
};

export const lsTool: Tool = (ctx) => {
  const fs = ctx.fs;
  const paths = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (!paths.length) paths.push('.');
  let status = 0;
  const files: string[] = [];
  const dirs: [string, string[]][] = [];
  for (const p of paths) {
    const ns = ctx.io.netns;
    const l = fs?.list(ns, p);
    if (l && l.ok) dirs.push([p, l.value]);
    else if (fs?.exists(ns, p)) files.push(p);
    else { ctx.err(`ls: cannot access '${p}': No such file or directory\n`); status = 2; }
  }
  let out = files.map((f) => f + '\n').join('');
  for (const [p, entries] of dirs) {
    if (paths.length > 1) out += (out ? '\n' : '') + `${p}:\n`;
    out += [...entries].sort().map((e) => e + '\n').join('');
  }
  ctx.out(out);
  return status;
};

function inputOf(ctx: ToolCtx, files: string[]): { text: string; status: number } {
  if (!files.length) return { text: ctx.io.stdin, status: 0 };
  const fs = ctx.fs;
  let text = '';
  let status = 0;
  for (const f of files) {
    const r = fs?.read(ctx.io.netns, f);
    if (r && r.ok) text += r.value;
    else { ctx.err(`${ctx.argv[0]}: ${f}: No such file or directory\n`); status = 2; }
  }
  return { text, status };
}

function lines(text: string): string[] {
  if (!text) return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

export const grepTool: Tool = (ctx) => {
  let invert = false, icase = false, count = false, quiet = false, word = false, onlyMatch = false, fixed = false, lineNum = false;
  const patterns: string[] = [];
  const files: string[] = [];
  const a = ctx.argv.slice(1);
  let endOpts = false;
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (!endOpts && w === '--') { endOpts = true; continue; }
    if (!endOpts && w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const f = w[j]!;
        if (f === 'v') invert = true; else if (f === 'i') icase = true; else if (f === 'c') count = true;
        else if (f === 'q') quiet = true; else if (f === 'w') word = true; else if (f === 'o') onlyMatch = true;
        else if (f === 'F') fixed = true; else if (f === 'n') lineNum = true; else if (f === 'E' || f === 's') { /* ERE is our default */ }
        else if (f === 'e') { patterns.push(w.slice(j + 1) || a[++i] || ''); break; }
        else { ctx.err(`grep: invalid option -- '${f}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`); return 2; }
      }
      continue;
    }
    if (!patterns.length) patterns.push(w); else files.push(w);
  }
  if (!patterns.length) { ctx.err('Usage: grep [OPTION]... PATTERNS [FILE]...\nTry \'grep --help\' for more information.\n'); return 2; }
  const { text, status } = inputOf(ctx, files);
  let res: RegExp[];
  try {
    res = patterns.map((p) => {
      let src = fixed ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : p.replace(/\\</g, '\\b').replace(/\\>/g, '\\b');
      if (word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
      return new RegExp(src, icase ? 'gi' : 'g');
    });
  } catch {
    ctx.err('grep: Unmatched ( or \\(\n');
    return 2;
  }
  let n = 0;
  let out = '';
  lines(text).forEach((line, idx) => {
    const hit = res.some((r) => { r.lastIndex = 0; return r.test(line); });
    if (hit === invert) return;
    n++;
    if (count || quiet) return;
    const prefix = lineNum ? `${idx + 1}:` : '';
    if (onlyMatch && !invert) {
      for (const r of res) { r.lastIndex = 0; for (const m of line.matchAll(r)) if (m[0]) out += prefix + m[0] + '\n'; }
    } else out += prefix + line + '\n';
  });
  if (count) out = `${n}\n`;
  if (!quiet) ctx.out(out);
  return status || (n ? 0 : 1);
};

function numOpt(ctx: ToolCtx, dflt: number): { n: number; files: string[]; fromStart: boolean } {
  let n = dflt; let fromStart = false;
  const files: string[] = [];
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (w === '-n' || w === '-c') { const v = a[++i] ?? ''; fromStart = v.startsWith('+'); n = Math.abs(parseInt(v, 10)); }
    else if (/^-n?\d+$/.test(w)) n = parseInt(w.replace(/^-n?/, ''), 10);
    else files.push(w);
  }
  return { n, files, fromStart };
}

export const headTool: Tool = (ctx) => {
  const { n, files } = numOpt(ctx, 10);
  const { text, status } = inputOf(ctx, files);
  ctx.out(lines(text).slice(0, n).map((l) => l + '\n').join(''));
  return status;
};

export const tailTool: Tool = (ctx) => {
  const { n, files, fromStart } = numOpt(ctx, 10);
  const { text, status } = inputOf(ctx, files);
  const l = lines(text);
  ctx.out((fromStart ? l.slice(Math.max(0, n - 1)) : l.slice(Math.max(0, l.length - n))).map((x) => x + '\n').join(''));
  return status;
};

export const wcTool: Tool = (ctx) => {
  const flags = ctx.argv.slice(1).filter((a) => a.startsWith('-')).join('');
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const { text, status } = inputOf(ctx, files);
  const l = (text.match(/\n/g) ?? []).length;
  const w = text.split(/\s+/).filter(Boolean).length;
  const c = new TextEncoder().encode(text).length;
  const parts: number[] = [];
  if (!flags || flags.includes('l')) parts.push(l);
  if (!flags || flags.includes('w')) parts.push(w);
  if (!flags || flags.includes('c') || flags.includes('m')) parts.push(c);
  const width = parts.length === 1 ? 0 : 7;
  ctx.out(parts.map((p) => String(p).padStart(width)).join(' ') + (files.length ? ' ' + files[0] : '') + '\n');
  return status;
};

export const sortTool: Tool = (ctx) => {
  const flags = ctx.argv.slice(1).filter((a) => a.startsWith('-')).join('');
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const { text, status } = inputOf(ctx, files);
  let l = lines(text);
  if (flags.includes('n')) l.sort((a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0));
  else l.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (flags.includes('r')) l.reverse();
  if (flags.includes('u')) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
  ctx.out(l.map((x) => x + '\n').join(''));
  return status;
};

export const uniqTool: Tool = (ctx) => {
  const { text, status } = inputOf(ctx, ctx.argv.slice(1).filter((a) => !a.startsWith('-')));
  const l = lines(text);
  ctx.out(l.filter((x, i) => i === 0 || x !== l[i - 1]).map((x) => x + '\n').join(''));
  return status;
};
