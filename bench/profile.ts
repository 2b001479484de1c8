/**
 * Profiles one vnet workload with the V8 CPU profiler (the same profiler `node --cpu-prof` uses)
 * and prints where the time goes, by function, mapped back to the TypeScript sources (tsx
 * compiles each file to a few long lines, so a raw --cpu-prof file points at columns of generated
 * code; here every frame goes through the module's source map).
 *
 *   node --enable-source-maps --import tsx bench/profile.ts '{"w":"setup","n":2000,"ipv6":true}' [--top 30] [--out DIR] [--tsx]
 *
 * The spec is bench/worker.ts's. --out also writes the raw .cpuprofile (for Chrome DevTools or
 * speedscope) next to a .txt copy of the report.
 *
 * Like `npm run bench`, it profiles an esbuild bundle (of this file, built into a temporary
 * directory and run in a child process), not the tsx-transformed modules: tsx wraps every function
 * for its `.name`, which adds a property definition per closure created and shows up as `__name`
 * and `set natives` frames that `vnet run` (dist/) does not have. --tsx profiles in this process.
 */
import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSpec, type WorkerSpec } from './worker.ts';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[]; hitCount?: number }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function post<T>(s: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((res, rej) => s.post(method, params, (err, r) => (err ? rej(err) : res(r as T))));
}

const ROOT = process.env['VNET_BENCH_ROOT'] ?? fileURLToPath(new URL('..', import.meta.url));

/** "file.ts:LINE (function)" for a frame, through the source map when there is one. */
function locate(cf: CallFrame): string {
  const name = cf.functionName || '(anonymous)';
  if (!cf.url) return name;
  let file = cf.url;
  let line = cf.lineNumber + 1;
  const sm = cf.url.startsWith('file:') ? (findSourceMap(cf.url) ?? findSourceMap(fileURLToPath(cf.url))) : undefined;
  if (sm) {
    const e = sm.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string; originalLine?: number };
    if (e && e.originalSource !== undefined && e.originalLine !== undefined) {
      file = e.originalSource;
      line = e.originalLine + 1;
    }
  }
  file = file.replace(/^file:\/\//, '');
  if (file.startsWith(ROOT)) file = file.slice(ROOT.length);
  return `${file}:${line} ${name}`;
}

export function report(p: Profile, top: number): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    time.set(p.samples[i]!, (time.get(p.samples[i]!) ?? 0) + dt);
    total += dt;
  }
  const keyOf = new Map<number, string>();
  const key = (id: number): string => {
    let k = keyOf.get(id);
    if (k === undefined) { k = locate(byId.get(id)!.callFrame); keyOf.set(id, k); }
    return k;
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, t] of time) {
    self.set(key(id), (self.get(key(id)) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(cur);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)} %`;
  const ms = (t: number) => `${(t / 1000).toFixed(0).padStart(7)} ms`;
  const lines = [`total sampled: ${(total / 1e6).toFixed(2)} s`, '', 'self time (where the CPU was):'];
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(t)} ${ms(t)}  ${k}`);
  lines.push('', 'inclusive time (vnet code only):');
  const ours = [...incl].filter(([k]) => /^(src|bench)\//.test(k));
  for (const [k, t] of ours.sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(t)} ${ms(t)}  ${k}`);
  return lines.join('\n') + '\n';
}

/** Builds this file into one bundle and runs it with the same arguments; its exit status. */
async function runBundled(args: string[]): Promise<number> {
  const esbuild = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'vnet-profile-'));
  try {
    const out = join(dir, 'profile.mjs');
    await esbuild.build({
      absWorkingDir: ROOT, entryPoints: [fileURLToPath(import.meta.url)], outfile: out, bundle: true, format: 'esm',
      platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'error',
    });
    const r = spawnSync(process.execPath, ['--enable-source-maps', out, ...args],
      { stdio: 'inherit', env: { ...process.env, VNET_BENCH_ROOT: ROOT, VNET_BENCH_BUNDLED: '1' } });
    return r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (!process.env['VNET_BENCH_BUNDLED'] && !args.includes('--tsx')) {
    process.exitCode = await runBundled(args);
    return;
  }
  const spec = JSON.parse(args[0] ?? '{}') as WorkerSpec;
  const topI = args.indexOf('--top');
  const top = topI >= 0 ? Number(args[topI + 1]) : 30;
  const outI = args.indexOf('--out');
  const out = outI >= 0 ? args[outI + 1]! : null;
  const s = new Session();
  s.connect();
  await post(s, 'Profiler.enable');
  await post(s, 'Profiler.setSamplingInterval', { interval: 200 });
  await post(s, 'Profiler.start');
  const result = runSpec(spec);
  const { profile } = await post<{ profile: Profile }>(s, 'Profiler.stop');
  s.disconnect();
  const text = `spec: ${JSON.stringify(spec)}\nresult: ${JSON.stringify(result)}\n\n${report(profile, top)}`;
  process.stdout.write(text);
  if (out) {
    mkdirSync(out, { recursive: true });
    const base = join(out, `${spec.w}-${spec.topo ?? spec.n ?? ''}-${Date.now()}`);
    writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
    writeFileSync(`${base}.txt`, text);
  }
}

// Run as a program: this file itself, or the bundle the bench builds of it (named profile.mjs; a
// bundle of another entry also contains this module, and there import.meta.url is that bundle's).
if (process.argv[1] && /(^|\/)profile\.(ts|mjs)$/.test(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
