/**
 * `ip neigh` (ip/ipneigh.c) over the core's ARP table: add/change/replace/del with neigh_add's
 * checks, show/flush with the NUD filters, get.
 */
import { Errno, err as nlErr } from '../../core/errno.ts';
import {
  NTF_PROXY, NTF_ROUTER, NUD_FAILED, NUD_INCOMPLETE, NUD_NAMES, NUD_NOARP, NUD_NONE, NUD_PERMANENT, NUD_VALID,
  type Neighbour,
} from '../../core/ipv4/neighbour.ts';
import { NS_PER_SEC } from '../../core/clock.ts';
import type { NetDevice } from '../../core/netdev.ts';
import type { NetNamespace } from '../../core/netns.ts';
import type { IpCtx } from './common.ts';
import {
  AF_INET, AF_INET6, AF_UNSPEC, Args, duparg, duparg2, fail, getAddr, getPrefix, invarg, ipv4Str, llAddrA2n,
  llNameToIndex, macStr, matches, nodev, rtprotA2n, IpExit, type InetPrefix,
} from './util.ts';

function usage(c: IpCtx): never {
  c.err(
    'Usage: ip neigh { add | del | change | replace }\n' +
    '                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }\n' +
    '                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]\n' +
    '                [ protocol PROTO ]\n' +
    '\n' +
    '\tip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]\n' +
    '\t\t\t\t  [ vrf NAME ] [ nomaster ]\n' +
    '\tip neigh get { ADDR | proxy ADDR } dev DEV\n' +
    '\n' +
    'STATE := { delay | failed | incomplete | noarp | none |\n' +
    '           permanent | probe | reachable | stale }\n');
  throw new IpExit(255);
}

/** nud_state_a2n */
function nudA2n(arg: string): number | null {
  const tab: [string, number][] = [
    ['permanent', NUD_PERMANENT], ['reachable', 0x02], ['noarp', NUD_NOARP], ['none', NUD_NONE],
    ['stale', 0x04], ['incomplete', NUD_INCOMPLETE], ['delay', 0x08], ['probe', 0x10], ['failed', NUD_FAILED],
  ];
  for (const [n, v] of tab) if (matches(arg, n)) return v;
  const m = /^(0x[0-9a-fA-F]+|\d+)$/.exec(arg);
  if (m) { const v = Number(arg); if (v <= 255) return v; }
  return null;
}

/** Proxy entries (pneigh): kept per namespace; the core has no pneigh table. */
const proxies = new WeakMap<NetNamespace, { ip: number; dev: NetDevice | null }[]>();
function proxyList(ns: NetNamespace): { ip: number; dev: NetDevice | null }[] {
  let l = proxies.get(ns);
  if (!l) { l = []; proxies.set(ns, l); }
  return l.filter((p) => !p.dev || p.dev.netns === ns);
}

type NeighCmd = 'add' | 'change' | 'replace' | 'delete';

