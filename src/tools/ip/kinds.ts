/**
 * Per-kind pieces of `ip link` (ip/iplink_*.c, ip/link_veth.c as of iproute2 6.1): the parsers
 * for the words after `type KIND` (→ KindData for the core) and the `-d` printers for what the
 * kind's fillInfo/fillSlaveInfo report.
 *
 * KindData keys printed here are the camelCase names of the kernel's IFLA_<KIND>_* attributes.
 * Timers are in centiseconds (clock_t); bridge ids are either a string "8000.aa:bb:…" or
 * { prio: number, addr: Uint8Array }.
 */
import type { KindData } from '../../core/rtnl.ts';
import type { IpCtx } from './common.ts';
import type { PType, Printer } from './print.ts';
import {
  AF_INET, Args, IpExit, duparg, duparg2, fail, getAddr, getInteger, getU16, getU32, getU64, getU8,
  invarg, ipv4Str, ipv6Str, llAddrA2n, llNameToIndex, macStr, matches, nodev, rttableA2n,
} from './util.ts';
import { iplinkParse, newReq, parseOnOff, type LinkReq } from './link.ts';
import { geneveExplain, greExplain, parseGeneve, parseGre, printGeneve, printGre } from './kind-tunnels.ts';

export type KindParser = (c: IpCtx, a: Args, kind: string, req: LinkReq) => KindData;

/** Kinds iproute2 6.1 has a link_util for (others: "Garbage instead of arguments"). */
export const KNOWN_LINK_UTILS = new Set([
  'amt', 'bareudp', 'bond', 'bond_slave', 'bridge', 'bridge_slave', 'can', 'dsa', 'dummy', 'erspan',
  'geneve', 'gre', 'gretap', 'gtp', 'hsr', 'ifb', 'ip6erspan', 'ip6gre', 'ip6gretap', 'ip6tnl', 'ipip',
  'ipoib', 'ipvlan', 'ipvtap', 'macsec', 'macvlan', 'macvtap', 'netdevsim', 'nlmon', 'rmnet', 'sit',
  'team', 'team_slave', 'vcan', 'veth', 'vlan', 'vrf', 'vti', 'vti6', 'vxcan', 'vxlan', 'wwan', 'xfrm',
  'virt_wifi',
]);

// ---------------------------------------------------------------------------------------------
// veth

function vethUsage(): string {
  return 'Usage: ip link <options> type veth [peer <options>]\nTo get <options> type \'ip link add help\'\n';
}

const parseVeth: KindParser = (c, a, _kind, req) => {
  if (a.cur !== 'peer') {
    c.print(vethUsage());
    throw new IpExit(1);
  }
  const peerReq = newReq(req.create);
  const sub = new Args(a.rest().slice(1), c);
  const type = iplinkParse(c, sub, peerReq);
  if (type !== undefined) duparg(c, 'type', type);
  a.i += 1 + sub.i;
  const peer = peerReq.attrs;
  if (peerReq.change) { peer.flagsMask = peerReq.change; peer.flags = peerReq.flags; }
  if (peerReq.ifiIndex) peer.index = peerReq.ifiIndex;
  if (peerReq.badPid) req.badPid = true;
  return { peer };
};

// ---------------------------------------------------------------------------------------------
// macvlan / macvtap

function macvlanExplain(kind: string): string {
  return `Usage: ... ${kind} mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]\n` +
    '\n' +
    'MODE: private | vepa | bridge | passthru | source\n' +
    'MODE_FLAG: null | nopromisc | nodst\n' +
    'MODE_OPTS: for mode "source":\n' +
    '\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }\n' +
    'BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]\n';
}

const MACVLAN_FLAG_NOPROMISC = 1, MACVLAN_FLAG_NODST = 2;

const parseMacvlan: KindParser = (c, a, kind) => {
  const data: KindData = {};
  let mode: string | undefined;
  let flags = 0;
  let hasFlags = false;
  const bad = (): never => { c.err(macvlanExplain(kind)); throw new IpExit(1); };
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'mode')) {
      const v = a.next();
      if (['private', 'vepa', 'bridge', 'passthru', 'source'].includes(v)) mode = v;
      else {
        fail(c, `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"\n`, 1);
      }
    } else if (matches(w, 'flag')) {
      const v = a.next();
      if (v === 'nopromisc') flags |= MACVLAN_FLAG_NOPROMISC;
      else if (v === 'nodst') flags |= MACVLAN_FLAG_NODST;
      else if (v !== 'null') fail(c, `Error: argument of "flag" must be "nopromisc", "nodst" or "null", not "${v}"\n`, 1);
      hasFlags = true;
    } else if (matches(w, 'macaddr')) {
      const v = a.next();
      if (v !== 'add' && v !== 'del' && v !== 'set' && v !== 'flush') bad();
      data['macaddrMode'] = v;
      if (v === 'add' || v === 'del') {
        const m = a.next();
        const b = llAddrA2n(c, m);
        if (!b || b.length !== 6) throw new IpExit(1);
        data['macaddrs'] = [b];
      }
      if (v === 'set') {
        const list: Uint8Array[] = [];
        while (a.nextOk()) {
          a.step();
          const b = llAddrA2n(c, a.cur);
          if (!b || b.length !== 6) { a.i--; break; }
          list.push(b);
        }
        data['macaddrs'] = list;
      }
    } else if (matches(w, 'nopromisc')) {
      flags |= MACVLAN_FLAG_NOPROMISC; hasFlags = true;
    } else if (matches(w, 'nodst')) {
      flags |= MACVLAN_FLAG_NODST; hasFlags = true;
    } else if (matches(w, 'bcqueuelen')) {
      const v = a.next();
      const n = getU32(v, 0);
      if (n === null) {
        fail(c, `Error: argument of "bcqueuelen" must be a positive integer [0-4294967295], not "${v}"\n`, 1);
      }
      data['bcqueuelen'] = n;
    } else if (matches(w, 'help')) {
      bad();
    } else {
      c.err(`${kind}: unknown option "${w}"?\n`);
      bad();
    }
    a.step();
  }
  if (mode) data['mode'] = mode;
  if (hasFlags) {
    if (flags & MACVLAN_FLAG_NOPROMISC && mode !== 'passthru') {
      c.err(`${kind}: nopromisc flag only valid in passthru mode\n`);
      bad();
    }
    data['flags'] = flags;
  }
  return data;
};

const MACVLAN_MODE_NAMES: Record<number, string> = { 1: 'private', 2: 'vepa', 4: 'bridge', 8: 'passthru', 16: 'source' };

function printMacvlan(p: Printer, d: KindData): void {
  if (d['mode'] === undefined) return;
  const m = d['mode'];
  const mode = typeof m === 'number' ? (MACVLAN_MODE_NAMES[m] ?? 'unknown') : String(m);
  p.string('any', 'mode', `mode ${mode} `, mode);
  const flags = num(d['flags']);
  if (flags & MACVLAN_FLAG_NOPROMISC) p.bool('any', 'nopromisc', 'nopromisc ', true);
  if (flags & MACVLAN_FLAG_NODST) p.bool('any', 'nodst', 'nodst ', true);
  if (d['bcqueuelen'] !== undefined) p.num('any', 'bcqueuelen', `bcqueuelen ${num(d['bcqueuelen'])} `, num(d['bcqueuelen']));
  if (d['usedbcqueuelen'] !== undefined) {
    p.num('any', 'usedbcqueuelen', `usedbcqueuelen ${num(d['usedbcqueuelen'])} `, num(d['usedbcqueuelen']));
  }
  if (mode !== 'source') return;
  const macs = (d['macaddrs'] as Uint8Array[] | undefined) ?? [];
  const count = d['macaddrCount'] !== undefined ? num(d['macaddrCount']) : macs.length;
  p.num('any', 'macaddr_count', `remotes (${count | 0}) `, count | 0);
  p.openArray('json', 'macaddr_data');
  for (const m2 of macs) {
    if (p.isJson) p.string('json', null, '', macStr(m2));
    else p.fp(macStr(m2) + ' ');
  }
  p.closeArray('json', null);
}

// ---------------------------------------------------------------------------------------------
// bridge

