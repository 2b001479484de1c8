/**
 * The second kernel oracle: runs scenario scripts on a real Debian kernel (linux-image-amd64 of the
 * host's release, 6.1 on Debian 12) under qemu, for the scenarios whose devices this machine's
 * kernel lacks (802.1Q, ipvlan, dummy, bonding, team, kmod, …).
 *
 * One boot runs a whole batch: the runner appends the batch (one directory per scenario, holding the
 * same setup.sh/program the host runner would run, buildSetup/buildProgram exported by ../kernel-runner.ts) as a second cpio archive to
 * the cached initramfs (./image.ts), boots
 *
 *     qemu-system-x86_64 -accel tcg -m 512 -nodefaults -display none -nic none -no-reboot
 *       -kernel vmlinux -initrd base+batch -append 'console=ttyS0 quiet panic=-1'
 *       -serial file:console.log -serial file:results.txt
 *
 * and /init (./init.sh) runs the scenarios one after the other, each in fresh namespaces exactly like
 * the host runner, writes every result file base64-encoded to the second serial port, and powers off.
 * The VM has no network device at all (`-nodefaults`, `-nic none`): it is isolated.
 *
 * TCG (software emulation) is the default: on this machine kind /dev/kvm is a paravirtualised KVM
 * that hangs a stock Debian kernel. VNET_QEMU_ACCEL=kvm (or any -accel value) overrides it.
 *
 * Returns, per scenario, the same KernelRunResult the host runner (../kernel-runner.ts) returns.
 */

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hostRunner from '../kernel-runner.ts';
import type { KernelRecord, KernelRunResult } from '../kernel-runner.ts';
import { loadSplitScript, type SplitCommand } from '../split.ts';
import { cpioNewc, type CpioEntry } from './cpio.ts';
import { cachedImage, cacheDir, ensureImage, type ImageInfo } from './image.ts';

export interface QemuScenario {
  name: string;
  /** The scenario script. */
  text: string;
  /** World script text ('' for none). */
  world: string;
  /** `$0` and the name in bash's messages; default 'vnet', as the host runner. */
  scriptName?: string;
  /** This scenario's hard limit (default: the batch's timeoutMs). */
  timeoutMs?: number;
}

export interface QemuBatchResult {
  results: Map<string, KernelRunResult>;
  /** Guest uptime when /init had loaded the modules (ms), from the guest's clock. */
  bootMs?: number;
  /** Host wall-clock time from starting qemu to its exit, and for the whole call (image check included). */
  qemuMs: number;
  totalMs: number;
  image: ImageInfo;
  /** The guest's console (kernel messages and /init's progress), for diagnosis. */
  console: string;
  /** Set when qemu itself failed or hit the batch timeout. */
  error?: string;
  /** Things /init noticed that may affect the next scenario (a module that would not unload). */
  warnings: string[];
}

export interface QemuRunOptions {
  /** Per-scenario hard limit inside the VM (default 60 s, as the host runner). */
  timeoutMs?: number;
  /** Background jobs' grace between SIGTERM and SIGKILL at the end (default 2000 ms). */
  bgGraceMs?: number;
  log?: (s: string) => void;
}

const QEMU = 'qemu-system-x86_64';

/** The VM runs each scenario with exactly the program the host runner builds. */
const { buildSetup, buildProgram } = hostRunner;

let availability: { ok: true } | { ok: false; reason: string } | undefined;

/**
 * Whether the qemu oracle can run here: root (as the host oracle; the image build and qemu would not
 * need it), qemu-system-x86_64, busybox-static, and either a built image in the cache or apt-get to
 * build one. VNET_QEMU=0 turns it off. Cached.
 */
