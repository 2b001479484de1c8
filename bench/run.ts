/**
 * `npm run bench`: every workload in vnet and, where the machine allows (root, network
 * namespaces), the same workload on the Linux kernel of this machine in the same run, as one
 * table: workload, vnet figure, kernel figure, and how many times better vnet does.
 *
 *   npm run bench                 full run (a few minutes; see docs/performance.md)
 *   npm run bench -- --quick      smoke mode for CI: every workload, tiny sizes, one run each
 *   npm run bench -- --json       machine-readable result on stdout
 *   npm run bench -- --markdown   the table as Markdown (what docs/performance.md shows)
 *   npm run bench -- --no-kernel  vnet only
 *   npm run bench -- --only fwd   only the rows whose id matches the regular expression
 *
 * vnet workloads run one per child process (bench/worker.ts), so they share no heap or JIT state;
 * kernel workloads run in throwaway `unshare --net --mount` namespaces (bench/lib/kernel.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus, totalmem, release, loadavg, hostname } from 'node:os';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summarize, fmtValue, quadPredict, type Summary } from './lib/stats.ts';
import {
  probeKernel, kernelSetup, kernelForward, kernelPing, kernelMem, kernelStartup, scratch, type KernelEnv,
} from './lib/kernel.ts';
import { TOPOLOGIES } from './lib/topos.ts';
import type { WorkerSpec } from './worker.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = join(ROOT, 'bench', 'worker.ts');

// ---------------------------------------------------------------------------------------------
// Parameters.

interface Params {
  setupSizes: number[];
  vnetSetupRuns: (n: number) => number;
  kernelSetupRuns: (n: number) => number;
  /** Above this many seconds per run a set-up size is not measured but extrapolated (kernel). */
  kernelBoundS: number;
  /** A vnet set-up run is stopped (and extrapolated from its progress) after this many seconds. */
  vnetBoundS: number;
  fwdSeconds: number;
  fwdRuns: number;
  fwdWarmupS: number;
  pingN: number;
  pingRuns: number;
  kernelPingN: number;
  kernelPingRuns: number;
  pingToolN: number;
  pingToolRuns: number;
  memNs: number;
  memDev: number;
  memDevLimitS: number;
  kernelMemNs: number;
  kernelMemDev: number;
  kernelMemSettleS: number;
  largest: boolean;
  startupRuns: number;
  kernelStartupRuns: number;
  /** Whole-run deadline; the biggest set-ups shrink their bounds to stay inside it. */
  deadlineS: number;
}

const FULL: Params = {
  setupSizes: [100, 1000, 10000],
  vnetSetupRuns: (n) => (n <= 1000 ? 5 : 3),
  kernelSetupRuns: (n) => (n <= 100 ? 5 : n <= 1000 ? 3 : 1),
  kernelBoundS: 90,
  vnetBoundS: 90,
  fwdSeconds: 1,
  fwdRuns: 5,
  fwdWarmupS: 0.3,
  pingN: 100_000,
  pingRuns: 5,
  kernelPingN: 50_000,
  kernelPingRuns: 5,
  pingToolN: 20_000,
  pingToolRuns: 3,
  memNs: 20_000,
  memDev: 100_000,
  memDevLimitS: 45,
  kernelMemNs: 1000,
  kernelMemDev: 4000,
  kernelMemSettleS: 1,
  largest: true,
  startupRuns: 7,
  kernelStartupRuns: 7,
  deadlineS: 570,
};

const QUICK: Params = {
  setupSizes: [100],
  vnetSetupRuns: () => 2,
  kernelSetupRuns: () => 1,
  kernelBoundS: 10,
  vnetBoundS: 10,
  fwdSeconds: 0.2,
  fwdRuns: 1,
  fwdWarmupS: 0.05,
  pingN: 5000,
  pingRuns: 1,
  kernelPingN: 2000,
  kernelPingRuns: 1,
  pingToolN: 2000,
  pingToolRuns: 1,
  memNs: 2000,
  memDev: 5000,
  memDevLimitS: 5,
  kernelMemNs: 100,
  kernelMemDev: 200,
  kernelMemSettleS: 0.3,
  largest: false,
  startupRuns: 2,
  kernelStartupRuns: 1,
  deadlineS: 55,
};

