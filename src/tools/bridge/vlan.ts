/** `bridge vlan` (iproute2 6.1 bridge/vlan.c): show, add, del. */
import type { NetDevice } from '../../core/netdev.ts';
import {
  BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, bridgeConfig, portOf, vlanDump, vlanRequest, type VlanDumpEntry,
} from '../../core/drivers/bridge/index.ts';
import { atoi, matches, type BrCtx } from './common.ts';

const USAGE =
  'Usage: bridge vlan { add | del } vid VLAN_ID dev DEV [ tunnel_info id TUNNEL_ID ]\n' +
  '                                                     [ pvid ] [ untagged ]\n' +
  '                                                     [ self ] [ master ]\n' +
  '       bridge vlan { set } vid VLAN_ID dev DEV [ state STP_STATE ]\n' +
  '                                               [ mcast_router MULTICAST_ROUTER ]\n' +
  '       bridge vlan { show } [ dev DEV ] [ vid VLAN_ID ]\n' +
  '       bridge vlan { tunnelshow } [ dev DEV ] [ vid VLAN_ID ]\n' +
  '       bridge vlan global { set } vid VLAN_ID dev DEV\n' +
  '                      [ mcast_snooping MULTICAST_SNOOPING ]\n' +
  '                      [ mcast_querier MULTICAST_QUERIER ]\n' +
  '                      [ mcast_igmp_version IGMP_VERSION ]\n' +
  '                      [ mcast_mld_version MLD_VERSION ]\n' +
  '                      [ mcast_last_member_count LAST_MEMBER_COUNT ]\n' +
  '                      [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]\n' +
  '                      [ mcast_startup_query_count STARTUP_QUERY_COUNT ]\n' +
  '                      [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]\n' +
  '                      [ mcast_membership_interval MEMBERSHIP_INTERVAL ]\n' +
  '                      [ mcast_querier_interval QUERIER_INTERVAL ]\n' +
  '                      [ mcast_query_interval QUERY_INTERVAL ]\n' +
  '                      [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]\n' +
  '       bridge vlan global { show } [ dev DEV ] [ vid VLAN_ID ]\n';

function usage(c: BrCtx): never { c.fail(USAGE, 255); }

/** C's conversion of an int to `short`. */
function toShort(n: number): number { return ((n & 0xffff) ^ 0x8000) - 0x8000; }

function vlanShow(c: BrCtx, argv: string[]): number {
  let filterDev: string | null = null;
  let filterVlan = 0;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const next = (): string => {
      if (i + 1 >= argv.length) c.fail('Command line is not complete. Try option "help"\n');
      return argv[++i]!;
    };
    if (w === 'dev') {
      const v = next();
      if (filterDev !== null) c.fail(`Error: duplicate "dev": "${v}" is the second value.\n`);
      filterDev = v;
    } else if (w === 'vid') {
      const v = next();
      if (filterVlan) c.fail(`Error: duplicate "vid": "${v}" is the second value.\n`);
      filterVlan = atoi(v);
    }
  }
  let only: NetDevice | null = null;
  if (filterDev !== null) {
    only = c.dev(filterDev) ?? null;
    if (!only) c.fail(`Cannot find device "${filterDev}"\n`);
  }
  const p = c.p;
  p.newJsonObj();
  if (c.opts.stats && !c.opts.details) { vlanShowStats(c, only, filterVlan); p.deleteJsonObj(); return 0; }
  if (!p.isJson) c.print(`${'port'.padEnd(16)}  ${'vlan-id'.padEnd(9)}\n`);
  if (c.opts.details) {
    // RTM_GETVLAN exists only with CONFIG_BRIDGE_VLAN_FILTERING: rtnl_dump_filter's failure path
    if (!bridgeConfig(c.lab).vlanFiltering) {
      c.err('RTNETLINK answers: Operation not supported\nDump terminated\n');
      return 1;
    }
    vlanShowDetails(c, only, filterVlan);
    p.deleteJsonObj();
    return 0;
  }
  for (const dev of c.ns.devices.values()) {
    if (only && dev !== only) continue;
    if (!portOf(dev) && dev.kind !== 'bridge') continue;
    const vl = vlanDump(dev);
    if (!vl || !vl.length) continue;
    let opened = false;
    for (const v of vl) {
      if (filterVlan && v.vid !== filterVlan) continue;
      opened = vlanEntryHead(p, dev, opened, 'vlan', v);
      p.closeObject();
      p.nl();
    }
    if (opened) { p.closeArray('json', null); p.closeObject(); }
  }
  p.deleteJsonObj();
  return 0;
}

