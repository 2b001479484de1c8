/**
 * The `vnet` command: run a lab script (`vnet run`), an interactive shell (`vnet shell`), and the
 * tracer (`vnet trace`). This is the only place that touches the real machine: it reads the
 * script and worlds, writes to the terminal, and exports files only under --out DIR.
 */
import { readFileSync, existsSync, mkdirSync, realpathSync, lstatSync, unlinkSync, openSync, writeSync, closeSync, constants as fsc } from 'node:fs';
import { parseArgs } from 'node:util';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript, tracePing, type CommandRecord } from '../index.ts';
import { formatTrace } from '../trace/index.ts';
// --capture/--out (whole-run pcapng captures, src/capture): spec parsing and file names live there.
import { parseCaptureSpec, startCaptures, formatCaptureSpec, captureFileName, isPlainFileName, END_DRAIN_NS, type CaptureSet, type CaptureSpec, type CaptureFile } from '../capture/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const USAGE = `Usage: vnet run [--world NAME|FILE|none] [--json] [--seed N] [--capture NS/IF ...] [--out DIR] FILE
       vnet shell [--world NAME|FILE|none] [--seed N]
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
    },
  });
  if (values.help || positionals.length !== 1) { process.stderr.write(USAGE); return values.help ? 0 : 2; }
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
  let captures: CaptureSet | null = null;
  const world = resolveWorld(values.world);
  const json = !!values.json;
  const res = runScript(text, {
    world, scriptName: file, seed: values.seed ? Number(values.seed) : 1,
    onOutput: json ? undefined : (fd, t) => (fd === 1 ? process.stdout : process.stderr).write(t),
    // the captures start once the world is built: they record the whole script
    beforeScript: cap ? (s) => { captures = startCaptures(s, cap.specs); } : undefined,
  });
  // The storm guard's reports: said once, after the run, so scripts' own output stays as on Linux.
  for (const [dev, st] of res.session.lab.storms) {
    process.stderr.write(`vnet: storm guard: ${st.dropped} frames dropped on ${dev.name}${st.netns ? ` (netns ${st.netns})` : ''} — a forwarding loop; see dmesg\n`);
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
    if (err) { process.stderr.write(`vnet: ${err}\n`); return 2; }
  }
  void resolve;
  return res.status;
}

// ---- --capture/--out: the only files `vnet run` writes.

/** Validates --capture/--out; null when no capture is asked for, an error message when wrong. */
function captureOptions(specs: string[], out: string | undefined): { specs: CaptureSpec[]; dir: string } | null | string {
  if (specs.length === 0) return out === undefined ? null : '--out DIR needs at least one --capture NS/IF';
  if (out === undefined || out === '') return '--capture needs --out DIR';
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
  const { values } = parseArgs({ args: argv, options: { world: { type: 'string' }, seed: { type: 'string' } } });
  const { runInteractive } = await import('./shell.ts');
  return runInteractive(resolveWorld(values.world), values.seed ? Number(values.seed) : 1);
}

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
