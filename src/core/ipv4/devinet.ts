/**
 * IPv4 addresses on devices (net/ipv4/devinet.c) and the routes the kernel makes for them
 * (fib_add_ifaddr / fib_del_ifaddr in net/ipv4/fib_frontend.c), plus the reactions to device
 * events: addresses stay when a device goes down but its prefix and broadcast routes go; a device
 * leaving the namespace loses everything; lo gets 127.0.0.1/8 when first brought up.
 */
import { countAddresses, limitReached } from '../limits.ts';
import { Errno, OK, err, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import type { NetNamespace } from '../netns.ts';
import { IFF_LOOPBACK, type InetAddr, type NetDevice } from '../netdev.ts';
import { l3mdevFibTable } from '../l3mdev.ts';
import {
  RTPROT_KERNEL, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_LOCAL, RT_TABLE_MAIN, maskOf, type Route,
} from './fib.ts';

let addrSeq = 0;

export interface NewAddrReq {
  local: number;
  prefixlen: number;
  /** undefined: none; -1: `brd +` (computed) */
  broadcast?: number;
  address?: number;
  label?: string;
  scope?: number;
  noprefixroute?: boolean;
}

export function netOf(a: number, plen: number): number { return (a & maskOf(plen)) >>> 0; }

function sameSubnet(a: InetAddr, local: number, plen: number): boolean {
  return a.prefixlen === plen && netOf(a.local, plen) === netOf(local, plen);
}

/** inet_rtm_newaddr → __inet_insert_ifa: duplicate check, primary/secondary, routes. */
export function addInetAddr(dev: NetDevice, req: NewAddrReq, replace = false): NlResult {
  const existing = dev.inet.find((a) => a.local === req.local && a.prefixlen === req.prefixlen);
  if (existing) {
    if (!replace) return err(Errno.EEXIST, 'ipv4: Address already assigned');
    if (req.broadcast !== undefined) existing.broadcast = resolveBrd(req);
    if (req.label !== undefined) existing.label = req.label;
    return OK;
  }
  // vnet's address limit (limits.ts), before anything changes.
  if (addressLimitReached(dev.netns.lab)) return limitReached(dev.netns.lab, 'addresses');
  // inetaddr_validator_chain (NETDEV_UP): a driver may refuse the address (ipvlan: one owner per port).
  for (const v of dev.netns.lab.inetAddrValidators) {
    const r = v(dev, req.address ?? req.local);
    if (!r.ok) return r;
  }
  const secondary = dev.inet.some((a) => !a.secondary && sameSubnet(a, req.local, req.prefixlen));
  const ifa: InetAddr = {
    local: req.local, address: req.address ?? req.local, prefixlen: req.prefixlen,
    broadcast: resolveBrd(req), scope: req.scope ?? (isLoopbackAddr(req.local) ? RT_SCOPE_HOST : 0),
    label: req.label ?? dev.name, secondary, noprefixroute: !!req.noprefixroute, seq: ++addrSeq,
  };
  // Primaries stay ahead of secondaries; a new primary goes after the existing primaries.
  if (secondary) dev.inet.push(ifa);
  else {
    const firstSec = dev.inet.findIndex((a) => a.secondary);
    if (firstSec < 0) dev.inet.push(ifa); else dev.inet.splice(firstSec, 0, ifa);
  }
  dev.netns.lab.addrBound.added++;
  fibAddIfaddr(dev, ifa);
  return OK;
}

/**
 * Does the lab hold limits.addresses addresses already? Walking every device per address made
 * big set-ups quadratic; the bound (Lab.addrBound) answers at once while below the limit, and an
 * exact count is made only when it reaches it.
 */
function addressLimitReached(lab: Lab): boolean {
  const b = lab.addrBound;
  if (b.counted + b.added < lab.limits.addresses) return false;
  b.counted = countAddresses(lab.all);
  b.added = 0;
  return b.counted >= lab.limits.addresses;
}

function resolveBrd(req: NewAddrReq): number {
  if (req.broadcast === undefined) return 0;
  if (req.broadcast === -1) return (netOf(req.local, req.prefixlen) | (~maskOf(req.prefixlen) >>> 0)) >>> 0;
  return req.broadcast >>> 0;
}

function isLoopbackAddr(a: number): boolean { return (a >>> 24) === 127; }

/** inet_rtm_deladdr: by local/prefix (prefix 0/absent = any), optionally by label. */
export function delInetAddr(dev: NetDevice, local: number, prefixlen: number | null): NlResult {
  const i = dev.inet.findIndex((a) => a.local === local && (prefixlen === null || a.prefixlen === prefixlen));
  if (i < 0) return err(Errno.EADDRNOTAVAIL, 'ipv4: Address not found');
  removeIfa(dev, dev.inet[i]!);
  return OK;
}

/** __inet_del_ifa: deleting a primary deletes its secondaries unless promote_secondaries. */
export function removeIfa(dev: NetDevice, ifa: InetAddr): void {
  const i = dev.inet.indexOf(ifa);
  if (i < 0) return;
  dev.inet.splice(i, 1);
  fibDelIfaddr(dev, ifa);
  if (!dev.inet.length) {
    // Last address gone: fib_disable_ip — every route through the device and its neighbours go.
    dev.netns.fib.removeWhere((r) => r.dev === dev);
    dev.netns.arp.flushDev(dev, false);
    return;
  }
  if (!ifa.secondary) {
    const promote = dev.netns.sysctl.devOr(dev.name, 'promote_secondaries') !== 0;
    const subs = dev.inet.filter((a) => a.secondary && sameSubnet(a, ifa.local, ifa.prefixlen));
    if (promote && subs.length) {
      const p = subs[0]!;
      p.secondary = false;
      // The promoted address moves to the end of the primaries.
      dev.inet.splice(dev.inet.indexOf(p), 1);
      const firstSec = dev.inet.findIndex((a) => a.secondary);
      if (firstSec < 0) dev.inet.push(p); else dev.inet.splice(firstSec, 0, p);
      fibAddIfaddr(dev, p);
    } else {
      for (const s of subs) { dev.inet.splice(dev.inet.indexOf(s), 1); fibDelIfaddr(dev, s); }
    }
  }
}

export function flushInet(dev: NetDevice): void {
  for (const a of [...dev.inet].reverse()) {
    if (dev.inet.includes(a)) { dev.inet.splice(dev.inet.indexOf(a), 1); fibDelIfaddr(dev, a); }
  }
}

function kernelRoute(ns: NetNamespace, r: Partial<Route> & { table: number; type: Route['type']; dst: number; plen: number; dev: NetDevice }): void {
  const full: Route = {
    tos: 0, gateway: 0, onlink: false, protocol: RTPROT_KERNEL, scope: 0, prefsrc: 0, metric: 0,
    fromIfaddr: true, ...r,
  };
  const dup = ns.fib.find(full.table, full.dst, full.plen, (x) => x.type === full.type && x.dev === full.dev &&
    x.metric === full.metric && x.tos === full.tos);
  if (dup.length) return;
  ns.fib.insert(full);
}

/** fib_add_ifaddr */
export function fibAddIfaddr(dev: NetDevice, ifa: InetAddr): void {
  const ns = dev.netns;
  // A secondary's routes carry its primary's address as the preferred source.
  const prim = ifa.secondary
    ? dev.inet.find((a) => !a.secondary && sameSubnet(a, ifa.local, ifa.prefixlen)) ?? ifa
    : ifa;
  const prefsrc = prim.local;
  // fib_magic: a device in a VRF has all its address routes in the VRF's table.
  const l3 = l3mdevFibTable(dev);
  const localTb = l3 || RT_TABLE_LOCAL;
  kernelRoute(ns, { table: localTb, type: 'local', dst: ifa.local, plen: 32, dev, scope: RT_SCOPE_HOST, prefsrc });
  if (!dev.isUp) return;
  const net = netOf(ifa.local, ifa.prefixlen);
  if (ifa.broadcast && ifa.broadcast !== 0xffffffff) {
    kernelRoute(ns, { table: localTb, type: 'broadcast', dst: ifa.broadcast, plen: 32, dev, scope: RT_SCOPE_LINK, prefsrc });
  }
  if (!ifa.secondary && ifa.prefixlen < 32) {
    if (!ifa.noprefixroute) {
      const loop = (dev.flags & IFF_LOOPBACK) !== 0;
      kernelRoute(ns, { table: loop ? RT_TABLE_LOCAL : l3 || RT_TABLE_MAIN, type: loop ? 'local' : 'unicast', dst: net,
        plen: ifa.prefixlen, dev, scope: loop ? RT_SCOPE_HOST : RT_SCOPE_LINK, prefsrc });
    }
    if (ifa.prefixlen < 31) {
      const brd = (net | (~maskOf(ifa.prefixlen) >>> 0)) >>> 0;
      kernelRoute(ns, { table: localTb, type: 'broadcast', dst: brd, plen: 32, dev, scope: RT_SCOPE_LINK, prefsrc });
    }
  }
}

/** fib_del_ifaddr: routes go unless another address on the device still needs them. */
export function fibDelIfaddr(dev: NetDevice, ifa: InetAddr): void {
  const ns = dev.netns;
  // Another device with the address keeps the local route, if its routes share the table (VRF).
  const l3 = l3mdevFibTable(dev);
  const stillLocal = [...ns.devices.values()].some((d) => d.inet.some((a) => a.local === ifa.local) &&
    l3mdevFibTable(d) === l3);
  ns.fib.removeWhere((r) => {
    if (!r.fromIfaddr || r.dev !== dev) return false;
    if (r.type === 'local' && r.plen === 32 && r.dst === ifa.local) return !stillLocal;
    if (r.prefsrc !== ifa.local) return false;
    const stillNeeded = dev.inet.some((a) => a.local === ifa.local);
    return !stillNeeded;
  });
}

/** Device events: fib_netdev_event + inetdev_event. */
export function installDevinet(lab: Lab): void {
  lab.notifiers.push((event, dev, info) => {
    const ns = dev.netns;
    switch (event) {
      case 'UP':
        if ((dev.flags & IFF_LOOPBACK) && dev.inet.length === 0) {
          // inetdev_event NETDEV_UP on loopback: 127.0.0.1/8 scope host.
          addInetAddr(dev, { local: 0x7f000001, prefixlen: 8, scope: RT_SCOPE_HOST });
        }
        for (const a of dev.inet) fibAddIfaddr(dev, a);
        break;
      case 'DOWN':
        // fib_disable_ip: every route through the device goes, except the local ones.
        ns.fib.removeWhere((r) => r.dev === dev && !(r.type === 'local' && r.fromIfaddr));
        ns.arp.flushDev(dev, false);
        break;
      case 'CHANGE':
        if (!dev.carrier && ns.sysctl.devMax(dev.name, 'arp_evict_nocarrier') !== 0) ns.arp.flushDev(dev, true);
        break;
      case 'UNREGISTER': {
        // Moving away or dying: addresses, routes and neighbours of the device are gone.
        dev.inet = [];
        ns.fib.removeWhere((r) => r.dev === dev);
        ns.arp.flushDev(dev, false);
        void info;
        break;
      }
      default:
        break;
    }
  });
}

/** inet_select_addr: a source address for traffic leaving `dev` towards `dst`. */
export function selectSrc(dev: NetDevice | null, dst: number, scope = 0): number {
  if (dev) {
    for (const a of dev.inet) {
      if (a.secondary || a.scope > RT_SCOPE_LINK && scope < RT_SCOPE_HOST) continue;
      if (a.scope > scope && !(scope === 0 && a.scope === 0)) continue;
      if (netOf(a.local, a.prefixlen) === netOf(dst, a.prefixlen)) return a.local;
    }
    for (const a of dev.inet) if (!a.secondary && a.scope <= Math.max(scope, RT_SCOPE_LINK) && !((a.scope === RT_SCOPE_HOST) && scope < RT_SCOPE_HOST)) return a.local;
  }
  if (!dev) return 0;
  // Any global address in the namespace (devices in index order), as inet_select_addr falls back.
  const devs = [...dev.netns.byIndex.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]);
  for (const d of devs) for (const a of d.inet) if (!a.secondary && a.scope < RT_SCOPE_LINK) return a.local;
  return 0;
}

/**
 * Is `ip` one of this namespace's addresses (inet_addr_type == RTN_LOCAL)? `table` = a VRF's table
 * (inet_addr_type_table / inet_addr_type_dev_table for a device in a VRF).
 */
export function isLocalAddr(ns: NetNamespace, ip: number, table = RT_TABLE_LOCAL): NetDevice | null {
  const r = ns.fib.table(table)?.find((x) => x.type === 'local' && ((ip & maskOf(x.plen)) >>> 0) === x.dst);
  return r ? r.dev : null;
}
