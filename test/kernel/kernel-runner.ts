/**
 * Runs a scenario script on the REAL Linux kernel, command by command, and records what each
 * top-level command printed and returned — the ground truth vnet is compared against.
 *
 * Safety: everything happens inside a fresh network + mount + PID namespace
 * (`unshare --net --mount --pid --fork --kill-child --mount-proc`):
 *   - mounts are made private, a private tmpfs is mounted on /run (so /run/netns and /var/run/netns,
 *     a symlink to /run here, hold only this run's `ip netns add` names and nothing leaks to the
 *     machine), and sysfs is mounted again so /sys/class/net shows the new namespace;
 *   - the new namespace's lo is left DOWN, exactly like a fresh netns (vnet's `--world none`);
 *   - bash is PID 1 of its own PID namespace: when it ends (or is killed on timeout) the kernel
 *     kills every process left in that namespace (tcpdump, sleep, `ip netns exec` children), and the
 *     network namespaces, devices and mounts disappear with their last user;
 *   - the Node side also kills the whole process group on timeout.
 *
 * How one script becomes one bash program: the script is split into top-level commands by
 * splitScript (src/shell, or the stand-in in ./split.ts). Command N becomes
 *
 *     __vnet_cur=N; __vnet_ret $__vnet_rc && :          # restore $? of the previous command
 *     { CMD
 *     } >"$D/N.out" 2>"$D/N.err"
 *     __vnet_rc=$?; echo $__vnet_rc >"$D/N.rc"
 *
 * so variables, `set -e`, functions, `$?`, background jobs and `$!` carry over between commands,
 * while stdout, stderr and the exit status of each command are captured separately. A background
 * command `CMD &` becomes `( CMD\n) >"$D/N.out" 2>"$D/N.err" &` (a simple command is exec'd by the
 * subshell, so `$!` is its real pid and `kill $!` reaches it); its exit is 0, as bash's `$?` after
 * `&`, and its output is read at the end. When `set -e` or `exit` ends the script, an EXIT trap
 * writes the status of the command that was running; later commands produce no record. At the end
 * every background job still running gets SIGTERM and is waited for (2 s, then SIGKILL), as vnet does.
 */

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foregroundText, loadSplitScript, runsInBackground, type SplitCommand } from './split.ts';

export interface KernelRecord {
  line: number;
  command: string;
  exit: number;
  stdout: string;
  stderr: string;
}

export interface KernelRunResult {
  records: KernelRecord[];
  /** Set when the kernel half could not run at all (not root, no unshare, script does not split). */
  skipped?: string;
  /** The world script's own output and status (recorded nowhere else; for diagnosing a broken world). */
  world?: { exit: number; stdout: string; stderr: string };
  /** The hard timeout fired; `records` holds what finished before it. */
  timedOut?: boolean;
  /** Anything bash itself printed outside the commands (should be empty). */
  shellStderr?: string;
  /** Which splitter cut the script. */
  splitter?: 'src/shell' | 'fallback';
  durationMs: number;
}

export interface KernelRunOptions {
  /** World script text, run first in the script's namespace by a separate bash; not recorded. */
  world?: string;
  /** Hard limit for the whole run (default 60 s). */
  timeoutMs?: number;
  /** How long background jobs get between SIGTERM and SIGKILL at the end (default 2000 ms). */
  bgGraceMs?: number;
  /** `$0` and the name in bash's own messages (`NAME: line 3: foo: command not found`); default 'vnet'. */
  scriptName?: string;
  /**
   * Additive, for packet captures (test/kernel/capture-runner.ts): bash code run in the script's shell.
   * `setup` is sourced once after the world (define functions there); `beforeCommand` runs before every
   * top-level command, including the first (it must keep to itself: its output goes to a file of its
   * own choosing, it must not start jobs — use `( cmd & )` so `$!` and `wait` are untouched — and its
   * status is ignored); `atEnd` runs once the script is over and its background jobs are stopped.
   */
  hooks?: { setup?: string; beforeCommand?: string; atEnd?: string };
}

