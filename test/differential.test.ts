/**
 * The proof against the real kernel: every scenario in test/scenarios/*.sh is run in vnet and on the
 * real Linux kernel (in throwaway namespaces, see test/kernel/kernel-runner.ts), and the two runs
 * are compared record by record — exit status, stdout and stderr of each top-level command — after
 * the normalisation in test/kernel/normalize.ts (random MACs, RTTs, wall-clock timers only).
 *
 * - Kernel runs are started once per test run, one at a time: the kernel's linkwatch rate limit is
 *   machine-wide, so a scenario running beside another sees carrier changes applied late.
 * - Scenarios with `# requires: 8021q|ipvlan|dummy|bonding` cannot run on this kernel: vnet only —
 *   unless the qemu oracle is available (test/kernel/qemu/: a Debian kernel under qemu): then they all
 *   run there in ONE boot, started at load time, and are compared like the others
 *   (`differential (qemu): N/M scenarios match the Debian 6.1 kernel`). VNET_QEMU=0 turns it off.
 * - Not root / no network namespaces: the kernel half is skipped with the reason.
 * - vnet's `runScript` (src/index.ts) not there yet: the vnet half is skipped with the reason, and the
 *   kernel half is still run and sanity-checked (no timeout, world OK, every command recorded).
 *
 * Ends with `differential: N/M scenarios match the kernel`.
 */

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelAvailable, runOnKernel, type KernelRunResult } from './kernel/kernel-runner.ts';
import { compareRuns, formatMismatches, normalizeRun, type RunRecord } from './kernel/normalize.ts';
import { listScenarios, worldText, type Scenario } from './kernel/scenario.ts';
import { loadSplitScript } from './kernel/split.ts';
import { qemuAvailable, runQemuBatch, type QemuBatchResult } from './kernel/qemu/qemu-runner.ts';
import { maskKernelRelease, vnetReleasePattern } from './kernel/qemu/skew.ts';

type RunScript = (
  text: string,
  opts: { world: string; scriptName?: string; kernelConfig?: { BRIDGE_VLAN_FILTERING?: boolean } },
) => { status: number; records: RunRecord[] };

// The seed examples are scenarios too: each one that this kernel can run is compared as well.
const scenarios = [
  ...listScenarios(),
  ...listScenarios(new URL('../examples/', import.meta.url).pathname).map((s) => ({ ...s, name: `examples/${s.name}` })),
];
const kernel = kernelAvailable();
const KERNEL_CONCURRENCY = Number(process.env.VNET_KERNEL_CONCURRENCY ?? 1);
const only = process.env.VNET_SCENARIO ? new Set(process.env.VNET_SCENARIO.split(',')) : undefined;
const selected = scenarios.filter((s) => !only || only.has(s.name));
// The kernel runners start each program as `bash -c PROGRAM vnet`: bash's messages say `vnet: line N:`.
const KERNEL_SCRIPT_NAME = 'vnet';

// ---- the vnet half (optional until src/index.ts exports runScript)
let runScript: RunScript | undefined;
let vnetReason = '';
try {
  const modPath = '../src/index.ts'; // not a literal: the module may not exist yet
  const mod = (await import(modPath)) as Record<string, unknown>;
  if (typeof mod.runScript === 'function') runScript = mod.runScript as RunScript;
  else vnetReason = 'src/index.ts does not export runScript yet';
} catch (e) {
  vnetReason = `src/index.ts does not load yet (${(e as Error).message.split('\n')[0]})`;
}

// ---- the kernel half: recorded once, at most KERNEL_CONCURRENCY at a time
const kernelRuns = new Map<string, Promise<KernelRunResult>>();
// One kernel run at a time, queue and re-runs alike: linkwatch's rate limit and the CPU are
// machine-wide, so two scenarios at once would disturb each other's timing.
let kernelLock: Promise<unknown> = Promise.resolve();
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = kernelLock.then(fn, fn);
  kernelLock = run.catch(() => undefined);
  return run;
}
if (kernel.ok) {
  const queue = selected.filter((s) => s.missing.length === 0);
  let next = 0;
  const waiters = new Map<string, { resolve: (r: KernelRunResult) => void }>();
  for (const s of queue) {
    kernelRuns.set(s.name, new Promise((resolve) => waiters.set(s.name, { resolve })));
  }
  const worker = async () => {
    while (next < queue.length) {
      const s = queue[next++]!;
      let r: KernelRunResult;
      try {
        r = await exclusive(() => runOnKernel(s.text, { world: worldText(s.header.world), timeoutMs: 60_000 }));
      } catch (e) {
        r = { records: [], skipped: `runner error: ${(e as Error).message}`, durationMs: 0 };
      }
      waiters.get(s.name)!.resolve(r);
    }
  };
  for (let i = 0; i < KERNEL_CONCURRENCY; i++) void worker();
}

