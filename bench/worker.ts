/**
 * Runs one vnet workload in this (fresh) process and prints its result as one JSON line on
 * stdout. Progress, when the workload reports any, goes to stderr as JSON lines.
 *
 *   node --import tsx bench/worker.ts '{"w":"setup","n":1000,"ipv6":true,"via":"script","runs":3}'
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  forwardBench, largestLab, memDevices, memNamespaces, pingBench, pingToolRun, setupViaCore, setupViaScript,
} from './lib/vnet.ts';

export interface WorkerSpec {
  w: 'setup' | 'forward' | 'ping' | 'pingTool' | 'memNs' | 'memDev' | 'largest';
  n?: number;
  ipv6?: boolean;
  via?: 'script' | 'core';
  runs?: number;
  /** Stop repeating once this many seconds went into the workload (at least one run is made). */
  budgetS?: number;
  teardown?: boolean;
  topo?: string;
  seconds?: number;
  warmupS?: number;
  batch?: number;
  warmupN?: number;
  maxRss?: number;
  /** memDev: stop building after this many seconds. */
  limitS?: number;
}

function nowS(): number { return Number(process.hrtime.bigint()) / 1e9; }

export function runSpec(spec: WorkerSpec, progress: (o: object) => void = () => {}): object {
  const runs = spec.runs ?? 1;
  const budget = spec.budgetS ?? Infinity;
  switch (spec.w) {
    case 'setup': {
      const out: { setupS: number[]; teardownS: number[]; virtualS: number; events: number } =
        { setupS: [], teardownS: [], virtualS: 0, events: 0 };
      const t0 = nowS();
      for (let r = 0; r < runs; r++) {
        const res = spec.via === 'core'
          ? setupViaCore(spec.n!, spec.ipv6 ?? true, spec.teardown ?? true, (done, s) => progress({ run: r, done, s }))
          : setupViaScript(spec.n!, spec.ipv6 ?? true, spec.teardown ?? true,
            (done, s) => progress({ run: r, done, s }));
        out.setupS.push(res.setupS);
        if (res.teardownS !== null) out.teardownS.push(res.teardownS);
        out.virtualS = res.virtualS;
        out.events = res.events;
        progress({ run: r, setupS: res.setupS, teardownS: res.teardownS });
        if (nowS() - t0 > budget) break;
      }
      return out;
    }
    case 'forward': {
      const b = forwardBench(spec.topo!);
      const batch = spec.batch ?? 256;
      const warm = b.run(spec.warmupS ?? 0.3, batch);
      const rs = [];
      for (let r = 0; r < runs; r++) rs.push(b.run(spec.seconds ?? 1, batch));
      return { warmupFps: warm.fps, fps: rs.map((x) => x.fps), frames: rs.map((x) => x.frames),
        lost: rs.reduce((a, x) => a + x.lost, 0), drops: rs.reduce((a, x) => a + x.drops, 0), batch };
    }
    case 'ping': {
      const b = pingBench();
      const warm = b.run(spec.warmupN ?? 2000);
      const rs = [];
      for (let r = 0; r < runs; r++) rs.push(b.run(spec.n!));
      return { warmupPerSecond: warm.perSecond, perSecond: rs.map((x) => x.perSecond), roundTrips: rs.map((x) => x.roundTrips) };
    }
    case 'pingTool': {
      const rs = [];
      for (let r = 0; r < runs; r++) rs.push(pingToolRun(spec.n!));
      return { perSecond: rs.map((x) => x.perSecond), roundTrips: rs.map((x) => x.roundTrips) };
    }
    case 'memNs': {
      const r = memNamespaces(spec.n!);
      return { count: r.count, rssPer: r.rssPer, heapPer: r.heapPer, buildS: r.buildS };
    }
    case 'memDev': {
      const r = memDevices(spec.n!, spec.limitS ?? Infinity);
      return { count: r.count, rssPer: r.rssPer, heapPer: r.heapPer, buildS: r.buildS, halfN: r.halfN, halfS: r.halfS };
    }
    case 'largest':
      return largestLab(spec.seconds ?? 30, spec.maxRss ?? 4 * 1024 ** 3);
    default:
      throw new Error(`unknown workload ${String((spec as { w: unknown }).w)}`);
  }
}

// Run as a program: this file itself, or the bundle the bench builds of it (named worker.mjs; a
// bundle of another entry also contains this module, and there import.meta.url is that bundle's).
if (process.argv[1] && /(^|\/)worker\.(ts|mjs)$/.test(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const spec = JSON.parse(process.argv[2] ?? '{}') as WorkerSpec;
    const result = runSpec(spec, (o) => process.stderr.write(JSON.stringify({ progress: o }) + '\n'));
    process.stdout.write(JSON.stringify({ ok: true, result }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) }) + '\n');
    process.exitCode = 1;
  }
}
