/**
 * The small programs lab scripts lean on besides the network tools: modprobe/lsmod (every vnet
 * driver is built in), ls, and the text filters people pipe `ip` output through (grep, head,
 * tail, wc, sort, uniq). Each prints what its coreutils/grep/kmod counterpart prints for the
 * options supported, and refuses the rest with that program's usual message.
 */
import type { Tool, ToolCtx } from './types.ts';
import type { NetDevice } from '../core/netdev.ts';
import type { NetNamespace } from '../core/netns.ts';
import { TAP_CDEV_MAJOR, TUN_DEVNODE, devNodeInfo } from '../core/drivers/tun.ts';
import { VIRTUAL_EPOCH_SECONDS } from '../wire/pcap.ts';
import { LabFs, normPath } from './fs.ts';
import { latin1 } from './coreutils.ts';
import { KERNEL_RELEASE, MODULES, loadModule, moduleHolders, unloadModule } from '../core/modules.ts';

export function loadedModules(ctx: ToolCtx): Set<string> { return ctx.lab.modules; }

/** modprobe [-r] MODULE…: vnet's modules (core/modules.ts) load with their dependencies. */
export const modprobeTool: Tool = (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const remove = ctx.argv.includes('-r');
  if (!args.length) { ctx.err('modprobe: ERROR: missing parameters. See -h.\n'); return 1; }
  for (const raw of remove ? args : args.slice(0, 1)) {
    const m = raw.replace(/-/g, '_');
    if (!MODULES[m]) {
      ctx.err(`modprobe: FATAL: Module ${raw} not found in directory /lib/modules/${KERNEL_RELEASE}\n`);
      return 1;
    }
    if (remove) {
      if (!unloadModule(ctx.lab, m)) { ctx.err(`modprobe: FATAL: Module ${m} is in use.\n`); return 1; }
    } else loadModule(ctx.lab, m);
  }
  return 0;
};

/** lsmod (kmod 30): newest first, `%-19s %8lu  %d` and the holders, comma-separated. */
export const lsmodTool: Tool = (ctx) => {
  let out = 'Module                  Size  Used by\n';
  for (const m of [...ctx.lab.modules].reverse()) {
    const info = MODULES[m];
    if (!info) continue;
    const users = moduleHolders(ctx.lab, m);
    out += `${m.padEnd(19)} ${String(info.size).padStart(8)}  ${users.length}${users.length ? ' ' + users.join(',') : ''}\n`;
  }
  ctx.out(out);
  return 0;
};

// ---------------------------------------------------------------------------------------------
// ls (coreutils 9.1): short and long (-l) listings of the lab's files, directories, character
// devices and sysfs symlinks. Long format as print_long_format: `MODE NLINK OWNER GROUP SIZE DATE
// NAME`, columns sized over each listing, `MAJOR, MINOR` for devices, `total N` (1K blocks) above a
// directory's entries. Dates come from the virtual clock (time 0 = VIRTUAL_EPOCH_SECONDS): device
// nodes and sysfs entries date from boot or from their device's registration, ordinary files from
// their last write; `Mon dd HH:MM` for the last six months, `Mon dd  YYYY` otherwise (UTC, C locale).

/** What lstat says about a path, as far as ls shows it. */
interface LsStat {
  type: 'd' | '-' | 'c' | 'l';
  perm: string;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  rdev?: [number, number];
  /** Virtual time (ns). */
  mtime: number;
  target?: string;
  /** 1K blocks for `total`. */
  blocks: number;
}

/** Character devices under /dev: mode, major, minor (as devtmpfs makes them on this machine). */
const CHAR_DEVS: Record<string, [string, number, number]> = {
  null: ['rw-rw-rw-', 1, 3], zero: ['rw-rw-rw-', 1, 5], full: ['rw-rw-rw-', 1, 7], random: ['rw-rw-rw-', 1, 8],
  urandom: ['rw-rw-rw-', 1, 9], tty: ['rw-rw-rw-', 5, 0],
  'net/tun': ['rw-------', TUN_DEVNODE.major, TUN_DEVNODE.minor],
};