/**
 * The start of one VLAN entry of a device (print_vlan_info / print_range): the device name on its
 * first entry (a blank column after), then the VID (or range), then the PVID/untagged flags.
 * Returns true: the device's object is open from then on.
 */
function vlanEntryHead(p: BrCtx['p'], dev: NetDevice, opened: boolean, vidKey: 'vlan' | 'vid',
  r: { vid: number; end?: number; pvid: boolean; untagged: boolean }): true {
  if (!opened) {
    p.openObject(null);
    p.string('any', 'ifname', p.col('ifname', `${dev.name.padEnd(16)}  `), dev.name);
    p.openArray('json', 'vlans');
  } else {
    p.fp(`${''.padEnd(16)}  `);
  }
  p.openObject(null);
  p.num('any', vidKey, `${r.vid}`, r.vid);
  if (r.end !== undefined && r.end !== r.vid) p.num('any', 'vlanEnd', `-${r.end}`, r.end);
  if (r.pvid || r.untagged) {
    p.openArray('json', 'flags');
    if (r.pvid) p.string('any', null, ' PVID', 'PVID');
    if (r.untagged) p.string('any', null, ' Egress Untagged', 'Egress Untagged');
    p.closeArray('json', null);
  }
  return true;
}

/** The two counter lines of a VLAN (print_one_vlan_stats, and the RTM_GETVLAN dump's stats). */
function printStats(c: BrCtx, v: VlanDumpEntry): void {
  const p = c.p;
  p.fp(`${''.padEnd(16)}    `);
  p.num('any', 'rx_bytes', `RX: ${v.rxBytes} bytes`, v.rxBytes);
  p.num('any', 'rx_packets', ` ${v.rxPackets} packets\n`, v.rxPackets);
  p.fp(`${''.padEnd(16)}    `);
  p.num('any', 'tx_bytes', `TX: ${v.txBytes} bytes`, v.txBytes);
  p.num('any', 'tx_packets', ` ${v.txPackets} packets\n`, v.txPackets);
}

/**
 * `bridge -s vlan show`: two stats dumps, the bridges' own VLANs (IFLA_STATS_LINK_XSTATS) and
 * then the ports' (XSTATS_SLAVE), each VLAN with its counters.
 */
function vlanShowStats(c: BrCtx, only: NetDevice | null, filterVlan: number): void {
  const p = c.p;
  if (!p.isJson) c.print(`${'port'.padEnd(16)}  vlan-id\n`);
  for (const bridges of [true, false]) {
    for (const dev of c.ns.devices.values()) {
      if (only && dev !== only) continue;
      if (bridges ? dev.kind !== 'bridge' : !portOf(dev)) continue;
      const vl = vlanDump(dev) ?? [];
      let opened = false;
      for (const v of vl) {
        if (filterVlan && filterVlan !== v.vid) continue;
        opened = vlanEntryHead(p, dev, opened, 'vid', v);
        p.nl();
        printStats(c, v);
        p.closeObject();
      }
      if (opened) { p.closeArray('json', null); p.closeObject(); }
    }
  }
}

/** One entry of the RTM_GETVLAN dump: consecutive VLANs with the same flags and options form a range. */
interface VlanRange { vid: number; end: number; pvid: boolean; untagged: boolean; first: VlanDumpEntry }

/** br_vlan_dump_dev's grouping (the pvid always stands alone; vnet's per-VLAN options are all default). */
function vlanRanges(list: VlanDumpEntry[], stats: boolean): VlanRange[] {
  const out: VlanRange[] = [];
  for (const v of list) {
    const last = out[out.length - 1];
    // with counters asked for (BRIDGE_VLANDB_DUMPF_STATS) every VLAN is its own entry
    if (!stats && last && !v.pvid && !last.pvid && v.vid - last.end === 1 && v.untagged === last.untagged) last.end = v.vid;
    else out.push({ vid: v.vid, end: v.vid, pvid: v.pvid, untagged: v.untagged, first: v });
  }
  return out;
}