function bridgeExplain(): string {
  return 'Usage: ... bridge [ fdb_flush ]\n' +
    '\t\t  [ forward_delay FORWARD_DELAY ]\n' +
    '\t\t  [ hello_time HELLO_TIME ]\n' +
    '\t\t  [ max_age MAX_AGE ]\n' +
    '\t\t  [ ageing_time AGEING_TIME ]\n' +
    '\t\t  [ stp_state STP_STATE ]\n' +
    '\t\t  [ priority PRIORITY ]\n' +
    '\t\t  [ group_fwd_mask MASK ]\n' +
    '\t\t  [ group_address ADDRESS ]\n' +
    '\t\t  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]\n' +
    '\t\t  [ vlan_filtering VLAN_FILTERING ]\n' +
    '\t\t  [ vlan_protocol VLAN_PROTOCOL ]\n' +
    '\t\t  [ vlan_default_pvid VLAN_DEFAULT_PVID ]\n' +
    '\t\t  [ vlan_stats_enabled VLAN_STATS_ENABLED ]\n' +
    '\t\t  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]\n' +
    '\t\t  [ mcast_snooping MULTICAST_SNOOPING ]\n' +
    '\t\t  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]\n' +
    '\t\t  [ mcast_router MULTICAST_ROUTER ]\n' +
    '\t\t  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]\n' +
    '\t\t  [ mcast_querier MULTICAST_QUERIER ]\n' +
    '\t\t  [ mcast_hash_elasticity HASH_ELASTICITY ]\n' +
    '\t\t  [ mcast_hash_max HASH_MAX ]\n' +
    '\t\t  [ mcast_last_member_count LAST_MEMBER_COUNT ]\n' +
    '\t\t  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]\n' +
    '\t\t  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]\n' +
    '\t\t  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]\n' +
    '\t\t  [ mcast_querier_interval QUERIER_INTERVAL ]\n' +
    '\t\t  [ mcast_query_interval QUERY_INTERVAL ]\n' +
    '\t\t  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]\n' +
    '\t\t  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]\n' +
    '\t\t  [ mcast_stats_enabled MCAST_STATS_ENABLED ]\n' +
    '\t\t  [ mcast_igmp_version IGMP_VERSION ]\n' +
    '\t\t  [ mcast_mld_version MLD_VERSION ]\n' +
    '\t\t  [ nf_call_iptables NF_CALL_IPTABLES ]\n' +
    '\t\t  [ nf_call_ip6tables NF_CALL_IP6TABLES ]\n' +
    '\t\t  [ nf_call_arptables NF_CALL_ARPTABLES ]\n' +
    '\n' +
    'Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }\n';
}

type NumParse = (s: string, base?: number) => number | null;
/** [keyword, data key, parser] in bridge_parse_opt's order (first matches() wins). */
const BRIDGE_NUM_OPTS: [string, string, NumParse | 'u64'][] = [
  ['forward_delay', 'forwardDelay', getU32], ['hello_time', 'helloTime', getU32], ['max_age', 'maxAge', getU32],
  ['ageing_time', 'ageingTime', getU32], ['stp_state', 'stpState', getU32], ['priority', 'priority', getU16],
  ['vlan_filtering', 'vlanFiltering', getU8],
];
const BRIDGE_NUM_OPTS2: [string, string, NumParse | 'u64'][] = [
  ['vlan_default_pvid', 'vlanDefaultPvid', getU16], ['vlan_stats_enabled', 'vlanStatsEnabled', getU8],
  ['vlan_stats_per_port', 'vlanStatsPerPort', getU8], ['mcast_router', 'mcastRouter', getU8],
  ['mcast_snooping', 'mcastSnooping', getU8],
];
const BRIDGE_NUM_OPTS3: [string, string, NumParse | 'u64'][] = [
  ['mcast_query_use_ifaddr', 'mcastQueryUseIfaddr', getU8], ['mcast_querier', 'mcastQuerier', getU8],
  ['mcast_hash_elasticity', 'mcastHashElasticity', getU32], ['mcast_hash_max', 'mcastHashMax', getU32],
  ['mcast_last_member_count', 'mcastLastMemberCnt', getU32],
  ['mcast_startup_query_count', 'mcastStartupQueryCnt', getU32],
  ['mcast_last_member_interval', 'mcastLastMemberIntvl', 'u64'],
  ['mcast_membership_interval', 'mcastMembershipIntvl', 'u64'],
  ['mcast_querier_interval', 'mcastQuerierIntvl', 'u64'], ['mcast_query_interval', 'mcastQueryIntvl', 'u64'],
  ['mcast_query_response_interval', 'mcastQueryResponseIntvl', 'u64'],
  ['mcast_startup_query_interval', 'mcastStartupQueryIntvl', 'u64'],
  ['mcast_stats_enabled', 'mcastStatsEnabled', getU8], ['mcast_igmp_version', 'mcastIgmpVersion', getU8],
  ['mcast_mld_version', 'mcastMldVersion', getU8], ['nf_call_iptables', 'nfCallIptables', getU8],
  ['nf_call_ip6tables', 'nfCallIp6tables', getU8], ['nf_call_arptables', 'nfCallArptables', getU8],
];

function numOpt(c: IpCtx, a: Args, kw: string, parse: NumParse | 'u64', msg = `invalid ${kw}`): number {
  const v = a.next();
  if (parse === 'u64') {
    const n = getU64(v, 0);
    if (n === null) invarg(c, msg, v);
    return Number(n);
  }
  const n = parse(v, 0);
  if (n === null) invarg(c, msg, v);
  return n;
}

function protoA2n(s: string): number | null {
  const l = s.toLowerCase();
  if (l === '802.1q') return 0x8100;
  if (l === '802.1ad') return 0x88a8;
  const known: Record<string, number> = { ip: 0x0800, arp: 0x0806, ipv6: 0x86dd, all: 0x0003 };
  if (known[l] !== undefined) return known[l]!;
  return getU16(s, 0);
}

function protoN2a(p: number): string {
  if (p === 0x8100) return '802.1Q';
  if (p === 0x88a8) return '802.1ad';
  if (p === 0x0800) return 'ip';
  if (p === 0x86dd) return 'ipv6';
  if (p === 0x0806) return 'arp';
  return '0x' + p.toString(16).padStart(4, '0');
}

const parseBridge: KindParser = (c, a) => {
  const data: KindData = {};
  outer: while (a.more) {
    const w = a.cur;
    for (const [kw, key, parse] of BRIDGE_NUM_OPTS) {
      if (matches(w, kw)) { data[key] = numOpt(c, a, kw, parse); a.step(); continue outer; }
    }
    if (matches(w, 'vlan_protocol')) {
      const v = a.next();
      const p = protoA2n(v);
      if (p === null) invarg(c, 'invalid vlan_protocol', v);
      data['vlanProtocol'] = p;
    } else if (matches(w, 'group_fwd_mask')) {
      data['groupFwdMask'] = numOpt(c, a, 'group_fwd_mask', getU16);
    } else if (matches(w, 'group_address')) {
      const v = a.next();
      const b = llAddrA2n(c, v);
      if (!b) throw new IpExit(1);
      data['groupAddr'] = b;
    } else if (w === 'no_linklocal_learn') {
      data['noLinklocalLearn'] = numOpt(c, a, 'no_linklocal_learn', getU8) ? 1 : 0;
    } else if (matches(w, 'fdb_flush')) {
      data['fdbFlush'] = true;
    } else {
      let hit = false;
      for (const [kw, key, parse] of BRIDGE_NUM_OPTS2) {
        if (matches(w, kw)) { data[key] = numOpt(c, a, kw, parse); hit = true; break; }
      }
      if (!hit && w === 'mcast_vlan_snooping') {
        data['mcastVlanSnooping'] = numOpt(c, a, 'mcast_vlan_snooping', getU8) ? 1 : 0;
        hit = true;
      }
      if (!hit) {
        for (const [kw, key, parse] of BRIDGE_NUM_OPTS3) {
          if (matches(w, kw)) { data[key] = numOpt(c, a, kw, parse); hit = true; break; }
        }
      }
      if (!hit) {
        if (matches(w, 'help')) { c.err(bridgeExplain()); throw new IpExit(1); }
        c.err(`bridge: unknown command "${w}"?\n`);
        c.err(bridgeExplain());
        throw new IpExit(1);
      }
    }
    a.step();
  }
  return data;
};

