/**
 * The `vnet` command: run a lab script (`vnet run`), an interactive shell (`vnet shell`), and the
 * tracer (`vnet trace`). This is the only place that touches the real machine: it reads the
 * script and worlds, writes to the terminal, and exports files only under --out DIR.
 */
import { readFileSync, existsSync, mkdirSync, realpathSync, lstatSync, unlinkSync, openSync, writeSync, closeSync, fsyncSync, renameSync, constants as fsc } from 'node:fs';
import { parseArgs } from 'node:util';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript, tracePing, LabSession, parseLimit, parseKernelConfig, type CommandRecord, type LabLimits, type KernelConfig } from '../index.ts';
import { formatTrace } from '../trace/index.ts';
// --capture/--out (whole-run pcapng captures, src/capture): spec parsing and file names live there.
import { parseCaptureSpec, startCaptures, formatCaptureSpec, captureFileName, isPlainFileName, END_DRAIN_NS, type CaptureSet, type CaptureSpec, type CaptureFile } from '../capture/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const USAGE = `Usage: vnet run [--world NAME|FILE|none] [--json] [--seed N] [--state FILE] [--limit NAME=N ...]
                [--kernel-config NAME=y|n ...] [--capture NS/IF ...] [--out DIR] FILE
       vnet shell [--world NAME|FILE|none] [--seed N] [--state FILE] [--limit NAME=N ...]
                  [--kernel-config NAME=y|n ...]
       vnet trace FILE --ping NS DEST [--json]
