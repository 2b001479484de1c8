/**
 * `ip tuntap` / `ip tap` (ip/iptuntap.c, iproute2 6.1) and the "tun" kind's `ip -d link` printer.
 *
 * add/del are ioctls on a fresh /dev/net/tun, not netlink: errors read `ioctl(TUNSETIFF): Device
 * or resource busy` (exit 1). `show` ignores its arguments (no filtering by dev or mode in 6.1) and
 * lists every tun/tap of the namespace in dump order as `NAME: tap|tun [pi] [one_queue]
 * [multi_queue] [vnet_hdr] [persist] [filter] [user N] [group N]` — `filter` appears exactly when
 * `pi` does, because IFF_NOFILTER and IFF_NO_PI are the same bit.
 */
import { strerror } from '../../core/errno.ts';
import { ARPHRD_ETHER, ARPHRD_NONE, type NetDevice } from '../../core/netdev.ts';
import {
  IFF_MULTI_QUEUE, IFF_NO_PI, IFF_NOFILTER, IFF_ONE_QUEUE, IFF_PERSIST, IFF_TAP, IFF_TUN, IFF_TUN_EXCL,
  IFF_VNET_HDR, TUN_TYPE_MASK, tunFlags, tunOpen, tunPriv,
} from '../../core/drivers/tun.ts';
import type { KindData } from '../../core/rtnl.ts';
import type { IpCtx } from './common.ts';
import type { Printer } from './print.ts';
import { cHex0x } from './print.ts';
import { IpExit, checkIfname, devicesInOrder, duparg2, incomplete, invarg, matches } from './util.ts';
import { KIND_PRINTERS } from './kinds.ts';

function usage(c: IpCtx): never {
  c.err(
    'Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]\n' +
    '       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]\n' +
    '       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]\n' +
    '\n' +
    'Where: USER  := { STRING | NUMBER }\n' +
    '       GROUP := { STRING | NUMBER }\n');
  throw new IpExit(255);
}

// ---------------------------------------------------------------------------------------------
// The user and group databases (getpwnam/getgrnam, getpwuid/getgrgid): the lab's /etc/passwd and
// /etc/group when a script wrote them, else Debian 12's base-passwd entries.

const DEBIAN_USERS: [string, number][] = [
  ['root', 0], ['daemon', 1], ['bin', 2], ['sys', 3], ['sync', 4], ['games', 5], ['man', 6], ['lp', 7],
  ['mail', 8], ['news', 9], ['uucp', 10], ['proxy', 13], ['www-data', 33], ['backup', 34], ['list', 38],
  ['irc', 39], ['_apt', 42], ['nobody', 65534],
];
const DEBIAN_GROUPS: [string, number][] = [
  ['root', 0], ['daemon', 1], ['bin', 2], ['sys', 3], ['adm', 4], ['tty', 5], ['disk', 6], ['lp', 7],
  ['mail', 8], ['news', 9], ['uucp', 10], ['man', 12], ['proxy', 13], ['kmem', 15], ['dialout', 20],
  ['fax', 21], ['voice', 22], ['cdrom', 24], ['floppy', 25], ['tape', 26], ['sudo', 27], ['audio', 29],
  ['dip', 30], ['www-data', 33], ['backup', 34], ['operator', 37], ['list', 38], ['irc', 39], ['src', 40],
  ['shadow', 42], ['utmp', 43], ['video', 44], ['sasl', 45], ['plugdev', 46], ['staff', 50], ['games', 60],
  ['users', 100], ['nogroup', 65534],
];

function nameDb(c: IpCtx, file: '/etc/passwd' | '/etc/group'): [string, number][] {
  const r = c.tool.fs?.read(c.tool.io?.netns ?? '', file);
  if (!r || !r.ok) return file === '/etc/passwd' ? DEBIAN_USERS : DEBIAN_GROUPS;
  const out: [string, number][] = [];
  for (const line of r.value.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && f[0] && /^\d+$/.test(f[2]!)) out.push([f[0], Number(f[2])]);
  }
  return out;
}

export function lookupUserName(c: IpCtx, uid: number): string | undefined {
  return nameDb(c, '/etc/passwd').find((e) => e[1] === uid)?.[0];
}
export function lookupGroupName(c: IpCtx, gid: number): string | undefined {
  return nameDb(c, '/etc/group').find((e) => e[1] === gid)?.[0];
}

/** `strtol(s, &end, 10)` with `!*end`, the result stored in a uid_t/gid_t; null if not a number. */
function strtolId(s: string): number | null {
  if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(s)) return null;
  let v = BigInt(s.trim());
  const LONG_MAX = (1n << 63n) - 1n, LONG_MIN = -(1n << 63n);
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < LONG_MIN) v = LONG_MIN;
  return Number(BigInt.asUintN(32, v));
}

// ---------------------------------------------------------------------------------------------
// add / del

interface TuntapReq { name: string; flags: number; uid: number; gid: number }

const NO_ID = 0xffffffff;