/**
 * `bridge -d vlan show`: iproute2 6.1 asks for the RTM_GETVLAN dump (print_vlan_rtm), which adds
 * each VLAN's options on a second line: its STP state (forwarding: vnet has no per-VLAN STP) and
 * multicast router mode (1, the default).
 */
function vlanShowDetails(c: BrCtx, only: NetDevice | null, filterVlan: number): void {
  const p = c.p;
  for (const dev of c.ns.devices.values()) {
    if (only && dev !== only) continue;
    if (!portOf(dev) && dev.kind !== 'bridge') continue;
    const vl = vlanDump(dev);
    if (!vl || !vl.length) continue;
    let opened = false;
    for (const r of vlanRanges(vl, c.opts.stats > 0)) {
      if (filterVlan && (filterVlan < r.vid || filterVlan > r.end)) continue;
      opened = vlanEntryHead(p, dev, opened, 'vlan', r);
      p.nl();
      p.fp(`${''.padEnd(16)}    `);
      p.string('any', 'state', 'state forwarding ', 'forwarding');
      p.num('any', 'mcast_router', 'mcast_router 1 ', 1);
      p.nl();
      if (c.opts.stats) printStats(c, r.first);
      p.closeObject();
    }
    if (opened) { p.closeArray('json', null); p.closeObject(); }
  }
}

function vlanModify(c: BrCtx, add: boolean, argv: string[]): number {
  let d: string | null = null;
  let vid = -1, vidEnd = -1;
  let flags = 0;
  let self = false, master = false;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const next = (): string => {
      if (i + 1 >= argv.length) c.fail('Command line is not complete. Try option "help"\n');
      return argv[++i]!;
    };
    if (w === 'dev') d = next();
    else if (w === 'vid') {
      // vlan_modify keeps both ends in a `short` and prints them with %hu
      const v = next();
      const dash = v.indexOf('-');
      if (dash >= 0) {
        vid = toShort(atoi(v.slice(0, dash)));
        vidEnd = toShort(atoi(v.slice(dash + 1)));
        if (vid >= vidEnd || vidEnd >= 4096) c.fail(`Invalid VLAN range "${vid & 0xffff}-${vidEnd & 0xffff}"\n`);
      } else {
        vid = toShort(atoi(v));
      }
    } else if (w === 'self') self = true;
    else if (w === 'master') master = true;
    else if (w === 'pvid') flags |= BRIDGE_VLAN_INFO_PVID;
    else if (w === 'untagged') flags |= BRIDGE_VLAN_INFO_UNTAGGED;
    else if (w === 'tunnel_info') { next(); next(); }
    else if (matches(w, 'help')) usage(c);
    else usage(c);
  }
  if (d === null || vid === -1) c.fail('Device and VLAN ID are required arguments.\n');
  const dev = c.dev(d);
  if (!dev) c.fail(`Cannot find bridge device "${d}"\n`);
  if (vid >= 4096) c.fail(`Invalid VLAN ID "${vid & 0xffff}"\n`);
  if (vidEnd !== -1 && (flags & BRIDGE_VLAN_INFO_PVID)) c.fail('pvid cannot be configured for a vlan range\n');
  // a negative `short` goes to the kernel as its u16 value (which br_vlan_valid_id refuses)
  const first = vid & 0xffff;
  const last = vidEnd === -1 ? first : vidEnd;
  for (let v = first; v <= last; v++) {
    const r = vlanRequest(dev, add, v, flags, { self, master });
    if (!r.ok) c.kernelFail(r);
  }
  return 0;
}

export function doVlan(c: BrCtx, argv: string[]): number {
  if (!argv.length) return vlanShow(c, []);
  const w = argv[0]!;
  const rest = argv.slice(1);
  if (matches(w, 'add')) return vlanModify(c, true, rest);
  if (matches(w, 'delete')) return vlanModify(c, false, rest);
  if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return vlanShow(c, rest);
  if (matches(w, 'help')) usage(c);
  c.fail(`Command "${w}" is unknown, try "bridge vlan help".\n`);
}
