/**
 * `ip route` (ip/iproute.c): add/change/replace/prepend/append/test/del, show/list with the
 * filters of iproute_list_flush_or_save, flush, and get. IPv4 routes come from the core's FIB;
 * IPv6 routes are derived from the devices' IPv6 addresses (prefix, local and multicast routes,
 * as addrconf installs them).
 */
import { Errno, err as nlErr } from '../../core/errno.ts';
import {
  RTPROT_BOOT, RTPROT_KERNEL, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL, RT_TABLE_MAIN,
  maskOf, type Route, type RouteType,
} from '../../core/ipv4/fib.ts';
import { addRoute, delRoute, type RouteMode, type RouteReq } from '../../core/ipv4/route-ops.ts';
import { isLocalAddr, selectSrc } from '../../core/ipv4/devinet.ts';
import { IFF_LOOPBACK, type NetDevice } from '../../core/netdev.ts';
import type { IpCtx } from './common.ts';
import {
  AF_INET, AF_INET6, AF_UNSPEC, Args, duparg2, fail, getAddr, getPrefix, getU32, getU8, invarg, ipv4Str,
  ipv6Str, IpExit, llNameToIndex, matches, nodev, readFamily, rtprotA2n, rtprotN2a, rtscopeA2n, rtscopeN2a,
  rttableA2n, rttableN2a, strtoulMax, type InetPrefix,
} from './util.ts';
import { inet6InOrder } from './show.ts';
import { vrfTable } from './vrf.ts';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, nlRouteTalk } from './nlmsg.ts'; // netlink messages for nlmon
import { isL3Master, l3mdevFibTable, l3mdevMaster } from '../../core/l3mdev.ts';
import { routeOutput } from '../../core/ipv4/ip.ts';

const RTN: RouteType[] = ['unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable',
  'prohibit', 'throw', 'nat'];