/** sysfs net attributes with a store method (mode 0644); the rest are 0444. */
const SYSFS_RW = new Set(['carrier', 'flags', 'gro_flush_timeout', 'ifalias', 'mtu', 'napi_defer_hard_irqs',
  'netdev_group', 'proto_down', 'threaded', 'tx_queue_len', 'uevent']);
const SYSFS_BRIDGE_RO = new Set(['bridge_id', 'root_id', 'root_port', 'root_path_cost', 'topology_change',
  'topology_change_detected', 'hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer', 'port_id',
  'port_no', 'designated_root', 'designated_bridge', 'designated_port', 'designated_cost', 'change_ack',
  'config_pending', 'message_age_timer', 'forward_delay_timer', 'hold_timer', 'state']);

const USER_NAMES: Record<number, string> = { 0: 'root' };

function nsByName(ctx: ToolCtx): NetNamespace | undefined { return ctx.lab.ns(ctx.io.netns); }

function devOf(ctx: ToolCtx, name: string): NetDevice | undefined { return nsByName(ctx)?.devices.get(name); }

/** lstat(2) of an absolute path in the lab; `raw` is the operand as typed (a trailing / follows links). */
function lsStat(ctx: ToolCtx, p: string, raw: string): LsStat | null {
  const fs = ctx.fs;
  const netns = ctx.io.netns;
  const now = ctx.lab.clock.now;
  const base = { nlink: 1, uid: 0, gid: 0, size: 0, mtime: 0, blocks: 0 };
  const follow = raw.endsWith('/');
  // sysfs symlinks: /sys/class/net/DEV and a device's subsystem/master/lower_*/tapN links.
  const m = /^\/sys\/class\/net\/([^/]+)(?:\/([^/]+))?$/.exec(p);
  if (m) {
    const dev = devOf(ctx, m[1]!);
    if (dev) {
      const born = devNodeInfo(dev).registeredAt;
      const link = (target: string): LsStat => ({ ...base, type: 'l', perm: 'rwxrwxrwx', mtime: born, target });
      if (m[2] === undefined && !follow) return link(`../../devices/virtual/net/${dev.name}`);
      const a = m[2];
      if (a !== undefined && !follow && sysfsDevLink(dev, a, fs.exists(netns, p))) {
        if (a === 'subsystem') return link('../../../../class/net');
        if (a === 'master') return link(`../${dev.master!.name}`);
        if (a.startsWith('lower_')) return link(`../${a.slice(6)}`);
        return link(`${dev.kind}/${a}`);
      }
      // power/ and queues/ are listed for every device; vnet has nothing inside them.
      if (a === 'power' || a === 'queues') return { ...base, type: 'd', perm: 'rwxr-xr-x', nlink: 2, mtime: born };
    }
  }
  if (p.startsWith('/dev/')) {
    const name = p.slice(5);
    const cd = CHAR_DEVS[name];
    if (cd && fs.exists(netns, p)) return { ...base, type: 'c', perm: cd[0], rdev: [cd[1], cd[2]] };
    const t = /^tap(\d+)$/.exec(name);
    if (t && fs.exists(netns, p) && !fs.list(netns, p).ok) {
      const dev = tapDevice(ctx, Number(t[1]));
      const info = dev ? devNodeInfo(dev) : { registeredAt: 0, minor: 0 };
      return { ...base, type: 'c', perm: 'rw-------', rdev: [TAP_CDEV_MAJOR[dev?.kind ?? 'macvtap'] ?? 0, info.minor],
        mtime: info.registeredAt };
    }
  }
  const l = fs.list(netns, p);
  if (l.ok) {
    // nlink of a directory: 2 + its subdirectories (symlinks to directories do not count).
    const subdirs = l.value.filter((e) => {
      const c = (p === '/' ? '' : p) + '/' + e;
      return (fs.list(netns, c).ok && !isSysfsLink(ctx, c)) || /^\/sys\/class\/net\/[^/]+\/(power|queues)$/.test(c);
    }).length;
    if (p.startsWith('/sys/') || p === '/sys') {
      const dm = /^\/sys\/class\/net\/([^/]+)/.exec(p);
      const dev = dm ? devOf(ctx, dm[1]!) : undefined;
      return { ...base, type: 'd', perm: 'rwxr-xr-x', nlink: 2 + subdirs, mtime: dev ? devNodeInfo(dev).registeredAt : 0 };
    }
    if (p.startsWith('/proc/') || p === '/proc') return { ...base, type: 'd', perm: 'r-xr-xr-x', nlink: 2 + subdirs, mtime: now };
    // tmpfs (devtmpfs, /run): a directory's size is 20 bytes per entry, . and .. included.
    if (p === '/dev' || p.startsWith('/dev/') || p === '/run' || p.startsWith('/run/')) {
      return { ...base, type: 'd', perm: 'rwxr-xr-x', nlink: 2 + subdirs, size: (l.value.length + 2) * 20 };
    }
    return { ...base, type: 'd', perm: p === '/tmp' || p === '/var/tmp' ? 'rwxrwxrwt' : 'rwxr-xr-x', nlink: 2 + subdirs,
      size: 4096, blocks: 4 };
  }
  if (!fs.exists(netns, p)) return null;
  if (p.startsWith('/sys/')) {
    const parts = p.split('/');
    const attr = parts[parts.length - 1]!;
    const parent = parts[parts.length - 2]!;
    const rw = parent === 'bridge' || parent === 'brport' ? !SYSFS_BRIDGE_RO.has(attr) : parent !== 'statistics' && SYSFS_RW.has(attr);
    const dm = /^\/sys\/class\/net\/([^/]+)/.exec(p);
    const dev = dm ? devOf(ctx, dm[1]!) : undefined;
    return { ...base, type: '-', perm: rw ? 'rw-r--r--' : 'r--r--r--', size: 4096,
      mtime: dev ? devNodeInfo(dev).registeredAt : 0 };
  }
  if (p.startsWith('/proc/')) {
    return { ...base, type: '-', perm: p.startsWith('/proc/sys/') ? 'rw-r--r--' : 'r--r--r--', mtime: now };
  }
  if (p.startsWith('/run/netns/')) return { ...base, type: '-', perm: 'r--r--r--' };
  const lfs = fs instanceof LabFs ? fs : null;
  const bytes = fs.readBytes?.(p);
  const size = bytes ? bytes.length : (() => { const r = fs.read(netns, p); return r.ok ? new TextEncoder().encode(r.value).length : 0; })();
  return { ...base, type: '-', perm: 'rw-r--r--', size, mtime: lfs?.mtimes.get(p) ?? 0, blocks: Math.ceil(size / 4096) * 4 };
}