/** br_dump_bridge_id: "%.2x%.2x." + ether_ntoa (no leading zeros per byte). */
function bridgeId(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as { prio?: number | Uint8Array; priority?: number; addr?: Uint8Array; mac?: Uint8Array };
  let prio: number;
  if (o.prio instanceof Uint8Array) prio = (o.prio[0]! << 8) | o.prio[1]!;
  else prio = o.prio ?? o.priority ?? 0x8000;
  const addr = o.addr ?? o.mac ?? new Uint8Array(6);
  return prio.toString(16).padStart(4, '0') + '.' + [...addr].map((b) => b.toString(16)).join(':');
}

/** _print_timer: "%s %4i.%.2i " from a clock_t (centiseconds) value. */
function printTimer(p: Printer, key: string, v: unknown): void {
  const cs = Math.max(0, Math.floor(num(v)));
  const sec = Math.floor(cs / 100), frac = cs % 100;
  const f2 = String(frac).padStart(2, '0');
  if (p.isJson) p.jsonRaw(key, `${sec}.${f2}`);
  else p.fp(`${key} ${String(sec).padStart(4, ' ')}.${f2} `);
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') { const n = Number(v); return Number.isFinite(n) ? n : 0; }
  return 0;
}
function has(d: KindData, k: string): boolean { return d[k] !== undefined && d[k] !== null; }

function pu(p: Printer, d: KindData, key: string, jsonKey: string, label: string): void {
  if (!has(d, key)) return;
  const v = num(d[key]);
  p.num('any', jsonKey, `${label} ${v} `, v);
}

function printBridge(p: Printer, d0: KindData): void {
  const d = normBridge(d0);
  pu(p, d, 'forwardDelay', 'forward_delay', 'forward_delay');
  pu(p, d, 'helloTime', 'hello_time', 'hello_time');
  pu(p, d, 'maxAge', 'max_age', 'max_age');
  pu(p, d, 'ageingTime', 'ageing_time', 'ageing_time');
  pu(p, d, 'stpState', 'stp_state', 'stp_state');
  pu(p, d, 'priority', 'priority', 'priority');
  pu(p, d, 'vlanFiltering', 'vlan_filtering', 'vlan_filtering');
  if (has(d, 'vlanProtocol')) {
    const s = typeof d['vlanProtocol'] === 'string' ? d['vlanProtocol'] as string : protoN2a(num(d['vlanProtocol']));
    p.string('any', 'vlan_protocol', `vlan_protocol ${s} `, s);
  }
  if (has(d, 'bridgeId')) {
    const s = bridgeId(d['bridgeId']);
    p.string('any', 'bridge_id', `bridge_id ${s} `, s);
  }
  if (has(d, 'rootId')) {
    // iproute2 6.1 prints the bridge id here (it reads IFLA_BR_BRIDGE_ID for both).
    const s = bridgeId(d['bridgeId'] ?? d['rootId']);
    p.string('any', 'root_id', `designated_root ${s} `, s);
  }
  pu(p, d, 'rootPort', 'root_port', 'root_port');
  pu(p, d, 'rootPathCost', 'root_path_cost', 'root_path_cost');
  pu(p, d, 'topologyChange', 'topology_change', 'topology_change');
  pu(p, d, 'topologyChangeDetected', 'topology_change_detected', 'topology_change_detected');
  if (has(d, 'helloTimer')) printTimer(p, 'hello_timer', d['helloTimer']);
  if (has(d, 'tcnTimer')) printTimer(p, 'tcn_timer', d['tcnTimer']);
  if (has(d, 'topologyChangeTimer')) printTimer(p, 'topology_change_timer', d['topologyChangeTimer']);
  if (has(d, 'gcTimer')) printTimer(p, 'gc_timer', d['gcTimer']);
  pu(p, d, 'vlanDefaultPvid', 'vlan_default_pvid', 'vlan_default_pvid');
  pu(p, d, 'vlanStatsEnabled', 'vlan_stats_enabled', 'vlan_stats_enabled');
  pu(p, d, 'vlanStatsPerPort', 'vlan_stats_per_port', 'vlan_stats_per_port');
  if (has(d, 'groupFwdMask')) {
    const v = num(d['groupFwdMask']);
    p.hex0x('any', 'group_fwd_mask', `group_fwd_mask ${v ? '0x' + v.toString(16) : '0'} `, v);
  }
  if (has(d, 'groupAddr')) {
    const g = d['groupAddr'];
    const s = g instanceof Uint8Array ? macStr(g) : String(g);
    p.string('any', 'group_addr', `group_address ${s} `, s);
  }
  pu(p, d, 'mcastSnooping', 'mcast_snooping', 'mcast_snooping');
  pu(p, d, 'noLinklocalLearn', 'no_linklocal_learn', 'no_linklocal_learn');
  pu(p, d, 'mcastVlanSnooping', 'mcast_vlan_snooping', 'mcast_vlan_snooping');
  pu(p, d, 'mcastRouter', 'mcast_router', 'mcast_router');
  pu(p, d, 'mcastQueryUseIfaddr', 'mcast_query_use_ifaddr', 'mcast_query_use_ifaddr');
  pu(p, d, 'mcastQuerier', 'mcast_querier', 'mcast_querier');
  pu(p, d, 'mcastHashElasticity', 'mcast_hash_elasticity', 'mcast_hash_elasticity');
  pu(p, d, 'mcastHashMax', 'mcast_hash_max', 'mcast_hash_max');
  pu(p, d, 'mcastLastMemberCnt', 'mcast_last_member_cnt', 'mcast_last_member_count');
  pu(p, d, 'mcastStartupQueryCnt', 'mcast_startup_query_cnt', 'mcast_startup_query_count');
  pu(p, d, 'mcastLastMemberIntvl', 'mcast_last_member_intvl', 'mcast_last_member_interval');
  pu(p, d, 'mcastMembershipIntvl', 'mcast_membership_intvl', 'mcast_membership_interval');
  pu(p, d, 'mcastQuerierIntvl', 'mcast_querier_intvl', 'mcast_querier_interval');
  pu(p, d, 'mcastQueryIntvl', 'mcast_query_intvl', 'mcast_query_interval');
  pu(p, d, 'mcastQueryResponseIntvl', 'mcast_query_response_intvl', 'mcast_query_response_interval');
  pu(p, d, 'mcastStartupQueryIntvl', 'mcast_startup_query_intvl', 'mcast_startup_query_interval');
  pu(p, d, 'mcastStatsEnabled', 'mcast_stats_enabled', 'mcast_stats_enabled');
  pu(p, d, 'mcastIgmpVersion', 'mcast_igmp_version', 'mcast_igmp_version');
  pu(p, d, 'mcastMldVersion', 'mcast_mld_version', 'mcast_mld_version');
  pu(p, d, 'nfCallIptables', 'nf_call_iptables', 'nf_call_iptables');
  pu(p, d, 'nfCallIp6tables', 'nf_call_ip6tables', 'nf_call_ip6tables');
  pu(p, d, 'nfCallArptables', 'nf_call_arptables', 'nf_call_arptables');
}

// ---------------------------------------------------------------------------------------------
// bridge_slave

function bridgeSlaveExplain(): string {
  return 'Usage: ... bridge_slave [ fdb_flush ]\n' +
    '\t\t\t[ state STATE ]\n' +
    '\t\t\t[ priority PRIO ]\n' +
    '\t\t\t[ cost COST ]\n' +
    '\t\t\t[ guard {on | off} ]\n' +
    '\t\t\t[ hairpin {on | off} ]\n' +
    '\t\t\t[ fastleave {on | off} ]\n' +
    '\t\t\t[ root_block {on | off} ]\n' +
    '\t\t\t[ learning {on | off} ]\n' +
    '\t\t\t[ flood {on | off} ]\n' +
    '\t\t\t[ proxy_arp {on | off} ]\n' +
    '\t\t\t[ proxy_arp_wifi {on | off} ]\n' +
    '\t\t\t[ mcast_router MULTICAST_ROUTER ]\n' +
    '\t\t\t[ mcast_fast_leave {on | off} ]\n' +
    '\t\t\t[ mcast_flood {on | off} ]\n' +
    '\t\t\t[ bcast_flood {on | off} ]\n' +
    '\t\t\t[ mcast_to_unicast {on | off} ]\n' +
    '\t\t\t[ group_fwd_mask MASK ]\n' +
    '\t\t\t[ neigh_suppress {on | off} ]\n' +
    '\t\t\t[ vlan_tunnel {on | off} ]\n' +
    '\t\t\t[ isolated {on | off} ]\n' +
    '\t\t\t[ locked {on | off} ]\n' +
    '\t\t\t[ backup_port DEVICE ] [ nobackup_port ]\n';
}

