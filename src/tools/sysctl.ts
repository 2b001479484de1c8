/**
 * `sysctl` (procps-ng 4.0.2) over a namespace's net.* sysctls, plus the /proc/sys view of them
 * that the virtual filesystem uses: key ⇄ path mapping (procps' slashdot), the kernel's write
 * parsing (proc_dointvec: integers, base 0, whitespace separated) and range checks.
 */
import type { NetNamespace } from '../core/netns.ts';
import type { Tool, ToolCtx } from './types.ts';

const PROC = '/proc/sys/';
const EINVAL = 22, ENOENT = 2;

/** Splits a core key into /proc/sys path components (device names may contain dots). */
export function keyComponents(key: string): string[] {
  const m = /^(net)\.(ipv4|ipv6)\.(conf|neigh)\.(.+)\.([^.]+)$/.exec(key);
  if (m) return [m[1]!, m[2]!, m[3]!, m[4]!, m[5]!];
  return key.split('.');
}

/** Path components → the core's key. */
export function componentsToKey(parts: string[]): string { return parts.join('.'); }

/** procps' displayed name for a path: components joined by '.', dots inside shown as '/'. */
export function displayName(parts: string[]): string {
  return parts.map((p) => p.replace(/\./g, '/')).join('.');
}

/** slashdot(): swaps '.' and '/' unless the first separator already is `to`. */
function slashdot(s: string, from: string, to: string): string {
  const first = s.search(/[./]/);
  if (first < 0 || s[first] === to) return s;
  let o = '';
  for (const ch of s) o += ch === from ? to : ch === to ? from : ch;
  return o;
}

/** A sysctl name as given on the command line → path components under /proc/sys. */
export function nameToComponents(name: string): string[] {
  const path = slashdot(name, '.', '/');
  return path.split('/').filter((x) => x !== '');
}

/** Every key of the namespace, as path components. */
export function allComponents(ns: NetNamespace): string[][] {
  return ns.sysctl.keys().map(keyComponents);
}

/** Is `parts` a directory (a strict prefix of some key)? */
export function isSysctlDir(ns: NetNamespace, parts: string[]): boolean {
  if (parts.length === 0) return true;
  return allComponents(ns).some((k) => k.length > parts.length && parts.every((p, i) => k[i] === p));
}

export function listSysctlDir(ns: NetNamespace, parts: string[]): string[] | null {
  const names = new Set<string>();
  for (const k of allComponents(ns)) {
    if (k.length > parts.length && parts.every((p, i) => k[i] === p)) names.add(k[parts.length]!);
  }
  if (!names.size && parts.length) return null;
  return [...names].sort();
}

export function sysctlReadParts(ns: NetNamespace, parts: string[]): string | undefined {
  return ns.sysctl.get(componentsToKey(parts));
}

/** Limits of the knobs that check their range (proc_dointvec_minmax and friends). */
const RANGES: [RegExp, number, number][] = [
  [/^net\.ipv4\.ip_default_ttl$/, 1, 255],
  [/^net\.ipv6\.conf\..+\.hop_limit$/, 1, 255],
  [/^net\.ipv4\.icmp_echo_ignore_(all|broadcasts)$/, 0, 1],
  [/^net\.ipv4\.conf\..+\.(arp_accept|arp_evict_nocarrier|drop_gratuitous_arp|drop_unicast_in_l2_multicast)$/, 0, 2147483647],
  [/^net\.ipv6\.conf\..+\.disable_ipv6$/, -2147483648, 2147483647],
  [/^net\.ipv4\.neigh\..+\.(mcast_solicit|ucast_solicit)$/, 0, 2147483647],
  [/^net\.core\.somaxconn$/, 0, 2147483647],
];

