/**
 * `npm run fuzz -- --seconds N [--seed S] [--only a,b | --all] [--slice MS]`: runs every bad-input
 * property of test/fuzz/targets.ts with fresh random seeds, in turns, until N seconds have
 * passed; prints per target how many inputs ran and what failed (shrunk counterexample, seed
 * and path to replay); exits 1 if anything failed.
 *
 * `npm run fuzz -- --replay TARGET --seed S [--path P]` reruns one failure and prints its error.
 *
 * Each target runs in a worker thread, so that an input that hangs (an endless loop inside a
 * parser) is caught by a watchdog: the worker is stopped, the hang is reported with the seed of
 * its batch, and a fresh worker carries on.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { allTargets, type Target } from '../test/fuzz/targets.ts';

interface SliceRequest { seed: number; ms: number }
interface SliceResult {
  runs: number;
  failed: boolean;
  seed: number;
  path?: string;
  counterexample?: string;
  error?: string;
}

const hex = (_k: string, v: unknown) => (v instanceof Uint8Array ? `hex:${Buffer.from(v).toString('hex')}` : v);

function runSlice(t: Target, req: SliceRequest): SliceResult {
  const d = fc.check(t.property() as fc.IProperty<unknown>, {
    seed: req.seed, numRuns: 1_000_000_000, interruptAfterTimeLimit: req.ms, markInterruptAsFailure: false,
  });
  const r: SliceResult = { runs: d.numRuns, failed: d.failed, seed: req.seed };
  if (d.failed) {
    r.path = d.counterexamplePath ?? '';
    r.counterexample = JSON.stringify(d.counterexample, hex)?.slice(0, 4000);
    const e = d.errorInstance as Error | undefined;
    r.error = (e?.stack ?? String(e)).split('\n').filter((l) => !l.includes('node_modules/fast-check')).slice(0, 14).join('\n');
  }
  return r;
}

async function workerMain(): Promise<void> {
  const { name } = workerData as { name: string };
  const t = (await allTargets()).find((x) => x.name === name)!;
  parentPort!.on('message', (req: SliceRequest) => parentPort!.postMessage(runSlice(t, req)));
  parentPort!.postMessage('ready');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Stat { runs: number; failures: SliceResult[]; hangs: number[]; slices: number }

class TargetWorker {
  private w: Worker | null = null;
  private ready: Promise<void> | null = null;
  constructor(readonly name: string) {}

  private start(): Promise<void> {
    // The worker loads this same file through tsx (workers do not inherit the parent's loader).
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    this.w = new Worker(boot, { eval: true, workerData: { name: this.name } });
    this.w.unref();
    return new Promise((res, rej) => {
      this.w!.once('message', () => res());
      this.w!.once('error', rej);
    });
  }

  /** Runs one slice; null when the worker stopped answering (a hang) and was replaced. */
  async slice(req: SliceRequest, watchdogMs: number): Promise<SliceResult | null> {
    if (!this.w) this.ready = this.start();
    await this.ready;
    const w = this.w!;
    return new Promise((res) => {
      const done = (r: SliceResult | null): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        res(r);
      };
      const onMessage = (m: SliceResult): void => done(m);
      const onError = (e: unknown): void => {
        this.w = null;
        done({ runs: 0, failed: true, seed: req.seed, error: `worker died: ${(e as Error).stack ?? String(e)}` });
      };
      const timer = setTimeout(() => {
        void w.terminate();
        this.w = null;
        done(null);
      }, watchdogMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(req);
    });
  }

  stop(): void { void this.w?.terminate(); }
}

async function replay(name: string): Promise<void> {
  const t = (await allTargets()).find((x) => x.name === name);
  if (!t) { console.error(`fuzz: no target ${name}`); process.exit(2); }
  const seed = Number(arg('seed'));
  const path = arg('path');
  const d = fc.check(t.property() as fc.IProperty<unknown>, { seed, ...(path ? { path } : {}), numRuns: path ? 1 : 1_000_000, endOnFailure: !!path });
  if (!d.failed) { console.log(`${name} seed ${seed}${path ? ` path ${path}` : ''}: passes`); return; }
  console.log(`counterexample: ${JSON.stringify(d.counterexample, hex)}`);
  console.log(String((d.errorInstance as Error)?.stack ?? d.errorInstance));
  process.exit(1);
}