/** [keyword, data key] of the on/off options, in bridge_slave_parse_opt's order. */
const BRPORT_ONOFF: [string, string][] = [
  ['hairpin', 'hairpin'], ['guard', 'guard'], ['root_block', 'rootBlock'], ['fastleave', 'fastleave'],
  ['learning', 'learning'], ['flood', 'flood'], ['mcast_flood', 'mcastFlood'], ['bcast_flood', 'bcastFlood'],
  ['mcast_to_unicast', 'mcastToUnicast'], ['proxy_arp', 'proxyArp'], ['proxy_arp_wifi', 'proxyArpWifi'],
];
const BRPORT_ONOFF2: [string, string][] = [
  ['mcast_fast_leave', 'fastleave'], ['neigh_suppress', 'neighSuppress'],
];
const BRPORT_ONOFF3: [string, string][] = [
  ['vlan_tunnel', 'vlanTunnel'], ['isolated', 'isolated'], ['locked', 'locked'],
];

const parseBridgeSlave: KindParser = (c, a) => {
  const data: KindData = {};
  const onoff = (kw: string, key: string): void => {
    const v = a.next();
    const r = parseOnOff(c, kw, v);
    if (r === null) throw new IpExit(1);
    data[key] = r;
  };
  outer: while (a.more) {
    const w = a.cur;
    if (matches(w, 'fdb_flush')) { data['flush'] = true; a.step(); continue; }
    if (matches(w, 'state')) { data['state'] = numOpt(c, a, 'state', getU8, 'state is invalid'); a.step(); continue; }
    if (matches(w, 'priority')) { data['priority'] = numOpt(c, a, 'priority', getU16, 'priority is invalid'); a.step(); continue; }
    if (matches(w, 'cost')) { data['cost'] = numOpt(c, a, 'cost', getU32, 'cost is invalid'); a.step(); continue; }
    for (const [kw, key] of BRPORT_ONOFF) {
      if (matches(w, kw)) { onoff(kw, key); a.step(); continue outer; }
    }
    if (matches(w, 'mcast_router')) { data['multicastRouter'] = numOpt(c, a, 'mcast_router', getU8); a.step(); continue; }
    for (const [kw, key] of BRPORT_ONOFF2) {
      if (matches(w, kw)) { onoff(kw, key); a.step(); continue outer; }
    }
    if (matches(w, 'group_fwd_mask')) { data['groupFwdMask'] = numOpt(c, a, 'group_fwd_mask', getU16); a.step(); continue; }
    for (const [kw, key] of BRPORT_ONOFF3) {
      if (matches(w, kw)) { onoff(kw, key); a.step(); continue outer; }
    }
    if (matches(w, 'backup_port')) {
      const v = a.next();
      const idx = llNameToIndex(c.ns, v);
      if (!idx) invarg(c, 'Device does not exist\n', v);
      data['backupPort'] = idx;
    } else if (matches(w, 'nobackup_port')) {
      data['backupPort'] = 0;
    } else if (matches(w, 'help')) {
      c.err(bridgeSlaveExplain());
      throw new IpExit(1);
    } else {
      c.err(`bridge_slave: unknown option "${w}"?\n`);
      c.err(bridgeSlaveExplain());
      throw new IpExit(1);
    }
    a.step();
  }
  return data;
};

const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

function po(p: Printer, d: KindData, key: string, jsonKey: string, label: string): void {
  if (!has(d, key)) return;
  p.onOff('any', jsonKey, (s) => `${label} ${s} `, !!num(d[key]));
}

/** The bridge driver's IFLA_BRPORT_* names → the option names used here (both are accepted). */
export function normBrport(d0: KindData): KindData {
  const d: KindData = { ...d0 };
  const alias: [string, string][] = [['hairpin', 'mode'], ['rootBlock', 'protect'], ['fastleave', 'fastLeave'],
    ['flood', 'unicastFlood'], ['proxyArp', 'proxyarp'], ['proxyArpWifi', 'proxyarpWifi'],
    ['mcastToUnicast', 'mcastToUcast'], ['multicastRouter', 'mcastRouter']];
  for (const [mine, theirs] of alias) if (d[mine] === undefined && d[theirs] !== undefined) d[mine] = d[theirs];
  return d;
}

/** Bridge data: the multi-boolopt pair may come nested. */
export function normBridge(d0: KindData): KindData {
  const d: KindData = { ...d0 };
  const mb = d['multiBoolopt'] as Record<string, unknown> | undefined;
  if (mb && typeof mb === 'object') {
    if (d['noLinklocalLearn'] === undefined && mb['noLinklocalLearn'] !== undefined) d['noLinklocalLearn'] = mb['noLinklocalLearn'];
    if (d['mcastVlanSnooping'] === undefined && mb['mcastVlanSnooping'] !== undefined) d['mcastVlanSnooping'] = mb['mcastVlanSnooping'];
  }
  return d;
}

function printBridgeSlave(p: Printer, d0: KindData, c: IpCtx): void {
  const d = normBrport(d0);
  if (has(d, 'state')) {
    const s = d['state'];
    const n = typeof s === 'string' ? PORT_STATES.indexOf(s) : num(s);
    if (n >= 0 && n <= 4) p.string('any', 'state', `state ${PORT_STATES[n]} `, PORT_STATES[n]!);
    else p.num('any', 'state_index', `state (${n}) `, n);
  }
  if (has(d, 'priority')) { const v = num(d['priority']); p.num('any', 'priority', `priority ${v} `, v); }
  if (has(d, 'cost')) { const v = num(d['cost']) | 0; p.num('any', 'cost', `cost ${v} `, v); }
  po(p, d, 'hairpin', 'hairpin', 'hairpin');
  po(p, d, 'guard', 'guard', 'guard');
  po(p, d, 'rootBlock', 'root_block', 'root_block');
  po(p, d, 'fastleave', 'fastleave', 'fastleave');
  po(p, d, 'learning', 'learning', 'learning');
  po(p, d, 'flood', 'flood', 'flood');
  if (has(d, 'id')) { const v = num(d['id']); p.hex0x('any', 'id', `port_id ${v ? '0x' + v.toString(16) : '0'} `, v); }
  if (has(d, 'no')) { const v = num(d['no']); p.hex0x('any', 'no', `port_no ${v ? '0x' + v.toString(16) : '0'} `, v); }
  pu(p, d, 'designatedPort', 'designated_port', 'designated_port');
  pu(p, d, 'designatedCost', 'designated_cost', 'designated_cost');
  if (has(d, 'bridgeId')) { const s = bridgeId(d['bridgeId']); p.string('any', 'bridge_id', `designated_bridge ${s} `, s); }
  if (has(d, 'rootId')) { const s = bridgeId(d['rootId']); p.string('any', 'root_id', `designated_root ${s} `, s); }
  if (has(d, 'holdTimer')) printTimer(p, 'hold_timer', d['holdTimer']);
  if (has(d, 'messageAgeTimer')) printTimer(p, 'message_age_timer', d['messageAgeTimer']);
  if (has(d, 'forwardDelayTimer')) printTimer(p, 'forward_delay_timer', d['forwardDelayTimer']);
  pu(p, d, 'topologyChangeAck', 'topology_change_ack', 'topology_change_ack');
  pu(p, d, 'configPending', 'config_pending', 'config_pending');
  po(p, d, 'proxyArp', 'proxy_arp', 'proxy_arp');
  po(p, d, 'proxyArpWifi', 'proxy_arp_wifi', 'proxy_arp_wifi');
  pu(p, d, 'multicastRouter', 'multicast_router', 'mcast_router');
  if (has(d, 'fastleave')) p.fp(`mcast_fast_leave ${num(d['fastleave']) ? 'on' : 'off'} `);
  po(p, d, 'mcastFlood', 'mcast_flood', 'mcast_flood');
  po(p, d, 'bcastFlood', 'bcast_flood', 'bcast_flood');
  po(p, d, 'mcastToUnicast', 'mcast_to_unicast', 'mcast_to_unicast');
  po(p, d, 'neighSuppress', 'neigh_suppress', 'neigh_suppress');
  if (has(d, 'groupFwdMask')) {
    const m = num(d['groupFwdMask']) & 0xffff;
    p.hex0x('any', 'group_fwd_mask', `group_fwd_mask ${m ? '0x' + m.toString(16) : '0'} `, m);
    const names: Record<number, string> = { 0: 'stp', 2: 'lacp', 14: 'lldp' };
    const parts: string[] = [];
    for (let i = 0, b = m; b; i++, b >>= 1) if (b & 1) parts.push(names[i] ?? '0x' + (1 << i).toString(16));
    const s = parts.length ? parts.join(',') : '0x0';
    p.string('any', 'group_fwd_mask_str', `group_fwd_mask_str ${s} `, s);
  }
  po(p, d, 'vlanTunnel', 'vlan_tunnel', 'vlan_tunnel');
  po(p, d, 'isolated', 'isolated', 'isolated');
  po(p, d, 'locked', 'locked', 'locked');
  if (has(d, 'backupPort') && num(d['backupPort'])) {
    const idx = num(d['backupPort']);
    const name = c.ns.byIndex.get(idx)?.name ?? `if${idx}`;
    p.string('any', 'backup_port', `backup_port ${name} `, name);
  }
}