export function qemuAvailable(): { ok: true } | { ok: false; reason: string } {
  if (availability) return availability;
  availability = probe();
  return availability;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v "$1" >/dev/null`, 'sh', cmd]).status === 0;
}

function probe(): { ok: true } | { ok: false; reason: string } {
  if (process.env.VNET_QEMU === '0') return { ok: false, reason: 'VNET_QEMU=0' };
  if (process.platform !== 'linux' || process.arch !== 'x64') return { ok: false, reason: `not x86-64 Linux (${process.platform}/${process.arch})` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, reason: 'not running as root' };
  if (!has(QEMU)) return { ok: false, reason: `${QEMU} is not installed (apt-get install qemu-system-x86)` };
  if (!existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox')) return { ok: false, reason: 'busybox-static is not installed' };
  if (cachedImage()) return { ok: true };
  for (const t of ['apt-get', 'apt-cache', 'dpkg-deb', 'ldd', 'xz']) {
    if (!has(t)) return { ok: false, reason: `no image in ${cacheDir()} and ${t} is missing to build one` };
  }
  return { ok: true };
}

/**
 * As many CPUs as this host has: the kernel sizes some things by the number of possible CPUs, which
 * shows in the output (a veth's `numtxqueues 2` on a two-CPU machine, 1 on one CPU).
 */
function hostCpus(): number {
  try {
    const possible = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim();
    let n = 0;
    for (const part of possible.split(',')) {
      const [a, b] = part.split('-').map(Number);
      n += b === undefined ? 1 : b! - a! + 1;
    }
    if (n > 0) return n;
  } catch {
    // not Linux sysfs
  }
  return availableParallelism();
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The regular files of a (ustar/GNU) tar archive: name (without a leading ./) -> contents. */
export function untar(buf: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, b: number) => h.toString('latin1', a, b).replace(/\0.*$/s, '');
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const prefix = h.toString('latin1', 257, 262) === 'ustar' ? str(345, 500) : '';
    let name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = undefined;
    const data = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type !== '0' && type !== '\0') continue;
    name = name.replace(/^(\.\/)+/, '');
    files.set(name, Buffer.from(data));
  }
  return files;
}

/** The text of the results file, cut into jobs: job -> { files, exit, ms }. */
function parseResults(text: string): {
  jobs: Map<string, { files: Map<string, string>; exit?: number; ms?: number; warning?: string }>;
  boot?: number;
  ended: boolean;
} {
  const jobs = new Map<string, { files: Map<string, string>; exit?: number; ms?: number; warning?: string }>();
  const job = (j: string) => {
    let e = jobs.get(j);
    if (!e) jobs.set(j, (e = { files: new Map() }));
    return e;
  };
  let boot: number | undefined;
  let ended = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    let m: RegExpExecArray | null;
    if ((m = /^@@T (\S+) ?([A-Za-z0-9+/=]*)$/.exec(line))) {
      const files = job(m[1]!).files;
      for (const [name, data] of untar(Buffer.from(m[2]!, 'base64'))) files.set(name, data.toString('utf8'));
    }
    else if ((m = /^@@J (\S+) (\d+) (-?\d+)$/.exec(line))) Object.assign(job(m[1]!), { exit: Number(m[2]), ms: Number(m[3]) });
    else if ((m = /^@@BOOT (\d+)$/.exec(line))) boot = Number(m[1]);
    else if ((m = /^@@W (\S+) (.*)$/.exec(line))) {
      const j = job(m[1]!);
      j.warning = j.warning ? `${j.warning}; ${m[2]!}` : m[2]!;
    }
    else if (/^@@END\b/.test(line)) ended = true;
  }
  return { jobs, boot, ended };
}

/**
 * Debian 6.1's vrf.ko has no exit function: once a scenario loaded it, no later one in the same boot
 * runs on a fresh machine (it stays in /proc/modules and adds net.vrf.* sysctls to every namespace;
 * init.sh reports it). So the scenarios that may load it run last, in their given order.
 */
const LOADS_PERMANENT_MODULE = /\btype\s+vrf\b|^#\s*requires:.*\bvrf\b/m;

export function lastIfPermanent<T extends { text: string }>(scenarios: readonly T[]): T[] {
  const loads = scenarios.map((s) => LOADS_PERMANENT_MODULE.test(s.text));
  return [...scenarios.filter((_, i) => !loads[i]), ...scenarios.filter((_, i) => loads[i])];
}

/** Runs all `scenarios` in ONE boot of the Debian kernel; never throws for scenario failures. */
export async function runQemuBatch(scenarios: QemuScenario[], opts: QemuRunOptions = {}): Promise<QemuBatchResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const image = ensureImage({ log });
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const bgGraceMs = opts.bgGraceMs ?? 2000;
  const { fn: split, source } = await loadSplitScript();
  const results = new Map<string, KernelRunResult>();

  // the batch: /vnet/run/NNN/{setup.sh,prog.sh,world.sh,name,timeout}
  const entries: CpioEntry[] = [{ type: 'dir', path: 'vnet' }, { type: 'dir', path: 'vnet/run' }];
  const jobs: Array<{ id: string; s: QemuScenario; commands: SplitCommand[]; hasWorld: boolean }> = [];
  for (const s of lastIfPermanent(scenarios)) {
    const parsed = split(s.text);
    if (!parsed.ok) {
      results.set(s.name, { records: [], skipped: `script does not parse: ${parsed.error}`, splitter: source, durationMs: 0 });
      continue;
    }
    const id = String(jobs.length).padStart(4, '0');
    const D = `/vnet/run/${id}`;
    const hasWorld = s.world.trim() !== '';
    entries.push({ type: 'dir', path: D.slice(1) });
    entries.push({ type: 'file', path: `${D.slice(1)}/setup.sh`, data: buildSetup(D, hasWorld, bgGraceMs) });
    entries.push({ type: 'file', path: `${D.slice(1)}/prog.sh`, data: buildProgram(parsed.commands) });
    if (hasWorld) entries.push({ type: 'file', path: `${D.slice(1)}/world.sh`, data: s.world });
    entries.push({ type: 'file', path: `${D.slice(1)}/name`, data: s.scriptName ?? 'vnet' });
    entries.push({ type: 'file', path: `${D.slice(1)}/timeout`, data: ((s.timeoutMs ?? timeoutMs) / 1000).toFixed(3) });
    jobs.push({ id, s, commands: parsed.commands, hasWorld });
  }
  if (jobs.length === 0) return { results, qemuMs: 0, totalMs: Date.now() - t0, image, console: '', warnings: [] };

  const dir = mkdtempSync(join(tmpdir(), 'vnet-qemu-'));
  try {
    const initrd = join(dir, 'initrd');
    writeFileSync(initrd, Buffer.concat([readFileSync(image.initrd), cpioNewc(entries, 1_000_000)]));
    const consoleFile = join(dir, 'console.log');
    const resultsFile = join(dir, 'results.txt');
    const accel = process.env.VNET_QEMU_ACCEL ?? 'tcg';
    const smp = process.env.VNET_QEMU_SMP ?? String(hostCpus());
    const args = [
      '-accel', accel,
      '-m', '512',
      '-smp', smp,
      '-nodefaults',
      '-display', 'none',
      '-nic', 'none',
      '-no-reboot',
      '-kernel', image.vmlinux,
      '-initrd', initrd,
      '-append', 'console=ttyS0 quiet panic=-1',
      '-serial', `file:${consoleFile}`,
      '-serial', `file:${resultsFile}`,
    ];
    // whole-batch limit: every scenario at its limit, plus boot and slack
    const batchLimit = jobs.reduce((sum, j) => sum + (j.s.timeoutMs ?? timeoutMs) + bgGraceMs + 5000, 120_000);
    const q0 = Date.now();
    log(`qemu: ${QEMU} ${args.map((a) => (/[\s']/.test(a) ? q(a) : a)).join(' ')}`);
    const { code, stderr, timedOut } = await new Promise<{ code: number | null; stderr: string; timedOut: boolean }>((resolve) => {
      const child = spawn(QEMU, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      let timedOut = false;
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, batchLimit);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ code: -1, stderr: err + String(e), timedOut });
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stderr: err, timedOut });
      });
    });
    const qemuMs = Date.now() - q0;
    const consoleText = existsSync(consoleFile) ? readFileSync(consoleFile, 'utf8') : '';
    const parsed = parseResults(existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '');
    let error: string | undefined;
    if (timedOut) error = `qemu hit the batch limit of ${Math.round(batchLimit / 1000)} s`;
    else if (code !== 0) error = `qemu exited with ${code}: ${stderr.trim()}`;
    else if (!parsed.ended) error = `the VM stopped before finishing the batch (console tail: ${consoleText.trim().split('\n').slice(-5).join(' | ')})`;

    const warnings: string[] = [];
    for (const { id, s, commands, hasWorld } of jobs) {
      const j = parsed.jobs.get(id);
      if (j?.warning) warnings.push(`after ${s.name}: ${j.warning}`);
      const file = (n: string) => j?.files.get(n) ?? '';
      if (!j || j.exit === undefined) {
        results.set(s.name, { records: [], skipped: `did not run in the VM: ${error ?? 'no result'}`, splitter: source, durationMs: 0 });
        continue;
      }
      if (!j.files.has('prelude.ok')) {
        results.set(s.name, {
          records: [],
          skipped: `namespace setup failed in the VM: ${file('prelude.log').trim() || file('shell.out').trim() || `exit ${j.exit}`}`,
          splitter: source,
          durationMs: j.ms ?? 0,
        });
        continue;
      }
      const records: KernelRecord[] = [];
      for (let n = 1; n <= commands.length; n++) {
        const rcText = file(`${n}.rc`).trim();
        if (rcText === '') continue;
        records.push({
          line: commands[n - 1]!.line,
          command: commands[n - 1]!.command,
          exit: Number(rcText),
          stdout: file(`${n}.out`),
          stderr: file(`${n}.err`),
        });
      }
      const r: KernelRunResult = { records, splitter: source, durationMs: j.ms ?? 0 };
      if (hasWorld) {
        const rc = file('world.rc').trim();
        r.world = { exit: rc === '' ? -1 : Number(rc), stdout: file('world.out'), stderr: file('world.err') };
      }
      // `timeout -s KILL` ended it: the EXIT trap never wrote `finished`
      if (j.exit === 137 && !j.files.has('finished')) r.timedOut = true;
      const shellOut = file('shell.out');
      if (shellOut !== '') r.shellStderr = shellOut;
      results.set(s.name, r);
    }
    if (process.env.VNET_KEEP_KERNEL_DIR) console.error(`kept ${dir}`);
    return { results, bootMs: parsed.boot, qemuMs, totalMs: Date.now() - t0, image, console: consoleText, error, warnings };
  } finally {
    if (!process.env.VNET_KEEP_KERNEL_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

/** runQemuBatch's results only: scenario name -> the host runner's KernelRunResult (records, world, …). */
export async function runOnQemu(scenarios: QemuScenario[], opts: QemuRunOptions = {}): Promise<Map<string, KernelRunResult>> {
  return (await runQemuBatch(scenarios, opts)).results;
}