/** proc_get_long: one integer (base 0) per whitespace-separated word. */
function parseInts(text: string): number[] | null {
  const words = text.split(/[ \t\n\v\f\r]+/).filter((w) => w !== '');
  const out: number[] = [];
  for (const w of words) {
    const m = /^(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(w);
    if (!m) return null;
    let v = m[2]!.startsWith('0x') || m[2]!.startsWith('0X') ? parseInt(m[2]!, 16)
      : m[2]!.length > 1 && m[2]![0] === '0' ? parseInt(m[2]!, 8) : parseInt(m[2]!, 10);
    if (m[1]) v = -v;
    if (v > 2147483647 || v < -2147483648) return null;
    out.push(v);
  }
  return out;
}

/**
 * A write as the kernel's handler takes it: 0, or an errno. Values are stored in the kernel's
 * canonical form (as a later read prints them).
 */
export function sysctlWrite(ns: NetNamespace, key: string, text: string): number {
  if (!ns.sysctl.has(key)) return ENOENT;
  const cur = ns.sysctl.get(key) ?? '';
  const ints = parseInts(text);
  if (ints === null) return EINVAL;
  if (!ints.length) return 0;
  const width = cur.split('\t').length;
  const vals = ints.slice(0, Math.max(1, width));
  for (const [re, lo, hi] of RANGES) {
    if (re.test(key) && vals.some((v) => v < lo || v > hi)) return EINVAL;
  }
  if (key === 'net.ipv4.ping_group_range') {
    if (vals.length < 2) return EINVAL;
    const [lo, hi] = vals as [number, number];
    if (lo < 0 || hi < 0) return EINVAL;
  }
  const old = cur.split('\t');
  const merged = old.map((o, i) => (i < vals.length ? String(vals[i]) : o));
  ns.sysctl.set(key, merged.join('\t'));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The sysctl command.

const USAGE = '\nUsage:\n sysctl [options] [variable[=value] ...]\n\nOptions:\n' +
  '  -a, --all            display all variables\n' +
  '  -A                   alias of -a\n' +
  '  -X                   alias of -a\n' +
  '      --deprecated     include deprecated parameters to listing\n' +
  '      --dry-run        Print the key and values but do not write\n' +
  '  -b, --binary         print value without new line\n' +
  '  -e, --ignore         ignore unknown variables errors\n' +
  '  -N, --names          print variable names without values\n' +
  '  -n, --values         print only values of the given variable(s)\n' +
  '  -p, --load[=<file>]  read values from file\n' +
  '  -f                   alias of -p\n' +
  '      --system         read values from all system directories\n' +
  '  -r, --pattern <expression>\n' +
  '                       select setting that match expression\n' +
  '  -q, --quiet          do not echo variable set\n' +
  '  -w, --write          enable writing a value to variable\n' +
  '  -o                   does nothing\n' +
  '  -x                   does nothing\n' +
  '  -d                   alias of -h\n\n' +
  ' -h, --help     display this help and exit\n' +
  ' -V, --version  output version information and exit\n\n' +
  'For more details see sysctl(8).\n';

interface Opts {
  all: boolean; binary: boolean; ignore: boolean; names: boolean; values: boolean; quiet: boolean;
  write: boolean; dryRun: boolean; load: string | null; pattern: RegExp | null;
}

const STRERR: Record<number, string> = { 2: 'No such file or directory', 22: 'Invalid argument', 13: 'Permission denied' };

function readOne(ctx: ToolCtx, o: Opts, name: string): number {
  const parts = nameToComponents(name);
  const display = slashdot(name, '/', '.');
  const path = PROC + parts.join('/');
  const ns = ctx.ns;
  const v = sysctlReadParts(ns, parts);
  if (v === undefined) {
    if (isSysctlDir(ns, parts)) return readDir(ctx, o, parts);
    if (o.ignore) return 0;
    ctx.err(`sysctl: cannot stat ${path}: No such file or directory\n`);
    return 1;
  }
  if (o.pattern && !o.pattern.test(display)) return 0;
  if (o.names) ctx.out(`${display}\n`);
  else if (o.values) ctx.out(o.binary ? v : `${v}\n`);
  else ctx.out(o.binary ? v : `${display} = ${v}\n`);
  return 0;
}

function readDir(ctx: ToolCtx, o: Opts, parts: string[]): number {
  const keys = allComponents(ctx.ns).filter((k) => k.length > parts.length && parts.every((p, i) => k[i] === p));
  keys.sort((a, b) => (displayName(a) < displayName(b) ? -1 : displayName(a) > displayName(b) ? 1 : 0));
  for (const k of keys) {
    const display = displayName(k);
    if (o.pattern && !o.pattern.test(display)) continue;
    const v = sysctlReadParts(ctx.ns, k) ?? '';
    if (o.names) ctx.out(`${display}\n`);
    else if (o.values) ctx.out(o.binary ? v : `${v}\n`);
    else ctx.out(`${display} = ${v}\n`);
  }
  return 0;
}

function writeOne(ctx: ToolCtx, o: Opts, setting: string, lineInfo: string): number {
  const eq = setting.indexOf('=');
  if (eq < 0) {
    ctx.err(`sysctl: ${lineInfo}: invalid syntax, continuing...\n`);
    return 1;
  }
  const name = setting.slice(0, eq).trim();
  const value = setting.slice(eq + 1).trim();
  if (!name) {
    ctx.err(`sysctl: malformed setting "${setting}"\n`);
    return 1;
  }
  const parts = nameToComponents(name);
  const display = slashdot(name, '/', '.');
  const path = PROC + parts.join('/');
  const ns = ctx.ns;
  const key = componentsToKey(parts);
  if (!ns.sysctl.has(key)) {
    if (isSysctlDir(ns, parts)) {
      ctx.err(`sysctl: setting key "${display}": Is a directory\n`);
      return 1;
    }
    if (o.ignore) return 0;
    ctx.err(`sysctl: cannot stat ${path}: No such file or directory\n`);
    return 1;
  }
  if (!o.dryRun) {
    const e = sysctlWrite(ns, key, value + '\n');
    if (e) {
      ctx.err(`sysctl: setting key "${display}": ${STRERR[e] ?? 'Invalid argument'}\n`);
      return 1;
    }
  }
  if (!o.quiet) {
    if (o.names) ctx.out(`${display}\n`);
    else if (o.values) ctx.out(`${value}\n`);
    else ctx.out(`${display} = ${value}\n`);
  }
  return 0;
}

function loadFile(ctx: ToolCtx, o: Opts, file: string): number {
  const r = ctx.fs?.read(ctx.io?.netns ?? '', file);
  if (!r || !r.ok) {
    ctx.err(`sysctl: cannot open "${file}": No such file or directory\n`);
    return 1;
  }
  let rc = 0;
  const lines = r.value.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (!line || line[0] === '#' || line[0] === ';') continue;
    let ignoreErr = false;
    if (line[0] === '-') { ignoreErr = true; line = line.slice(1); }
    const eq = line.indexOf('=');
    if (eq < 0) {
      ctx.err(`sysctl: ${file}(${i + 1}): invalid syntax, continuing...\n`);
      continue;
    }
    const saved = o.ignore;
    if (ignoreErr) o.ignore = true;
    const e = writeOne(ctx, o, line, `${file}(${i + 1})`);
    o.ignore = saved;
    if (e && !ignoreErr) rc = 1;
  }
  return rc;
}

export const sysctlTool: Tool = (ctx) => {
  const o: Opts = { all: false, binary: false, ignore: false, names: false, values: false, quiet: false,
    write: false, dryRun: false, load: null, pattern: null };
  const args: string[] = [];
  const argv = ctx.argv;
  if (argv.length <= 1) { ctx.err(USAGE); return 1; }
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { i++; break; }
    if (a.startsWith('--')) {
      const [name, val] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      switch (name) {
        case '--all': o.all = true; break;
        case '--binary': o.binary = true; break;
        case '--ignore': o.ignore = true; break;
        case '--names': o.names = true; break;
        case '--values': o.values = true; break;
        case '--quiet': o.quiet = true; break;
        case '--write': o.write = true; break;
        case '--dry-run': o.dryRun = true; break;
        case '--deprecated': break;
        case '--load': o.load = val ?? '/etc/sysctl.conf'; break;
        case '--system': o.load = ''; break;
        case '--pattern': {
          const p = val ?? argv[++i];
          if (p === undefined) { ctx.err(USAGE); return 1; }
          o.pattern = new RegExp(p);
          break;
        }
        case '--help': ctx.out(USAGE); return 0;
        case '--version': ctx.out('sysctl from procps-ng 4.0.2\n'); return 0;
        default:
          ctx.err(`sysctl: unrecognized option '${a}'\n${USAGE}`);
          return 1;
      }
      continue;
    }
    if (a[0] !== '-' || a === '-') { args.push(a); continue; }
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      switch (ch) {
        case 'a': case 'A': case 'X': o.all = true; break;
        case 'b': o.binary = true; break;
        case 'e': o.ignore = true; break;
        case 'N': o.names = true; break;
        case 'n': o.values = true; break;
        case 'q': o.quiet = true; break;
        case 'w': o.write = true; break;
        case 'o': case 'x': break;
        case 'p': case 'f': {
          const rest = a.slice(j + 1);
          o.load = rest || '/etc/sysctl.conf';
          if (!rest && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) o.load = argv[++i]!;
          j = a.length;
          break;
        }
        case 'r': {
          const rest = a.slice(j + 1);
          const p = rest || argv[++i];
          if (p === undefined) { ctx.err(`sysctl: option requires an argument -- 'r'\n${USAGE}`); return 1; }
          o.pattern = new RegExp(p);
          j = a.length;
          break;
        }
        case 'h': case 'd': ctx.out(USAGE); return 0;
        case 'V': ctx.out('sysctl from procps-ng 4.0.2\n'); return 0;
        default:
          ctx.err(`sysctl: invalid option -- '${ch}'\n${USAGE}`);
          return 1;
      }
    }
  }
  for (; i < argv.length; i++) args.push(argv[i]!);
  if (o.load !== null) {
    if (o.load === '') return 0;
    if (args.length) {
      let rc = 0;
      for (const f of args) rc |= loadFile(ctx, o, f);
      return rc;
    }
    return loadFile(ctx, o, o.load);
  }
  if (o.all) return readDir(ctx, o, []);
  if (!args.length) {
    ctx.err('sysctl: no variables specified\nTry `sysctl --help\' for more information.\n');
    return 1;
  }
  let rc = 0;
  for (const a of args) {
    if (o.write || a.includes('=')) {
      if (!a.includes('=')) {
        ctx.err('sysctl: command line(0): invalid syntax, continuing...\n');
        rc = 1;
        continue;
      }
      rc |= writeOne(ctx, o, a, 'command line(0)');
    } else rc |= readOne(ctx, o, a);
  }
  return rc;
};