`;

export function resolveWorld(w: string | undefined): string {
  if (w === undefined || w === 'default') return readFileSync(join(ROOT, 'worlds', 'default.sh'), 'utf8');
  if (w === 'none') return 'none';
  const builtin = join(ROOT, 'worlds', `${w}.sh`);
  if (existsSync(builtin)) return readFileSync(builtin, 'utf8');
  if (existsSync(w)) return readFileSync(w, 'utf8');
  throw new Error(`vnet: no such world: ${w}`);
}

function cmdRun(argv: string[]): number {
  // `--capture -/eth0`: parseArgs refuses an option value that starts with '-', so glue it on.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--capture' && i + 1 < argv.length && argv[i + 1]!.startsWith('-/')) args.push(`--capture=${argv[++i]}`);
    else args.push(argv[i]!);
  }
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      world: { type: 'string' }, json: { type: 'boolean' }, seed: { type: 'string' },
      capture: { type: 'string', multiple: true }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      state: { type: 'string' }, limit: { type: 'string', multiple: true }, 'kernel-config': { type: 'string', multiple: true },
    },
  });
  if (values.help || positionals.length !== 1) { process.stderr.write(USAGE); return values.help ? 0 : 2; }
  const limits = limitOptions(values.limit ?? []);
  if (typeof limits === 'string') { process.stderr.write(`vnet: ${limits}\n`); return 2; }
  const kconfig = kernelConfigOptions(values['kernel-config'] ?? []);
  if (typeof kconfig === 'string') { process.stderr.write(`vnet: ${kconfig}\n`); return 2; }
  const file = positionals[0]!;
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    process.stderr.write(`vnet: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}\n`);
    return 2;
  }
  // --capture NS/IF … --out DIR: checked before anything runs (see captureOptions below).
  const cap = captureOptions(values.capture ?? [], values.out);
  if (typeof cap === 'string') { process.stderr.write(`vnet: ${cap}\n`); return 2; }
  const targets = cap ? captureTargets(cap.dir, cap.specs.map(captureFileName)) : [];
  if (typeof targets === 'string') { process.stderr.write(`vnet: ${targets}\n`); return 2; }
  // --state FILE: continue the lab saved there (world, seed and limits come from it).
  const loaded = values.state !== undefined ? loadStateFile(values.state, values.world !== undefined || values.seed !== undefined || !!kconfig) : null;
  if (typeof loaded === 'string') { process.stderr.write(`vnet: ${loaded}\n`); return 2; }
  if (loaded && limits) loaded.setLimits(limits);
  let captures: CaptureSet | null = null;
  const json = !!values.json;
  let before: Map<string, string | Uint8Array> = new Map();
  const res = runScript(text, {
    ...(loaded ? { session: loaded } : { world: resolveWorld(values.world), seed: values.seed ? Number(values.seed) : 1 }),
    ...(limits ? { limits } : {}),
    ...(kconfig && !loaded ? { kernelConfig: kconfig } : {}),
    scriptName: file,
    onOutput: json ? undefined : (fd, t) => (fd === 1 ? process.stdout : process.stderr).write(t),
    // the captures start once the world is built: they record the whole script
    beforeScript: (s) => {
      before = new Map(s.fs.files);
      if (cap) captures = startCaptures(s, cap.specs);
    },
  });
  // The state is written before the captures' final drain moves the clock on; errors of the
  // state and of --out are said after the script's own output.
  const errors: string[] = [];
  if (values.state !== undefined) {
    const err = res.session.saveError ? `cannot save the lab to ${values.state}: ${res.session.saveError}` : writeAtomically(values.state, res.session.save());
    if (err) errors.push(err);
  }
  if (values.out !== undefined) {
    const err = exportLabFiles(values.out, res.session.fs.files, before, new Set(cap ? cap.specs.map(captureFileName) : []));
    if (err) errors.push(err);
  }
  // The storm guard's reports: said once, after the run, so scripts' own output stays as on Linux.
  for (const [dev, st] of res.session.lab.storms) {
    process.stderr.write(`vnet: storm guard: ${st.dropped} frames dropped on ${dev.name}${st.netns ? ` (netns ${st.netns})` : ''} — a forwarding loop; see dmesg\n`);
  }
  const lim = res.session.lab.limitState;
  if (lim.backlogDropped) {
    process.stderr.write(`vnet: receive backlog full: ${lim.backlogDropped} frames dropped (limit backlog=${res.session.lab.limits.backlog}; raise it with --limit backlog=N)\n`);
  }
  if (json) {
    // Records in the order the commands started (a background job's record carries all its output).
    let out = '';
    for (const r of res.records as CommandRecord[]) {
      out += JSON.stringify({ line: r.line, command: r.command, exit: r.exit, stdout: r.stdout, stderr: r.stderr }) + '\n';
    }
    process.stdout.write(out);
  }
  if (cap && captures) {
    const err = writeCaptureFiles(cap.dir, targets, (captures as CaptureSet).stop({ drainNs: END_DRAIN_NS }));
    if (err) errors.push(err);
  }
  for (const e of errors) process.stderr.write(`vnet: ${e}\n`);
  if (errors.length) return 2;
  void resolve;
  return res.status;
}

// ---- --capture/--out: the only files `vnet run` writes.

/** Validates --capture/--out; null when no capture is asked for, an error message when wrong. */
function captureOptions(specs: string[], out: string | undefined): { specs: CaptureSpec[]; dir: string } | null | string {
  if (out === '') return '--out needs a directory';
  if (specs.length === 0) return null;
  if (out === undefined) return '--capture needs --out DIR';
  const parsed: CaptureSpec[] = [];
  const names = new Map<string, string>();
  for (const t of specs) {
    const r = parseCaptureSpec(t);
    if (!r.ok) return r.error;
    const f = captureFileName(r.spec);
    if (names.has(f)) return `captures ${names.get(f)} and ${formatCaptureSpec(r.spec)} would both write ${f}`;
    names.set(f, formatCaptureSpec(r.spec));
    parsed.push(r.spec);
  }
  return { specs: parsed, dir: out };
}

/**
 * The files captures go to: DIR/NAME for each NAME (DIR is created if missing). NAME must be a plain
 * file name (no '/'; checked again here) and the path must stay inside DIR's real path; anything but a
 * regular file already there (a symlink, a directory) is refused. Checked before the script runs, so
 * nothing is written when one target is wrong. Returns the paths, or an error message.
 */
function captureTargets(dir: string, names: string[]): string[] | string {
  let real: string;
  try {
    mkdirSync(dir, { recursive: true });
    real = realpathSync(dir);
  } catch (e) {
    return `cannot use --out ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`;
  }
  const paths: string[] = [];
  for (const name of names) {
    if (!isPlainFileName(name)) return `refusing to write ${name}: not a plain file name`;
    const path = join(real, name);
    if (dirname(path) !== real) return `refusing to write ${name} outside ${dir}`;
    let st: ReturnType<typeof lstatSync> | undefined;
    try { st = lstatSync(path); } catch { st = undefined; }
    if (st && !st.isFile()) return `refusing to write ${join(dir, name)}: it exists and is not a regular file`;
    paths.push(path);
  }
  return paths;
}

/**
 * Writes the captures to the paths captureTargets gave. Each file is a new inode: an existing regular
 * file is unlinked first (so a hard link to it cannot redirect the write), and O_EXCL|O_NOFOLLOW
 * refuse whatever appeared there meanwhile. Returns an error message or null.
 */
function writeCaptureFiles(dir: string, paths: string[], files: CaptureFile[]): string | null {
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const path = paths[i]!;
    try {
      try { unlinkSync(path); } catch { /* not there */ }
      const fd = openSync(path, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o644);
      try { writeSync(fd, f.bytes); } finally { closeSync(fd); }
    } catch (e) {
      return `cannot write ${join(dir, f.name)}: ${(e as NodeJS.ErrnoException).code ?? e}`;
    }
    process.stderr.write(`vnet: capture ${formatCaptureSpec(f.spec)}: ${f.packets} packet${f.packets === 1 ? '' : 's'} written to ${join(dir, f.name)}\n`);
  }
  return null;
}

// ---- --limit, --state, and the lab's own files exported under --out

/** --kernel-config NAME=y|n ...: the lab's kernel build options (src/core/kconfig.ts). */
function kernelConfigOptions(specs: string[]): Partial<KernelConfig> | null | string {
  if (!specs.length) return null;
  const out: Partial<KernelConfig> = {};
  for (const s of specs) {
    const r = parseKernelConfig(s);
    if (typeof r === 'string') return r;
    out[r[0]] = r[1];
  }
  return out;
}

function limitOptions(specs: string[]): Partial<LabLimits> | null | string {
  if (!specs.length) return null;
  const out: Partial<LabLimits> = {};
  for (const s of specs) {
    const r = parseLimit(s);
    if (typeof r === 'string') return r;
    out[r[0]] = r[1];
  }
  return out;
}

/** The session saved in `file` (null if there is none yet), or why it cannot be used. */
function loadStateFile(file: string, conflicting: boolean): LabSession | null | string {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`;
  }
  if (conflicting) return `--world, --seed and --kernel-config cannot be used with an existing --state file (${file} has its own)`;
  const r = LabSession.load(text, `state file ${file}`);
  return r.ok ? r.session : r.error;
}