/** True for the sysfs paths lstat reports as symlinks (without following a trailing slash). */
function isSysfsLink(ctx: ToolCtx, p: string): boolean {
  const m = /^\/sys\/class\/net\/([^/]+)(?:\/([^/]+))?$/.exec(p);
  const dev = m ? devOf(ctx, m[1]!) : undefined;
  if (!m || !dev) return false;
  return m[2] === undefined || sysfsDevLink(dev, m[2], ctx.fs.exists(ctx.io.netns, p));
}

/** Entries of /sys/class/net/DEV that are symlinks: subsystem, master, lower_X, tapN (macvtap). */
function sysfsDevLink(dev: NetDevice, a: string, exists: boolean): boolean {
  if (a === 'subsystem') return true;
  if (a === 'master') return dev.master !== null;
  if (a.startsWith('lower_')) return exists;
  return a === `tap${dev.ifindex}` && (dev.kind === 'macvtap' || dev.kind === 'ipvtap');
}

/** The macvtap/ipvtap behind /dev/tapN (the node is machine-wide, N is an ifindex). */
function tapDevice(ctx: ToolCtx, ifindex: number): NetDevice | undefined {
  const own = nsByName(ctx);
  const spaces = own ? [own, ...[...ctx.lab.all].filter((x) => x !== own)] : [...ctx.lab.all];
  for (const s of spaces) {
    const d = s.byIndex.get(ifindex);
    if (d && (d.kind === 'macvtap' || d.kind === 'ipvtap')) return d;
  }
  return undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** strftime in the C locale, UTC, for the conversions ls formats use; %N takes the nanoseconds. */
function strftime(fmt: string, epochSec: number, nsec: number): string {
  const d = new Date(epochSec * 1000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  let o = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch !== '%' || i + 1 >= fmt.length) { o += ch; continue; }
    const c = fmt[++i]!;
    switch (c) {
      case 'Y': o += d.getUTCFullYear(); break;
      case 'y': o += p2(d.getUTCFullYear() % 100); break;
      case 'm': o += p2(d.getUTCMonth() + 1); break;
      case 'd': o += p2(d.getUTCDate()); break;
      case 'e': o += String(d.getUTCDate()).padStart(2, ' '); break;
      case 'H': o += p2(d.getUTCHours()); break;
      case 'M': o += p2(d.getUTCMinutes()); break;
      case 'S': o += p2(d.getUTCSeconds()); break;
      case 'b': case 'h': o += MONTHS[d.getUTCMonth()]; break;
      case 'a': o += DAYS[d.getUTCDay()]; break;
      case 'j': o += String(Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) -
        Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1).padStart(3, '0'); break;
      case 's': o += epochSec; break;
      case 'N': o += String(nsec).padStart(9, '0'); break;
      case 'z': o += '+0000'; break;
      case 'Z': o += 'UTC'; break;
      case 'F': o += `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`; break;
      case 'T': o += `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`; break;
      case 'R': o += `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`; break;
      case '%': o += '%'; break;
      case 'n': o += '\n'; break;
      case 't': o += '\t'; break;
      default: o += '%' + c;
    }
  }
  return o;
}