// ---------------------------------------------------------------------------------------------
// Rows.

interface Cell extends Summary {
  /** Not measured (or not to the end): a prediction. */
  extrapolated?: boolean;
  note?: string;
}

interface Row {
  id: string;
  title: string;
  /** 's' (lower is better), '/s' (higher is better), 'B' (lower is better), or a count. */
  unit: string;
  better: 'lower' | 'higher';
  vnet: Cell | null;
  kernel: Cell | null;
  /** How many times better vnet does than the kernel (> 1: vnet wins). */
  ratio: number | null;
  note?: string;
  error?: string;
}

const rows: Row[] = [];

function addRow(r: Omit<Row, 'vnet' | 'kernel' | 'ratio'>): Row {
  const row: Row = { ...r, vnet: null, kernel: null, ratio: null };
  rows.push(row);
  return row;
}

function cell(values: number[], extra: Partial<Cell> = {}): Cell {
  return { ...summarize(values), ...extra };
}

function finishRatio(r: Row): void {
  if (!r.vnet || !r.kernel || !Number.isFinite(r.vnet.median) || !Number.isFinite(r.kernel.median) || r.vnet.median === 0) return;
  r.ratio = r.better === 'lower' ? r.kernel.median / r.vnet.median : r.vnet.median / r.kernel.median;
}

// ---------------------------------------------------------------------------------------------
// Child processes.

interface WorkerOut { ok: boolean; result?: Record<string, unknown>; error?: string; timedOut: boolean; progress: Record<string, number>[] }

/**
 * The worker as one esbuild bundle, compiled once per bench run like dist/ is for `vnet run`: under
 * tsx every function is wrapped for its `.name` (esbuild's keepNames), which costs a property
 * definition per closure created and roughly halves the shell's speed. Null (then tsx) if esbuild
 * is unavailable.
 */
let workerBundle: { path: string } | { error: string } | undefined;

