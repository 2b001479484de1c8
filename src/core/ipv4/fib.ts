/**
 * IPv4 routing tables (net/ipv4/fib_*.c): table local (255) and main (254) are consulted in that
 * order, as the default rules say. Routes are kept per table in dump order (key, then longer
 * prefix first, then metric), which is also the order `ip route` prints.
 */
import type { NetNamespace } from '../netns.ts';
import type { NetDevice } from '../netdev.ts';

export const RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255, RT_TABLE_DEFAULT = 253;
export const RT_SCOPE_UNIVERSE = 0, RT_SCOPE_SITE = 200, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254,
  RT_SCOPE_NOWHERE = 255;
export const RTPROT_UNSPEC = 0, RTPROT_REDIRECT = 1, RTPROT_KERNEL = 2, RTPROT_BOOT = 3, RTPROT_STATIC = 4;

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'anycast' | 'multicast' | 'blackhole' |
  'unreachable' | 'prohibit' | 'throw' | 'nat';

export interface Route {
  table: number;
  type: RouteType;
  dst: number;
  plen: number;
  tos: number;
  dev: NetDevice | null;
  gateway: number;
  onlink: boolean;
  protocol: number;
  scope: number;
  prefsrc: number;
  metric: number;
  /** Made by the kernel for an interface address (fib_add_ifaddr). */
  fromIfaddr: boolean;
}

/**
 * A policy routing rule (struct fib4_rule): selectors, then the table to look up. `l3mdev` rules
 * (the one a VRF adds) look up the table of the flow's VRF and match only flows in a VRF.
 */
export interface FibRule {
  pref: number;
  table: number;
  l3mdev: boolean;
  /** FR_ACT_*: to_tbl (lookup), or a route type that ends the lookup with an error. */
  action: 'to_tbl' | 'blackhole' | 'unreachable' | 'prohibit';
  invert: boolean;
  src: number; srcLen: number;
  dst: number; dstLen: number;
  iifname: string; oifname: string;
  tos: number;
  /** fwmark/mask selector (vnet's flows carry mark 0); mask 0 = no selector. */
  fwmark: number; fwmask: number;
}

export const RULE_L3MDEV_PREF = 1000;

function defaultRule(pref: number, table: number): FibRule {
  return { pref, table, l3mdev: false, action: 'to_tbl', invert: false, src: 0, srcLen: 0, dst: 0, dstLen: 0,
    iifname: '', oifname: '', tos: 0, fwmark: 0, fwmask: 0 };
}

/** The flow keys rules select on (struct flowi4, the parts vnet keeps). */
export interface FlowKeys {
  src: number;
  iif: NetDevice | null;
  /** The table of the flow's VRF (flowi4_l3mdev's), 0 outside any VRF. */
  l3Table: number;
}

export function maskOf(plen: number): number {
  return plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
}

export class Fib {
  readonly tables = new Map<number, Route[]>();
  /** fib4_rules_init's default rules, in priority order (`ip rule` lists this array). */
  readonly rules: FibRule[] = [defaultRule(0, RT_TABLE_LOCAL), defaultRule(32766, RT_TABLE_MAIN),
    defaultRule(32767, RT_TABLE_DEFAULT)];
  /** Only the default rules, none of them l3mdev: the fast path of lookup() applies. */
  plainRules = true;

  constructor(readonly ns: NetNamespace) {
    // Main exists from the start; local (and any other table) once a route goes in, or a VRF makes
    // it: `ip route show table local` of a fresh namespace says the table does not exist.
    this.tables.set(RT_TABLE_MAIN, []);
  }

  /** fib_nl_newrule's insertion: after every rule of the same or a lower priority. */
  addRule(r: FibRule): void {
    let i = 0;
    while (i < this.rules.length && this.rules[i]!.pref <= r.pref) i++;
    this.rules.splice(i, 0, r);
    this.plainRules = false;
  }

  removeRule(r: FibRule): void {
    const i = this.rules.indexOf(r);
    if (i >= 0) this.rules.splice(i, 1);
  }

  /** Longest prefix match in one table (fib_table_lookup); null when nothing matches (-EAGAIN). */
  lookupTable(id: number, dst: number, oif: NetDevice | null): Route | null {
    const t = this.tables.get(id);
    if (!t) return null;
    let best: Route | null = null;
    for (let i = 0; i < t.length; i++) {
      const r = t[i]!;
      if (((dst & maskOf(r.plen)) >>> 0) !== r.dst) continue;
      // Local routes stay usable while their device is down (traffic to them goes through lo).
      if (r.dev && !r.dev.isUp && r.type !== 'local') continue;
      // A bound socket only uses routes through its device (local ones included).
      if (oif && r.dev && r.dev !== oif) continue;
      if (!best || r.plen > best.plen || (r.plen === best.plen && r.metric < best.metric)) best = r;
    }
    return best;
  }