// ---------------------------------------------------------------------------------------------
// vlan

function vlanExplain(): string {
  return 'Usage: ... vlan id VLANID\n' +
    '\t\t[ protocol VLANPROTO ]\n' +
    '\t\t[ reorder_hdr { on | off } ]\n' +
    '\t\t[ gvrp { on | off } ]\n' +
    '\t\t[ mvrp { on | off } ]\n' +
    '\t\t[ loose_binding { on | off } ]\n' +
    '\t\t[ bridge_binding { on | off } ]\n' +
    '\t\t[ ingress-qos-map QOS-MAP ]\n' +
    '\t\t[ egress-qos-map QOS-MAP ]\n' +
    '\n' +
    'VLANID := 0-4095\n' +
    'VLANPROTO: [ 802.1Q | 802.1ad ]\n' +
    'QOS-MAP := [ QOS-MAP ] QOS-MAPPING\n' +
    'QOS-MAPPING := FROM:TO\n';
}

const VLAN_FLAGS: [string, number][] = [
  ['reorder_hdr', 0x1], ['gvrp', 0x2], ['mvrp', 0x8], ['loose_binding', 0x4], ['bridge_binding', 0x10],
];

const parseVlan: KindParser = (c, a) => {
  const data: KindData = {};
  let flags = 0, mask = 0;
  outer: while (a.more) {
    const w = a.cur;
    if (matches(w, 'protocol')) {
      const v = a.next();
      const p = protoA2n(v);
      if (p === null) invarg(c, 'protocol is invalid', v);
      data['protocol'] = p;
    } else if (matches(w, 'id')) {
      const v = a.next();
      const n = getU16(v, 0);
      if (n === null) invarg(c, 'id is invalid', v);
      data['id'] = n;
    } else {
      for (const [kw, bit] of VLAN_FLAGS) {
        if (!matches(w, kw)) continue;
        const v = a.next();
        mask |= bit;
        if (v === 'on') flags |= bit;
        else if (v === 'off') flags &= ~bit;
        else fail(c, `Error: argument of "${kw}" must be "on" or "off", not "${v}"\n`, 1);
        a.step();
        continue outer;
      }
      if (matches(w, 'ingress-qos-map') || matches(w, 'egress-qos-map')) {
        const key = matches(w, 'ingress-qos-map') ? 'ingressQos' : 'egressQos';
        a.next();
        const maps: { from: number; to: number }[] = [];
        while (a.more) {
          const m = /^([^:]*):(.*)$/.exec(a.cur);
          if (!m) break;
          const from = getU32(m[1]!, 0), to = getU32(m[2]!, 0);
          // vlan_parse_qos_map cut the word at its colon: the error names the part before it
          if (from === null || to === null) invarg(c, `invalid ${key === 'ingressQos' ? 'ingress' : 'egress'}-qos-map`, m[1]!);
          maps.push({ from, to });
          a.step();
        }
        data[key] = maps;
        continue;
      }
      if (matches(w, 'help')) { c.err(vlanExplain()); throw new IpExit(1); }
      c.err(`vlan: unknown command "${w}"?\n`);
      c.err(vlanExplain());
      throw new IpExit(1);
    }
    a.step();
  }
  if (mask) { data['flags'] = flags; data['flagsMask'] = mask; }
  return data;
};

function printVlan(p: Printer, d: KindData): void {
  if (!has(d, 'id')) return;
  if (has(d, 'protocol')) {
    const pr = d['protocol'];
    const s = typeof pr === 'string' ? pr : protoN2a(num(pr));
    p.string('any', 'protocol', `protocol ${s} `, s);
  } else p.string('any', 'protocol', 'protocol 802.1q ', '802.1q');
  const id = num(d['id']);
  p.num('any', 'id', `id ${id} `, id);
  if (has(d, 'flags')) {
    let f = num(d['flags']);
    p.openArray('any', p.isJson ? 'flags' : '<');
    const names: [number, string][] = [[1, 'REORDER_HDR'], [2, 'GVRP'], [8, 'MVRP'], [4, 'LOOSE_BINDING'], [0x10, 'BRIDGE_BINDING']];
    for (const [bit, nm] of names) {
      if (!(f & bit)) continue;
      f &= ~bit;
      p.string('any', null, f ? `${nm},` : nm, nm);
    }
    if (f) p.string('any', null, f.toString(16), f.toString(16));
    p.closeArray('any', '> ');
  }
  for (const [key, jkey, label] of [['ingressQos', 'ingress_qos', 'ingress-qos-map'], ['egressQos', 'egress_qos', 'egress-qos-map']] as const) {
    if (!has(d, key)) continue;
    const maps = d[key] as { from: number; to: number }[];
    p.openArray('json', jkey);
    p.nl();
    p.fp(`      ${label} { `);
    for (const m of maps) {
      if (p.isJson) {
        p.openObject(null); p.num('json', 'from', '', m.from); p.num('json', 'to', '', m.to); p.closeObject();
      } else p.fp(`${m.from}:${m.to} `);
    }
    p.closeArray('json', null);
    p.fp('} ');
  }
}

// ---------------------------------------------------------------------------------------------
// ipvlan / ipvtap

function ipvlanExplain(kind: string): string {
  return `Usage: ... ${kind} [ mode MODE ] [ FLAGS ]\n` +
    '\n' +
    'MODE: l3 | l3s | l2\n' +
    'FLAGS: bridge | private | vepa\n' +
    '(first values are the defaults if nothing is specified).\n';
}

const parseIpvlan: KindParser = (c, a, kind) => {
  const data: KindData = {};
  let flags = 0;
  let given = false;
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'mode')) {
      const v = a.next();
      if (v === 'l2' || v === 'l3' || v === 'l3s') data['mode'] = v;
      else fail(c, 'Error: argument of "mode" must be either "l2", "l3" or "l3s"\n', 1);
    } else if (matches(w, 'private') && !given) { flags |= 1; given = true; }
    else if (matches(w, 'vepa') && !given) { flags |= 2; given = true; }
    else if (matches(w, 'bridge') && !given) { given = true; }
    else if (matches(w, 'help')) { c.err(ipvlanExplain(kind)); throw new IpExit(1); }
    else {
      c.err(`${kind}: unknown option "${w}"?\n`);
      c.err(ipvlanExplain(kind));
      throw new IpExit(1);
    }
    a.step();
  }
  data['flags'] = flags;
  return data;
};

function printIpvlan(p: Printer, d: KindData): void {
  if (has(d, 'mode')) {
    const m = d['mode'];
    const s = typeof m === 'string' ? m : (['l2', 'l3', 'l3s'][num(m)] ?? 'unknown');
    p.string('any', 'mode', ` mode ${s} `, s);
  }
  if (has(d, 'flags')) {
    const f = num(d['flags']);
    if (f & 1) p.bool('any', 'private', 'private ', true);
    else if (f & 2) p.bool('any', 'vepa', 'vepa ', true);
    else p.bool('any', 'bridge', 'bridge ', true);
  }
}

// ---------------------------------------------------------------------------------------------
// vxlan