/** --time-style: the formats for recent and old files. */
interface TimeStyle { recent: string; old: string }
const TIME_STYLES: Record<string, TimeStyle> = {
  'full-iso': { recent: '%Y-%m-%d %H:%M:%S.%N %z', old: '%Y-%m-%d %H:%M:%S.%N %z' },
  'long-iso': { recent: '%Y-%m-%d %H:%M', old: '%Y-%m-%d %H:%M' },
  iso: { recent: '%m-%d %H:%M', old: '%Y-%m-%d ' },
  locale: { recent: '%b %e %H:%M', old: '%b %e  %Y' },
};

function parseTimeStyle(s: string): TimeStyle | null {
  if (s.startsWith('+')) {
    const nl = s.indexOf('\n');
    return nl < 0 ? { recent: s.slice(1), old: s.slice(1) } : { recent: s.slice(nl + 1), old: s.slice(1, nl) };
  }
  const name = s.startsWith('posix-') ? s.slice(6) : s;
  return TIME_STYLES[name] ?? null;
}

function lsDate(style: TimeStyle, mtime: number, now: number): string {
  const sec = VIRTUAL_EPOCH_SECONDS + Math.floor(mtime / 1e9);
  const nowSec = VIRTUAL_EPOCH_SECONDS + Math.floor(now / 1e9);
  // Six months = half a Gregorian year (31556952 s / 2); a file from the future is not recent.
  const recent = sec > nowSec - 31556952 / 2 && sec <= nowSec;
  return strftime(recent ? style.recent : style.old, sec, Math.floor(mtime % 1e9));
}

interface LsOpts { long: boolean; all: boolean; almostAll: boolean; dirAsFile: boolean; numeric: boolean;
  noOwner: boolean; noGroup: boolean; style: TimeStyle }

interface LsItem { name: string; st: LsStat }