  /**
   * fib_rules_lookup with flow keys: each matching rule's table in priority order until one gives
   * a route. A rule's error action ends the lookup: null for unreachable, else a route of that
   * type (no device) whose errno callers already map (prohibit EACCES, blackhole EINVAL).
   */
  lookupRules(dst: number, oif: NetDevice | null, fl: FlowKeys): Route | null {
    for (let i = 0; i < this.rules.length; i++) {
      const ru = this.rules[i]!;
      if (ru.l3mdev && !fl.l3Table) continue;
      let m = true;
      if (ru.srcLen && ((fl.src & maskOf(ru.srcLen)) >>> 0) !== ru.src) m = false;
      else if (ru.dstLen && ((dst & maskOf(ru.dstLen)) >>> 0) !== ru.dst) m = false;
      // Locally generated traffic has iif lo (flowi4_iif = LOOPBACK_IFINDEX).
      else if (ru.iifname && (fl.iif ? fl.iif.name : 'lo') !== ru.iifname) m = false;
      else if (ru.oifname && (!oif || oif.name !== ru.oifname)) m = false;
      else if (ru.tos !== 0 || (ru.fwmask !== 0 && (ru.fwmark & ru.fwmask) !== 0)) m = false;
      if (m === ru.invert) continue;
      if (ru.action !== 'to_tbl') {
        // FR_ACT_UNREACHABLE is -ENETUNREACH, the same as no route at all.
        if (ru.action === 'unreachable') return null;
        return { table: 0, type: ru.action, dst, plen: 32, tos: 0, dev: null, gateway: 0, onlink: false, protocol: 0,
          scope: RT_SCOPE_UNIVERSE, prefsrc: 0, metric: 0, fromIfaddr: false };
      }
      const r = this.lookupTable(ru.l3mdev ? fl.l3Table : ru.table, dst, oif);
      if (r) return r;
    }
    return null;
  }

  table(id: number, create = false): Route[] | undefined {
    let t = this.tables.get(id);
    if (!t && create) { t = []; this.tables.set(id, t); }
    return t;
  }

  /** fib_table_insert; the caller has checked for duplicates when it had to. */
  insert(r: Route): void {
    const t = this.table(r.table, true)!;
    let i = 0;
    while (i < t.length && compareRoutes(t[i]!, r) <= 0) i++;
    t.splice(i, 0, r);
  }

  /** Routes equal in the key fields `ip route del/replace` match on. */
  find(table: number, dst: number, plen: number, pred: (r: Route) => boolean = () => true): Route[] {
    const t = this.tables.get(table) ?? [];
    return t.filter((r) => r.dst === dst && r.plen === plen && pred(r));
  }

  remove(r: Route): void {
    const t = this.tables.get(r.table);
    if (!t) return;
    const i = t.indexOf(r);
    if (i >= 0) t.splice(i, 1);
  }

  removeWhere(pred: (r: Route) => boolean): number {
    let n = 0;
    for (const t of this.tables.values()) {
      for (let i = t.length - 1; i >= 0; i--) if (pred(t[i]!)) { t.splice(i, 1); n++; }
    }
    return n;
  }

  /**
   * fib_lookup: longest prefix match in local, then main (then any other table the rules
   * reach: with rules beyond the default ones, or flow keys, lookupRules decides). `oif` restricts
   * to routes through that device.
   */
  lookup(dst: number, oif: NetDevice | null = null, fl: FlowKeys | null = null): Route | null {
    if (fl !== null || !this.plainRules) return this.lookupRules(dst, oif, fl ?? NO_FLOW);
    // The default rules: local, main, default, the first table with a match wins (no array of
    // table ids per lookup: this runs for every packet sent or forwarded).
    return this.lookupTable(RT_TABLE_LOCAL, dst, oif) ?? this.lookupTable(RT_TABLE_MAIN, dst, oif) ??
      this.lookupTable(RT_TABLE_DEFAULT, dst, oif);
  }

  all(): Route[] {
    const out: Route[] = [];
    for (const [, t] of [...this.tables].sort((a, b) => a[0] - b[0])) out.push(...t);
    return out;
  }
}

const NO_FLOW: FlowKeys = { src: 0, iif: null, l3Table: 0 };

/** Trie dump order: by key, longer prefix first on the same key, then tos, then metric. */
function compareRoutes(a: Route, b: Route): number {
  if (a.dst !== b.dst) return a.dst < b.dst ? -1 : 1;
  if (a.plen !== b.plen) return b.plen - a.plen;
  if (a.tos !== b.tos) return a.tos - b.tos;
  return a.metric - b.metric;
}