/** RTN_* numbers (RTN_UNSPEC = 0). */
const RTN_NUM: Record<string, number> = {
  none: 0, unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6, unreachable: 7,
  prohibit: 8, throw: 9, nat: 10, xresolve: 11,
};
const RTN_NAME: string[] = ['none', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole',
  'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];

/** rtnl_rtntype_a2n */
function rtntypeA2n(arg: string): number | null {
  if (arg === 'local') return 2;
  if (arg === 'nat') return 10;
  if (matches(arg, 'broadcast') || arg === 'brd') return 3;
  if (matches(arg, 'anycast')) return 4;
  if (matches(arg, 'multicast')) return 5;
  if (matches(arg, 'prohibit')) return 8;
  if (matches(arg, 'unreachable')) return 7;
  if (matches(arg, 'blackhole')) return 6;
  if (matches(arg, 'xresolve')) return 11;
  if (matches(arg, 'unicast')) return 1;
  if (arg === 'throw') return 9;
  return strtoulMax(arg, 255);
}

function usage(c: IpCtx): never {
  c.err(
    'Usage: ip route { list | flush } SELECTOR\n' +
    '       ip route save SELECTOR\n' +
    '       ip route restore\n' +
    '       ip route showdump\n' +
    '       ip route get [ ROUTE_GET_FLAGS ] ADDRESS\n' +
    '                            [ from ADDRESS iif STRING ]\n' +
    '                            [ oif STRING ] [ tos TOS ]\n' +
    '                            [ mark NUMBER ] [ vrf NAME ]\n' +
    '                            [ uid NUMBER ] [ ipproto PROTOCOL ]\n' +
    '                            [ sport NUMBER ] [ dport NUMBER ]\n' +
    '       ip route { add | del | change | append | replace } ROUTE\n' +
    'SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]\n' +
    '            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]\n' +
    '            [ type TYPE ] [ scope SCOPE ]\n' +
    'ROUTE := NODE_SPEC [ INFO_SPEC ]\n' +
    'NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]\n' +
    '             [ table TABLE_ID ] [ proto RTPROTO ]\n' +
    '             [ scope SCOPE ] [ metric METRIC ]\n' +
    '             [ ttl-propagate { enabled | disabled } ]\n' +
    'INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...\n' +
    'NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]\n' +
    '	    [ dev STRING ] [ weight NUMBER ] NHFLAGS\n' +
    'FAMILY := [ inet | inet6 | mpls | bridge | link ]\n' +
    'OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]\n' +
    '           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]\n' +
    '           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]\n' +
    '           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]\n' +
    '           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]\n' +
    '           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]\n' +
    '           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]\n' +
    'TYPE := { unicast | local | broadcast | multicast | throw |\n' +
    '          unreachable | prohibit | blackhole | nat }\n' +
    'TABLE_ID := [ local | main | default | all | NUMBER ]\n' +
    'SCOPE := [ host | link | global | NUMBER ]\n' +
    'NHFLAGS := [ onlink | pervasive ]\n' +
    'RTPROTO := [ kernel | boot | static | NUMBER ]\n' +
    'PREF := [ low | medium | high ]\n' +
    'TIME := NUMBER[s|ms]\n' +
    'BOOL := [1|0]\n' +
    'FEATURES := ecn\n' +
    'ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 ]\n' +
    'ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR ]\n' +
    'SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]\n' +
    'SEGMODE := [ encap | inline ]\n' +
    'SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]\n' +
    'ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |\n' +
    '            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |\n' +
    '            End.BM | End.S | End.AS | End.AM | End.BPF }\n' +
    'OPTIONS := OPTION [ OPTIONS ]\n' +
    'OPTION := { srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |\n' +
    '            table TABLEID | vrftable TABLEID | endpoint PROGNAME }\n' +
    'IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE\n' +
    'ROUTE_GET_FLAGS := [ fibmatch ]\n');
  throw new IpExit(255);
}

// ---------------------------------------------------------------------------------------------
// A route as dumped (both families).

interface RtMsg {
  family: number;
  table: number;
  type: number;
  dstLen: number;
  /** IPv4 uint32 or IPv6 bytes; absent when dstLen is 0. */
  dst4?: number;
  dst6?: Uint8Array;
  tos: number;
  gateway?: string;
  gw4?: number;
  dev: NetDevice | null;
  protocol: number;
  scope: number;
  prefsrc?: string;
  prefsrc4?: number;
  metric?: number;
  onlink: boolean;
  linkdown: boolean;
  pref?: string;
  v4?: Route;
}

function v4Msg(r: Route): RtMsg {
  const m: RtMsg = {
    family: AF_INET, table: r.table, type: RTN_NUM[r.type] ?? 1, dstLen: r.plen, tos: r.tos, dev: r.dev,
    protocol: r.protocol, scope: r.scope, onlink: r.onlink, linkdown: false, v4: r,
  };
  if (r.plen) m.dst4 = r.dst;
  if (r.gateway) { m.gateway = ipv4Str(r.gateway); m.gw4 = r.gateway; }
  if (r.prefsrc) { m.prefsrc = ipv4Str(r.prefsrc); m.prefsrc4 = r.prefsrc; }
  if (r.metric) m.metric = r.metric;
  const d = r.dev;
  if (d && d.isUp && !d.carrier && r.scope !== RT_SCOPE_HOST && r.type !== 'local') m.linkdown = true;
  return m;
}

function v4Routes(c: IpCtx): RtMsg[] {
  const tables = [...c.ns.fib.tables.entries()].sort((a, b) => (a[0] & 255) - (b[0] & 255) || a[0] - b[0]);
  const out: RtMsg[] = [];
  for (const [, t] of tables) for (const r of t) out.push(v4Msg(r));
  return out;
}

function v6Key(a: Uint8Array, bit: number): number { return (a[bit >> 3]! >> (7 - (bit & 7))) & 1; }

/** fib6 walk order: by address bits, a more specific route before the prefix that contains it. */
function v6Cmp(a: RtMsg, b: RtMsg): number {
  const da = a.dst6 ?? new Uint8Array(16), db = b.dst6 ?? new Uint8Array(16);
  const m = Math.min(a.dstLen, b.dstLen);
  for (let i = 0; i < m; i++) {
    const x = v6Key(da, i), y = v6Key(db, i);
    if (x !== y) return x - y;
  }
  if (a.dstLen !== b.dstLen) return b.dstLen - a.dstLen;
  return (a.metric ?? 0) - (b.metric ?? 0);
}

function prefix6(addr: Uint8Array, plen: number): Uint8Array {
  const o = new Uint8Array(16);
  for (let i = 0; i < plen; i++) if (v6Key(addr, i)) o[i >> 3]! |= 1 << (7 - (i & 7));
  return o;
}

/** The IPv6 routes addrconf would have installed for the devices' addresses. */
function v6Routes(c: IpCtx): RtMsg[] {
  const now = c.lab.clock.now;
  const devs = [...c.ns.byIndex.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const seqOf = (d: NetDevice): number => {
    const s = d.inet6.map((a) => (a as { seq?: number }).seq).filter((x): x is number => typeof x === 'number');
    return s.length ? Math.min(...s) : d.ifindex;
  };
  const ordered = [...devs].sort((a, b) => seqOf(a) - seqOf(b));
  const main: RtMsg[] = [], local: RtMsg[] = [];
  const base = (table: number, type: number, dev: NetDevice, dst: Uint8Array, plen: number, metric: number): RtMsg => ({
    family: AF_INET6, table, type, dstLen: plen, dst6: dst, tos: 0, dev, protocol: RTPROT_KERNEL,
    scope: RT_SCOPE_UNIVERSE, metric, onlink: false, linkdown: false, pref: 'medium',
  });
  for (const d of ordered) {
    if (!d.isUp) continue;
    const addrs = inet6InOrder(d);
    const isLo = (d.flags & IFF_LOOPBACK) !== 0;
    const seen = new Set<string>();
    const hasLL = addrs.some((a) => a.scope === 'link');
    // addrconf makes a VRF slave's routes in the VRF's table (l3mdev_fib_table).
    const l3 = l3mdevFibTable(d);
    const mainTb = l3 || RT_TABLE_MAIN, localTb = l3 || RT_TABLE_LOCAL;
    if (!isLo && hasLL) {
      const r = base(mainTb, 1, d, prefix6(new Uint8Array([0xfe, 0x80]), 64), 64, 256);
      r.linkdown = !d.carrier;
      main.push(r);
      seen.add('fe80::/64');
    }
    for (const a of [...addrs].reverse()) {
      if (a.scope === 'global' && a.prefixlen < 128) {
        const p = prefix6(a.addr, a.prefixlen);
        const k = ipv6Str(p) + '/' + a.prefixlen;
        if (!seen.has(k)) {
          seen.add(k);
          const r = base(mainTb, 1, d, p, a.prefixlen, 256);
          r.linkdown = !d.carrier;
          main.push(r);
        }
      }
      if (!(a.tentativeUntil && a.tentativeUntil > now)) {
        local.push(base(localTb, 2, d, a.addr, 128, 0));
      }
    }
    if (!isLo && hasLL) {
      const r = base(localTb, 5, d, prefix6(new Uint8Array([0xff]), 8), 8, 256);
      r.linkdown = !d.carrier;
      local.push(r);
    }
  }
  const stable = (list: RtMsg[]): RtMsg[] => list.map((r, i) => [r, i] as const)
    .sort((x, y) => v6Cmp(x[0], y[0]) || x[1] - y[1]).map((e) => e[0]);
  if (!main.concat(local).some((r) => r.table !== RT_TABLE_MAIN && r.table !== RT_TABLE_LOCAL)) {
    return [...stable(main), ...stable(local)];
  }
  // VRF tables: each table's routes in walk order, tables in dump (hash bucket) order.
  const byTable = new Map<number, RtMsg[]>();
  for (const r of [...main, ...local]) {
    let t = byTable.get(r.table);
    if (!t) { t = []; byTable.set(r.table, t); }
    t.push(r);
  }
  return [...byTable.entries()].sort((a, b) => (a[0] & 255) - (b[0] & 255) || a[0] - b[0])
    .flatMap(([, list]) => stable(list));
}


// ---------------------------------------------------------------------------------------------
// Filters (iproute_list_flush_or_save + filter_nlmsg).

interface RouteFilter {
  tb: number;
  protocol: number; protocolmask: number;
  scope: number; scopemask: number;
  typemask: number;
  tos: number; tosmask: number;
  rdst?: InetPrefix; mdst?: InetPrefix;
  oif: number; oifmask: number;
  metric: number; metricmask: number;
  rvia?: InetPrefix; rprefsrc?: InetPrefix;
  cloned: boolean;
}

function newRouteFilter(): RouteFilter {
  return { tb: RT_TABLE_MAIN, protocol: 0, protocolmask: 0, scope: 0, scopemask: 0, typemask: 0, tos: 0,
    tosmask: 0, oif: 0, oifmask: 0, metric: 0, metricmask: 0, cloned: false };
}

function bitsMatch(m: RtMsg, pfx: InetPrefix, bits: number): boolean {
  if (bits <= 0) return true;
  if (m.family === AF_INET) {
    const d = m.dst4 ?? 0;
    return ((d ^ pfx.v4) & maskOf(Math.min(32, bits))) === 0;
  }
  const d = m.dst6 ?? new Uint8Array(16);
  for (let i = 0; i < Math.min(128, bits); i++) if (v6Key(d, i) !== v6Key(pfx.v6, i)) return false;
  return true;
}

function addrMatchStr(value: string | undefined, v4: number | undefined, pfx: InetPrefix): boolean {
  if (pfx.family === AF_INET) {
    if (v4 === undefined) return pfx.bitlen <= 0;
    return ((v4 ^ pfx.v4) & maskOf(Math.max(0, Math.min(32, pfx.bitlen)))) === 0;
  }
  return value !== undefined;
}

function filterRoute(c: IpCtx, f: RouteFilter, m: RtMsg): boolean {
  if (c.opts.family !== AF_UNSPEC && m.family !== c.opts.family) return false;
  if (f.cloned) return false;
  if (f.tb > 0 && f.tb !== m.table) return false;
  if ((f.protocol ^ m.protocol) & f.protocolmask) return false;
  if ((f.scope ^ m.scope) & f.scopemask) return false;
  if (f.typemask && !(f.typemask & (1 << m.type))) return false;
  if ((f.tos ^ m.tos) & f.tosmask) return false;
  if (f.rdst) {
    if (f.rdst.family && (m.family !== f.rdst.family || f.rdst.bitlen > m.dstLen)) return false;
    if (!f.rdst.family && f.rdst.prefixSpecified && f.rdst.bitlen > m.dstLen) return false;
  }
  if (f.mdst) {
    if (f.mdst.family && (m.family !== f.mdst.family || (f.mdst.bitlen >= 0 && f.mdst.bitlen < m.dstLen))) return false;
    if (!f.mdst.family && f.mdst.prefixSpecified && f.mdst.bitlen >= 0 && f.mdst.bitlen < m.dstLen) return false;
  }
  if (f.rvia && f.rvia.family && m.family !== f.rvia.family) return false;
  if (f.rprefsrc && f.rprefsrc.family && m.family !== f.rprefsrc.family) return false;
  if (f.rdst && (f.rdst.family || f.rdst.prefixSpecified) && !bitsMatch(m, f.rdst, f.rdst.bitlen)) return false;
  if (f.mdst && (f.mdst.family || f.mdst.prefixSpecified) && !bitsMatch(m, f.mdst, m.dstLen)) return false;
  if (f.rvia && f.rvia.family && f.rvia.bitlen > 0 && !addrMatchStr(m.gateway, m.gw4, f.rvia)) return false;
  if (f.rprefsrc && f.rprefsrc.family && f.rprefsrc.bitlen > 0 && !addrMatchStr(m.prefsrc, m.prefsrc4, f.rprefsrc)) return false;
  if (f.oifmask && (m.dev?.ifindex ?? 0) !== f.oif) return false;
  if (f.metricmask && (m.metric ?? 0) !== f.metric) return false;
  return true;
}

function dsfieldA2n(s: string): number | null {
  return strtoulMax(s, 255) ?? (/^[0-9a-fA-F]+$/.test(s) ? parseInt(s, 16) & 0xff : null);
}

function printRoute(c: IpCtx, m: RtMsg, f: RouteFilter, cloned = false, extra?: { from?: string; uid?: boolean; cache?: string; iif?: string }): void {
  const p = c.p;
  const det = c.opts.details;
  p.openObject(null);
  if ((m.type !== 1 || det > 0) && (!f.typemask || (f.typemask & (1 << m.type)))) {
    const t = RTN_NAME[m.type] ?? String(m.type);
    p.string('any', 'type', `${t} `, t);
  }
  const hostLen = m.family === AF_INET6 ? 128 : 32;
  let dst: string;
  if (m.dstLen === 0) dst = 'default';
  else {
    const a = m.family === AF_INET ? ipv4Str(m.dst4 ?? 0) : ipv6Str(m.dst6!);
    dst = m.dstLen !== hostLen ? `${a}/${m.dstLen}` : a;
  }
  p.string('any', 'dst', `${dst} `, dst);
  if (extra?.from !== undefined) p.string('any', 'from', `from ${extra.from} `, extra.from);
  if (m.tos && f.tosmask !== -1) {
    const t = '0x' + m.tos.toString(16).padStart(2, '0');
    p.string('any', 'tos', `tos ${t} `, t);
  }
  if (m.gateway !== undefined) {
    if (p.isJson) p.string('json', 'gateway', '', m.gateway); else p.fp(`via ${m.gateway} `);
  }
  if (m.dev && f.oifmask !== -1) {
    if (p.isJson) p.string('json', 'dev', '', m.dev.name); else p.fp(`dev ${m.dev.name} `);
  }
  if (m.table && (m.table !== RT_TABLE_MAIN || det > 0) && !f.tb) {
    const t = rttableN2a(m.table);
    p.string('any', 'table', `table ${t} `, t);
  }
  if (!cloned) {
    if ((m.protocol !== RTPROT_BOOT || det > 0) && f.protocolmask !== -1) {
      const pr = rtprotN2a(m.protocol);
      p.string('any', 'protocol', `proto ${pr} `, pr);
    }
    if ((m.scope !== RT_SCOPE_UNIVERSE || det > 0) && f.scopemask !== -1) {
      const s = rtscopeN2a(m.scope);
      p.string('any', 'scope', `scope ${s} `, s);
    }
  }
  if (m.prefsrc !== undefined) {
    if (p.isJson) p.string('json', 'prefsrc', '', m.prefsrc); else p.fp(`src ${m.prefsrc} `);
  }
  if (m.metric !== undefined && f.metricmask !== -1) p.num('any', 'metric', `metric ${m.metric} `, m.metric);
  p.openArray('json', p.isJson ? 'flags' : '');
  if (m.onlink) p.string('any', null, 'onlink ', 'onlink');
  if (m.linkdown) p.string('any', null, 'linkdown ', 'linkdown');
  if ((extra as { offloadFailed?: boolean } | undefined)?.offloadFailed) p.string('any', null, 'rt_offload_failed ', 'rt_offload_failed');
  p.closeArray('json', null);
  if (extra?.uid) p.num('any', 'uid', 'uid 0 ', 0);
  if (extra?.cache !== undefined) {
    if (p.isJson) {
      p.openArray('json', 'cache');
      for (const x of extra.cache ? extra.cache.split(',') : []) p.string('json', null, '', x);
      p.closeArray('json', null);
    } else p.fp(`${p.sl}    cache ${extra.cache ? `<${extra.cache}> ` : ''}${extra.iif ? `iif ${extra.iif} ` : ''}`);
  }
  if (m.pref) p.string('any', 'pref', `pref ${m.pref}`, m.pref);
  p.fp('\n');
  p.closeObject();
}

function listOrFlush(c: IpCtx, argv: string[], flush: boolean): number {
  const f = newRouteFilter();
  let dumpFamily = c.opts.family;
  if (flush && !argv.length) fail(c, '"ip route flush" requires arguments.\n', 1);
  const a = new Args(argv, c);
  let od: string | undefined, id: string | undefined;
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'table')) {
      const v = a.next();
      const t = rttableA2n(v);
      if (t === null) {
        if (v === 'all') f.tb = 0;
        else if (v === 'cache') f.cloned = true;
        else if (v === 'help') usage(c);
        else invarg(c, 'table id value is invalid\n', v);
      } else f.tb = t;
    } else if (matches(w, 'vrf')) {
      const v = a.next();
      const t = vrfTable(c.ns, v);
      if (!t) invarg(c, 'Invalid VRF\n', v);
      // The VRF's routes without the local and broadcast ones.
      f.tb = t;
      f.typemask = ~((1 << RTN_NUM['local']!) | (1 << RTN_NUM['broadcast']!));
    } else if (matches(w, 'cached') || matches(w, 'cloned')) {
      f.cloned = true;
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const t = dsfieldA2n(v);
      if (t === null) invarg(c, 'TOS value is invalid\n', v);
      f.tos = t; f.tosmask = -1;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      f.protocolmask = -1;
      let pr = rtprotA2n(v);
      if (pr === null) {
        if (v !== 'all') invarg(c, 'invalid "protocol"\n', v);
        pr = 0; f.protocolmask = 0;
      }
      f.protocol = pr;
    } else if (matches(w, 'scope')) {
      const v = a.next();
      f.scopemask = -1;
      let s = rtscopeA2n(v);
      if (s === null) {
        if (v !== 'all') invarg(c, 'invalid "scope"\n', v);
        s = 255; f.scopemask = 0;
      }
      f.scope = s;
    } else if (matches(w, 'type')) {
      const v = a.next();
      const t = rtntypeA2n(v);
      if (t === null) invarg(c, 'node type value is invalid\n', v);
      f.typemask = 1 << t;
    } else if (w === 'dev' || w === 'oif') {
      od = a.next();
    } else if (w === 'iif') {
      id = a.next();
    } else if (w === 'mark') {
      const v = a.next();
      if (getU32(v, 0) === null) invarg(c, 'invalid mark value', v);
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.next();
      const n = getU32(v, 0);
      if (n === null) invarg(c, '"metric" value is invalid\n', v);
      f.metric = n; f.metricmask = -1;
    } else if (w === 'via') {
      let v = a.next();
      let fam = readFamily(v);
      if (fam === AF_UNSPEC) fam = dumpFamily; else v = a.next();
      f.rvia = getPrefix(c, v, fam);
    } else if (w === 'src') {
      const v = a.next();
      f.rprefsrc = getPrefix(c, v, dumpFamily);
    } else if (matches(w, 'realms')) {
      a.next();
    } else if (matches(w, 'from')) {
      let v = a.next();
      if (matches(v, 'root') || matches(v, 'match') || matches(v, 'exact')) v = a.next();
      getPrefix(c, v, dumpFamily);
    } else {
      let v = w;
      if (matches(v, 'to')) v = a.next();
      if (matches(v, 'root')) {
        v = a.next();
        f.rdst = getPrefix(c, v, dumpFamily);
      } else if (matches(v, 'match')) {
        v = a.next();
        f.mdst = getPrefix(c, v, dumpFamily);
      } else {
        if (matches(v, 'exact')) v = a.next();
        f.mdst = getPrefix(c, v, dumpFamily);
        f.rdst = f.mdst;
      }
    }
    a.step();
  }
  if (dumpFamily === AF_UNSPEC && f.tb) dumpFamily = AF_INET;
  if (id) {
    const idx = llNameToIndex(c.ns, id);
    if (!idx) nodev(c, id);
  }
  if (od) {
    const idx = llNameToIndex(c.ns, od);
    if (!idx) nodev(c, od);
    f.oif = idx; f.oifmask = -1;
  }
  if (f.tb > 0 && dumpFamily === AF_INET && !f.cloned && !c.ns.fib.tables.has(f.tb)) {
    // inet_dump_fib with a table filter (strict dump): ENOENT for a table never made.
    c.err('Error: ipv4: FIB table does not exist.\n');
    fail(c, flush ? 'Flush terminated\n' : 'Dump terminated\n', 2);
  }
  const saved = c.opts.family;
  c.opts.family = dumpFamily;
  try {
    const routes = [...(dumpFamily !== AF_INET6 ? v4Routes(c) : []), ...(dumpFamily !== AF_INET ? v6Routes(c) : [])];
    if (flush) {
      if (f.cloned) return 0;
      let round = 0;
      for (;;) {
        const victims = (round === 0 ? routes : v4Routes(c)).filter((m) => filterRoute(c, f, m) && m.v4);
        if (!victims.length) {
          if (c.opts.stats) {
            if (round === 0) c.print('Nothing to flush.\n');
            else c.print(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
          }
          return 0;
        }
        round++;
        for (const m of victims) c.ns.fib.remove(m.v4!);
        if (c.opts.stats) c.print(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
      }
    }
    c.p.newJsonObj();
    for (const m of routes) if (filterRoute(c, f, m)) printRoute(c, m, f);
    c.p.deleteJsonObj();
    return 0;
  } finally {
    c.opts.family = saved;
  }
}

type ModCmd = 'add' | 'change' | 'replace' | 'prepend' | 'append' | 'test' | 'delete';

function modify(c: IpCtx, cmd: ModCmd, argv: string[]): number {
  const del = cmd === 'delete';
  let family = c.opts.family;
  let table = RT_TABLE_MAIN;
  let tableOk = false, scopeOk = false, typeOk = false, gwOk = false, dstOk = false;
  let type = del ? 0 : 1;
  let protocol: number | undefined = del ? undefined : RTPROT_BOOT;
  let scope: number | undefined;
  let dst: InetPrefix | undefined;
  let gw: InetPrefix | undefined;
  let prefsrc: InetPrefix | undefined;
  let metric: number | undefined;
  let tos = 0;
  let onlink = false;
  let devName: string | undefined;
  const a = new Args(argv, c);
  while (a.more) {
    const w = a.cur;
    if (w === 'src') {
      const v = a.next();
      prefsrc = getAddr(c, v, family);
      if (family === AF_UNSPEC) family = prefsrc.family;
    } else if (w === 'as') {
      let v = a.next();
      if (v === 'to') v = a.next();
      const x = getAddr(c, v, family);
      if (family === AF_UNSPEC) family = x.family;
    } else if (w === 'via') {
      if (gwOk) invarg(c, 'use nexthop syntax to specify multiple via\n', w);
      gwOk = true;
      let v = a.next();
      let fam = readFamily(v);
      if (fam === AF_UNSPEC) fam = family; else v = a.next();
      gw = getAddr(c, v, fam);
      if (family === AF_UNSPEC) family = gw.family;
    } else if (w === 'from') {
      const v = a.next();
      const x = getPrefix(c, v, family);
      if (family === AF_UNSPEC) family = x.family;
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const t = dsfieldA2n(v);
      if (t === null) invarg(c, '"tos" value is invalid\n', v);
      tos = t;
    } else if (w === 'expires') {
      const v = a.next();
      if (getU32(v, 0) === null) invarg(c, '"expires" value is invalid\n', v);
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.next();
      const n = getU32(v, 0);
      if (n === null) invarg(c, '"metric" value is invalid\n', v);
      metric = n;
    } else if (w === 'scope') {
      const v = a.next();
      const s = rtscopeA2n(v);
      if (s === null) invarg(c, 'invalid "scope" value\n', v);
      scope = s; scopeOk = true;
    } else if (['mtu', 'hoplimit', 'advmss', 'rtt', 'rto_min', 'rttvar'].includes(w) ||
      ['reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'ssthresh', 'quickack', 'congctl',
        'fastopen_no_cookie', 'realms'].some((k) => matches(w, k))) {
      let v = a.next();
      if (v === 'lock') v = a.next();
    } else if (matches(w, 'features')) {
      const v = a.next();
      if (v !== 'ecn') invarg(c, '"features" value not valid\n', v);
    } else if (w === 'onlink') {
      onlink = true;
    } else if (w === 'nexthop' || w === 'nhid' || w === 'encap') {
      fail(c, 'RTNETLINK answers: Operation not supported\n', 2);
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const pr = rtprotA2n(v);
      if (pr === null) invarg(c, '"protocol" value is invalid\n', v);
      protocol = pr;
    } else if (matches(w, 'table')) {
      const v = a.next();
      const t = rttableA2n(v);
      if (t === null) invarg(c, '"table" value is invalid\n', v);
      table = t; tableOk = true;
    } else if (matches(w, 'vrf')) {
      const v = a.next();
      const t = vrfTable(c.ns, v);
      if (!t) invarg(c, 'Invalid VRF\n', v);
      table = t; tableOk = true;
    } else if (w === 'dev' || w === 'oif') {
      devName = a.next();
    } else if (matches(w, 'pref')) {
      const v = a.next();
      if (!['low', 'medium', 'high'].includes(v) && getU8(v, 0) === null) invarg(c, '"pref" value is invalid\n', v);
    } else if (w === 'ttl-propagate') {
      const v = a.next();
      if (!matches(v, 'enabled') && !matches(v, 'disabled')) invarg(c, '"ttl-propagate" value is invalid\n', v);
    } else {
      let v = w;
      if (v === 'to') v = a.next();
      const first = v.charCodeAt(0);
      if ((first < 48 || first > 57) && rtntypeA2n(v) !== null) {
        type = rtntypeA2n(v)!;
        typeOk = true;
        v = a.next();
      }
      if (matches(v, 'help')) usage(c);
      if (dstOk) duparg2(c, 'to', v);
      dst = getPrefix(c, v, family);
      if (family === AF_UNSPEC) family = dst.family;
      dstOk = true;
    }
    a.step();
  }
  if (!dstOk) usage(c);
  let dev: NetDevice | null = null;
  if (devName !== undefined) {
    const idx = llNameToIndex(c.ns, devName);
    if (!idx) nodev(c, devName);
    dev = c.ns.byIndex.get(idx) ?? null;
    if (!dev) c.kernelFail(nlErr(Errno.ENODEV));
  }
  if (family === AF_UNSPEC) family = AF_INET;
  if (!tableOk && (type === 2 || type === 3 || type === 10 || type === 4)) table = RT_TABLE_LOCAL;
  if (!scopeOk) {
    if (family === AF_INET6) scope = RT_SCOPE_UNIVERSE;
    else if (type === 2 || type === 10) scope = RT_SCOPE_HOST;
    else if (type === 3 || type === 5 || type === 4) scope = RT_SCOPE_LINK;
    else if (type === 1 || type === 0) {
      if (del) scope = undefined;
      else if (!gwOk) scope = RT_SCOPE_LINK;
    }
  }
  if (family === AF_INET6) {
    // vnet keeps no user IPv6 routes: the kernel would accept them; say so plainly.
    c.kernelFail(nlErr(Errno.EOPNOTSUPP));
  }
  const d = dst!;
  const req: RouteReq = { table, dst: d.v4 >>> 0, plen: Math.max(0, d.bitlen), tos };
  if (type) req.type = RTN[type - 1] ?? 'unicast';
  if (dev) req.dev = dev;
  if (gw) req.gateway = gw.v4;
  if (onlink) req.onlink = true;
  if (protocol !== undefined) req.protocol = protocol;
  if (scope !== undefined) req.scope = scope;
  if (prefsrc) req.prefsrc = prefsrc.v4;
  if (metric !== undefined) req.metric = metric;
  // What nlmon shows: RTM_NEWROUTE/RTM_DELROUTE as iproute2 sends it, and the kernel's answer.
  const nlFlags = del ? 0 : cmd === 'add' || cmd === 'test' ? NLM_F_CREATE | NLM_F_EXCL
    : cmd === 'change' ? NLM_F_REPLACE : cmd === 'replace' ? NLM_F_CREATE | NLM_F_REPLACE
      : cmd === 'append' ? NLM_F_CREATE | NLM_F_APPEND : NLM_F_CREATE;
  const nlMsg = { table, type, dst: req.dst, dstLen: req.plen, tos, protocol: protocol ?? 0,
    scope: scope ?? (del ? 255 /* RT_SCOPE_NOWHERE: iproute2's request default for a delete */ : 0),
    gateway: req.gateway, oif: dev?.ifindex, prefsrc: req.prefsrc, metric };
  if (del) {
    return nlRouteTalk(c, true, nlFlags, nlMsg, () => {
      const r = delRoute(c.ns, req);
      if (!r.ok) c.kernelFail(r);
      return 0;
    });
  }
  return nlRouteTalk(c, false, nlFlags, nlMsg, () => {
    if (type > 10 || type === 0) c.kernelFail(nlErr(Errno.EINVAL));
    const mode: RouteMode = cmd === 'test' ? 'add' : cmd === 'add' ? 'add' : cmd === 'change' ? 'change'
      : cmd === 'replace' ? 'replace' : cmd === 'append' ? 'append' : 'prepend';
    const r = addRoute(c.ns, req, mode);
    if (!r.ok) c.kernelFail(r);
    return 0;
  });
}

/** ip route get: an output route lookup, printed as a cloned (cached) route. */
function routeGet(c: IpCtx, argv: string[]): number {
  const a = new Args(argv, c);
  let family = c.opts.family;
  let dst: InetPrefix | undefined;
  let from: InetPrefix | undefined;
  let idev: string | undefined, odev: string | undefined;
  let fibmatch = false;
  while (a.more) {
    const w = a.cur;
    if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      if (dsfieldA2n(v) === null) invarg(c, 'TOS value is invalid\n', v);
    } else if (matches(w, 'from')) {
      const v = a.next();
      if (matches(v, 'help')) usage(c);
      from = getPrefix(c, v, family);
      if (family === AF_UNSPEC) family = from.family;
    } else if (matches(w, 'iif')) {
      idev = a.next();
    } else if (matches(w, 'mark')) {
      const v = a.next();
      if (getU32(v, 0) === null) invarg(c, 'invalid mark value', v);
    } else if (matches(w, 'oif') || w === 'dev') {
      odev = a.next();
    } else if (matches(w, 'notify') || matches(w, 'connected')) {
      // accepted
    } else if (matches(w, 'vrf')) {
      const v = a.next();
      if (!vrfTable(c.ns, v)) invarg(c, 'Invalid VRF\n', v);
      odev = v;
    } else if (matches(w, 'uid')) {
      const v = a.next();
      if (getU32(v, 0) === null) invarg(c, 'invalid UID\n', v);
    } else if (matches(w, 'fibmatch')) {
      fibmatch = true;
    } else if (w === 'as') {
      let v = a.next();
      if (v === 'to') v = a.next();
      getAddr(c, v, family);
    } else if (matches(w, 'sport') || matches(w, 'dport') || matches(w, 'ipproto')) {
      a.next();
    } else {
      let v = w;
      if (v === 'to') v = a.next();
      if (matches(v, 'help')) usage(c);
      dst = getPrefix(c, v, family);
      if (family === AF_UNSPEC) family = dst.family;
      if (family === AF_INET && dst.bitlen !== 32) {
        c.err(`Warning: /${dst.bitlen} as prefix is invalid, only /32 (or none) is supported.\n`);
      } else if (family === AF_INET6 && dst.bitlen !== 128) {
        c.err(`Warning: /${dst.bitlen} as prefix is invalid, only /128 (or none) is supported.\n`);
      }
    }
    a.step();
  }
  if (!dst) fail(c, 'need at least a destination address\n', 1);
  let iif: NetDevice | null = null, oif: NetDevice | null = null;
  if (idev !== undefined) {
    const idx = llNameToIndex(c.ns, idev);
    if (!idx) nodev(c, idev);
    iif = c.ns.byIndex.get(idx) ?? null;
    if (!iif) c.kernelFail(nlErr(Errno.ENODEV));
  }
  if (odev !== undefined) {
    const idx = llNameToIndex(c.ns, odev);
    if (!idx) nodev(c, odev);
    oif = c.ns.byIndex.get(idx) ?? null;
    if (!oif) c.kernelFail(nlErr(Errno.ENODEV));
  }
  if (family === AF_UNSPEC) family = AF_INET;
  if (family === AF_INET6) c.kernelFail(nlErr(Errno.ENETUNREACH));
  const daddr = dst.v4 >>> 0;
  const saddr = from ? from.v4 >>> 0 : 0;
  const ns = c.ns;
  let r: Route | null;
  const localDev = isLocalAddr(ns, daddr);
  if (localDev && !iif) {
    r = ns.fib.table(RT_TABLE_LOCAL)?.find((x) => x.type === 'local' && ((daddr & maskOf(x.plen)) >>> 0) === x.dst) ?? null;
  } else if (oif && !iif && l3mdevFibTable(oif)) {
    // An output device in a VRF (or the VRF itself) sends the lookup to the VRF's table.
    r = routeOutput(ns, daddr, oif, saddr);
  } else {
    // Input lookups (iif) of a VRF's device use its table; policy rules see source and iif.
    const l3 = iif ? l3mdevFibTable(iif) : 0;
    r = ns.fib.lookup(daddr, oif, l3 || !ns.fib.plainRules ? { src: saddr, iif, l3Table: l3 } : null);
  }
  if (!r) {
    if (oif && !iif && !isL3Master(oif)) {
      // With an output device and no route, the kernel assumes the destination is on-link
      // (not for a VRF: l3mdev_update_flow has reset the output device).
      r = { table: RT_TABLE_MAIN, type: 'unicast', dst: daddr, plen: 32, tos: 0, dev: oif, gateway: 0, onlink: false,
        protocol: RTPROT_BOOT, scope: RT_SCOPE_LINK, prefsrc: 0, metric: 0, fromIfaddr: false };
    } else c.kernelFail(nlErr(Errno.ENETUNREACH));
  }
  if (r.type === 'unreachable') c.kernelFail(nlErr(Errno.EHOSTUNREACH));
  if (r.type === 'prohibit') c.kernelFail(nlErr(Errno.EACCES));
  if (r.type === 'blackhole') c.kernelFail(nlErr(Errno.EINVAL));
  if (r.type === 'throw') c.kernelFail(nlErr(Errno.EAGAIN));
  const f = newRouteFilter();
  f.tb = 0;
  if (fibmatch) {
    c.p.newJsonObj();
    printRoute(c, v4Msg(r), newRouteFilter());
    c.p.deleteJsonObj();
    return 0;
  }
  const isLocal = r.type === 'local';
  // The limited broadcast and multicast destinations make broadcast/multicast cache entries
  // (RTCF_BROADCAST / RTCF_MULTICAST) through the device of the route found, with no gateway.
  const isBrd = r.type === 'broadcast' || daddr === 0xffffffff;
  const isMc = (daddr >>> 28) === 0xe;
  if (isBrd || isMc) r = { ...r, gateway: 0 };
  // RTA_TABLE is the table the route came from; without policy rules the local table is merged
  // into main (fib_unmerge happens on the first rule added), so it reads main.
  const m: RtMsg = {
    family: AF_INET, table: ns.fib.plainRules ? RT_TABLE_MAIN : r.table, type: isLocal ? 2 : isBrd ? 3 : isMc ? 5 : 1,
    dstLen: 32, dst4: daddr, tos: 0,
    dev: isLocal ? (l3mdevMaster(r.dev) ?? ns.devices.get('lo') ?? r.dev) : (r.dev ?? null), protocol: 0, scope: 0, onlink: false,
    linkdown: false,
  };
  if (r.gateway && !isLocal) { m.gateway = ipv4Str(r.gateway); m.gw4 = r.gateway; }
  if (!from) {
    let src = r.prefsrc;
    if (!src) src = isLocal ? daddr : selectSrc(r.dev, r.gateway || daddr, r.gateway ? RT_SCOPE_LINK : r.scope);
    if (src) m.prefsrc = ipv4Str(src);
  }
  // A route out of lo is a local one for the cache flags (RTCF_LOCAL), whatever the destination.
  const viaLo = !isLocal && !!r.dev && r.dev.name === 'lo' && (r.dev.flags & 0x8) !== 0;
  const cache = isLocal || viaLo ? 'local' : isBrd ? 'local,brd' : isMc ? 'mc' : '';
  // RTM_F_OFFLOAD_FAILED shares its bit with RTCF_MULTICAST: iproute2 6.1 names it so.
  if (isMc) m.onlink = false;
  c.p.newJsonObj();
  const extra: { from?: string; uid?: boolean; cache?: string; iif?: string } = { uid: !iif, cache };
  // An input route lookup remembers the input device (RTA_IIF) in the cache line.
  if (iif) extra.iif = iif.name;
  if (from) extra.from = ipv4Str(saddr);
  if (isMc) (extra as { offloadFailed?: boolean }).offloadFailed = true;
  printRoute(c, m, f, true, extra);
  if (iif) c.p.fp('');
  c.p.deleteJsonObj();
  return 0;
}

export function doIproute(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) return listOrFlush(c, [], false);
  const w = argv[0]!;
  const rest = argv.slice(1);
  if (matches(w, 'add')) return modify(c, 'add', rest);
  if (matches(w, 'change') || w === 'chg') return modify(c, 'change', rest);
  if (matches(w, 'replace')) return modify(c, 'replace', rest);
  if (matches(w, 'prepend')) return modify(c, 'prepend', rest);
  if (matches(w, 'append')) return modify(c, 'append', rest);
  if (matches(w, 'test')) return modify(c, 'test', rest);
  if (matches(w, 'delete')) return modify(c, 'delete', rest);
  if (matches(w, 'list') || matches(w, 'show') || matches(w, 'lst')) return listOrFlush(c, rest, false);
  if (matches(w, 'get')) return routeGet(c, rest);
  if (matches(w, 'flush')) return listOrFlush(c, rest, true);
  if (matches(w, 'save')) fail(c, 'Not sending a binary stream to stdout\n', 255);
  if (matches(w, 'restore') || matches(w, 'showdump')) fail(c, 'Not a route dump\n', 255);
  if (matches(w, 'help')) usage(c);
  fail(c, `Command "${w}" is unknown, try "ip route help".\n`, 255);
}

export { AF_INET6 };