// ---- the qemu half (additive): the scenarios this kernel lacks the devices for, all in one boot
const qemu = qemuAvailable();
const qemuScenarios = selected.filter((s) => s.missing.length > 0);
const qemuBatch: Promise<QemuBatchResult | Error> | undefined =
  qemu.ok && qemuScenarios.length > 0
    ? runQemuBatch(
        qemuScenarios.map((s) => ({ name: s.name, text: s.text, world: worldText(s.header.world) })),
        { timeoutMs: 60_000 },
      ).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
    : undefined;
/**
 * The qemu judge's second chance: TCG runs the guest many times slower than real hardware and the
 * host half runs beside it, so its timing races (linkwatch, ARP probes against ping deadlines)
 * can fall the other way. After the first boot, the scenarios vnet does not match are run again
 * in a second boot, and vnet must match one of the two kernel runs.
 */
interface QemuJudgement { first: QemuBatchResult; second?: QemuBatchResult; secondError?: string }
const qemuFinal: Promise<QemuJudgement | Error> | undefined = qemuBatch?.then(async (b) => {
  if (b instanceof Error) return b;
  if (!runScript) return { first: b };
  const again = qemuScenarios.filter((s) => {
    const k = b.results.get(s.name);
    if (!k || s.header.knownGap) return false;
    try {
      checkKernelRun(s, k);
      const v = runScript!(s.text, vnetOptions(s));
      return qemuMismatches(s, k, v.records, b).length > 0;
    } catch {
      return true;
    }
  });
  if (again.length === 0) return { first: b };
  try {
    const second = await runQemuBatch(again.map((s) => ({ name: s.name, text: s.text, world: worldText(s.header.world) })), { timeoutMs: 60_000 });
    return { first: b, second };
  } catch (e) {
    return { first: b, secondError: (e as Error).message };
  }
});

/** vnet against one qemu run, with the kernel release masked on both sides (qemu/skew.ts). */
function qemuMismatches(s: Scenario, k: KernelRunResult, v: RunRecord[], b: QemuBatchResult) {
  const world = worldText(s.header.world);
  const kRecords = maskKernelRelease(k.records, b.image.kernelVersion);
  const vRecords = maskKernelRelease(v, vnetRelease());
  return compareRuns(normalizeRun(kRecords, s.text, { worldText: world }), normalizeRun(vRecords, s.text, { worldText: world }));
}

/** How vnet's kernel release looks (its `uname -r`), masked like the VM's (qemu/skew.ts). */
let vnetReleaseCache: string | RegExp | undefined;
function vnetRelease(): string | RegExp {
  if (vnetReleaseCache === undefined) {
    let out: string | undefined;
    try {
      const r = runScript?.('uname -r\n', { world: 'none' }).records[0];
      if (r && r.exit === 0) out = r.stdout;
    } catch {
      // no uname in vnet
    }
    vnetReleaseCache = vnetReleasePattern(out);
  }
  return vnetReleaseCache;
}
const qemuSummary = { match: 0, ran: 0, ok: 0, failed: [] as string[], knownGaps: [] as string[], rerun: [] as string[] };

const summary = { match: 0, compared: 0, kernelOk: 0, kernelRan: 0, vnetOnlyOk: 0, vnetOnly: 0, failed: [] as string[], knownGaps: [] as string[], rerun: [] as string[] };
const { fn: split } = await loadSplitScript();

function expectedCommandCount(s: Scenario): number {
  const r = split(s.text);
  return r.ok ? r.commands.length : -1;
}

/** The kernel run must be usable as the truth: it ran, finished, and its world worked. */
function checkKernelRun(s: Scenario, r: KernelRunResult): void {
  assert.equal(r.skipped, undefined, `kernel run skipped: ${r.skipped}`);
  assert.ok(!r.timedOut, `kernel run of ${s.name} hit its timeout`);
  if (r.world) assert.equal(r.world.exit, 0, `world ${s.header.world} failed on the kernel:\n${r.world.stderr}`);
  assert.equal(r.shellStderr ?? '', '', `bash printed outside the commands: ${r.shellStderr}`);
  assert.ok(r.records.length > 0, 'no command was recorded');
  const n = expectedCommandCount(s);
  const stopsEarly = /^\s*(set\s+-e|exit\b)/m.test(s.text);
  if (!stopsEarly) assert.equal(r.records.length, n, `only ${r.records.length} of ${n} commands were recorded`);
}

