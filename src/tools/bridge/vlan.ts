/** `bridge vlan` (iproute2 6.1 bridge/vlan.c): show, add, del. */
import type { NetDevice } from '../../core/netdev.ts';
import {
  BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, portOf, vlanDump, vlanRequest,
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
  if (!p.isJson) c.print(`${'port'.padEnd(16)}  ${'vlan-id'.padEnd(9)}\n`);
  for (const dev of c.ns.devices.values()) {
    if (only && dev !== only) continue;
    if (!portOf(dev) && dev.kind !== 'bridge') continue;
    const vl = vlanDump(dev);
    if (!vl || !vl.length) continue;
    let opened = false;
    for (const v of vl) {
      if (filterVlan && v.vid !== filterVlan) continue;
      if (!opened) {
        p.openObject(null);
        p.string('any', 'ifname', `${dev.name.padEnd(16)}  `, dev.name);
        p.openArray('json', 'vlans');
        opened = true;
      } else {
        p.fp(`${''.padEnd(16)}  `);
      }
      p.openObject(null);
      p.num('any', 'vlan', `${v.vid}`, v.vid);
      if (v.pvid || v.untagged) {
        p.openArray('json', 'flags');
        if (v.pvid) p.string('any', null, ' PVID', 'PVID');
        if (v.untagged) p.string('any', null, ' Egress Untagged', 'Egress Untagged');
        p.closeArray('json', null);
      }
      p.closeObject();
      p.nl();
    }
    if (opened) { p.closeArray('json', null); p.closeObject(); }
  }
  p.deleteJsonObj();
  return 0;
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
      const v = next();
      const m = /^(\d+)(?:-(\d+))?/.exec(v);
      vid = m ? parseInt(m[1]!, 10) : 0;
      vidEnd = m && m[2] ? parseInt(m[2], 10) : -1;
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
  if (vid >= 4096) c.fail(`Invalid VLAN ID "${vid}"\n`);
  if (vidEnd !== -1) {
    if (vidEnd >= 4096) c.fail(`Invalid VLAN ID "${vidEnd}"\n`);
    if (flags & BRIDGE_VLAN_INFO_PVID) c.fail('pvid cannot be configured for a vlan range\n');
  }
  const last = vidEnd === -1 ? vid : vidEnd;
  for (let v = vid; v <= last; v++) {
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