function formatLong(items: LsItem[], o: LsOpts, now: number): string {
  const owner = (st: LsStat): string => (o.numeric ? String(st.uid) : USER_NAMES[st.uid] ?? String(st.uid));
  const group = (st: LsStat): string => (o.numeric ? String(st.gid) : USER_NAMES[st.gid] ?? String(st.gid));
  let nlinkW = 0, ownerW = 0, groupW = 0, sizeW = 0, majW = 0, minW = 0;
  for (const { st } of items) {
    nlinkW = Math.max(nlinkW, String(st.nlink).length);
    ownerW = Math.max(ownerW, owner(st).length);
    groupW = Math.max(groupW, group(st).length);
    if (st.rdev) {
      majW = Math.max(majW, String(st.rdev[0]).length);
      minW = Math.max(minW, String(st.rdev[1]).length);
      sizeW = Math.max(sizeW, majW + 2 + minW);
    } else sizeW = Math.max(sizeW, String(st.size).length);
  }
  let out = '';
  for (const { name, st } of items) {
    let line = `${st.type}${st.perm} ${String(st.nlink).padStart(nlinkW)} `;
    if (!o.noOwner) line += `${owner(st).padEnd(ownerW)} `;
    if (!o.noGroup) line += `${group(st).padEnd(groupW)} `;
    if (st.rdev) line += `${String(st.rdev[0]).padStart(sizeW - minW - 2)}, ${String(st.rdev[1]).padStart(minW)} `;
    else line += `${String(st.size).padStart(sizeW)} `;
    line += `${lsDate(o.style, st.mtime, now)} ${name}`;
    if (st.type === 'l' && st.target !== undefined) line += ` -> ${st.target}`;
    out += line + '\n';
  }
  return out;
}

function lsUsageError(ctx: ToolCtx, msg: string): number {
  ctx.err(`ls: ${msg}\nTry 'ls --help' for more information.\n`);
  return 2;
}