/** What vnet is told to run first: the same world text the kernel ran ('none' for no world). */
function vnetWorld(s: Scenario): string {
  return s.header.world === 'none' ? 'none' : worldText(s.header.world);
}

/**
 * How vnet runs a scenario: its world, and the judge's kernel build. `requires: vlan_filtering`
 * scenarios are judged by Debian's kernel (CONFIG_BRIDGE_VLAN_FILTERING=y), so vnet gets that too.
 */
function vnetOptions(s: Scenario): Parameters<RunScript>[1] {
  const o: Parameters<RunScript>[1] = { world: vnetWorld(s), scriptName: KERNEL_SCRIPT_NAME };
  if (s.header.requires.includes('vlan_filtering')) o.kernelConfig = { BRIDGE_VLAN_FILTERING: true };
  return o;
}

for (const s of selected) {
  const gap = s.header.knownGap ? { todo: `known gap: ${s.header.knownGap}` } : {};
  const missingTag = s.missing.length ? ` [${qemuBatch ? 'qemu' : 'vnet only'}: requires ${s.missing.join(',')}]` : '';
  test(`${s.name}${missingTag}`, gap, async (t) => {
    const world = worldText(s.header.world);
    const j = s.missing.length > 0 && qemuFinal ? await qemuFinal : undefined;
    // the judge could not be had (no image and no way to build one): vnet only, as without qemu
    if (j instanceof Error) t.diagnostic(`qemu judge unavailable: ${j.message}`);
    else if (j) {
      // the qemu oracle: the same checks and comparison as for the host kernel
      const b = j.first;
      let k = b.results.get(s.name)!;
      qemuSummary.ran++;
      const k2 = j.second?.results.get(s.name);
      try {
        checkKernelRun(s, k);
      } catch (e) {
        // a first run that went wrong (a timeout under load) is replaced by the second, if any
        if (!k2) throw e;
        k = k2;
        checkKernelRun(s, k);
      }
      qemuSummary.ok++;
      if (!runScript) return t.skip(`vnet half skipped: ${vnetReason} (qemu half ran: ${k.records.length} records)`);
      const v = runScript(s.text, vnetOptions(s));
      let mism = qemuMismatches(s, k, v.records, b);
      if (mism.length > 0 && k2 && k2 !== k) {
        let mism2 = mism;
        try {
          checkKernelRun(s, k2);
          mism2 = qemuMismatches(s, k2, v.records, j.second!);
        } catch {
          // the second run is no better a judge: keep the first one's verdict
        }
        if (mism2.length === 0) {
          qemuSummary.rerun.push(s.name);
          t.diagnostic(`the first qemu run differed (${mism.length} mismatch(es)); a second qemu run matched vnet`);
        }
        mism = mism2;
      }
      if (j.secondError) t.diagnostic(`second qemu boot failed: ${j.secondError}`);
      if (mism.length > 0) {
        if (s.header.knownGap) qemuSummary.knownGaps.push(s.name);
        else qemuSummary.failed.push(s.name);
        // The qemu judge is new: its differences are reported in full (and counted in the summary
        // line) as known divergences to work through, not yet as failures of the suite.
        t.todo(`differs from ${b.image.kernelPackage} under qemu`);
        assert.fail(`judged by ${b.image.kernelPackage} under qemu\n${s.header.rule ? `rule: ${s.header.rule}\n` : ''}${formatMismatches(s.name, mism)}`);
      }
      qemuSummary.match++;
      return;
    }
    if (s.missing.length > 0) {
      summary.vnetOnly++;
      if (!runScript) return t.skip(`vnet half skipped: ${vnetReason}; kernel lacks ${s.missing.join(',')}`);
      const v = runScript(s.text, vnetOptions(s));
      assert.ok(v.records.length > 0, 'vnet recorded no command');
      summary.vnetOnlyOk++;
      return;
    }
    if (!kernel.ok) {
      if (!runScript) return t.skip(`kernel half skipped (${kernel.reason}) and vnet half skipped (${vnetReason})`);
      t.diagnostic(`kernel half skipped: ${kernel.reason}`);
      const v = runScript(s.text, vnetOptions(s));
      assert.ok(v.records.length > 0, 'vnet recorded no command');
      return;
    }
    const k = await kernelRuns.get(s.name)!;
    summary.kernelRan++;
    checkKernelRun(s, k);
    summary.kernelOk++;
    if (!runScript) return t.skip(`vnet half skipped: ${vnetReason} (kernel half ran: ${k.records.length} records)`);
    summary.compared++;
    let v: { status: number; records: RunRecord[] };
    try {
      v = runScript(s.text, vnetOptions(s));
    } catch (e) {
      summary.failed.push(s.name);
      throw e;
    }
    const kn = normalizeRun(k.records, s.text, { worldText: world });
    const vn = normalizeRun(v.records, s.text, { worldText: world });
    let mism = compareRuns(kn, vn);
    if (mism.length > 0 && !s.header.knownGap) {
      // The kernel is not deterministic where timing decides (a 1 s tcpdump window, an ARP probe
      // racing a ping deadline) and this machine may be busy (the qemu half runs beside us): ask
      // the kernel once more, alone. vnet must match one of the kernel's own outcomes; the summary
      // line names the scenarios that needed it.
      const k2 = await exclusive(() => runOnKernel(s.text, { world: worldText(s.header.world), timeoutMs: 60_000 }));
      checkKernelRun(s, k2);
      const mism2 = compareRuns(normalizeRun(k2.records, s.text, { worldText: world }), vn);
      if (mism2.length === 0) {
        summary.rerun.push(s.name);
        t.diagnostic(`the first kernel run differed (${mism.length} mismatch(es)); a second kernel run matched vnet`);
      }
      mism = mism2;
    }
    if (mism.length > 0) {
      if (s.header.knownGap) summary.knownGaps.push(s.name);
      else summary.failed.push(s.name);
      assert.fail(`${s.header.rule ? `rule: ${s.header.rule}\n` : ''}${formatMismatches(s.name, mism)}`);
    }
    summary.match++;
  });
}

