/**
 * The `vnet` command: run a lab script (`vnet run`), an interactive shell (`vnet shell`), and the
 * tracer (`vnet trace`). This is the only place that touches the real machine: it reads the
 * script and worlds, writes to the terminal, and exports files only under --out DIR.
 */
import { readFileSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript, tracePing, type CommandRecord } from '../index.ts';
import { formatTrace } from '../trace/index.ts';

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
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
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
  const world = resolveWorld(values.world);
  const json = !!values.json;
  const res = runScript(text, {
    world, scriptName: file, seed: values.seed ? Number(values.seed) : 1,
    onOutput: json ? undefined : (fd, t) => (fd === 1 ? process.stdout : process.stderr).write(t),
  });
  if (json) {
    // Records in the order the commands started (a background job's record carries all its output).
    let out = '';
    for (const r of res.records as CommandRecord[]) {
      out += JSON.stringify({ line: r.line, command: r.command, exit: r.exit, stdout: r.stdout, stderr: r.stderr }) + '\n';
    }
    process.stdout.write(out);
  }
  void resolve;
  return res.status;
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