export const lsTool: Tool = (ctx) => {
  const fs = ctx.fs;
  const o: LsOpts = { long: false, all: false, almostAll: false, dirAsFile: false, numeric: false,
    noOwner: false, noGroup: false, style: TIME_STYLES['locale']! };
  const paths: string[] = [];
  const argv = ctx.argv.slice(1);
  let endOpts = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (endOpts || a === '-' || !a.startsWith('-')) { paths.push(a); continue; }
    if (a === '--') { endOpts = true; continue; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const longs = ['all', 'almost-all', 'directory', 'full-time', 'time-style', 'numeric-uid-gid', 'color', 'colour'];
      const hits = longs.filter((l) => l.startsWith(name));
      const opt = longs.includes(name) ? name : hits.length === 1 ? hits[0]! : null;
      if (opt === null) {
        return lsUsageError(ctx, hits.length > 1 ? `option '${a}' is ambiguous` : `unrecognized option '${a}'`);
      }
      if (opt === 'all') o.all = true;
      else if (opt === 'almost-all') o.almostAll = true;
      else if (opt === 'directory') o.dirAsFile = true;
      else if (opt === 'numeric-uid-gid') { o.numeric = true; o.long = true; }
      else if (opt === 'full-time') { o.long = true; o.style = TIME_STYLES['full-iso']!; }
      else if (opt === 'time-style') {
        const v: string | undefined = eq < 0 ? argv[++i] : a.slice(eq + 1);
        if (v === undefined) return lsUsageError(ctx, `option '--time-style' requires an argument`);
        const st = parseTimeStyle(v);
        if (!st) {
          ctx.err(`ls: invalid argument '${v}' for 'time style'\nValid arguments are:\n  - [posix-]full-iso\n` +
            '  - [posix-]long-iso\n  - [posix-]iso\n  - [posix-]locale\n  - +FORMAT (e.g., +%H:%M) for a \'date\'-style format\n' +
            'Usage: ls [OPTION]... [FILE]...\nTry \'ls --help\' for more information.\n');
          return 2;
        }
        o.style = st;
      }
      continue;
    }
    for (const f of a.slice(1)) {
      if (f === 'l') o.long = true;
      else if (f === 'a') o.all = true;
      else if (f === 'A') o.almostAll = true;
      else if (f === 'd') o.dirAsFile = true;
      else if (f === 'n') { o.numeric = true; o.long = true; }
      else if (f === 'g') { o.noOwner = true; o.long = true; }
      else if (f === 'o') { o.noGroup = true; o.long = true; }
      else if (f === '1' || f === 'U' || f === 'f' || f === 'H' || f === 'L') { /* one per line is the default into a pipe */ }
      else return lsUsageError(ctx, `invalid option -- '${f}'`);
    }
  }
  const explicit = paths.length;
  if (!paths.length) paths.push('.');
  const netns = ctx.io.netns;
  const cwd = ctx.io.env?.get('PWD') ?? '/';
  const abs = (p: string): string => normPath(p.startsWith('/') ? p : `${cwd}/${p}`);
  const now = ctx.lab.clock.now;
  let status = 0;
  const files: LsItem[] = [];
  const dirs: { name: string; path: string }[] = [];
  for (const raw of paths) {
    const p = abs(raw);
    const st = lsStat(ctx, p, raw);
    if (!st) {
      ctx.err(`ls: cannot access '${raw}': No such file or directory\n`);
      status = 2;
      continue;
    }
    // A symlink operand is followed into its directory in short format only (-l shows the link).
    const isDir = st.type === 'd' || (st.type === 'l' && !o.long && fs.list(netns, p).ok);
    if (isDir && !o.dirAsFile) dirs.push({ name: raw, path: p });
    else files.push({ name: raw, st });
  }
  const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  files.sort(byName);
  dirs.sort(byName);
  let out = '';
  if (files.length) out += o.long ? formatLong(files, o, now) : files.map((f) => f.name + '\n').join('');
  let first = !files.length;
  for (const d of dirs) {
    if (explicit > 1) {
      if (!first) out += '\n';
      out += `${d.name}:\n`;
    }
    first = false;
    const l = fs.list(netns, d.path);
    if (!l.ok) { ctx.err(`ls: cannot open directory '${d.name}': ${l.message}\n`); status = 2; continue; }
    let names = [...l.value];
    if (o.all) names.push('.', '..');
    if (!o.all && !o.almostAll) names = names.filter((n) => !n.startsWith('.'));
    names.sort();
    if (!o.long) { out += names.map((n) => n + '\n').join(''); continue; }
    const items: LsItem[] = [];
    for (const n of names) {
      const child = n === '.' ? d.path : n === '..' ? (d.path.slice(0, d.path.lastIndexOf('/')) || '/') : (d.path === '/' ? '' : d.path) + '/' + n;
      const st = lsStat(ctx, child, n);
      if (st) items.push({ name: n, st });
    }
    out += `total ${items.reduce((s, x) => s + x.st.blocks, 0)}\n`;
    out += formatLong(items, o, now);
  }
  ctx.out(out);
  return status;
};

function inputOf(ctx: ToolCtx, files: string[]): { text: string; status: number } {
  if (!files.length) return { text: ctx.io.stdin, status: 0 };
  const fs = ctx.fs;
  let text = '';
  let status = 0;
  for (const f of files) {
    const r = fs?.read(ctx.io.netns, f);
    if (r && r.ok) text += r.value;
    else { ctx.err(`${ctx.argv[0]}: ${f}: No such file or directory\n`); status = 2; }
  }
  return { text, status };
}