/** Plain environment the scripts see: no locale surprises, no colours. */
const SCRIPT_ENV: Record<string, string> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LC_ALL: 'C',
  LANG: 'C',
  TERM: 'dumb',
  HOME: '/root',
  USER: 'root',
  LOGNAME: 'root',
  SHELL: '/bin/bash',
};

const UNSHARE_ARGS = ['--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private'];

let availability: { ok: true } | { ok: false; reason: string } | undefined;

/** Root, unshare and network namespaces with veth all work here. Cached. */
export function kernelAvailable(): { ok: true } | { ok: false; reason: string } {
  if (availability) return availability;
  availability = probe();
  return availability;
}

function probe(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { ok: false, reason: 'not running as root: the kernel half needs root for unshare --net and ip link' };
  }
  for (const tool of ['unshare', 'ip', 'bash']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) return { ok: false, reason: `${tool} is not installed` };
  }
  const r = spawnSync(
    'unshare',
    [...UNSHARE_ARGS, 'sh', '-c', 'ip link add vnetprobe0 type veth peer name vnetprobe1 && ip link del vnetprobe0'],
    { encoding: 'utf8', timeout: 10_000, env: SCRIPT_ENV },
  );
  if (r.error) return { ok: false, reason: `unshare failed: ${r.error.message}` };
  if (r.status !== 0) {
    return { ok: false, reason: `network namespaces do not work here: ${(r.stderr || '').trim() || `exit ${r.status}`}` };
  }
  return { ok: true };
}

