/**
 * The qemu oracle by hand.
 *
 *   node --import tsx test/kernel/qemu/cli.ts build [--force]
 *       builds (or reuses) the image in the cache and prints what it holds
 *   node --import tsx test/kernel/qemu/cli.ts run FILE.sh… [--world none|default|PATH] [--pretty] [--normalize]
 *       runs the scripts in ONE boot of the Debian kernel and prints their records like
 *       ../record.ts (JSON lines with a "scenario" field, or a transcript with --pretty)
 *   node --import tsx test/kernel/qemu/cli.ts crosscheck [NAME…]
 *       the judge's own check: runs the scenarios THIS host kernel can run (test/scenarios + examples,
 *       or the NAMEs) both on the host kernel and in ONE qemu boot, and reports per scenario whether
 *       the two kernels agree after the differential normalisation (kernel-version differences show up
 *       here, not as vnet bugs)
 *
 * The world defaults to each script's `# world:` header. Exit status: 0 when it ran, 3 when the
 * qemu oracle is unavailable here.
 */

import { readFileSync } from 'node:fs';
import { compareRuns, formatMismatches, normalizeRun } from '../normalize.ts';
import { kernelAvailable, runOnKernel } from '../kernel-runner.ts';
import { listScenarios, parseHeader, worldText } from '../scenario.ts';
import { ensureImage } from './image.ts';
import { qemuAvailable, runQemuBatch } from './qemu-runner.ts';

const args = process.argv.slice(2);
const cmd = args.shift();
const usage =
  'usage: cli.ts build [--force] | run FILE.sh… [--world none|default|PATH] [--pretty] [--normalize] | crosscheck [NAME…]';
const log = (s: string) => console.error(`[qemu] ${s}`);

if (cmd === 'build') {
  const info = ensureImage({ force: args.includes('--force'), log });
  console.log(JSON.stringify(info, null, 2));
} else if (cmd === 'run') {
  const avail = qemuAvailable();
  if (!avail.ok) {
    console.error(`qemu oracle unavailable: ${avail.reason}`);
    process.exit(3);
  }
  const files: string[] = [];
  let worldArg: string | undefined;
  let pretty = false;
  let normalize = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--world') worldArg = args[++i];
    else if (a === '--pretty') pretty = true;
    else if (a === '--normalize') normalize = true;
    else files.push(a);
  }
  if (files.length === 0) {
    console.error(usage);
    process.exit(2);
  }
  const scenarios = files.map((f) => {
    const text = readFileSync(f, 'utf8');
    return { name: f, text, world: worldText(worldArg ?? parseHeader(text).world) };
  });
  const batch = await runQemuBatch(scenarios, { log });
  log(
    `${batch.image.kernelPackage}: qemu ran ${(batch.qemuMs / 1000).toFixed(1)} s (guest userspace ready at ${((batch.bootMs ?? 0) / 1000).toFixed(1)} s), ` +
      `whole call ${(batch.totalMs / 1000).toFixed(1)} s`,
  );
  if (batch.error) log(`error: ${batch.error}`);
  for (const w of batch.warnings) log(`warning: ${w}`);
  for (const s of scenarios) {
    const r = batch.results.get(s.name)!;
    if (pretty) process.stdout.write(`# ===== ${s.name}${r.skipped ? ` (skipped: ${r.skipped})` : ''} (${r.durationMs} ms)\n`);
    if (r.world && r.world.exit !== 0) log(`${s.name}: the world exited ${r.world.exit}: ${r.world.stderr}`);
    if (r.timedOut) log(`${s.name}: hit its timeout`);
    if (r.shellStderr) log(`${s.name}: bash said: ${r.shellStderr}`);
    const records = normalize ? normalizeRun(r.records, s.text, { worldText: s.world }) : r.records;
    for (const rec of records) {
      if (pretty) {
        process.stdout.write(`## line ${rec.line}: ${rec.command}  => exit ${rec.exit}\n`);
        if (rec.stdout) process.stdout.write(rec.stdout.replace(/^/gm, '  | ').replace(/\n {2}\| $/, '\n'));
        if (rec.stderr) process.stdout.write(rec.stderr.replace(/^/gm, '  ! ').replace(/\n {2}! $/, '\n'));
      } else {
        process.stdout.write(JSON.stringify({ scenario: s.name, ...rec }) + '\n');
      }
    }
  }
  if (process.env.VNET_QEMU_CONSOLE) process.stderr.write(batch.console);
} else if (cmd === 'crosscheck') {
  const avail = qemuAvailable();
  const host = kernelAvailable();
  if (!avail.ok || !host.ok) {
    console.error(`unavailable: ${!avail.ok ? `qemu: ${avail.reason}` : ''} ${!host.ok ? `host kernel: ${host.reason}` : ''}`);
    process.exit(3);
  }
  const all = [
    ...listScenarios(),
    ...listScenarios(new URL('../../../examples/', import.meta.url).pathname).map((s) => ({ ...s, name: `examples/${s.name}` })),
  ].filter((s) => s.missing.length === 0 && (args.length === 0 || args.includes(s.name)));
  const batchP = runQemuBatch(all.map((s) => ({ name: s.name, text: s.text, world: worldText(s.header.world) })), { log });
  const hostRuns = new Map<string, Awaited<ReturnType<typeof runOnKernel>>>();
  for (const s of all) hostRuns.set(s.name, await runOnKernel(s.text, { world: worldText(s.header.world), timeoutMs: 60_000 }));
  const batch = await batchP;
  log(`qemu: ${(batch.qemuMs / 1000).toFixed(1)} s for ${all.length} scenarios${batch.error ? ` (${batch.error})` : ''}`);
  let same = 0;
  for (const s of all) {
    const h = hostRuns.get(s.name)!;
    const v = batch.results.get(s.name)!;
    if (h.skipped || v.skipped) {
      console.log(`SKIP ${s.name}: ${h.skipped ?? ''} ${v.skipped ?? ''}`);
      continue;
    }
    const w = worldText(s.header.world);
    const mism = compareRuns(normalizeRun(h.records, s.text, { worldText: w }), normalizeRun(v.records, s.text, { worldText: w }));
    if (mism.length === 0) {
      same++;
      console.log(`SAME ${s.name}`);
    } else {
      console.log(`DIFF ${s.name}\n${formatMismatches(s.name, mism).replace(/^/gm, '    ')}`);
    }
  }
  console.log(`crosscheck: ${same}/${all.length} scenarios give the same records on the host kernel and on ${batch.image.kernelPackage}`);
} else {
  console.error(usage);
  process.exit(2);
}