function modify(c: IpCtx, cmd: NeighCmd, argv: string[]): number {
  const a = new Args(argv, c);
  let state = NUD_PERMANENT;
  let flags = 0;
  let dev: string | undefined;
  let devOk = false, dstOk = false;
  let lla: string | undefined;
  let dst: InetPrefix | undefined;
  const family = c.opts.family;
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'lladdr')) {
      const v = a.next();
      if (lla !== undefined) duparg(c, 'lladdr', v);
      lla = v;
    } else if (w === 'nud') {
      const v = a.next();
      const s = nudA2n(v);
      if (s === null) invarg(c, 'nud state is bad', v);
      state = s;
    } else if (matches(w, 'proxy')) {
      const v = a.next();
      if (matches(v, 'help')) usage(c);
      if (dstOk) duparg(c, 'address', v);
      dst = getAddr(c, v, family);
      dstOk = true; devOk = true;
      flags |= NTF_PROXY;
    } else if (w === 'router') {
      flags |= NTF_ROUTER;
    } else if (w === 'use') {
      flags |= 0x01;
    } else if (w === 'managed') {
      state = NUD_NONE;
    } else if (matches(w, 'extern_learn')) {
      flags |= 0x10;
    } else if (w === 'dev') {
      dev = a.next();
      devOk = true;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      if (rtprotA2n(v) === null) invarg(c, '"protocol" value is invalid\n', v);
    } else {
      let v = w;
      if (v === 'to') v = a.next();
      if (matches(v, 'help')) v = a.next();
      if (dstOk) duparg2(c, 'to', v);
      dst = getAddr(c, v, family);
      dstOk = true;
    }
    a.step();
  }
  if (!devOk || !dstOk || !dst || dst.family === AF_UNSPEC) {
    fail(c, 'Device and destination are required arguments.\n', 255);
  }
  let ll: Uint8Array | null = null;
  if (lla !== undefined && lla !== 'null') {
    ll = llAddrA2n(c, lla, 20);
    if (!ll) throw new IpExit(1);
  }
  let d: NetDevice | undefined;
  if (dev !== undefined) {
    const idx = llNameToIndex(c.ns, dev);
    if (!idx) nodev(c, dev);
    d = c.ns.byIndex.get(idx);
    if (!d) c.kernelFail(nlErr(Errno.ENODEV), 2);
  }
  if (dst.family === AF_INET6) c.kernelFail(nlErr(Errno.EAFNOSUPPORT), 2);
  const ip = dst.v4 >>> 0;
  const ns = c.ns;
  if (flags & NTF_PROXY) {
    const list = proxies.get(ns) ?? [];
    proxies.set(ns, list);
    const i = list.findIndex((p) => p.ip === ip && p.dev === (d ?? null));
    if (cmd === 'delete') {
      if (i < 0) c.kernelFail(nlErr(Errno.ENOENT), 2);
      list.splice(i, 1);
    } else if (i < 0) list.push({ ip, dev: d ?? null });
    else if (cmd === 'add') c.kernelFail(nlErr(Errno.EEXIST), 2);
    return 0;
  }
  if (!d) c.kernelFail(nlErr(Errno.EINVAL), 2);
  if (cmd === 'delete') {
    const n = ns.arp.get(d, ip);
    if (!n) c.kernelFail(nlErr(Errno.ENOENT), 2);
    ns.arp.remove(n);
    return 0;
  }
  if (ll && ll.length < 6) c.kernelFail(nlErr(Errno.EINVAL, 'Invalid link address'), 2);
  let n = ns.arp.get(d, ip);
  if (!n) {
    if (cmd === 'change') c.kernelFail(nlErr(Errno.ENOENT), 2);
    // neigh_add: PERMANENT entries are exempt from the table's limit; others may find it full.
    const made = ns.arp.create(d, ip, state === NUD_PERMANENT);
    if (!made) c.kernelFail(nlErr(Errno.ENOBUFS), 2);
    n = made;
  } else if (cmd === 'add') {
    c.kernelFail(nlErr(Errno.EEXIST), 2);
  }
  if (flags & NTF_ROUTER) n.flags |= NTF_ROUTER;
  else if (cmd === 'replace') n.flags &= ~NTF_ROUTER;
  if (flags & 0x01) {
    ns.arp.eventSend(n, null);
    return 0;
  }
  if (!(state & NUD_VALID)) {
    ns.arp.update(n, null, state, { admin: true, override: true });
    return 0;
  }
  if (!ll) {
    if (!(n.state & NUD_VALID) || !n.lladdr) c.kernelFail(nlErr(Errno.EINVAL, 'No link layer address given'), 2);
    ll = n.lladdr;
  }
  ns.arp.update(n, ll.subarray(0, 6), state, { admin: true, override: true });
  if (state === 0x04 /* STALE */) n.confirmed = c.lab.clock.now - 2 * 30 * NS_PER_SEC;
  return 0;
}

interface NeighFilter {
  family: number;
  index: number;
  state: number;
  pfx?: InetPrefix;
  proxy: boolean;
  master: number;
  unused: boolean;
}

function passes(f: NeighFilter, n: Neighbour): boolean {
  if (f.family && f.family !== AF_INET) return false;
  if (f.index && n.dev.ifindex !== f.index) return false;
  if (f.master > 0 && n.dev.master?.ifindex !== f.master) return false;
  if (f.master === -1 && n.dev.master) return false;
  if (!(f.state & n.state) && (n.state || !(f.state & 0x100))) return false;
  if (f.pfx && f.pfx.family && f.pfx.bitlen > 0) {
    const bits = f.pfx.bitlen;
    const mask = bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
    if (((n.ip ^ f.pfx.v4) & mask) !== 0) return false;
  }
  if (f.unused && refcnt(n) > 0) return false;
  return true;
}