function vxlanExplain(): string {
  return 'Usage: ... vxlan id VNI\n' +
    '\t\t[ { group | remote } IP_ADDRESS ]\n' +
    '\t\t[ local ADDR ]\n' +
    '\t\t[ ttl TTL ]\n' +
    '\t\t[ tos TOS ]\n' +
    '\t\t[ df DF ]\n' +
    '\t\t[ flowlabel LABEL ]\n' +
    '\t\t[ dev PHYS_DEV ]\n' +
    '\t\t[ dstport PORT ]\n' +
    '\t\t[ srcport MIN MAX ]\n' +
    '\t\t[ [no]learning ]\n' +
    '\t\t[ [no]proxy ]\n' +
    '\t\t[ [no]rsc ]\n' +
    '\t\t[ [no]l2miss ]\n' +
    '\t\t[ [no]l3miss ]\n' +
    '\t\t[ ageing SECONDS ]\n' +
    '\t\t[ maxaddress NUMBER ]\n' +
    '\t\t[ [no]udpcsum ]\n' +
    '\t\t[ [no]udp6zerocsumtx ]\n' +
    '\t\t[ [no]udp6zerocsumrx ]\n' +
    '\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]\n' +
    '\t\t[ [no]external ] [ gbp ] [ gpe ]\n' +
    '\t\t[ [no]vnifilter ]\n' +
    '\n' +
    'Where:\tVNI\t:= 0-16777215\n' +
    '\tADDR\t:= { IP_ADDRESS | any }\n' +
    '\tTOS\t:= { NUMBER | inherit }\n' +
    '\tTTL\t:= { 1..255 | auto | inherit }\n' +
    '\tDF\t:= { unset | set | inherit }\n' +
    '\tLABEL := 0-1048575\n';
}

const VXLAN_BOOLS: [string, string, boolean][] = [
  ['nolearning', 'learning', false], ['learning', 'learning', true], ['noproxy', 'proxy', false],
  ['proxy', 'proxy', true], ['norsc', 'rsc', false], ['rsc', 'rsc', true], ['nol2miss', 'l2miss', false],
  ['l2miss', 'l2miss', true], ['nol3miss', 'l3miss', false], ['l3miss', 'l3miss', true],
  ['udpcsum', 'udpCsum', true], ['noudpcsum', 'udpCsum', false],
  ['udp6zerocsumtx', 'udpZeroCsum6Tx', true], ['noudp6zerocsumtx', 'udpZeroCsum6Tx', false],
  ['udp6zerocsumrx', 'udpZeroCsum6Rx', true], ['noudp6zerocsumrx', 'udpZeroCsum6Rx', false],
  ['remcsumtx', 'remcsumTx', true], ['noremcsumtx', 'remcsumTx', false],
  ['remcsumrx', 'remcsumRx', true], ['noremcsumrx', 'remcsumRx', false],
  ['external', 'collectMetadata', true], ['noexternal', 'collectMetadata', false],
  ['gbp', 'gbp', true], ['gpe', 'gpe', true],
];