let qemuResult: QemuBatchResult | undefined;
let qemuError: Error | undefined;
if (qemuBatch) void qemuBatch.then((b) => (b instanceof Error ? (qemuError = b) : (qemuResult = b)));

after(() => {
  const kernelCapable = selected.filter((s) => s.missing.length === 0).length;
  const lines: string[] = [];
  if (!kernel.ok) lines.push(`differential: kernel half skipped: ${kernel.reason}`);
  if (!runScript) {
    lines.push(`differential: vnet half skipped: ${vnetReason}`);
    if (kernel.ok) lines.push(`differential: kernel half: ${summary.kernelOk}/${kernelCapable} scenarios ran cleanly on the kernel`);
  }
  lines.push(`differential: ${summary.match}/${kernelCapable} scenarios match the kernel`);
  const vnetOnly = selected.length - kernelCapable;
  if (vnetOnly > 0 && !qemuResult) lines.push(`differential: ${summary.vnetOnlyOk}/${vnetOnly} vnet-only scenarios (kernel lacks the feature) ran`);
  if (summary.failed.length) lines.push(`differential: mismatching: ${summary.failed.join(', ')}`);
  if (summary.rerun.length) lines.push(`differential: matched the kernel's second run only (timing-dependent on the kernel): ${summary.rerun.join(', ')}`);
  if (summary.knownGaps.length) lines.push(`differential: known gaps (reported, not failing): ${summary.knownGaps.join(', ')}`);
  // the qemu half (additive)
  if (qemuScenarios.length > 0) {
    if (!qemuBatch) lines.push(`differential (qemu): skipped: ${qemu.ok ? 'nothing to run' : qemu.reason}`);
    else if (!qemuResult) lines.push(`differential (qemu): skipped: ${qemuError?.message ?? 'the judge did not finish'}`);
    else {
      const b = qemuResult;
      const ver = b ? /^(\d+\.\d+)/.exec(b.image.kernelVersion)?.[1] ?? b.image.kernelVersion : '?';
      const timing = b ? ` (one boot: ${(b.qemuMs / 1000).toFixed(1)} s, guest userspace at ${((b.bootMs ?? 0) / 1000).toFixed(1)} s)` : '';
      if (!runScript) lines.push(`differential (qemu): qemu half: ${qemuSummary.ok}/${qemuScenarios.length} scenarios ran cleanly on the Debian ${ver} kernel`);
      lines.push(`differential (qemu): ${qemuSummary.match}/${qemuScenarios.length} scenarios match the Debian ${ver} kernel${timing}`);
      if (b?.error) lines.push(`differential (qemu): ${b.error}`);
      for (const w of b?.warnings ?? []) lines.push(`differential (qemu): warning: ${w}`);
      if (qemuSummary.failed.length) lines.push(`differential (qemu): mismatching: ${qemuSummary.failed.join(', ')}`);
      if (qemuSummary.rerun.length) lines.push(`differential (qemu): matched the second qemu run only (timing-dependent under TCG): ${qemuSummary.rerun.join(", ")}`);
      if (qemuSummary.knownGaps.length) lines.push(`differential (qemu): known gaps (reported, not failing): ${qemuSummary.knownGaps.join(', ')}`);
    }
  }
  console.log(lines.join('\n'));
});