function refcnt(n: Neighbour): number { return n.timer && n.timer.pending ? 1 : 0; }

function printNeigh(c: IpCtx, n: Neighbour, f: NeighFilter): void {
  const p = c.p;
  p.openObject(null);
  const dst = ipv4Str(n.ip);
  if (c.opts.brief) {
    p.string('any', 'dst', `${dst.padEnd(39, ' ')} `, dst);
    if (!f.index) p.string('any', 'dev', `${n.dev.name.padEnd(16, ' ')} `, n.dev.name);
    if (n.lladdr && n.state & NUD_VALID) p.string('any', 'lladdr', macStr(n.lladdr), macStr(n.lladdr));
    p.fp('\n');
    p.closeObject();
    return;
  }
  p.string('any', 'dst', `${dst} `, dst);
  if (!f.index) { p.fp('dev '); p.string('any', 'dev', `${n.dev.name} `, n.dev.name); }
  if (n.lladdr && n.state & NUD_VALID) {
    p.fp('lladdr ');
    p.string('any', 'lladdr', `${macStr(n.lladdr)} `, macStr(n.lladdr));
  }
  if (n.flags & NTF_ROUTER) p.null('any', 'router', 'router ');
  if (n.flags & NTF_PROXY) p.null('any', 'proxy', 'proxy ');
  if (c.opts.stats) {
    const now = c.lab.clock.now;
    const sec = (t: number): number => Math.max(0, Math.floor((now - t) / NS_PER_SEC));
    const ref = refcnt(n);
    if (ref) p.num('any', 'refcnt', ` ref ${ref}`, ref);
    p.num('any', 'used', ` used ${sec(n.used)}`, sec(n.used));
    p.num('any', 'confirmed', `/${sec(n.confirmed)}`, sec(n.confirmed));
    p.num('any', 'updated', `/${sec(n.updated)}`, sec(n.updated));
    p.num('any', 'probes', `probes ${n.probes} `, n.probes);
  }
  if (n.state) {
    p.openArray('json', p.isJson ? 'state' : '');
    for (const [bit, name] of NUD_NAMES) if (n.state & bit) p.string('any', null, `${name} `, name);
    p.closeArray('json', null);
  }
  p.fp('\n');
  p.closeObject();
}

