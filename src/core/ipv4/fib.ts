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

export function maskOf(plen: number): number {
  return plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
}

export class Fib {
  readonly tables = new Map<number, Route[]>();

  constructor(readonly ns: NetNamespace) {
    this.tables.set(RT_TABLE_LOCAL, []);
    this.tables.set(RT_TABLE_MAIN, []);
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
   * reach; vnet has only the default rules). `oif` restricts to routes through that device.
   */
  lookup(dst: number, oif: NetDevice | null = null): Route | null {
    for (const id of [RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT]) {
      const t = this.tables.get(id);
      if (!t) continue;
      let best: Route | null = null;
      for (const r of t) {
        if (((dst & maskOf(r.plen)) >>> 0) !== r.dst) continue;
        // Local routes stay usable while their device is down (traffic to them goes through lo).
        if (r.dev && !r.dev.isUp && r.type !== 'local') continue;
        // A bound socket only uses routes through its device (local ones included).
        if (oif && r.dev && r.dev !== oif) continue;
        if (!best || r.plen > best.plen || (r.plen === best.plen && r.metric < best.metric)) best = r;
      }
      if (best) return best;
    }
    return null;
  }

  all(): Route[] {
    const out: Route[] = [];
    for (const [, t] of [...this.tables].sort((a, b) => a[0] - b[0])) out.push(...t);
    return out;
  }
}

/** Trie dump order: by key, longer prefix first on the same key, then tos, then metric. */
function compareRoutes(a: Route, b: Route): number {
  if (a.dst !== b.dst) return a.dst < b.dst ? -1 : 1;
  if (a.plen !== b.plen) return b.plen - a.plen;
  if (a.tos !== b.tos) return a.tos - b.tos;
  return a.metric - b.metric;
}