function parseArgs(c: IpCtx, argv: string[], withIds: boolean): TuntapReq | null {
  const req: TuntapReq = { name: '', flags: IFF_NO_PI, uid: NO_ID, gid: NO_ID };
  let i = 0;
  const next = (): string => {
    i++;
    if (i >= argv.length) incomplete(c);
    return argv[i]!;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (matches(a, 'mode')) {
      const m = next();
      if (matches(m, 'tun')) {
        if (req.flags & IFF_TAP) { c.err('You managed to ask for more than one tunnel mode.\n'); throw new IpExit(255); }
        req.flags |= IFF_TUN;
      } else if (matches(m, 'tap')) {
        if (req.flags & IFF_TUN) { c.err('You managed to ask for more than one tunnel mode.\n'); throw new IpExit(255); }
        req.flags |= IFF_TAP;
      } else {
        c.err(`Unknown tunnel mode "${m}"\n`);
        throw new IpExit(255);
      }
    } else if (withIds && matches(a, 'user')) {
      const v = next();
      const n = strtolId(v);
      if (n !== null) req.uid = n;
      else {
        const e = nameDb(c, '/etc/passwd').find((x) => x[0] === v);
        if (!e) { c.err(`invalid user "${v}"\n`); throw new IpExit(255); }
        req.uid = e[1];
      }
    } else if (withIds && matches(a, 'group')) {
      const v = next();
      const n = strtolId(v);
      if (n !== null) req.gid = n;
      else {
        const e = nameDb(c, '/etc/group').find((x) => x[0] === v);
        if (!e) { c.err(`invalid group "${v}"\n`); throw new IpExit(255); }
        req.gid = e[1];
      }
    } else if (matches(a, 'pi')) {
      req.flags &= ~IFF_NO_PI;
    } else if (matches(a, 'one_queue')) {
      req.flags |= IFF_ONE_QUEUE;
    } else if (matches(a, 'vnet_hdr')) {
      req.flags |= IFF_VNET_HDR;
    } else if (matches(a, 'multi_queue')) {
      req.flags |= IFF_MULTI_QUEUE;
    } else if (matches(a, 'dev')) {
      const v = next();
      if (!checkIfname(v)) invarg(c, '"dev" not a valid ifname', v);
      req.name = v;
    } else {
      let v = a;
      if (matches(a, 'name')) v = next();
      else if (matches(a, 'help')) usage(c);
      if (req.name) duparg2(c, 'name', v);
      if (!checkIfname(v)) invarg(c, '"name" not a valid ifname', v);
      req.name = v;
    }
  }
  if (!(req.flags & TUN_TYPE_MASK)) {
    c.err('You failed to specify a tunnel mode\n');
    return null;
  }
  return req;
}

function ioctlFail(c: IpCtx, call: string, errno: number): number {
  c.err(`ioctl(${call}): ${errno === 77 ? 'File descriptor in bad state' : strerror(errno)}\n`);
  return 1;
}

/** tap_add_ioctl: TUNSETIFF(…|IFF_TUN_EXCL), TUNSETOWNER, TUNSETGROUP, TUNSETPERSIST(1), close. */
function doAdd(c: IpCtx, argv: string[]): number {
  const req = parseArgs(c, argv, true);
  if (!req) return 1;
  const f = tunOpen(c.lab, c.ns);
  try {
    const r = f.setIff(req.name, req.flags | IFF_TUN_EXCL);
    if (!r.ok) return ioctlFail(c, 'TUNSETIFF', r.errno);
    if (req.uid !== NO_ID) {
      const o = f.setOwner(req.uid);
      if (!o.ok) return ioctlFail(c, 'TUNSETOWNER', o.errno);
    }
    if (req.gid !== NO_ID) {
      const g = f.setGroup(req.gid);
      if (!g.ok) return ioctlFail(c, 'TUNSETGROUP', g.errno);
    }
    const p = f.setPersist(true);
    if (!p.ok) return ioctlFail(c, 'TUNSETPERSIST', p.errno);
    return 0;
  } finally {
    f.close();
  }
}

/** tap_del_ioctl: TUNSETIFF, TUNSETPERSIST(0), close (which unregisters the device). */
function doDel(c: IpCtx, argv: string[]): number {
  const req = parseArgs(c, argv, false);
  if (!req) return 1;
  const f = tunOpen(c.lab, c.ns);
  try {
    const r = f.setIff(req.name, req.flags);
    if (!r.ok) return ioctlFail(c, 'TUNSETIFF', r.errno);
    const p = f.setPersist(false);
    if (!p.ok) return ioctlFail(c, 'TUNSETPERSIST', p.errno);
    return 0;
  } finally {
    f.close();
  }
}

// ---------------------------------------------------------------------------------------------
// show