function lines(text: string): string[] {
  if (!text) return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

export const grepTool: Tool = (ctx) => {
  let ere = ctx.argv[0] === 'egrep';
  let invert = false, icase = false, count = false, quiet = false, word = false, onlyMatch = false, fixed = false, lineNum = false;
  const patterns: string[] = [];
  const files: string[] = [];
  const a = ctx.argv.slice(1);
  let endOpts = false;
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (!endOpts && w === '--') { endOpts = true; continue; }
    if (!endOpts && w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const f = w[j]!;
        if (f === 'v') invert = true; else if (f === 'i') icase = true; else if (f === 'c') count = true;
        else if (f === 'q') quiet = true; else if (f === 'w') word = true; else if (f === 'o') onlyMatch = true;
        else if (f === 'F') fixed = true; else if (f === 'n') lineNum = true; else if (f === 'E') ere = true; else if (f === 's') { /* no messages: nothing to suppress */ }
        else if (f === 'e') { patterns.push(w.slice(j + 1) || a[++i] || ''); break; }
        else { ctx.err(`grep: invalid option -- '${f}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`); return 2; }
      }
      continue;
    }
    if (!patterns.length) patterns.push(w); else files.push(w);
  }
  if (!patterns.length) { ctx.err('Usage: grep [OPTION]... PATTERNS [FILE]...\nTry \'grep --help\' for more information.\n'); return 2; }
  const { text, status } = inputOf(ctx, files);
  let res: RegExp[];
  try {
    res = patterns.map((p) => {
      let src = fixed ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : (ere ? p : breToEre(p)).replace(/\\</g, '\\b').replace(/\\>/g, '\\b');
      if (word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
      return new RegExp(src, icase ? 'gi' : 'g');
    });
  } catch {
    ctx.err('grep: Unmatched ( or \\(\n');
    return 2;
  }
  let n = 0;
  let out = '';
  lines(text).forEach((line, idx) => {
    const hit = res.some((r) => { r.lastIndex = 0; return r.test(line); });
    if (hit === invert) return;
    n++;
    if (count || quiet) return;
    const prefix = lineNum ? `${idx + 1}:` : '';
    if (onlyMatch && !invert) {
      for (const r of res) { r.lastIndex = 0; for (const m of line.matchAll(r)) if (m[0]) out += prefix + m[0] + '\n'; }
    } else out += prefix + line + '\n';
  });
  if (count) out = `${n}\n`;
  if (!quiet) ctx.out(out);
  return status || (n ? 0 : 1);
};

/** POSIX basic regex → JavaScript: \| \( \) \{ \} \+ \? are the operators, bare ones are literal. */
function breToEre(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) {
      const n = p[i + 1]!;
      if ('|(){}+?'.includes(n)) { out += n; i++; continue; }
      out += c + n; i++; continue;
    }
    if ('|(){}+?'.includes(c)) { out += '\\' + c; continue; }
    out += c;
  }
  return out;
}

function numOpt(ctx: ToolCtx, dflt: number): { n: number; files: string[]; fromStart: boolean } {
  let n = dflt; let fromStart = false;
  const files: string[] = [];
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (w === '-n' || w === '-c') { const v = a[++i] ?? ''; fromStart = v.startsWith('+'); n = Math.abs(parseInt(v, 10)); }
    else if (/^-n?\d+$/.test(w)) n = parseInt(w.replace(/^-n?/, ''), 10);
    else files.push(w);
  }
  return { n, files, fromStart };
}

export const headTool: Tool = (ctx) => {
  const bytes = headBytesOpt(ctx);
  if (bytes === 'error') return 1;
  if (bytes) return headBytes(ctx, bytes.n, bytes.allBut, bytes.files);
  const { n, files } = numOpt(ctx, 10);
  const { text, status } = inputOf(ctx, files);
  ctx.out(lines(text).slice(0, n).map((l) => l + '\n').join(''));
  return status;
};

/** head -c [-]N / --bytes=[-]N (with coreutils' size suffixes); undefined when not counting bytes. */
function headBytesOpt(ctx: ToolCtx): { n: number; allBut: boolean; files: string[] } | undefined | 'error' {
  const a = ctx.argv.slice(1);
  let spec: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (w === '-c' || w === '--bytes') spec = a[++i] ?? '';
    else if (w.startsWith('--bytes=')) spec = w.slice(8);
    else if (/^-c./.test(w)) spec = w.slice(2);
    else if (w === '-n') i++;
    else files.push(w);
  }
  if (spec === undefined) return undefined;
  const m = /^(-?)(\d+)(b|kB|K|KiB|MB|M|MiB|GB|G|GiB)?$/.exec(spec);
  if (!m) { ctx.err(`head: invalid number of bytes: '${spec}'\n`); return 'error'; }
  const mult: Record<string, number> = { '': 1, b: 512, kB: 1000, K: 1024, KiB: 1024, MB: 1e6, M: 1048576, MiB: 1048576, GB: 1e9, G: 1073741824, GiB: 1073741824 };
  return { n: Number(m[2]) * mult[m[3] ?? '']!, allBut: m[1] === '-', files };
}