const parseVxlan: KindParser = (c, a, _kind, req) => {
  const data: KindData = {};
  const seen = new Set<string>();
  const once = (attr: string, key: string, arg: string): void => {
    if (seen.has(attr)) duparg2(c, key, arg);
    seen.add(attr);
  };
  const setOp = !req.create;
  let group: { v4?: number; v6?: Uint8Array; multi: boolean } | null = null;
  outer: while (a.more) {
    const w = a.cur;
    if (matches(w, 'id') || matches(w, 'vni')) {
      const v = a.next();
      once('id', 'id', v);
      const n = getU32(v, 0);
      if (n === null || n >= 1 << 24) invarg(c, 'invalid id', v);
      data['id'] = n;
    } else if (matches(w, 'group') || matches(w, 'remote')) {
      const isGroup = matches(w, 'group');
      if (group && group.multi !== isGroup) {
        fail(c, 'vxlan: both group and remote cannot be specified\n', 1);
      }
      const v = a.next();
      once('group', isGroup ? 'group' : 'remote', v);
      const ad = getAddr(c, v, 0);
      const multi = ad.family === AF_INET ? (ad.v4 >>> 28) === 14 : ad.v6[0] === 0xff;
      if (isGroup && !multi) invarg(c, 'invalid group address', v);
      if (!isGroup && multi) invarg(c, 'invalid remote address', v);
      group = ad.family === AF_INET ? { v4: ad.v4, multi } : { v6: ad.v6, multi };
      if (ad.family === AF_INET) data['group'] = ad.v4; else data['group6'] = ad.v6;
    } else if (matches(w, 'local')) {
      const v = a.next();
      once('local', 'local', v);
      if (v !== 'any') {
        const ad = getAddr(c, v, 0);
        if ((ad.family === AF_INET && (ad.v4 >>> 28) === 14) || (ad.family !== AF_INET && ad.v6[0] === 0xff)) {
          invarg(c, 'invalid local address', v);
        }
        if (ad.family === AF_INET) data['local'] = ad.v4; else data['local6'] = ad.v6;
      }
    } else if (matches(w, 'dev')) {
      const v = a.next();
      once('link', 'dev', v);
      const idx = llNameToIndex(c.ns, v);
      if (!idx) fail(c, `Cannot find device "${v}"\n`, 255); // exit(nodev(*argv)): -1
      data['link'] = idx;
    } else if (matches(w, 'ttl') || matches(w, 'hoplimit')) {
      const v = a.next();
      once('ttl', 'ttl', v);
      if (v === 'inherit') data['ttlInherit'] = true;
      else if (v === 'auto') data['ttl'] = 0;
      else {
        const n = getU32(v, 0);
        if (n === null) invarg(c, 'invalid TTL', v);
        if (n > 255) invarg(c, 'TTL must be <= 255', v);
        data['ttl'] = n;
      }
    } else if (matches(w, 'tos') || matches(w, 'dsfield')) {
      const v = a.next();
      once('tos', 'tos', v);
      if (v !== 'inherit') {
        const n = getU8(v, 16);
        if (n === null) invarg(c, 'bad TOS value', v);
        data['tos'] = n;
      } else data['tos'] = 1;
    } else if (matches(w, 'df')) {
      const v = a.next();
      once('df', 'df', v);
      if (v === 'unset') data['df'] = 0;
      else if (v === 'set') data['df'] = 1;
      else if (v === 'inherit') data['df'] = 2;
      else invarg(c, "DF must be 'unset', 'set' or 'inherit'", v);
    } else if (matches(w, 'label') || matches(w, 'flowlabel')) {
      const v = a.next();
      once('label', 'flowlabel', v);
      const n = getU32(v, 0);
      if (n === null || n & ~0xfffff) invarg(c, 'invalid flowlabel', v);
      data['label'] = n;
    } else if (matches(w, 'ageing')) {
      const v = a.next();
      once('ageing', 'ageing', v);
      if (v === 'none') data['ageing'] = 0;
      else {
        const n = getU32(v, 0);
        if (n === null) invarg(c, 'ageing timer', v);
        data['ageing'] = n;
      }
    } else if (matches(w, 'maxaddress')) {
      const v = a.next();
      once('limit', 'maxaddress', v);
      if (v === 'unlimited') data['limit'] = 0;
      else {
        const n = getU32(v, 0);
        if (n === null) invarg(c, 'max addresses', v);
        data['limit'] = n;
      }
    } else if (matches(w, 'port') || matches(w, 'srcport')) {
      const lo = a.next();
      once('portRange', 'srcport', lo);
      const l = getU16(lo, 0);
      if (l === null) invarg(c, 'min port', lo);
      const hi = a.next();
      const h = getU16(hi, 0);
      if (h === null) invarg(c, 'max port', hi);
      data['portRange'] = { low: l, high: h };
    } else if (matches(w, 'dstport')) {
      const v = a.next();
      once('port', 'dstport', v);
      const n = getU16(v, 0);
      if (n === null) invarg(c, 'dst port', v);
      data['port'] = n;
    } else {
      for (const [kw, key, val] of VXLAN_BOOLS) {
        if (!matches(w, kw)) continue;
        once(key, w, w);
        data[key] = val;
        a.step();
        continue outer;
      }
      if (w === 'vnifilter' || w === 'novnifilter') {
        once('vnifilter', w, w);
        data['vnifilter'] = w === 'vnifilter';
      } else if (matches(w, 'help')) {
        c.err(vxlanExplain()); throw new IpExit(1);
      } else {
        c.err(`vxlan: unknown command "${w}"?\n`);
        c.err(vxlanExplain());
        throw new IpExit(1);
      }
    }
    a.step();
  }
  const metadata = data['collectMetadata'] === true;
  if (!metadata && data['vnifilter'] === true) fail(c, "vxlan: vnifilter is valid only when 'external' is set\n", 1);
  if (metadata && seen.has('id')) fail(c, "vxlan: both 'external' and vni cannot be specified\n", 1);
  if (!metadata && data['vnifilter'] !== true && !seen.has('id') && !setOp) {
    fail(c, 'vxlan: missing virtual network identifier\n', 1);
  }
  if (group?.multi && !seen.has('link')) fail(c, "vxlan: 'group' requires 'dev' to be specified\n", 1);
  if (!seen.has('port') && seen.has('gpe')) data['port'] = 4790;
  else if (!seen.has('port') && !setOp) {
    c.err('vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n');
    c.err("Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
  }
  if (!setOp && !seen.has('learning')) data['learning'] = true;
  return data;
};

function printVxlan(p: Printer, d: KindData, c: IpCtx): void {
  if (d['collectMetadata'] === true || num(d['collectMetadata'])) p.bool('any', 'external', 'external ', true);
  if (d['vnifilter'] === true) p.bool('any', 'vnifilter', 'vnifilter', true);
  if (has(d, 'id')) { const v = num(d['id']); p.num('any', 'id', `id ${v} `, v); }
  if (has(d, 'group')) {
    const g = num(d['group']) >>> 0;
    if (g) {
      const s = ipv4Str(g);
      if ((g >>> 28) === 14) p.string('any', 'group', `group ${s} `, s);
      else p.string('any', 'remote', `remote ${s} `, s);
    }
  } else if (has(d, 'group6')) {
    const g = d['group6'] as Uint8Array;
    if (g.some((x) => x)) {
      const s = ipv6Str(g);
      if (g[0] === 0xff) p.string('any', 'group6', `group ${s} `, s);
      else p.string('any', 'remote6', `remote ${s} `, s);
    }
  }
  if (has(d, 'local')) {
    const l = num(d['local']) >>> 0;
    if (l) p.string('any', 'local', `local ${ipv4Str(l)} `, ipv4Str(l));
  } else if (has(d, 'local6')) {
    const l = d['local6'] as Uint8Array;
    if (l.some((x) => x)) p.string('any', 'local6', `local ${ipv6Str(l)} `, ipv6Str(l));
  }
  if (has(d, 'link') && num(d['link'])) {
    const idx = num(d['link']);
    const name = c.ns.byIndex.get(idx)?.name ?? `if${idx}`;
    p.string('any', 'link', `dev ${name} `, name);
  }
  if (has(d, 'portRange')) {
    const r = d['portRange'] as { low: number; high: number } | [number, number];
    const low = Array.isArray(r) ? r[0] : r.low, high = Array.isArray(r) ? r[1] : r.high;
    if (p.isJson) {
      p.openObject('port_range'); p.num('json', 'low', '', low); p.num('json', 'high', '', high); p.closeObject();
    } else p.fp(`srcport ${low} ${high} `);
  }
  if (has(d, 'port')) { const v = num(d['port']); p.num('any', 'port', `dstport ${v} `, v); }
  if (has(d, 'learning')) {
    const l = !!num(d['learning']);
    p.bool('json', 'learning', '', l);
    if (!l) p.bool('fp', null, 'nolearning ', true);
  }
  for (const [key, label] of [['proxy', 'proxy'], ['rsc', 'rsc'], ['l2miss', 'l2miss'], ['l3miss', 'l3miss']] as const) {
    if (num(d[key])) p.bool('any', key, `${label} `, true);
  }
  const tos = num(d['tos']);
  if (tos) {
    if (p.isJson || tos !== 1) p.hex0x('any', 'tos', `tos 0x${tos.toString(16)} `, tos);
    else p.fp('tos inherit ');
  }
  if (num(d['ttlInherit'])) p.fp('ttl inherit ');
  else if (has(d, 'ttl')) {
    const t = num(d['ttl']);
    if (p.isJson || t) p.num('any', 'ttl', `ttl ${t} `, t);
    else p.fp('ttl auto ');
  }
  if (has(d, 'df')) {
    const df = num(d['df']);
    if (df === 0) p.string('json', 'df', '', 'unset');
    else if (df === 1) p.string('any', 'df', 'df set ', 'set');
    else if (df === 2) p.string('any', 'df', 'df inherit ', 'inherit');
  }
  if (num(d['label'])) { const v = num(d['label']); p.hex0x('any', 'label', `flowlabel 0x${v.toString(16)} `, v); }
  if (has(d, 'ageing')) {
    const ag = num(d['ageing']);
    p.num('any', 'ageing', ag === 0 ? 'ageing none ' : `ageing ${ag} `, ag);
  }
  if (num(d['limit'])) { const v = num(d['limit']); p.num('any', 'limit', `maxaddr ${v} `, v); }
  for (const [key, jkey, label] of [['udpCsum', 'udp_csum', 'udpcsum'], ['udpZeroCsum6Tx', 'udp_zero_csum6_tx', 'udp6zerocsumtx'],
    ['udpZeroCsum6Rx', 'udp_zero_csum6_rx', 'udp6zerocsumrx']] as const) {
    if (!has(d, key)) continue;
    const v = !!num(d[key]);
    if (p.isJson) p.bool('any', jkey, '', v);
    else p.fp(`${v ? '' : 'no'}${label} `);
  }
  if (num(d['remcsumTx'])) p.bool('any', 'remcsum_tx', 'remcsumtx ', true);
  if (num(d['remcsumRx'])) p.bool('any', 'remcsum_rx', 'remcsumrx ', true);
  if (has(d, 'gbp') && d['gbp'] !== false) p.bool('any', 'gbp', 'gbp ', true);
  if (has(d, 'gpe') && d['gpe'] !== false) p.bool('any', 'gpe', 'gpe ', true);
}

// ---------------------------------------------------------------------------------------------
// bond, bond_slave, vrf

const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'];

function tblIndex(tbl: string[], name: string): number {
  const n = getInteger(name, 10);
  if (n !== null && n >= 0 && n < tbl.length) return n;
  return tbl.indexOf(name);
}

const parseBond: KindParser = (c, a) => {
  const data: KindData = {};
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'mode')) {
      const v = a.next();
      const i = tblIndex(BOND_MODES, v);
      if (i < 0) invarg(c, 'invalid mode', v);
      data['mode'] = i;
    } else if (matches(w, 'active_slave')) {
      const v = a.next();
      const idx = llNameToIndex(c.ns, v);
      if (!idx) nodev(c, v);
      data['activeSlave'] = idx;
    } else if (matches(w, 'clear_active_slave')) {
      data['activeSlave'] = 0;
    } else if (matches(w, 'miimon')) {
      const v = a.next();
      const n = getU32(v, 0);
      if (n === null) invarg(c, 'invalid miimon', v);
      data['miimon'] = n;
    } else if (matches(w, 'updelay') || matches(w, 'downdelay')) {
      const key = matches(w, 'updelay') ? 'updelay' : 'downdelay';
      const v = a.next();
      const n = getU32(v, 0);
      if (n === null) invarg(c, `invalid ${key}`, v);
      data[key] = n;
    } else if (matches(w, 'help')) {
      c.err('Usage: ... bond [ mode BONDMODE ] [ active_slave SLAVE_DEV ]\n');
      throw new IpExit(1);
    } else {
      c.err(`bond: unknown command "${w}"?\n`);
      throw new IpExit(1);
    }
    a.step();
  }
  return data;
};