/** A number of seconds for bash `sleep`. */
function secs(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Shell-quotes a string for bash. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * setup.sh: sourced on line 1 of the program. Sets up the namespaces (as PID 1 of the new PID
 * namespace; its output goes to prelude.log), runs the world, defines the helpers and the EXIT trap.
 */
export function buildSetup(dir: string, hasWorld: boolean, bgGraceMs: number, hooks: KernelRunOptions['hooks'] = {}): string {
  const out: string[] = [];
  out.push(`__vnet_D=${q(dir)}`);
  out.push(`(`);
  out.push(`  set -e`);
  out.push(`  mount -n --make-rprivate /`);
  out.push(`  mount -n -t tmpfs -o mode=0755,size=16m vnet-run /run`);
  out.push(`  mkdir -p /run/netns`);
  out.push(`  mount -n -t tmpfs -o mode=0755,size=1m vnet-netns /run/netns`);
  out.push(`  mount -n -t sysfs -o nosuid,nodev,noexec vnet-sysfs /sys`);
  out.push(`  test "$(readlink -f /var/run/netns)" = /run/netns`);
  out.push(`  mkdir -p "$__vnet_D/work"`);
  out.push(`) >"$__vnet_D/prelude.log" 2>&1 || { echo "prelude failed" >>"$__vnet_D/prelude.log"; exit 97; }`);
  out.push(`touch "$__vnet_D/prelude.ok"`);
  out.push(`cd "$__vnet_D/work" || exit 97`);
  // the world: a separate bash in the same namespaces, recorded nowhere
  if (hasWorld) {
    out.push(`bash --norc --noprofile "$__vnet_D/world.sh" </dev/null >"$__vnet_D/world.out" 2>"$__vnet_D/world.err"`);
    out.push(`echo $? >"$__vnet_D/world.rc"`);
  }
  // helpers (names start with __vnet_ so scripts do not collide with them)
  out.push(`__vnet_rc=0`);
  out.push(`__vnet_cur=`);
  out.push(`__vnet_ret() { return "$1"; }`);
  // A failed expansion (e.g. $((1+))) makes bash abandon the rest of the line, our bookkeeping
  // included: the next line first records the status of the command that was running.
  out.push(`__vnet_chk() {`);
  out.push(`  local __vnet_st=$?`);
  out.push(`  if [ -n "$__vnet_cur" ] && [ ! -e "$__vnet_D/$__vnet_cur.rc" ]; then __vnet_rc=$__vnet_st; echo "$__vnet_st" >"$__vnet_D/$__vnet_cur.rc"; fi`);
  out.push(`}`);
  out.push(`__vnet_finish() {`);
  out.push(`  local __vnet_st=$?`);
  out.push(`  if [ -n "$__vnet_cur" ] && [ ! -e "$__vnet_D/$__vnet_cur.rc" ]; then echo "$__vnet_st" >"$__vnet_D/$__vnet_cur.rc"; fi`);
  out.push(`  __vnet_cur=`);
  out.push(`  local __vnet_pids`);
  out.push(`  __vnet_pids=$(jobs -pr)`);
  out.push(`  if [ -n "$__vnet_pids" ]; then`);
  out.push(`    kill -TERM $__vnet_pids 2>/dev/null`);
  out.push(`    ( sleep ${(bgGraceMs / 1000).toFixed(3)}; kill -KILL $__vnet_pids 2>/dev/null ) >/dev/null 2>&1 &`);
  out.push(`    local __vnet_watch=$!`);
  out.push(`    wait $__vnet_pids 2>/dev/null`);
  out.push(`    kill -KILL $__vnet_watch 2>/dev/null`);
  out.push(`  fi`);
  if (hooks.atEnd) out.push(`  { ${hooks.atEnd}\n  } </dev/null >/dev/null 2>&1 || :`); // capture hook (additive)
  out.push(`  touch "$__vnet_D/finished"`);
  out.push(`}`);
  out.push(`trap __vnet_finish EXIT`);
  // capture hooks (additive): their definitions, and __vnet_hook run before each command
  if (hooks.setup) out.push(hooks.setup);
  out.push(hooks.beforeCommand ? `__vnet_hook() { { ${hooks.beforeCommand}\n  } </dev/null >/dev/null 2>&1 || :; }` : `__vnet_hook() { :; }`);
  return out.join('\n') + '\n';
}

/** The closing of a wrapped command must start a new line when its last line may end in a comment or a here-document. */
function needsOwnLine(command: string): boolean {
  const last = command.slice(command.lastIndexOf('\n') + 1);
  return command.includes('<<') || /(^|[\s;&|()])#/.test(last);
}

/**
 * The program bash runs with `-c` (so its own messages read `NAME: line N: …`). It is laid out so
 * that every command starts on the same line number as in the script: the wrapping code shares the
 * script's lines (joined with `;`), and line 1 sources setup.sh.
 */
export function buildProgram(commands: SplitCommand[], withHook = false): string {
  const lines: string[] = ['. "$__vnet_setup" || exit 97'];
  let cur = 0; // index in `lines` of the line being written (0 = script line 1)
  let pendingClose = ''; // closing of the previous command, not yet written
  let pendingOwnLine = false;
  const goto = (line: number) => {
    while (cur < line - 1) {
      cur++;
      lines.push('');
    }
  };
  const append = (text: string) => {
    const l = lines[cur]!;
    lines[cur] = l === '' ? `__vnet_chk; ${text}` : `${l}; ${text}`;
  };
  commands.forEach((c, idx) => {
    const n = idx + 1;
    const bg = runsInBackground(c);
    const text = bg ? foregroundText(c) : c.command;
    // close the previous command: on the next line if it must, else right here
    if (pendingClose) {
      if (pendingOwnLine) {
        cur++;
        lines.push(pendingClose);
      } else {
        lines[cur] += pendingClose;
      }
      pendingClose = '';
    }
    goto(c.line);
    const open = `${withHook ? '__vnet_hook; ' : ''}__vnet_cur=${n}; __vnet_ret "$__vnet_rc" && :; ${bg ? '(' : '{'} `;
    const body = text.split('\n');
    append(open + body[0]);
    for (const more of body.slice(1)) {
      cur++;
      lines.push(more);
    }
    const redir = `>"$__vnet_D/${n}.out" 2>"$__vnet_D/${n}.err"`;
    const tail = bg
      ? `) </dev/null ${redir} & __vnet_rc=$?; echo "$__vnet_rc" >"$__vnet_D/${n}.rc"`
      : `} ${redir}; __vnet_rc=$?; echo "$__vnet_rc" >"$__vnet_D/${n}.rc"`;
    pendingOwnLine = needsOwnLine(text);
    pendingClose = pendingOwnLine ? tail : (bg ? ' ' : '; ') + tail;
  });
  if (pendingClose) {
    if (pendingOwnLine) lines.push(pendingClose);
    else lines[cur] += pendingClose;
  }
  lines.push('__vnet_chk; __vnet_cur=; exit 0');
  return lines.join('\n') + '\n';
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Runs `scriptText` on the real kernel and returns one record per top-level command that ran.
 * Never throws for script failures; `skipped` is set when the kernel cannot be used at all.
 */
export async function runOnKernel(scriptText: string, opts: KernelRunOptions = {}): Promise<KernelRunResult> {
  const t0 = Date.now();
  const avail = kernelAvailable();
  if (!avail.ok) return { records: [], skipped: avail.reason, durationMs: 0 };
  const { fn: split, source } = await loadSplitScript();
  const parsed = split(scriptText);
  if (!parsed.ok) return { records: [], skipped: `script does not parse: ${parsed.error}`, splitter: source, durationMs: 0 };
  const commands = parsed.commands;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const bgGraceMs = opts.bgGraceMs ?? 2000;

  const dir = mkdtempSync(join(tmpdir(), 'vnet-kernel-'));
  try {
    mkdirSync(join(dir, 'work'), { recursive: true });
    const hasWorld = opts.world !== undefined && opts.world.trim() !== '';
    if (hasWorld) writeFileSync(join(dir, 'world.sh'), opts.world!);
    writeFileSync(join(dir, 'setup.sh'), buildSetup(dir, hasWorld, bgGraceMs, opts.hooks));
    const program = buildProgram(commands, !!opts.hooks?.beforeCommand);
    writeFileSync(join(dir, 'prog.sh'), program); // for reading only (VNET_KEEP_KERNEL_DIR)

    const { timedOut, shellStderr } = await new Promise<{ timedOut: boolean; shellStderr: string }>((resolve) => {
      const child = spawn('unshare', [...UNSHARE_ARGS, 'bash', '--norc', '--noprofile', '-c', program, opts.scriptName ?? 'vnet'], {
        cwd: dir,
        env: { ...SCRIPT_ENV, __vnet_setup: join(dir, 'setup.sh') },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // own process group, so a timeout can kill everything at once
      });
      let err = '';
      let timedOut = false;
      child.stdout.on('data', (b: Buffer) => (err += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const killGroup = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ timedOut, shellStderr: err + String(e) });
      });
      child.on('close', () => {
        clearTimeout(timer);
        killGroup(); // nothing should be left; make sure
        resolve({ timedOut, shellStderr: err });
      });
    });

    if (!existsSync(join(dir, 'prelude.ok'))) {
      return {
        records: [],
        skipped: `namespace setup failed: ${readText(join(dir, 'prelude.log')).trim() || shellStderr.trim()}`,
        splitter: source,
        durationMs: Date.now() - t0,
      };
    }
    const records: KernelRecord[] = [];
    for (let n = 1; n <= commands.length; n++) {
      const rcText = readText(join(dir, `${n}.rc`)).trim();
      if (rcText === '') continue; // never ran (set -e, exit, timeout, rest of an abandoned line)
      records.push({
        line: commands[n - 1]!.line,
        command: commands[n - 1]!.command,
        exit: Number(rcText),
        stdout: readText(join(dir, `${n}.out`)),
        stderr: readText(join(dir, `${n}.err`)),
      });
    }
    const result: KernelRunResult = { records, splitter: source, durationMs: Date.now() - t0 };
    if (hasWorld) {
      const rc = readText(join(dir, 'world.rc')).trim();
      result.world = {
        exit: rc === '' ? -1 : Number(rc),
        stdout: readText(join(dir, 'world.out')),
        stderr: readText(join(dir, 'world.err')),
      };
    }
    if (timedOut) result.timedOut = true;
    if (shellStderr !== '') result.shellStderr = shellStderr;
    return result;
  } finally {
    if (process.env.VNET_KEEP_KERNEL_DIR) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