/**
 * head -c: the first N bytes. From a frame device (/dev/tapN) every read() returns one frame (cut to
 * what is still wanted), so head blocks until enough frames have arrived.
 */
function headBytes(ctx: ToolCtx, n: number, allBut: boolean, files: string[]): number | 'async' {
  const f = files[0];
  const st = f !== undefined && files.length === 1 && !allBut ? ctx.fs.openStream?.(ctx.io.netns, f, () => !ctx.io.exited) : null;
  if (st) {
    if (!st.ok) { ctx.err(`head: cannot open '${f}' for reading: ${st.message}\n`); return 1; }
    if (n === 0) { st.value.close(); return 0; }
    const stream = st.value;
    let left = n;
    const done = (status: number): void => { stream.onRead(null); stream.close(); ctx.io.exit(status); };
    stream.onRead((frame) => {
      if (left <= 0) return;
      const part = frame.length > left ? frame.subarray(0, left) : frame;
      left -= part.length;
      ctx.out(latin1(part));
      if (left === 0) done(0);
    });
    ctx.io.onSignal(() => { stream.onRead(null); stream.close(); });
    return 'async';
  }
  const { text, status } = inputOf(ctx, files);
  ctx.out(allBut ? text.slice(0, Math.max(0, text.length - n)) : text.slice(0, n));
  return status;
}

export const tailTool: Tool = (ctx) => {
  const { n, files, fromStart } = numOpt(ctx, 10);
  const { text, status } = inputOf(ctx, files);
  const l = lines(text);
  ctx.out((fromStart ? l.slice(Math.max(0, n - 1)) : l.slice(Math.max(0, l.length - n))).map((x) => x + '\n').join(''));
  return status;
};

export const wcTool: Tool = (ctx) => {
  const flags = ctx.argv.slice(1).filter((a) => a.startsWith('-')).join('');
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const { text, status } = inputOf(ctx, files);
  const l = (text.match(/\n/g) ?? []).length;
  const w = text.split(/\s+/).filter(Boolean).length;
  const c = new TextEncoder().encode(text).length;
  const parts: number[] = [];
  if (!flags || flags.includes('l')) parts.push(l);
  if (!flags || flags.includes('w')) parts.push(w);
  if (!flags || flags.includes('c') || flags.includes('m')) parts.push(c);
  const width = parts.length === 1 ? 0 : 7;
  ctx.out(parts.map((p) => String(p).padStart(width)).join(' ') + (files.length ? ' ' + files[0] : '') + '\n');
  return status;
};

export const sortTool: Tool = (ctx) => {
  const flags = ctx.argv.slice(1).filter((a) => a.startsWith('-')).join('');
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const { text, status } = inputOf(ctx, files);
  let l = lines(text);
  if (flags.includes('n')) l.sort((a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0));
  else l.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (flags.includes('r')) l.reverse();
  if (flags.includes('u')) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
  ctx.out(l.map((x) => x + '\n').join(''));
  return status;
};

export const uniqTool: Tool = (ctx) => {
  const { text, status } = inputOf(ctx, ctx.argv.slice(1).filter((a) => !a.startsWith('-')));
  const l = lines(text);
  ctx.out(l.filter((x, i) => i === 0 || x !== l[i - 1]).map((x) => x + '\n').join(''));
  return status;
};

/** dmesg: the lab's kernel log (storm-guard reports and the like), with [seconds] stamps. */
export const dmesgTool: Tool = (ctx) => {
  let out = '';
  for (const m of ctx.lab.kmsg) out += `[${(m.time / 1e9).toFixed(6).padStart(12)}] ${m.text}\n`;
  ctx.out(out);
  return 0;
};