function printFlags(p: Printer, flags: number): void {
  p.openArray('json', 'flags');
  const word = (w: string): void => p.string('any', null, ` ${w}`, w);
  if (flags & IFF_TUN) word('tun');
  if (flags & IFF_TAP) word('tap');
  if (!(flags & IFF_NO_PI)) word('pi');
  if (flags & IFF_ONE_QUEUE) word('one_queue');
  if (flags & IFF_MULTI_QUEUE) word('multi_queue');
  if (flags & IFF_VNET_HDR) word('vnet_hdr');
  if (flags & IFF_PERSIST) word('persist');
  if (!(flags & IFF_NOFILTER)) word('filter');
  const rest = flags & ~(IFF_TUN | IFF_TAP | IFF_NO_PI | IFF_ONE_QUEUE | IFF_MULTI_QUEUE | IFF_VNET_HDR |
    IFF_PERSIST | IFF_NOFILTER);
  if (rest) p.string('any', null, ` ${cHex0x(rest)}`, cHex0x(rest));
  p.closeArray('json', null);
}

function printTuntap(c: IpCtx, dev: NetDevice): void {
  const t = tunPriv(dev);
  if (!t || (dev.type !== ARPHRD_ETHER && dev.type !== ARPHRD_NONE)) return;
  const p = c.p;
  p.openObject(null);
  p.string('any', 'ifname', p.col('ifname', `${dev.name}:`), dev.name);
  printFlags(p, tunFlags(t));
  if (t.owner !== -1) p.num('any', 'user', ` user ${t.owner}`, t.owner);
  if (t.group !== -1) p.num('any', 'group', ` group ${t.group}`, t.group);
  if (c.opts.details) {
    p.fp(`${p.sl}\tAttached to processes:`);
    // show_processes walks /proc/*/fd in pid order for files whose fdinfo says `iff: NAME`.
    p.openArray('json', 'processes');
    const procs = t.queues.map((q) => q.process).filter((x): x is NonNullable<typeof x> => x !== null)
      .sort((a, b) => a.pid - b.pid);
    for (const pr of procs) {
      p.string('any', 'name', pr.comm, pr.comm);
      p.num('any', 'pid', `(${pr.pid})`, pr.pid);
    }
    p.closeArray('json', null);
  }
  p.closeObject();
  p.fp('\n');
}

function doShow(c: IpCtx): number {
  c.p.newJsonObj();
  for (const dev of devicesInOrder(c.ns)) printTuntap(c, dev);
  c.p.deleteJsonObj();
  return 0;
}

/** do_iptuntap */
export function doIptuntap(c: IpCtx, argv: string[]): number {
  if (argv.length > 0) {
    const w = argv[0]!;
    if (matches(w, 'add')) return doAdd(c, argv.slice(1));
    if (matches(w, 'delete')) return doDel(c, argv.slice(1));
    if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return doShow(c);
    if (matches(w, 'help')) usage(c);
  } else return doShow(c);
  c.err(`Command "${argv[0]}" is unknown, try "ip tuntap help".\n`);
  throw new IpExit(255);
}

// ---------------------------------------------------------------------------------------------
// `ip -d link` for kind "tun" (tun_print_opt).

export function printTunOpt(p: Printer, d: KindData, c: IpCtx): void {
  if (d['type'] !== undefined) {
    const type = d['type'] as number;
    const s = type === IFF_TUN ? 'tun' : type === IFF_TAP ? 'tap' : `UNKNOWN:${type}`;
    p.string('any', 'type', `type ${s} `, s);
  }
  if (d['pi'] !== undefined) p.onOff('any', 'pi', (v) => `pi ${v} `, d['pi'] as boolean);
  if (d['vnetHdr'] !== undefined) p.onOff('any', 'vnet_hdr', (v) => `vnet_hdr ${v} `, d['vnetHdr'] as boolean);
  if (!d['multiQueue']) {
    if (p.isJson) p.bool('json', 'multi_queue', '', false);
  } else {
    p.bool('any', 'multi_queue', 'multi_queue ', true);
    if (d['numQueues'] !== undefined) p.num('any', 'numqueues', `numqueues ${d['numQueues']} `, d['numQueues'] as number);
    if (d['numDisabledQueues'] !== undefined) {
      p.num('any', 'numdisabled', `numdisabled ${d['numDisabledQueues']} `, d['numDisabledQueues'] as number);
    }
  }
  if (d['persist'] !== undefined) p.onOff('any', 'persist', (v) => `persist ${v} `, d['persist'] as boolean);
  if (d['owner'] !== undefined) {
    const uid = d['owner'] as number;
    const n = lookupUserName(c, uid);
    if (n !== undefined) p.string('any', 'user', `user ${n} `, n); else p.num('any', 'user', `user ${uid} `, uid);
  }
  if (d['group'] !== undefined) {
    const gid = d['group'] as number;
    const n = lookupGroupName(c, gid);
    if (n !== undefined) p.string('any', 'group', `group ${n} `, n); else p.num('any', 'group', `group ${gid} `, gid);
  }
}

// The "tun" link_util's print_opt joins the kind printers (iproute2 links it in the same way).
KIND_PRINTERS['tun'] ??= printTunOpt;