async function bundleWorker(): Promise<{ path: string } | { error: string }> {
  if (workerBundle) return workerBundle;
  try {
    const esbuild = await import('esbuild');
    const out = join(scratch(), 'worker.mjs');
    await esbuild.build({
      absWorkingDir: ROOT, entryPoints: [WORKER], outfile: out, bundle: true, format: 'esm', platform: 'node',
      target: 'node20', sourcemap: 'linked', logLevel: 'error',
    });
    workerBundle = { path: out };
  } catch (e) {
    workerBundle = { error: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  }
  return workerBundle;
}

async function runWorker(spec: WorkerSpec, opts: { timeoutS: number; gc?: boolean; maxOldMb?: number }): Promise<WorkerOut> {
  const b = await bundleWorker();
  const args = [...(opts.gc ? ['--expose-gc'] : []), ...(opts.maxOldMb ? [`--max-old-space-size=${opts.maxOldMb}`] : []),
    ...('path' in b ? [b.path] : ['--import', 'tsx', WORKER]), JSON.stringify(spec)];
  return new Promise((res) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    let timedOut = false;
    const progress: Record<string, number>[] = [];
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      let nl: number;
      while ((nl = err.indexOf('\n')) >= 0) {
        const line = err.slice(0, nl);
        err = err.slice(nl + 1);
        try {
          const j = JSON.parse(line) as { progress?: Record<string, number> };
          if (j.progress) progress.push(j.progress);
        } catch { /* not progress */ }
      }
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }, opts.timeoutS * 1000);
    child.on('close', () => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const j = JSON.parse(last) as { ok: boolean; result?: Record<string, unknown>; error?: string };
        res({ ...j, timedOut, progress });
      } catch {
        res({ ok: false, error: timedOut ? `stopped after ${opts.timeoutS} s` : `worker crashed: ${err.slice(-400)}`, timedOut, progress });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Reporting.

function fmtCell(c: Cell | null, unit: string): string {
  if (!c) return '—';
  const m = fmtValue(c.median, unit);
  if (c.extrapolated) return `~${m} (extrapolated)`;
  if (c.runs.length <= 1) return m;
  return `${m} [${fmtValue(c.min, unit)} – ${fmtValue(c.max, unit)}]`;
}

function fmtRatio(r: Row): string {
  if (r.ratio === null) return r.error ? 'error' : '—';
  const x = r.ratio;
  const s = x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(0) : x.toFixed(2);
  return `${s}×`;
}

function textTable(): string {
  const head = ['workload', 'vnet: median [min – max]', 'Linux: median [min – max]', 'vnet ×'];
  const body = rows.map((r) => [r.title, fmtCell(r.vnet, r.unit), fmtCell(r.kernel, r.unit), fmtRatio(r)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 3 ? x.padStart(w[i]!) : x.padEnd(w[i]!))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

function markdownTable(): string {
  const out = ['| workload | vnet: median [min – max] | Linux: median [min – max] | vnet × |', '|---|---|---|---:|'];
  for (const r of rows) out.push(`| ${r.title} | ${fmtCell(r.vnet, r.unit)} | ${fmtCell(r.kernel, r.unit)} | ${fmtRatio(r)} |`);
  return out.join('\n');
}

function notes(): string {
  const out: string[] = [];
  for (const r of rows) {
    const bits = [r.note, r.vnet?.note && `vnet: ${r.vnet.note}`, r.kernel?.note && `Linux: ${r.kernel.note}`, r.error && `error: ${r.error}`]
      .filter(Boolean);
    if (bits.length) out.push(`  ${r.id}: ${bits.join('; ')}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main.

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: 'boolean' }, json: { type: 'boolean' }, markdown: { type: 'boolean' },
      'no-kernel': { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run bench -- [--quick] [--json] [--markdown] [--no-kernel] [--only REGEX] [--out FILE.json]\n' +
      '       npm run bench -- --from FILE.json [--markdown]   (print a saved result again)\n');
    return 0;
  }
  if (values.from) {
    const saved = JSON.parse(readFileSync(values.from, 'utf8')) as Result;
    rows.push(...saved.rows);
    process.stdout.write(render(saved, !!values.markdown));
    return 0;
  }
  const P = values.quick ? QUICK : FULL;
  const only = values.only ? new RegExp(values.only) : null;
  const want = (id: string) => !only || only.test(id);
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const remaining = () => P.deadlineS - elapsed();
  const log = (s: string) => { if (!values.json) process.stderr.write(`[bench ${elapsed().toFixed(0).padStart(3)} s] ${s}\n`); };

  const machine = {
    hostname: hostname(), nproc: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryBytes: totalmem(),
    kernel: release(), node: process.version, loadavgStart: loadavg(), loadavgEnd: [] as number[],
    commit: gitRev(),
  };
  log(`${machine.nproc} CPUs (${machine.cpu}), ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, Linux ${machine.kernel}, node ${machine.node}, load ${machine.loadavgStart.map((x) => x.toFixed(2)).join(' ')}`);

  const kenv: KernelEnv = values['no-kernel']
    ? { ok: false, reason: '--no-kernel', pktgen: null, dir: scratch() }
    : await probeKernel({ wantPktgen: true });
  log(kenv.ok ? `kernel side: yes${kenv.pktgen ? '' : ` (no forwarding: ${kenv.pktgenReason})`}` : `kernel side: no (${kenv.reason})`);

  const guard = async (row: Row, f: () => Promise<void>) => {
    try { await f(); } catch (e) { row.error = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300); log(`${row.id}: ${row.error}`); }
  };

  // ---- start-up (first, while nothing else has warmed the machine up)
  const scriptPath = join(scratch(), 'startup.sh');
  writeFileSync(scriptPath, STARTUP_SCRIPT);
  const startNone = want('startup') ? addRow({ id: 'startup', title: '`vnet run` start-up, 10-line script, --world none', unit: 's', better: 'lower',
    note: 'Linux: the same script by bash in a fresh unshare --net --mount' }) : null;
  const startDefault = want('startup') ? addRow({ id: 'startup-world', title: '`vnet run` start-up, 10-line script, default world', unit: 's', better: 'lower' }) : null;
  const startTsx = want('startup') ? addRow({ id: 'startup-tsx', title: '`vnet run` start-up, 10-line script, --world none, without dist/ (tsx)', unit: 's', better: 'lower',
    note: 'VNET_NO_DIST=1: the TypeScript sources through tsx, as in a checkout without `npm ci`' }) : null;
  const startNode = want('startup') ? addRow({ id: 'startup-node', title: 'for reference: `node -e 0` (Node.js itself)', unit: 's', better: 'lower',
    note: 'the floor under the start-up rows, on this machine at this load' }) : null;
  if (startNone && startDefault && startTsx && startNode) {
    log('start-up');
    // What `npm ci` leaves: dist/ built from the sources as they are now (bin/vnet.js would
    // otherwise fall back to tsx for a stale or missing dist/, and this row would measure that).
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-dist.mjs'), '--strict'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const stale = distStale();
    const distNote = b.status === 0 && !stale ? 'dist/ rebuilt at bench start'
      : `dist/ not rebuilt (${(b.stderr || b.error?.message || '').trim().split('\n').pop()}); ${stale ? `tsx ran, dist/ is ${stale}` : 'the existing dist/ ran'}`;
    await guard(startNone, async () => {
      startNone.vnet = cell(timeVnetRun(['run', '--world', 'none', scriptPath], P.startupRuns), { note: distNote });
      if (kenv.ok) startNone.kernel = cell(await kernelStartup(scriptPath, P.kernelStartupRuns));
      finishRatio(startNone);
    });
    await guard(startDefault, async () => { startDefault.vnet = cell(timeVnetRun(['run', scriptPath], P.startupRuns), { note: distNote }); });
    // A source edited meanwhile (another session in the same checkout) sends bin/vnet.js to tsx.
    const staleAfter = !stale && distStale();
    if (staleAfter) {
      for (const r of [startNone, startDefault]) if (r.vnet) r.vnet.note = `${r.vnet.note}; dist/ became ${staleAfter} during these runs, so some ran tsx`;
    }
    await guard(startNode, async () => { startNode.vnet = cell(timeNode(P.startupRuns)); });
    await guard(startTsx, async () => {
      startTsx.vnet = cell(timeVnetRun(['run', '--world', 'none', scriptPath], Math.min(P.startupRuns, 3), { VNET_NO_DIST: '1' }));
      startTsx.kernel = startNone.kernel;
      finishRatio(startTsx);
    });
  }
  const wb = await bundleWorker();
  log('path' in wb ? 'vnet workloads: an esbuild bundle of bench/worker.ts' : `vnet workloads: through tsx (bundle failed: ${wb.error})`);

  // ---- forwarding
  for (const t of TOPOLOGIES) {
    if (!want(t.id)) continue;
    const row = addRow({ id: t.id, title: `${t.title}, 64-byte frames`, unit: '/s', better: 'higher' });
    log(row.id);
    await guard(row, async () => {
      const w = await runWorker({ w: 'forward', topo: t.id, runs: P.fwdRuns, seconds: P.fwdSeconds, warmupS: P.fwdWarmupS, batch: 256 },
        { timeoutS: 60 + P.fwdRuns * P.fwdSeconds * 3 });
      if (!w.ok) throw new Error(w.error);
      const r = w.result as { fps: number[]; lost: number; warmupFps: number };
      row.vnet = cell(r.fps, { note: `frames/s delivered, batches of 256 devQueueXmit, after a ${P.fwdWarmupS} s warm-up (${fmtValue(r.warmupFps, '/s')})${r.lost ? `, ${r.lost} lost` : ''}` });
      if (kenv.ok && kenv.pktgen) {
        const k = await kernelForward(t.id, kenv.pktgen, P.fwdRuns, P.fwdSeconds);
        const drops = k.reduce((a, x) => a + x.sockDrops + (x.sent - x.count), 0);
        row.kernel = cell(k.map((x) => x.fps), { note: `AF_PACKET sendmmsg → counter${drops ? `, ${drops} not counted` : ''}` });
      } else if (kenv.ok) {
        row.kernel = null;
        row.note = `Linux: not measured, the packet generator was not built (${kenv.pktgenReason ?? 'unknown reason'})`;
      }
      finishRatio(row);
    });
  }

  // ---- ICMP round trips
  let kernelPingCell: Cell | null = null;
  const pingKernel = async () => {
    if (!kenv.ok) return null;
    if (!kernelPingCell) {
      const k = await kernelPing(P.kernelPingN, P.kernelPingRuns);
      kernelPingCell = cell(k.perSecond, { note: `ping -f -q -c ${P.kernelPingN} over a veth pair, RTT avg ${summarize(k.rttAvgMs).median} ms` });
    }
    return kernelPingCell;
  };
  if (want('icmp')) {
    const row = addRow({ id: 'icmp', title: 'ICMP echo round trips (one in flight, like ping -f)', unit: '/s', better: 'higher' });
    log(row.id);
    await guard(row, async () => {
      const w = await runWorker({ w: 'ping', n: P.pingN, runs: P.pingRuns, warmupN: Math.min(5000, P.pingN) }, { timeoutS: 120 });
      if (!w.ok) throw new Error(w.error);
      row.vnet = cell((w.result as { perSecond: number[] }).perSecond, { note: `raw ICMP socket + ipSend, ${P.pingN} per run` });
      row.kernel = await pingKernel();
      finishRatio(row);
    });
  }
  if (want('icmp-tool')) {
    const row = addRow({ id: 'icmp-tool', title: 'ICMP round trips, vnet `ping -q -i 0.00005` program', unit: '/s', better: 'higher' });
    log(row.id);
    await guard(row, async () => {
      const w = await runWorker({ w: 'pingTool', n: P.pingToolN, runs: P.pingToolRuns }, { timeoutS: 120 });
      if (!w.ok) throw new Error(w.error);
      row.vnet = cell((w.result as { perSecond: number[] }).perSecond, { note: `${P.pingToolN} echoes through the shell and the ping tool` });
      row.kernel = await pingKernel();
      finishRatio(row);
    });
  }

  // ---- memory and scale
  let kmem: Awaited<ReturnType<typeof kernelMem>> | null = null;
  const kernelMemOnce = async () => {
    if (!kenv.ok) return null;
    if (!kmem) kmem = await kernelMem(P.kernelMemNs, P.kernelMemDev, P.kernelMemSettleS);
    return kmem;
  };
  if (want('mem-ns')) {
    const row = addRow({ id: 'mem-ns', title: 'memory per idle namespace (RSS growth / count)', unit: 'B', better: 'lower' });
    log(row.id);
    await guard(row, async () => {
      const w = await runWorker({ w: 'memNs', n: P.memNs }, { timeoutS: 120, gc: true });
      if (!w.ok) throw new Error(w.error);
      const r = w.result as { rssPer: number; heapPer: number; buildS: number };
      row.vnet = cell([r.rssPer], { note: `${P.memNs} namespaces in ${fmtValue(r.buildS, 's')}, JS heap ${fmtValue(r.heapPer, 'B')} each` });
      const k = await kernelMemOnce();
      if (k) row.kernel = cell([k.perNs], { note: `MemFree drop / ${k.nsCount} namespaces (ip -batch netns add)` });
      finishRatio(row);
    });
  }
  if (want('mem-dev')) {
    const row = addRow({ id: 'mem-dev', title: 'memory per idle device (macvlan, down)', unit: 'B', better: 'lower' });
    const build = addRow({ id: 'build-dev', title: `build ${P.memDev.toLocaleString('en-US')} idle macvlans on one lower`, unit: 's', better: 'lower' });
    log(row.id);
    await guard(row, async () => {
      const w = await runWorker({ w: 'memDev', n: P.memDev, limitS: P.memDevLimitS }, { timeoutS: P.memDevLimitS + 120, gc: true, maxOldMb: 8192 });
      if (!w.ok) throw new Error(w.error);
      const r = w.result as { count: number; rssPer: number; heapPer: number; buildS: number; halfN: number; halfS: number };
      row.vnet = cell([r.rssPer], { note: `${r.count} devices, JS heap ${fmtValue(r.heapPer, 'B')} each` });
      if (r.count >= P.memDev) build.vnet = cell([r.buildS]);
      else {
        const p = quadPredict(r.halfN, r.halfS, r.count, r.buildS, P.memDev);
        build.vnet = cell([p.value], { extrapolated: true, note: `stopped after ${fmtValue(r.buildS, 's')} at ${r.count} devices; ${p.model}` });
      }
      const k = await kernelMemOnce();
      if (k) {
        row.kernel = cell([k.perDev], { note: `MemFree drop / ${k.devCount} macvlans (ip -batch)` });
        const p = quadPredict(Math.max(1, Math.floor(k.devCount / 4)), k.devQuarterS, k.devCount, k.devBuildS, P.memDev);
        build.kernel = P.memDev <= k.devCount ? cell([k.devBuildS])
          : cell([p.value], { extrapolated: true, note: `${k.devCount} macvlans took ${fmtValue(k.devBuildS, 's')} with ip -batch; ${p.model}` });
      }
      finishRatio(row);
      finishRatio(build);
    });
  }

  // ---- set-up and tear-down
  for (const n of P.setupSizes) {
    const big = n >= 10000;
    const variants: { id: string; title: string; ipv6: boolean; via: 'script' | 'core' }[] = [
      { id: `setup-${n}`, title: `set-up ${n.toLocaleString('en-US')} netns, macvlan each (vnet script, IPv6 on)`, ipv6: true, via: 'script' },
      { id: `setup-${n}-noipv6`, title: `set-up ${n.toLocaleString('en-US')} netns, macvlan each (vnet script, IPv6 off)`, ipv6: false, via: 'script' },
      { id: `setup-${n}-core`, title: `set-up ${n.toLocaleString('en-US')} netns, macvlan each (vnet core API)`, ipv6: true, via: 'core' },
    ];
    const tdRow = want(`teardown-${n}`) ? addRow({ id: `teardown-${n}`, title: `tear-down ${n.toLocaleString('en-US')} netns (vnet script)`, unit: 's', better: 'lower' }) : null;
    const setupRows = variants.filter((v) => want(v.id)).map((v) => ({
      v, row: addRow({ id: v.id, title: v.title, unit: 's', better: 'lower',
        ...(v.id.endsWith('noipv6') ? { note: 'the Linux figure is with IPv6 on (a namespace cannot boot with ipv6.disable=1)' } : {}),
        ...(v.via === 'core' ? { note: 'no shell, no ip parsing, no virtual time passing between commands' } : {}) }),
    }));
    // Keep the tear-down row after its set-up rows in the table.
    if (tdRow) { rows.splice(rows.indexOf(tdRow), 1); rows.push(tdRow); }
    const doVnet = async () => {
      for (const { v, row } of setupRows) {
        log(`${row.id}`);
        await guard(row, async () => {
          const bound = big ? Math.max(5, Math.min(P.vnetBoundS, (remaining() - 45) / setupRows.length)) : Math.max(30, P.vnetBoundS);
          const w = await runWorker({ w: 'setup', n, ipv6: v.ipv6, via: v.via, runs: P.vnetSetupRuns(n), budgetS: bound,
            teardown: v.id === `setup-${n}` },
            { timeoutS: bound + 20 });
          const finished = w.progress.filter((p) => p['setupS'] !== undefined);
          const setups = w.ok ? (w.result as { setupS: number[] }).setupS : finished.map((p) => p['setupS']!);
          const tds = w.ok ? (w.result as { teardownS: number[] }).teardownS : finished.map((p) => p['teardownS']!).filter((x) => x !== null && x !== undefined);
          if (setups.length) {
            row.vnet = cell(setups);
            finishRatio(row);
            if (v.id === `setup-${n}` && tdRow && tds.length) { tdRow.vnet = cell(tds); finishRatio(tdRow); }
          } else {
            const pts = w.progress.filter((p) => p['done'] !== undefined && p['run'] === 0);
            const last = pts[pts.length - 1];
            if (!last) throw new Error(w.error ?? 'no result');
            const half = pts.reduce((best, p) => (Math.abs(p['done']! - last['done']! / 2) < Math.abs(best['done']! - last['done']! / 2) ? p : best), pts[0]!);
            const p = half === last ? { value: last['s']! * (n / last['done']!), model: 'linear' }
              : quadPredict(half['done']!, half['s']!, last['done']!, last['s']!, n);
            row.vnet = cell([p.value], { extrapolated: true,
              note: `stopped after ${fmtValue(last['s']!, 's')} at ${last['done']} of ${n}; extrapolated from its own progress, ${p.model}` });
          }
          finishRatio(row);
        });
      }
    };
    const doKernel = async () => {
      if (kenv.ok && (setupRows.length || tdRow)) {
        log(`kernel set-up ${n}`);
        const firstRow = setupRows[0]?.row ?? tdRow!;
        await guard(firstRow, async () => {
          let kSetup: Cell | null = null;
          let kTd: Cell | null = null;
          // The biggest size gets one run with a deadline; if it stops early, its own progress
          // is extrapolated (the shell loop checks the deadline after every 100 namespaces).
          const bound = big ? Math.max(10, Math.min(P.kernelBoundS, remaining() - 240)) : Infinity;
          const s: number[] = [], t: number[] = [];
          const runs = P.kernelSetupRuns(n);
          for (let i = 0; i < runs; i++) {
            const r = await kernelSetup(n, true, bound);
            if (r.done < n) {
              const last = r.progress[r.progress.length - 1]!;
              const half = r.progress.reduce((best, p) => (Math.abs(p.n - last.n / 2) < Math.abs(best.n - last.n / 2) ? p : best), r.progress[0]!);
              const p = half === last ? { value: last.s * (n / last.n), model: 'linear' } : quadPredict(half.n, half.s, last.n, last.s, n);
              kSetup = cell([p.value], { extrapolated: true,
                note: `stopped at its ${fmtValue(bound, 's')} bound with ${r.done} of ${n} set up; extrapolated from its own progress, ${p.model}` });
              if (r.teardownS !== null) {
                kTd = cell([r.teardownS * (n / r.done)], { extrapolated: true, note: `tear-down of those ${r.done} took ${fmtValue(r.teardownS, 's')}; scaled linearly` });
              }
              break;
            }
            s.push(r.setupS);
            if (r.teardownS !== null) t.push(r.teardownS);
          }
          if (s.length) kSetup = cell(s, { note: 'ip -batch (netns add + link add … netns), then ip -n NS -batch per namespace, in chunks of 100' });
          if (t.length) kTd = cell(t, { note: 'ip -batch netns del, until the lower has no macvlan left' });
          for (const { row } of setupRows) { row.kernel = kSetup; finishRatio(row); }
          if (tdRow) { tdRow.kernel = kTd; finishRatio(tdRow); }
        });
      }
    };
    // The biggest size: the kernel first (its bound decides whether it runs), vnet gets the rest.
    if (big) { await doKernel(); await doVnet(); } else { await doVnet(); await doKernel(); }
    if (tdRow && !tdRow.vnet && setupRows.some(({ v, row }) => v.id === `setup-${n}` && row.vnet?.extrapolated)) {
      tdRow.vnet = null;
      tdRow.note = 'vnet: not measured, its set-up did not finish within the bound';
    }
  }

  // ---- the largest lab
  if (P.largest && want('largest')) {
    const row = addRow({ id: 'largest', title: 'largest lab in 30 s and 4 GiB (netns + macvlan + address + up)', unit: 'netns', better: 'higher' });
    log(row.id);
    await guard(row, async () => {
      const secs = Math.max(5, Math.min(30, remaining() - 10));
      const w = await runWorker({ w: 'largest', seconds: secs, maxRss: 4 * 1024 ** 3 }, { timeoutS: secs + 120, maxOldMb: 4096 });
      if (!w.ok) throw new Error(w.error);
      const r = w.result as { units: number; seconds: number; rss: number; limit: string };
      row.vnet = cell([r.units], { note: `${r.units} namespaces in ${fmtValue(r.seconds, 's')}, RSS ${fmtValue(r.rss, 'B')}, stopped by ${r.limit}${secs < 30 ? ` (time limit cut to ${secs.toFixed(0)} s by the run deadline)` : ''}` });
    });
  }

  machine.loadavgEnd = loadavg();
  const result: Result = { machine, vnetCode: 'path' in wb ? 'bundle' : `tsx (${wb.error})`, kernelSide: kenv.ok ? { pktgen: !!kenv.pktgen } : { reason: kenv.reason ?? '' }, quick: !!values.quick, elapsedS: elapsed(), rows };
  if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 1) + '\n');
  if (values.json) process.stdout.write(JSON.stringify(result, null, 1) + '\n');
  else process.stdout.write(render(result, !!values.markdown));
  return rows.some((r) => r.error) ? 1 : 0;
}

interface Result {
  /** How the vnet workloads' code ran: 'bundle' (esbuild, like dist/) or tsx with the reason. */
  vnetCode?: string;
  machine: { nproc: number; cpu: string; memoryBytes: number; kernel: string; node: string; loadavgStart: number[]; loadavgEnd: number[]; commit: string };
  kernelSide: { pktgen: boolean } | { reason: string };
  quick: boolean;
  elapsedS: number;
  rows: Row[];
}

function render(r: Result, markdown: boolean): string {
  const m = r.machine;
  let out = `\nvnet benchmark${r.quick ? ' (--quick: tiny sizes, one run; for smoke-testing, not for reading)' : ''} — ${m.nproc} CPUs (${m.cpu}), ` +
    `${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, Linux ${m.kernel}, node ${m.node}, commit ${m.commit}\n`;
  out += `load average at start ${m.loadavgStart.map((x) => x.toFixed(2)).join(' ')}, at end ${m.loadavgEnd.map((x) => x.toFixed(2)).join(' ')}; ${r.elapsedS.toFixed(0)} s\n`;
  if ('reason' in r.kernelSide) out += `Linux column empty: ${r.kernelSide.reason}\n`;
  if (r.vnetCode && r.vnetCode !== 'bundle') out += `vnet workloads ran through ${r.vnetCode}\n`;
  out += '"vnet ×": how many times faster (or smaller) vnet is than Linux on the same workload.\n\n';
  out += (markdown ? markdownTable() : textTable()) + '\n';
  const n = notes();
  if (n) out += `\nnotes:\n${n}\n`;
  return out;
}

const STARTUP_SCRIPT = `ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 192.0.2.1/24 dev va
ip -n b addr add 192.0.2.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
ip netns exec a ping -c 1 -W 1 192.0.2.2
ip -n a neigh show
`;

/** Why bin/vnet.js would not use dist/ (its own rule: missing, or a source newer than the build), or null. */
function distStale(): string | null {
  let m: { startedMs?: unknown; inputs?: unknown };
  try { m = JSON.parse(readFileSync(join(ROOT, 'dist', 'inputs.json'), 'utf8')) as typeof m; } catch { return 'missing'; }
  if (typeof m.startedMs !== 'number' || !Array.isArray(m.inputs)) return 'incomplete';
  for (const p of m.inputs as string[]) {
    try { if (statSync(join(ROOT, p)).mtimeMs >= m.startedMs) return `older than ${p}`; } catch { return `missing ${p}`; }
  }
  return null;
}

/** Wall time of `node -e 0`: what any Node.js program pays before its first line. */
function timeNode(runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { timeout: 60_000 });
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return out;
}

/** Wall time of whole `node bin/vnet.js …` processes. */
function timeVnetRun(args: string[], runs: number, env: Record<string, string> = {}): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'vnet.js'), ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`vnet run exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(-200)}`);
    out.push(s);
  }
  return out;
}

function gitRev(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'bin'], { cwd: ROOT, encoding: 'utf8' });
  return r.stdout.trim() + (dirty.stdout.trim() ? '+local changes' : '');
}

process.exitCode = await main();