/**
 * Writes `file` so that it is either the old or the whole new content, never a mix: a temporary
 * file in the same directory, fsync, rename over, fsync of the directory.
 */
export function writeAtomically(file: string, text: string): string | null {
  const dir = dirname(resolve(file));
  const tmp = join(dir, `.${file.slice(file.lastIndexOf('/') + 1)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o644);
    try { writeSync(fd, text); fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, file);
    try { const d = openSync(dir, fsc.O_RDONLY); try { fsyncSync(d); } finally { closeSync(d); } } catch { /* best effort */ }
    return null;
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* not made */ }
    return `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`;
  }
}

/**
 * `--out DIR`: every file the script wrote in the lab's own filesystem (tcpdump -w, vnet save,
 * redirections) is written to DIR/<its lab path>. Only under DIR: each path component must be a
 * plain name, directories on the way must be real directories (a symlink is refused, so nothing
 * can lead outside DIR), and files are created anew with O_EXCL|O_NOFOLLOW.
 */
export function exportLabFiles(dir: string, files: ReadonlyMap<string, string | Uint8Array>,
  before: ReadonlyMap<string, string | Uint8Array>, reserved: ReadonlySet<string>): string | null {
  const changed = [...files].filter(([p, d]) => before.get(p) !== d).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (!changed.length) return null;
  let real: string;
  try { mkdirSync(dir, { recursive: true }); real = realpathSync(dir); } catch (e) {
    return `cannot use --out ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`;
  }
  for (const [path, data] of changed) {
    const parts = path.split('/').filter((x) => x !== '');
    if (!parts.length || !parts.every(isPlainFileName)) return `refusing to export ${path}: not a plain path`;
    if (parts.length === 1 && reserved.has(parts[0]!)) return `refusing to export ${path}: a capture file has that name`;
    let cur = real;
    for (const p of parts.slice(0, -1)) {
      cur = join(cur, p);
      let st: ReturnType<typeof lstatSync> | undefined;
      try { st = lstatSync(cur); } catch { st = undefined; }
      if (!st) { try { mkdirSync(cur); } catch (e) { return `cannot export ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`; } }
      else if (!st.isDirectory()) return `refusing to export ${path}: ${cur} is not a directory (symlinks are not followed)`;
    }
    const target = join(cur, parts[parts.length - 1]!);
    if (!target.startsWith(real + '/')) return `refusing to export ${path} outside ${dir}`;
    let st: ReturnType<typeof lstatSync> | undefined;
    try { st = lstatSync(target); } catch { st = undefined; }
    if (st && !st.isFile()) return `refusing to export ${path}: ${target} exists and is not a regular file`;
    try {
      if (st) unlinkSync(target);
      const fd = openSync(target, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o644);
      try { writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'latin1') : data); } finally { closeSync(fd); }
    } catch (e) {
      return `cannot export ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`;
    }
  }
  return null;
}

function cmdTrace(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { world: { type: 'string' }, json: { type: 'boolean' }, seed: { type: 'string' }, ping: { type: 'boolean' } },
  });
  // vnet trace FILE --ping NS DEST  (NS may be '-' for the script's own namespace)
  if (!values.ping || positionals.length !== 3) { process.stderr.write(USAGE); return 2; }
  const [file, ns, dest] = positionals as [string, string, string];
  const text = readFileSync(file, 'utf8');
  const res = runScript(text, { world: resolveWorld(values.world), scriptName: file, seed: values.seed ? Number(values.seed) : 1 });
  const t = tracePing(res.session, ns === '-' ? '' : ns, dest);
  if (values.json) process.stdout.write(JSON.stringify({ hops: t.hops, summary: t.summary, ping: t.output }, null, 1) + '\n');
  else process.stdout.write(t.output + '\n' + formatTrace(t.hops, t.summary));
  return t.summary.reached ? 0 : 1;
}

async function cmdShell(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: {
    world: { type: 'string' }, seed: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string', multiple: true },
    'kernel-config': { type: 'string', multiple: true },
  } });
  const limits = limitOptions(values.limit ?? []);
  if (typeof limits === 'string') { process.stderr.write(`vnet: ${limits}\n`); return 2; }
  const kconfig = kernelConfigOptions(values['kernel-config'] ?? []);
  if (typeof kconfig === 'string') { process.stderr.write(`vnet: ${kconfig}\n`); return 2; }
  const loaded = values.state !== undefined ? loadStateFile(values.state, values.world !== undefined || values.seed !== undefined || !!kconfig) : null;
  if (typeof loaded === 'string') { process.stderr.write(`vnet: ${loaded}\n`); return 2; }
  const { runInteractive } = await import('./shell.ts');
  const session = loaded ?? new LabSession({ seed: values.seed ? Number(values.seed) : 1, ...(limits ? { limits } : {}), ...(kconfig ? { kernelConfig: kconfig } : {}) });
  if (loaded && limits) loaded.setLimits(limits);
  if (!loaded) session.runWorld(worldTextOf(resolveWorld(values.world)), (_fd, t) => process.stderr.write(t));
  const status = await runInteractive(session);
  if (values.state !== undefined) {
    const err = session.saveError ? `cannot save the lab to ${values.state}: ${session.saveError}` : writeAtomically(values.state, session.save());
    if (err) { process.stderr.write(`vnet: ${err}\n`); return 2; }
  }
  return status;
}

function worldTextOf(w: string): string { return w === 'none' ? '' : w; }

export function main(argv: string[]): number | Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run': return cmdRun(rest);
      case 'trace': return cmdTrace(rest);
      case 'shell': return cmdShell(rest);
      case undefined: case '-h': case '--help': case 'help':
        process.stdout.write(USAGE); return cmd === undefined ? 2 : 0;
      default:
        process.stderr.write(`vnet: unknown command "${cmd}"\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void Promise.resolve(main(process.argv.slice(2))).then((c) => { process.exitCode = c; });
}
