/**
 * User route requests (inet_rtm_newroute / inet_rtm_delroute → fib_table_insert/delete) with the
 * kernel's validation (fib_check_nh): a gateway must be reachable on-link, a device must exist.
 */
import { Errno, OK, err, type NlResult } from '../errno.ts';
import type { NetNamespace } from '../netns.ts';
import type { NetDevice } from '../netdev.ts';
import {
  RTPROT_BOOT, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL, RT_TABLE_MAIN, maskOf,
  type Route, type RouteType,
} from './fib.ts';

export interface RouteReq {
  table?: number;
  type?: RouteType;
  dst: number;
  plen: number;
  tos?: number;
  dev?: NetDevice | null;
  gateway?: number;
  onlink?: boolean;
  protocol?: number;
  scope?: number;
  prefsrc?: number;
  metric?: number;
}

export type RouteMode = 'add' | 'replace' | 'append' | 'change' | 'prepend';

/** Builds and validates a route as fib_create_info would; nothing changes yet. */
export function buildRoute(ns: NetNamespace, req: RouteReq): NlResult<Route> {
  const type = req.type ?? 'unicast';
  const table = req.table ?? (type === 'local' || type === 'broadcast' ? RT_TABLE_LOCAL : RT_TABLE_MAIN);
  if (((req.dst & maskOf(req.plen)) >>> 0) !== req.dst) return err(Errno.EINVAL, 'Invalid prefix for given prefix length');
  let dev = req.dev ?? null;
  const gw = req.gateway ?? 0;
  let scope = req.scope;
  if (gw) {
    if (!req.onlink) {
      // The gateway must be directly reachable: a link-scope route to it through `dev`.
      const via = lookupLink(ns, gw, dev, table);
      if (!via) return err(Errno.ENETUNREACH, 'Nexthop has invalid gateway');
      dev = dev ?? via;
    } else if (!dev) {
      return err(Errno.EINVAL, 'Nexthop device required for onlink');
    }
    if (scope === undefined) scope = RT_SCOPE_UNIVERSE;
  } else if (type === 'unicast') {
    if (!dev) return err(Errno.ENODEV);
    if (scope === undefined) scope = RT_SCOPE_LINK;
  }
  if (type === 'local' && scope === undefined) scope = RT_SCOPE_HOST;
  if (dev && !dev.isUp && type === 'unicast') return err(Errno.ENETDOWN, 'Device for nexthop is not up');
  if (req.prefsrc) {
    const local = ns.fib.table(RT_TABLE_LOCAL)?.some((r) => r.type === 'local' && r.dst === req.prefsrc);
    if (!local) return err(Errno.EINVAL, 'Invalid prefsrc address');
  }
  return {
    ok: true,
    value: {
      table, type, dst: req.dst, plen: req.plen, tos: req.tos ?? 0, dev, gateway: gw, onlink: !!req.onlink,
      protocol: req.protocol ?? RTPROT_BOOT, scope: scope ?? RT_SCOPE_UNIVERSE, prefsrc: req.prefsrc ?? 0,
      metric: req.metric ?? 0, fromIfaddr: false,
    },
  };
}

function lookupLink(ns: NetNamespace, gw: number, dev: NetDevice | null, table = RT_TABLE_MAIN): NetDevice | null {
  // fib_check_nh_v4_gw: the route's own table first (a VRF's), then the usual lookup.
  for (const t of table !== RT_TABLE_MAIN && table !== RT_TABLE_LOCAL ? [table, RT_TABLE_LOCAL, RT_TABLE_MAIN]
    : [RT_TABLE_LOCAL, RT_TABLE_MAIN]) {
    for (const r of ns.fib.table(t) ?? []) {
      if (r.type !== 'unicast' || r.gateway || !r.dev) continue;
      if (dev && r.dev !== dev) continue;
      if (((gw & maskOf(r.plen)) >>> 0) === r.dst && r.dev.isUp) return r.dev;
    }
  }
  return null;
}

export function addRoute(ns: NetNamespace, req: RouteReq, mode: RouteMode): NlResult {
  const b = buildRoute(ns, req);
  if (!b.ok) return b;
  const r = b.value;
  const same = ns.fib.find(r.table, r.dst, r.plen, (x) => x.tos === r.tos && x.metric === r.metric);
  if (mode === 'add' || mode === 'append' || mode === 'prepend') {
    if (mode === 'add' && same.length) return err(Errno.EEXIST);
    if (mode !== 'add' && same.some((x) => x.dev === r.dev && x.gateway === r.gateway && x.protocol === r.protocol &&
      x.type === r.type && x.scope === r.scope && x.prefsrc === r.prefsrc)) return err(Errno.EEXIST);
  } else if (mode === 'change') {
    if (!same.length) return err(Errno.ENOENT);
    ns.fib.remove(same[0]!);
  } else if (mode === 'replace') {
    if (same.length) ns.fib.remove(same[0]!);
  }
  ns.fib.insert(r);
  return OK;
}

/** fib_table_delete: the first route matching every key the user gave. */
export function delRoute(ns: NetNamespace, req: RouteReq): NlResult {
  const table = req.table ?? (req.type === 'local' || req.type === 'broadcast' ? RT_TABLE_LOCAL : RT_TABLE_MAIN);
  const cands = ns.fib.find(table, req.dst, req.plen, (x) =>
    (req.tos === undefined || x.tos === req.tos) &&
    (req.metric === undefined || x.metric === req.metric) &&
    (!req.dev || x.dev === req.dev) &&
    (!req.gateway || x.gateway === req.gateway) &&
    (req.type === undefined || x.type === req.type) &&
    (req.protocol === undefined || x.protocol === req.protocol) &&
    (req.scope === undefined || x.scope === req.scope) &&
    (!req.prefsrc || x.prefsrc === req.prefsrc));
  if (!cands.length) return err(Errno.ESRCH);
  ns.fib.remove(cands[0]!);
  return OK;
}