function showOrFlush(c: IpCtx, argv: string[], flush: boolean): number {
  const f: NeighFilter = { family: c.opts.family, index: 0, state: 0xff & ~NUD_NOARP, proxy: false, master: 0,
    unused: false };
  if (flush) {
    if (!argv.length) fail(c, 'Flush requires arguments.\n', 1);
    f.state = ~(NUD_PERMANENT | NUD_NOARP);
  }
  let stateGiven = false;
  let filterDev: string | undefined;
  const a = new Args(argv, c);
  while (a.more) {
    const w = a.cur;
    if (w === 'dev') {
      const v = a.next();
      if (filterDev !== undefined) duparg(c, 'dev', v);
      filterDev = v;
    } else if (w === 'master') {
      const v = a.next();
      const idx = llNameToIndex(c.ns, v);
      if (!idx) invarg(c, 'Device does not exist\n', v);
      f.master = idx;
    } else if (w === 'vrf') {
      const v = a.next();
      invarg(c, 'Not a valid VRF name\n', v);
    } else if (w === 'nomaster') {
      f.master = -1;
    } else if (w === 'unused') {
      f.unused = true;
    } else if (w === 'nud') {
      const v = a.next();
      if (!stateGiven) { stateGiven = true; f.state = 0; }
      let s = nudA2n(v);
      if (s === null) {
        if (v !== 'all') invarg(c, 'nud state is bad', v);
        s = ~0;
        if (flush) s &= ~NUD_NOARP;
      }
      if (s === 0) s = 0x100;
      f.state |= s;
    } else if (w === 'proxy') {
      f.proxy = true;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      if (rtprotA2n(v) === null && v !== 'all') invarg(c, 'invalid "protocol"\n', v);
    } else {
      let v = w;
      if (v === 'to') v = a.next();
      if (matches(v, 'help')) usage(c);
      f.pfx = getPrefix(c, v, f.family);
      if (f.family === AF_UNSPEC) f.family = f.pfx.family;
    }
    a.step();
  }
  if (filterDev !== undefined) {
    f.index = llNameToIndex(c.ns, filterDev);
    if (!f.index) nodev(c, filterDev);
  }
  const ns = c.ns;
  if (f.proxy) {
    if (flush) return 0;
    c.p.newJsonObj();
    for (const pe of proxyList(ns)) {
      if (f.index && pe.dev?.ifindex !== f.index) continue;
      const p = c.p;
      p.openObject(null);
      const dst = ipv4Str(pe.ip);
      p.string('any', 'dst', `${dst} `, dst);
      if (!f.index && pe.dev) { p.fp('dev '); p.string('any', 'dev', `${pe.dev.name} `, pe.dev.name); }
      p.null('any', 'proxy', 'proxy ');
      p.fp('\n');
      p.closeObject();
    }
    c.p.deleteJsonObj();
    return 0;
  }
  const all = (): Neighbour[] => [...ns.arp.entries.values()].filter((n) => n.dev.netns === ns);
  if (flush) {
    let round = 0;
    while (round < 10) {
      const victims = all().filter((n) => passes(f, n));
      if (!victims.length) {
        if (c.opts.stats) {
          if (round === 0) c.print('Nothing to flush.\n');
          else c.print(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
        }
        return 0;
      }
      round++;
      for (const n of victims) {
        if (c.opts.stats > 1) printNeigh(c, n, f);
        ns.arp.remove(n);
      }
      if (c.opts.stats) c.print(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
      f.state &= ~NUD_FAILED;
    }
    c.print('*** Flush not complete bailing out after 10 rounds\n');
    return 1;
  }
  c.p.newJsonObj();
  for (const n of all()) if (passes(f, n)) printNeigh(c, n, f);
  c.p.deleteJsonObj();
  return 0;
}

function get(c: IpCtx, argv: string[]): number {
  const a = new Args(argv, c);
  let d: string | undefined;
  let dst: InetPrefix | undefined;
  let devOk = false;
  while (a.more) {
    const w = a.cur;
    if (w === 'dev') { d = a.next(); devOk = true; }
    else if (matches(w, 'proxy')) {
      const v = a.next();
      if (matches(v, 'help')) usage(c);
      if (dst) duparg(c, 'address', v);
      dst = getAddr(c, v, c.opts.family);
      devOk = true;
    } else {
      let v = w;
      if (v === 'to') v = a.next();
      if (matches(v, 'help')) usage(c);
      if (dst) duparg2(c, 'to', v);
      dst = getAddr(c, v, c.opts.family);
    }
    a.step();
  }
  if (!devOk || !dst || dst.family === AF_UNSPEC) fail(c, 'Device and address are required arguments.\n', 1);
  let dev: NetDevice | undefined;
  if (d !== undefined) {
    const idx = llNameToIndex(c.ns, d);
    if (!idx) fail(c, `Cannot find device "${d}"\n`, 1);
    dev = c.ns.byIndex.get(idx);
  }
  const n = dev && dst.family === AF_INET ? c.ns.arp.get(dev, dst.v4 >>> 0) : undefined;
  if (!n) c.kernelFail(nlErr(Errno.ENOENT, 'Neighbour entry not found'), 2);
  printNeigh(c, n, { family: 0, index: 0, state: ~0, proxy: false, master: 0, unused: false });
  return 0;
}

export function doIpneigh(c: IpCtx, argv: string[]): number {
  if (!argv.length) return showOrFlush(c, [], false);
  const w = argv[0]!;
  const rest = argv.slice(1);
  if (matches(w, 'add')) return modify(c, 'add', rest);
  if (matches(w, 'change') || w === 'chg') return modify(c, 'change', rest);
  if (matches(w, 'replace')) return modify(c, 'replace', rest);
  if (matches(w, 'delete')) return modify(c, 'delete', rest);
  if (matches(w, 'get')) return get(c, rest);
  if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return showOrFlush(c, rest, false);
  if (matches(w, 'flush')) return showOrFlush(c, rest, true);
  if (matches(w, 'help')) usage(c);
  fail(c, `Command "${w}" is unknown, try "ip neigh help".\n`, 255);
}
