/**
 * Is the kernel's answer stable? Runs scenarios several times on the real kernel (optionally with
 * other runs going on at the same time, as in the test suite) and reports every scenario whose
 * normalised records differ between runs — a scenario that races the kernel's asynchronous work
 * (linkwatch, DAD, ARP timers) cannot be a reference for vnet.
 *
 *   node --import tsx test/kernel/stability.ts [-n RUNS] [-j PARALLEL] [NAME …]
 */

import { runOnKernel, kernelAvailable } from './kernel-runner.ts';
import { compareRuns, formatMismatches, normalizeRun, type RunRecord } from './normalize.ts';
import { listScenarios, worldText } from './scenario.ts';

const args = process.argv.slice(2);
let runs = 3;
let parallel = 2;
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-n') runs = Number(args[++i]);
  else if (args[i] === '-j') parallel = Number(args[++i]);
  else names.push(args[i]!);
}
const avail = kernelAvailable();
if (!avail.ok) {
  console.error(`kernel unavailable: ${avail.reason}`);
  process.exit(3);
}
const scenarios = listScenarios().filter((s) => s.missing.length === 0 && (names.length === 0 || names.includes(s.name)));
const jobs: { name: string; run: number }[] = [];
for (let r = 0; r < runs; r++) for (const s of scenarios) jobs.push({ name: s.name, run: r });
const results = new Map<string, RunRecord[][]>();
const problems = new Map<string, string[]>();
let next = 0;
const t0 = Date.now();
async function worker(): Promise<void> {
  while (next < jobs.length) {
    const job = jobs[next++]!;
    const s = scenarios.find((x) => x.name === job.name)!;
    const world = worldText(s.header.world);
    const res = await runOnKernel(s.text, { world, timeoutMs: 60_000 });
    const issues = problems.get(s.name) ?? [];
    if (res.skipped) issues.push(`skipped: ${res.skipped}`);
    if (res.timedOut) issues.push('timed out');
    if (res.world && res.world.exit !== 0) issues.push(`world exit ${res.world.exit}: ${res.world.stderr}`);
    if (issues.length) problems.set(s.name, issues);
    const list = results.get(s.name) ?? [];
    list.push(normalizeRun(res.records, s.text, { worldText: world }));
    results.set(s.name, list);
  }
}
await Promise.all(Array.from({ length: parallel }, () => worker()));
let flaky = 0;
for (const s of scenarios) {
  const list = results.get(s.name) ?? [];
  const issues = problems.get(s.name) ?? [];
  for (let i = 1; i < list.length; i++) {
    const mm = compareRuns(list[0]!, list[i]!);
    if (mm.length) issues.push(formatMismatches(`${s.name} run 1 vs run ${i + 1}`, mm).replace(/'-' kernel, '\+' vnet/, "'-' run 1, '+' this run"));
  }
  if (issues.length) {
    flaky++;
    console.log(`UNSTABLE ${s.name}\n${issues.join('\n')}\n`);
  }
}
console.log(`stability: ${scenarios.length - flaky}/${scenarios.length} scenarios gave identical records in ${runs} runs (${parallel} at a time, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
process.exit(flaky ? 1 : 0);
