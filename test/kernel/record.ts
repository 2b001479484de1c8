/**
 * Shows the kernel's truth for a script: runs it on the real kernel (in throwaway namespaces) and
 * prints one JSON object per top-level command: {"line","command","exit","stdout","stderr"}.
 *
 *   node --import tsx test/kernel/record.ts FILE.sh [--world none|default|PATH] [--raw] [--pretty]
 *
 * The world defaults to the script's `# world:` header (none when absent). `--pretty` prints a
 * readable transcript instead of JSON lines; `--normalize` applies the differential normaliser.
 * Needs root. Exit status 0 when it ran, 3 when the kernel half is unavailable.
 */

import { readFileSync } from 'node:fs';
import { runOnKernel } from './kernel-runner.ts';
import { parseHeader, worldText } from './scenario.ts';
import { normalizeRun } from './normalize.ts';

const args = process.argv.slice(2);
let file: string | undefined;
let worldArg: string | undefined;
let pretty = false;
let normalize = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--world') worldArg = args[++i];
  else if (a === '--pretty') pretty = true;
  else if (a === '--normalize') normalize = true;
  else if (a === '-h' || a === '--help') {
    console.log('usage: record.ts FILE.sh [--world none|default|PATH] [--pretty] [--normalize]');
    process.exit(0);
  } else file = a;
}
if (!file) {
  console.error('usage: record.ts FILE.sh [--world none|default|PATH] [--pretty] [--normalize]');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const header = parseHeader(text);
const world = worldText(worldArg ?? header.world);
const res = await runOnKernel(text, { world, timeoutMs: 120_000 });
if (res.skipped) {
  console.error(`kernel run skipped: ${res.skipped}`);
  process.exit(3);
}
if (res.world && res.world.exit !== 0) {
  console.error(`warning: the world script exited ${res.world.exit}\n${res.world.stderr}`);
}
if (res.timedOut) console.error('warning: the run hit its timeout');
if (res.shellStderr) console.error(`bash said: ${res.shellStderr}`);
const records = normalize ? normalizeRun(res.records, text, { worldText: world }) : res.records;
for (const r of records) {
  if (pretty) {
    process.stdout.write(`## line ${r.line}: ${r.command}  => exit ${r.exit}\n`);
    if (r.stdout) process.stdout.write(r.stdout.replace(/^/gm, '  | ').replace(/\n {2}\| $/, '\n'));
    if (r.stderr) process.stdout.write(r.stderr.replace(/^/gm, '  ! ').replace(/\n {2}! $/, '\n'));
  } else {
    process.stdout.write(JSON.stringify({ line: r.line, command: r.command, exit: r.exit, stdout: r.stdout, stderr: r.stderr }) + '\n');
  }
}