async function main(): Promise<void> {
  const replayName = arg('replay');
  if (replayName) return replay(replayName);
  const seconds = Number(arg('seconds') ?? 60);
  if (!(seconds > 0)) { console.error('usage: npm run fuzz -- --seconds N [--seed S] [--only a,b | --all] [--slice MS]'); process.exit(2); }
  const sliceMs = Number(arg('slice') ?? 3000);
  const only = arg('only')?.split(',');
  let seed = arg('seed') !== undefined ? Number(arg('seed')) : Date.now() % 0x7fffffff;
  const baseSeed = seed;
  const all = process.argv.includes('--all');
  const targets = (await allTargets()).filter((t) => (only ? only.includes(t.name) : all || t.runs > 0));
  const stats = new Map<string, Stat>(targets.map((t) => [t.name, { runs: 0, failures: [], hangs: [], slices: 0 }]));
  const workers = new Map(targets.map((t) => [t.name, new TargetWorker(t.name)]));
  const end = Date.now() + seconds * 1000;
  console.log(`fuzz: ${targets.length} targets for ${seconds} s, base seed ${baseSeed}, ${sliceMs} ms turns`);
  while (Date.now() < end) {
    for (const t of targets) {
      const left = end - Date.now();
      if (left <= 0) break;
      const st = stats.get(t.name)!;
      const req = { seed: seed++, ms: Math.min(sliceMs, left) };
      const r = await workers.get(t.name)!.slice(req, req.ms + 60_000);
      st.slices++;
      if (!r) {
        st.hangs.push(req.seed);
        console.log(`  ${t.name}: HANG (no answer for ${(req.ms + 60_000) / 1000} s) in the batch of seed ${req.seed}`);
        continue;
      }
      st.runs += r.runs;
      if (r.failed) {
        // One report per distinct error: the same bug found again is only counted.
        const key = (r.error ?? '').split('\n')[0];
        if (!st.failures.some((f) => (f.error ?? '').split('\n')[0] === key)) {
          console.log(`  ${t.name}: FAILED (seed ${r.seed} path ${r.path}):\n${indent(r.error ?? '')}`);
        }
        st.failures.push(r);
      }
    }
  }
  for (const w of workers.values()) w.stop();
  console.log('\ntarget               inputs   failures  hangs');
  let bad = false;
  for (const t of targets) {
    const st = stats.get(t.name)!;
    if (st.failures.length || st.hangs.length) bad = true;
    console.log(`${t.name.padEnd(20)} ${String(st.runs).padStart(8)} ${String(st.failures.length).padStart(10)} ${String(st.hangs.length).padStart(6)}`);
  }
  const total = [...stats.values()].reduce((n, s) => n + s.runs, 0);
  console.log(`total ${total} inputs in ${seconds} s`);
  for (const t of targets) {
    const st = stats.get(t.name)!;
    const seen = new Set<string>();
    for (const f of st.failures) {
      const key = (f.error ?? '').split('\n')[0]!;
      if (seen.has(key)) continue;
      seen.add(key);
      console.log(`\n${t.name}: ${key}\n  counterexample: ${f.counterexample}\n  replay: npm run fuzz -- --replay ${t.name} --seed ${f.seed} --path ${f.path}`);
    }
    for (const h of st.hangs) console.log(`\n${t.name}: hang\n  replay: npm run fuzz -- --replay ${t.name} --seed ${h}`);
  }
  process.exit(bad ? 1 : 0);
}

function indent(s: string): string { return s.split('\n').map((l) => `    ${l}`).join('\n'); }

if (isMainThread) await main(); else await workerMain();