function printBond(p: Printer, d: KindData, c: IpCtx): void {
  if (has(d, 'mode')) {
    const m = d['mode'];
    const s = typeof m === 'string' ? m : (BOND_MODES[num(m)] ?? 'UNKNOWN');
    p.string('any', 'mode', `mode ${s} `, s);
  }
  if (has(d, 'activeSlave') && num(d['activeSlave'])) {
    const n = c.ns.byIndex.get(num(d['activeSlave']))?.name;
    if (n) p.string('any', 'active_slave', `active_slave ${n} `, n);
  }
  const u = (key: string, label: string): void => pu(p, d, key, label, label);
  u('miimon', 'miimon'); u('updelay', 'updelay'); u('downdelay', 'downdelay');
  pu(p, d, 'peerNotifyDelay', 'peer_notify_delay', 'peer_notify_delay');
  pu(p, d, 'useCarrier', 'use_carrier', 'use_carrier');
  pu(p, d, 'arpInterval', 'arp_interval', 'arp_interval');
  pu(p, d, 'missedMax', 'arp_missed_max', 'arp_missed_max');
  const s = (key: string, label: string): void => {
    if (!has(d, key)) return;
    const v = String(d[key]);
    p.string('any', label, `${label} ${v} `, v);
  };
  s('arpValidate', 'arp_validate'); s('arpAllTargets', 'arp_all_targets'); s('primary', 'primary');
  s('primaryReselect', 'primary_reselect'); s('failOverMac', 'fail_over_mac'); s('xmitHashPolicy', 'xmit_hash_policy');
  pu(p, d, 'resendIgmp', 'resend_igmp', 'resend_igmp');
  pu(p, d, 'numPeerNotif', 'num_peer_notif', 'num_grat_arp');
  pu(p, d, 'allSlavesActive', 'all_slaves_active', 'all_slaves_active');
  pu(p, d, 'minLinks', 'min_links', 'min_links');
  pu(p, d, 'lpInterval', 'lp_interval', 'lp_interval');
  pu(p, d, 'packetsPerSlave', 'packets_per_slave', 'packets_per_slave');
  s('adLacpActive', 'lacp_active'); s('adLacpRate', 'lacp_rate'); s('adSelect', 'ad_select');
  // 802.3ad aggregator info and actor parameters, then tlb_dynamic_lb (bond.ts fills these).
  const ai = d['adInfo'] as KindData | undefined;
  if (ai) {
    p.openObject('ad_info');
    pu(p, ai, 'aggregator', 'aggregator', 'ad_aggregator'); pu(p, ai, 'numPorts', 'num_ports', 'ad_num_ports');
    pu(p, ai, 'actorKey', 'actor_key', 'ad_actor_key'); pu(p, ai, 'partnerKey', 'partner_key', 'ad_partner_key');
    if (ai['partnerMac'] instanceof Uint8Array) {
      const m = macStr(ai['partnerMac']);
      p.string('any', 'partner_mac', `ad_partner_mac ${m} `, m);
    }
    p.closeObject();
  }
  pu(p, d, 'adActorSysPrio', 'ad_actor_sys_prio', 'ad_actor_sys_prio');
  pu(p, d, 'adUserPortKey', 'ad_user_port_key', 'ad_user_port_key');
  if (d['adActorSystem'] instanceof Uint8Array) {
    const m = macStr(d['adActorSystem']);
    p.string('any', 'ad_actor_system', `ad_actor_system ${m} `, m);
  }
  pu(p, d, 'tlbDynamicLb', 'tlb_dynamic_lb', 'tlb_dynamic_lb');
}

/** print_slave_oper_state (ip/iplink_bond_slave.c): the LACP state bits by name. */
function printLacpState(p: Printer, name: string, state: number): void {
  p.openArray('any', name);
  p.fp(' <');
  const bits: [number, string][] = [[1, 'active'], [2, 'short_timeout'], [4, 'aggregating'], [8, 'in_sync'],
    [16, 'collecting'], [32, 'distributing'], [64, 'defaulted'], [128, 'expired']];
  let st = state;
  for (const [bit, label] of bits) {
    if (!(st & bit)) continue;
    st &= ~bit;
    p.string('any', null, st ? `${label},` : label, label);
  }
  p.closeArray('any', '> ');
}

function printBondSlave(p: Printer, d: KindData): void {
  if (has(d, 'state')) {
    const st = d['state'];
    const s = typeof st === 'string' ? st : (['ACTIVE', 'BACKUP'][num(st)] ?? String(num(st)));
    p.string('any', 'state', `state ${s} `, s);
  }
  if (has(d, 'miiStatus')) {
    const st = d['miiStatus'];
    const s = typeof st === 'string' ? st : (['UP', 'GOING_DOWN', 'DOWN', 'GOING_BACK'][num(st)] ?? String(num(st)));
    p.string('any', 'mii_status', `mii_status ${s} `, s);
  }
  pu(p, d, 'linkFailureCount', 'link_failure_count', 'link_failure_count');
  if (has(d, 'permHwaddr')) {
    const v = d['permHwaddr'];
    const s = v instanceof Uint8Array ? macStr(v) : String(v);
    p.string('any', 'perm_hwaddr', `perm_hwaddr ${s} `, s);
  }
  pu(p, d, 'queueId', 'queue_id', 'queue_id');
  pu(p, d, 'prio', 'prio', 'prio');
  pu(p, d, 'adAggregatorId', 'ad_aggregator_id', 'ad_aggregator_id');
  if (has(d, 'adActorOperPortState')) {
    pu(p, d, 'adActorOperPortState', 'ad_actor_oper_port_state', 'ad_actor_oper_port_state');
    printLacpState(p, 'ad_actor_oper_port_state_str', num(d['adActorOperPortState']));
  }
  if (has(d, 'adPartnerOperPortState')) {
    pu(p, d, 'adPartnerOperPortState', 'ad_partner_oper_port_state', 'ad_partner_oper_port_state');
    printLacpState(p, 'ad_partner_oper_port_state_str', num(d['adPartnerOperPortState']));
  }
}

const parseBondSlave: KindParser = (c, a) => {
  const data: KindData = {};
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'queue_id')) {
      const v = a.next();
      const n = getU16(v, 0);
      if (n === null) invarg(c, 'queue_id is invalid', v);
      data['queueId'] = n;
    } else if (matches(w, 'prio')) {
      const v = a.next();
      const n = getInteger(v, 0);
      if (n === null) invarg(c, 'prio is invalid', v);
      data['prio'] = n;
    } else {
      if (!matches(w, 'help')) c.err(`bond_slave: unknown option "${w}"?\n`);
      c.err('Usage: ... bond_slave [ queue_id ID ] [ prio PRIORITY ]\n');
      throw new IpExit(1);
    }
    a.step();
  }
  return data;
};

const parseVrf: KindParser = (c, a) => {
  const data: KindData = {};
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'table')) {
      const v = a.next();
      const t = rttableA2n(v);
      if (t === null) invarg(c, 'invalid table ID\n', v);
      data['table'] = t;
    } else if (matches(w, 'help')) {
      c.err('Usage: ... vrf table TABLEID\n'); throw new IpExit(1);
    } else {
      c.err(`vrf: unknown option "${w}"?\n`);
      c.err('Usage: ... vrf table TABLEID\n');
      throw new IpExit(1);
    }
    a.step();
  }
  return data;
};

function printVrf(p: Printer, d: KindData): void { pu(p, d, 'table', 'table', 'table'); }

// ---------------------------------------------------------------------------------------------

export const KIND_PARSERS: Record<string, KindParser> = {
  veth: parseVeth, macvlan: parseMacvlan, macvtap: parseMacvlan, bridge: parseBridge,
  bridge_slave: parseBridgeSlave, vlan: parseVlan, ipvlan: parseIpvlan, ipvtap: parseIpvlan,
  vxlan: parseVxlan, bond: parseBond, bond_slave: parseBondSlave, vrf: parseVrf,
  geneve: parseGeneve, gre: parseGre, gretap: parseGre, erspan: parseGre, // kind-tunnels.ts
};

export type KindPrinter = (p: Printer, d: KindData, c: IpCtx) => void;

/** print_opt of the kinds that have one (veth and dummy have none: only the kind word prints). */
export const KIND_PRINTERS: Record<string, KindPrinter> = {
  macvlan: printMacvlan, macvtap: printMacvlan, bridge: printBridge, bridge_slave: printBridgeSlave,
  vlan: printVlan, ipvlan: printIpvlan, ipvtap: printIpvlan, vxlan: printVxlan, bond: printBond,
  bond_slave: printBondSlave, vrf: printVrf, vrf_slave: (p, d) => pu(p, d, 'table', 'table', 'table'),
  geneve: printGeneve, gre: printGre, gretap: printGre, erspan: printGre, // kind-tunnels.ts
};

/** `ip link help TYPE` (print_help, to stdout). */
export const KIND_HELP: Record<string, (kind: string) => string> = {
  veth: vethUsage, macvlan: macvlanExplain, macvtap: macvlanExplain, bridge: bridgeExplain,
  bridge_slave: bridgeSlaveExplain, vlan: vlanExplain, ipvlan: ipvlanExplain, ipvtap: ipvlanExplain,
  vxlan: vxlanExplain, vrf: () => 'Usage: ... vrf table TABLEID\n', dummy: () => 'Usage: ... dummy\n',
  geneve: geneveExplain, gre: greExplain, gretap: greExplain, erspan: greExplain, // kind-tunnels.ts
};

export type { PType };
