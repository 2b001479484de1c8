/**
 * net/bridge/br_netlink.c (the "bridge" link kind: newlink/changelink/fill_info, port attributes
 * through br_setport for `bridge_slave` and `bridge link set`), plus the rtnetlink entry points
 * the `bridge` and `brctl` tools use: RTM_SETLINK/GETLINK for AF_BRIDGE (rtnl_bridge_setlink),
 * RTM_NEWNEIGH/DELNEIGH/GETNEIGH for AF_BRIDGE (rtnl_fdb_add/del/dump with ndo_dflt_fdb_*),
 * and VLAN membership.
 */
import { Errno, OK, err, ok, type NlResult } from '../../errno.ts';
import type { NetNamespace } from '../../netns.ts';
import { NetDevice, isMulticastMac } from '../../netdev.ts';
import { devMcAdd, devMcDel, devUcAdd, devUcDel } from '../../dev.ts';
import { applyCreateAttrs, registerNew, type KindData, type LinkKind } from '../../rtnl.ts';
import {
  BR_BCAST_FLOOD, BR_BPDU_GUARD, BR_FLOOD, BR_GROUPFWD_MACPAUSE, BR_GROUPFWD_RESTRICTED, BR_HAIRPIN_MODE,
  BR_ISOLATED, BR_KERNEL_STP, BR_LEARNING, BR_MCAST_FLOOD, BR_MULTICAST_FAST_LEAVE, BR_MULTICAST_TO_UNICAST,
  BR_NEIGH_SUPPRESS, BR_NEIGH_VLAN_SUPPRESS, BR_PORT_LOCKED, BR_PORT_MAB, BR_PROXYARP, BR_PROXYARP_WIFI,
  BR_ROOT_BLOCK, BR_STATE_BLOCKING, BR_STATE_DISABLED, BR_VLAN_TUNNEL, clockTToJiffies, jiffiesToClockT,
  portOf, type BridgeId, type BridgePort, type FdbEntry, type NetBridge,
} from './types.ts';
import {
  NLM_F_CREATE, NLM_F_EXCL, NTF_MASTER, NTF_SELF, NUD_PERMANENT, brFdbAdd, brFdbDelete, fdbDump,
  fdbDeleteByPort, fdbFlushDynamic, fdbToNud, type FdbRequest,
} from './fdb.ts';
import {
  portStateSelection, portUsable, setAgeingTime, setForwardDelay, setHelloTime, setMaxAge, setState,
  stpChangeBridgeId, stpSetBridgePriority, stpSetEnabled, stpSetPathCost, stpSetPortPriority,
} from './stp.ts';
import {
  allocBridge, brAddIf, brDelIf, brDevDelete, bridgeConfig, bridgeRegistered, setSnooping,
} from './device.ts';
import {
  BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, ETH_P_8021AD, ETH_P_8021Q, brVlanAdd, brVlanDelete,
  nbpVlanAdd, nbpVlanDelete, setStatsPerPort,
} from './vlan.ts';

function num(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  return 0;
}
function has(d: KindData, ...keys: string[]): string | undefined {
  for (const k of keys) if (d[k] !== undefined) return k;
  return undefined;
}
function macArg(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof Uint8Array && v.length === 6) {
    return (v[0]! * 0x10000 + (v[1]! << 8) + v[2]!) * 0x1000000 + ((v[3]! << 16) | (v[4]! << 8) | v[5]!);
  }
  if (typeof v === 'string') {
    const m = /^([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2})$/i.exec(v);
    if (!m) return null;
    return m.slice(1).reduce((a, h) => a * 256 + parseInt(h, 16), 0);
  }
  return null;
}
function macBytes(n: number): Uint8Array {
  const b = new Uint8Array(6);
  const hi = Math.floor(n / 0x1000000), lo = n % 0x1000000;
  b[0] = (hi >>> 16) & 0xff; b[1] = (hi >>> 8) & 0xff; b[2] = hi & 0xff;
  b[3] = (lo >>> 16) & 0xff; b[4] = (lo >>> 8) & 0xff; b[5] = lo & 0xff;
  return b;
}

/** br_changelink. Like the kernel, attributes are applied in order and an error stops there. */
export function brChangeLink(dev: NetDevice, data: KindData): NlResult {
  const br = dev.priv as NetBridge;
  const cfg = bridgeConfig(br.lab);
  let r: NlResult;
  let k: string | undefined;
  if ((k = has(data, 'forwardDelay')) && !(r = setForwardDelay(br, num(data[k]))).ok) return r;
  if ((k = has(data, 'helloTime')) && !(r = setHelloTime(br, num(data[k]))).ok) return r;
  if ((k = has(data, 'maxAge')) && !(r = setMaxAge(br, num(data[k]))).ok) return r;
  if ((k = has(data, 'ageingTime')) && !(r = setAgeingTime(br, num(data[k]))).ok) return r;
  if ((k = has(data, 'stpState')) && !(r = stpSetEnabled(br, num(data[k]))).ok) return r;
  if ((k = has(data, 'priority'))) stpSetBridgePriority(br, num(data[k]) & 0xffff);
  if ((k = has(data, 'vlanFiltering'))) {
    if (!cfg.vlanFiltering) return err(Errno.EOPNOTSUPP);
    br.vlanEnabled = num(data[k]) !== 0;
  }
  if (cfg.vlanFiltering) {
    if ((k = has(data, 'vlanProtocol'))) {
      const proto = num(data[k]);
      if (proto !== ETH_P_8021Q && proto !== ETH_P_8021AD) return err(Errno.EPROTONOSUPPORT);
      br.vlanProto = proto;
    }
    if ((k = has(data, 'vlanDefaultPvid'))) {
      const pvid = num(data[k]);
      if (pvid >= 4095) return err(Errno.EINVAL);
      r = setDefaultPvid(br, pvid);
      if (!r.ok) return r;
    }
    if ((k = has(data, 'vlanStatsEnabled'))) br.vlanStatsEnabled = num(data[k]) !== 0;
    if ((k = has(data, 'vlanStatsPerPort')) && !(r = setStatsPerPort(br, num(data[k]) !== 0)).ok) return r;
  }
  if ((k = has(data, 'groupFwdMask'))) {
    const m = num(data[k]);
    if (m & BR_GROUPFWD_RESTRICTED) return err(Errno.EINVAL);
    br.groupFwdMask = m & 0xffff;
  }
  if ((k = has(data, 'groupAddr', 'groupAddress'))) {
    const m = macArg(data[k]);
    if (m === null) return err(Errno.EINVAL);
    // is_link_local_ether_addr, and not the pause, slow-protocols or 802.1X addresses.
    if (Math.floor(m / 16) !== 0x0180c200000 || [1, 2, 3].includes(m % 16)) return err(Errno.EINVAL);
    br.groupAddr = m;
    br.groupAddrSet = true;
  }
  if (has(data, 'fdbFlush')) fdbFlushDynamic(br);
  if ((k = has(data, 'mcastRouter'))) {
    const v = num(data[k]);
    if (v < 0 || v > 2) return err(Errno.EINVAL);
    br.mcastRouter = v;
  }
  if ((k = has(data, 'mcastSnooping'))) setSnooping(br, num(data[k]) !== 0);
  if ((k = has(data, 'mcastQueryUseIfaddr'))) br.mcastQueryUseIfaddr = num(data[k]) !== 0;
  if ((k = has(data, 'mcastQuerier'))) br.mcastQuerier = num(data[k]) ? 1 : 0;
  if ((k = has(data, 'mcastHashMax'))) br.mcastHashMax = num(data[k]);
  if ((k = has(data, 'mcastLastMemberCnt'))) br.mcastLastMemberCnt = num(data[k]);
  if ((k = has(data, 'mcastStartupQueryCnt'))) br.mcastStartupQueryCnt = num(data[k]);
  if ((k = has(data, 'mcastLastMemberIntvl'))) br.mcastLastMemberIntvl = clockTToJiffies(num(data[k]));
  if ((k = has(data, 'mcastMembershipIntvl'))) br.mcastMembershipIntvl = clockTToJiffies(num(data[k]));
  if ((k = has(data, 'mcastQuerierIntvl'))) br.mcastQuerierIntvl = clockTToJiffies(num(data[k]));
  if ((k = has(data, 'mcastQueryIntvl'))) br.mcastQueryIntvl = Math.max(clockTToJiffies(num(data[k])), 250);
  if ((k = has(data, 'mcastQueryResponseIntvl'))) br.mcastQueryResponseIntvl = clockTToJiffies(num(data[k]));
  if ((k = has(data, 'mcastStartupQueryIntvl'))) br.mcastStartupQueryIntvl = Math.max(clockTToJiffies(num(data[k])), 250);
  if ((k = has(data, 'mcastStatsEnabled'))) br.mcastStatsEnabled = num(data[k]) !== 0;
  if ((k = has(data, 'mcastIgmpVersion'))) {
    const v = num(data[k]);
    if (v !== 2 && v !== 3) return err(Errno.EINVAL);
    br.mcastIgmpVersion = v;
  }
  if ((k = has(data, 'mcastMldVersion'))) {
    const v = num(data[k]);
    if (v !== 1 && v !== 2) return err(Errno.EINVAL);
    br.mcastMldVersion = v;
  }
  if ((k = has(data, 'nfCallIptables'))) br.nfCallIptables = num(data[k]) !== 0;
  if ((k = has(data, 'nfCallIp6tables'))) br.nfCallIp6tables = num(data[k]) !== 0;
  if ((k = has(data, 'nfCallArptables'))) br.nfCallArptables = num(data[k]) !== 0;
  if ((k = has(data, 'noLinklocalLearn'))) br.noLinklocalLearn = num(data[k]) !== 0;
  if ((k = has(data, 'mcastVlanSnooping'))) {
    if (num(data[k]) && !cfg.vlanFiltering) return err(Errno.EOPNOTSUPP);
    br.mcastVlanSnooping = num(data[k]) !== 0;
  }
  if ((k = has(data, 'fdbMaxLearned'))) br.fdbMaxLearned = num(data[k]);
  return OK;
}

/**
 * br_vlan_set_default_pvid. Only entries that are still the bridge's default (the pvid, untagged)
 * move; 0 removes them (br_vlan_disable_default_pvid). From 0, every port without the new VID gets
 * it as its untagged pvid, whatever its pvid was: with no old default nothing marks the user's.
 */
function setDefaultPvid(br: NetBridge, pvid: number): NlResult {
  const old = br.defaultPvid;
  if (pvid === old) return OK;
  type Vg = { pvid: number; vlans: Map<number, { untagged: boolean }> };
  const isDefault = (vg: Vg, vid: number): boolean => vg.pvid === vid && (vg.vlans.get(vid)?.untagged ?? false);
  const flags = BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED;
  if (!pvid) {
    if (isDefault(br.vg, old)) brVlanDelete(br, old);
    for (const p of br.ports) if (isDefault(p.vg, old)) nbpVlanDelete(p, old);
    br.defaultPvid = 0;
    return OK;
  }
  if ((!old || isDefault(br.vg, old)) && !br.vg.vlans.has(pvid)) {
    const r = brVlanAdd(br, pvid, flags);
    if (!r.ok) return r;
    if (old) brVlanDelete(br, old);
  }
  for (const p of br.ports) {
    if ((old && !isDefault(p.vg, old)) || p.vg.vlans.has(pvid)) continue;
    const r = nbpVlanAdd(p, pvid, flags);
    if (!r.ok) return r;
    if (old) nbpVlanDelete(p, old);
  }
  br.defaultPvid = pvid;
  return OK;
}

/** br_set_port_state */
function setPortState(p: BridgePort, state: number): NlResult {
  if (state > BR_STATE_BLOCKING) return err(Errno.EINVAL);
  if (p.br.stpEnabled === BR_KERNEL_STP) return err(Errno.EBUSY);
  if (!p.dev.isUp || (!portUsable(p.dev) && state !== BR_STATE_DISABLED)) return err(Errno.ENETDOWN);
  setState(p, state);
  portStateSelection(p.br);
  return OK;
}

/** Port flag attributes, in br_setport order: [key, alias keys…, flag]. */
const PORT_FLAGS: [string[], number][] = [
  [['hairpin', 'mode'], BR_HAIRPIN_MODE],
  [['guard'], BR_BPDU_GUARD],
  [['fastleave', 'fastLeave'], BR_MULTICAST_FAST_LEAVE],
  [['rootBlock', 'protect'], BR_ROOT_BLOCK],
  [['learning'], BR_LEARNING],
  [['flood', 'unicastFlood'], BR_FLOOD],
  [['mcastFlood'], BR_MCAST_FLOOD],
  [['mcastToUnicast', 'mcastToUcast'], BR_MULTICAST_TO_UNICAST],
  [['bcastFlood'], BR_BCAST_FLOOD],
  [['proxyarp', 'proxyArp'], BR_PROXYARP],
  [['proxyarpWifi', 'proxyArpWifi'], BR_PROXYARP_WIFI],
  [['vlanTunnel'], BR_VLAN_TUNNEL],
  [['neighSuppress'], BR_NEIGH_SUPPRESS],
  [['isolated'], BR_ISOLATED],
  [['locked'], BR_PORT_LOCKED],
  [['mab'], BR_PORT_MAB],
  [['neighVlanSuppress'], BR_NEIGH_VLAN_SUPPRESS],
];

/**
 * br_setport: `ip link set P type bridge_slave …` and `bridge link set dev P …`. Keys: state,
 * priority, cost, hairpin, guard, rootBlock, fastleave, learning, flood, mcastFlood, bcastFlood,
 * mcastToUnicast, isolated, locked, mab, neighSuppress, vlanTunnel, proxyarp, proxyarpWifi,
 * mcastRouter, groupFwdMask, flush (the IFLA_BRPORT_* camelCase names are accepted too).
 */
export function brSetPort(p: BridgePort, data: KindData): NlResult {
  const old = p.flags;
  for (const [keys, bit] of PORT_FLAGS) {
    const k = has(data, ...keys);
    if (k === undefined) continue;
    if (num(data[k])) p.flags |= bit; else p.flags &= ~bit;
  }
  if ((p.flags & BR_PORT_MAB) && (!(p.flags & BR_PORT_LOCKED) || !(p.flags & BR_LEARNING))) {
    p.flags = old;
    return err(Errno.EINVAL, 'Bridge port must be locked and have learning enabled when MAB is enabled');
  }
  if (!(p.flags & BR_PORT_MAB) && (old & BR_PORT_MAB)) {
    // Locked entries learned through MAB go when MAB is turned off: vnet keeps none.
  }
  let r: NlResult;
  let k: string | undefined;
  if ((k = has(data, 'cost')) && !(r = stpSetPathCost(p, num(data[k]))).ok) return r;
  if ((k = has(data, 'priority')) && !(r = stpSetPortPriority(p, num(data[k]) & 0xffff)).ok) return r;
  if ((k = has(data, 'state')) && !(r = setPortState(p, num(data[k]) & 0xff)).ok) return r;
  if (has(data, 'flush')) fdbDeleteByPort(p.br, p, 0, false);
  if ((k = has(data, 'mcastRouter', 'multicastRouter'))) {
    const v = num(data[k]);
    if (v < 0 || v > 3) return err(Errno.EINVAL);
    p.multicastRouter = v;
  }
  if ((k = has(data, 'groupFwdMask'))) {
    const m = num(data[k]);
    if (m & BR_GROUPFWD_MACPAUSE) return err(Errno.EINVAL);
    p.groupFwdMask = m & 0xffff;
  }
  return OK;
}

/** AF_BRIDGE RTM_SETLINK (rtnl_bridge_setlink → br_setlink): what `bridge link set` sends. */
export function bridgeSetLink(dev: NetDevice, data: KindData, opts: { self?: boolean; master?: boolean } = {}): NlResult {
  const self = !!opts.self, master = !!opts.master;
  if (!self || master) {
    const m = dev.master;
    if (!m || m.kind !== 'bridge') return err(Errno.EOPNOTSUPP);
    const p = portOf(dev);
    if (!p) return err(Errno.EINVAL);
    const r = brSetPort(p, data);
    if (!r.ok) return r;
  }
  if (self) {
    // Only the bridge device itself implements ndo_bridge_setlink; without VLAN data it is a no-op.
    if (dev.kind !== 'bridge') return err(Errno.EOPNOTSUPP);
  }
  return OK;
}

function idOut(id: BridgeId): { prio: number; mac: Uint8Array } { return { prio: id.prio, mac: macBytes(id.mac) }; }

/** br_fill_info: IFLA_INFO_DATA of a bridge (timers in centiseconds). */
export function brFillInfo(dev: NetDevice): KindData {
  const br = dev.priv as NetBridge;
  const cfg = bridgeConfig(br.lab);
  const d: KindData = {
    helloTimer: br.helloTimer.value(),
    tcnTimer: br.tcnTimer.value(),
    topologyChangeTimer: br.topologyChangeTimer.value(),
    gcTimer: br.gcTimer.value(),
    forwardDelay: jiffiesToClockT(br.forwardDelay),
    helloTime: jiffiesToClockT(br.helloTime),
    maxAge: jiffiesToClockT(br.maxAge),
    ageingTime: jiffiesToClockT(br.ageingTime),
    stpState: br.stpEnabled,
    priority: br.bridgeId.prio,
    vlanFiltering: br.vlanEnabled ? 1 : 0,
    groupFwdMask: br.groupFwdMask,
    bridgeId: idOut(br.bridgeId),
    rootId: idOut(br.designatedRoot),
    rootPort: br.rootPort,
    rootPathCost: br.rootPathCost,
    topologyChange: br.topologyChange,
    topologyChangeDetected: br.topologyChangeDetected,
    groupAddr: macBytes(br.groupAddr),
    multiBoolopt: { noLinklocalLearn: br.noLinklocalLearn ? 1 : 0, mcastVlanSnooping: br.mcastVlanSnooping ? 1 : 0 },
    fdbNLearned: br.fdbNLearned,
    fdbMaxLearned: br.fdbMaxLearned,
  };
  if (cfg.vlanFiltering) {
    d['vlanProtocol'] = br.vlanProto;
    d['vlanDefaultPvid'] = br.defaultPvid;
    d['vlanStatsEnabled'] = br.vlanStatsEnabled ? 1 : 0;
    d['vlanStatsPerPort'] = br.vlanStatsPerPort ? 1 : 0;
  }
  Object.assign(d, {
    mcastRouter: br.mcastRouter,
    mcastSnooping: br.mcastSnooping ? 1 : 0,
    mcastQueryUseIfaddr: br.mcastQueryUseIfaddr ? 1 : 0,
    mcastQuerier: br.mcastQuerier,
    mcastStatsEnabled: br.mcastStatsEnabled ? 1 : 0,
    mcastHashElasticity: 16,
    mcastHashMax: br.mcastHashMax,
    mcastLastMemberCnt: br.mcastLastMemberCnt,
    mcastStartupQueryCnt: br.mcastStartupQueryCnt,
    mcastIgmpVersion: br.mcastIgmpVersion,
    mcastMldVersion: br.mcastMldVersion,
    mcastLastMemberIntvl: jiffiesToClockT(br.mcastLastMemberIntvl),
    mcastMembershipIntvl: jiffiesToClockT(br.mcastMembershipIntvl),
    mcastQuerierIntvl: jiffiesToClockT(br.mcastQuerierIntvl),
    mcastQueryIntvl: jiffiesToClockT(br.mcastQueryIntvl),
    mcastQueryResponseIntvl: jiffiesToClockT(br.mcastQueryResponseIntvl),
    mcastStartupQueryIntvl: jiffiesToClockT(br.mcastStartupQueryIntvl),
    nfCallIptables: br.nfCallIptables ? 1 : 0,
    nfCallIp6tables: br.nfCallIp6tables ? 1 : 0,
    nfCallArptables: br.nfCallArptables ? 1 : 0,
  });
  return d;
}

/** br_port_fill_attrs: IFLA_INFO_SLAVE_DATA / IFLA_PROTINFO of a port. */
export function brPortFillAttrs(p: BridgePort): KindData {
  const f = p.flags;
  const b = (bit: number): number => (f & bit ? 1 : 0);
  return {
    state: p.state,
    priority: p.priority,
    cost: p.pathCost,
    mode: b(BR_HAIRPIN_MODE),
    guard: b(BR_BPDU_GUARD),
    protect: b(BR_ROOT_BLOCK),
    fastLeave: b(BR_MULTICAST_FAST_LEAVE),
    mcastToUcast: b(BR_MULTICAST_TO_UNICAST),
    learning: b(BR_LEARNING),
    unicastFlood: b(BR_FLOOD),
    mcastFlood: b(BR_MCAST_FLOOD),
    bcastFlood: b(BR_BCAST_FLOOD),
    proxyarp: b(BR_PROXYARP),
    proxyarpWifi: b(BR_PROXYARP_WIFI),
    rootId: idOut(p.designatedRoot),
    bridgeId: idOut(p.designatedBridge),
    designatedPort: p.designatedPort,
    designatedCost: p.designatedCost & 0xffff,
    id: p.portId,
    no: p.portNo,
    topologyChangeAck: p.topologyChangeAck,
    configPending: p.configPending,
    vlanTunnel: b(BR_VLAN_TUNNEL),
    groupFwdMask: p.groupFwdMask,
    neighSuppress: b(BR_NEIGH_SUPPRESS),
    mrpRingOpen: 0,
    mrpInOpen: 0,
    isolated: b(BR_ISOLATED),
    locked: b(BR_PORT_LOCKED),
    mab: b(BR_PORT_MAB),
    neighVlanSuppress: b(BR_NEIGH_VLAN_SUPPRESS),
    messageAgeTimer: p.messageAgeTimer.value(),
    forwardDelayTimer: p.forwardDelayTimer.value(),
    holdTimer: p.holdTimer.value(),
    multicastRouter: p.multicastRouter,
    mcastEhtHostsLimit: 512,
    mcastEhtHostsCnt: 0,
    mcastNGroups: 0,
    mcastMaxGroups: 0,
  };
}

export const bridgeKind: LinkKind = {
  kind: 'bridge',
  slaveKind: 'bridge_slave',
  /** br_dev_newlink */
  newLink(ctx) {
    const a = ctx.attrs;
    const dev = allocBridge(ctx.lab, a.ifname ?? ctx.ns.allocName('bridge%d'));
    const r = applyCreateAttrs(dev, a);
    if (!r.ok) return r;
    const br = dev.priv as NetBridge;
    const reg = registerNew(ctx.ns, dev, a);
    if (!reg.ok) return reg;
    bridgeRegistered(br);
    if (a.address) {
      const m = macArg(a.address)!;
      stpChangeBridgeId(br, m, a.address);
    }
    if (a.data) {
      const c = brChangeLink(dev, a.data);
      if (!c.ok) { brDevDelete(dev); return c; }
    }
    return ok(dev);
  },
  changeLink: brChangeLink,
  slaveChangeLink(_master, port, data) {
    const p = portOf(port);
    if (!p) return err(Errno.EINVAL);
    return brSetPort(p, data);
  },
  addSlave(master, port) { return brAddIf(master.priv as NetBridge, port); },
  delSlave(master, port) { return brDelIf(master.priv as NetBridge, port); },
  delLink(dev) { brDevDelete(dev); },
  fillInfo: brFillInfo,
  fillSlaveInfo(_master, port) {
    const p = portOf(port);
    return p ? brPortFillAttrs(p) : {};
  },
};

// ---- what the `bridge` and `brctl` tools ask the kernel ----

/** A line of `bridge fdb show`, as the kernel dumps it (struct ndmsg + attributes). */
export interface FdbDumpEntry {
  mac: number;
  /** ndm_ifindex: the port, or the bridge for its own entries, or the device for `self` entries. */
  dev: NetDevice;
  /** NDA_MASTER */
  master: NetDevice | null;
  vid: number;
  /** NTF_* flags */
  flags: number;
  /** NUD_* state */
  state: number;
  /** centiseconds since used / updated (NDA_CACHEINFO), bridge entries only */
  used: number;
  updated: number;
  /** vxlan entries: NDA_DST, NDA_PORT, NDA_VNI, NDA_IFINDEX when sent, and NDA_CACHEINFO present. */
  dst?: number;
  port?: number;
  vni?: number;
  via?: number;
  cacheinfo?: boolean;
}

function fdbEntryOut(br: NetBridge, f: FdbEntry): FdbDumpEntry {
  const now = Math.floor(br.lab.clock.now / (1_000_000_000 / 250));
  const fl = f.sticky ? 0x40 : 0;
  return { mac: f.mac, dev: f.dst ? f.dst.dev : br.dev, master: br.dev, vid: f.vid, flags: fl,
    state: fdbToNud(br, f), used: jiffiesToClockT(now - f.used), updated: jiffiesToClockT(now - f.updated) };
}

/** ndo_dflt_fdb_dump: a device's own unicast then multicast address list. */
function selfEntries(dev: NetDevice, out: FdbDumpEntry[]): void {
  for (const m of dev.ucList.keys()) out.push({ mac: m, dev, master: null, vid: 0, flags: NTF_SELF, state: NUD_PERMANENT, used: 0, updated: 0 });
  for (const m of dev.mcList.keys()) out.push({ mac: m, dev, master: null, vid: 0, flags: NTF_SELF, state: NUD_PERMANENT, used: 0, updated: 0 });
}

/**
 * rtnl_fdb_dump for AF_BRIDGE: every device of the namespace in order; for a port, its bridge's
 * entries behind it, then the device's own list; for a bridge, its own list and its own entries.
 * `brFilter` (NDA_MASTER) keeps the bridge and its ports; `devFilter` keeps one device.
 */
export function fdbDumpAll(ns: NetNamespace, brFilter: NetDevice | null = null, devFilter: NetDevice | null = null): FdbDumpEntry[] {
  const out: FdbDumpEntry[] = [];
  for (const dev of ns.devices.values()) {
    if (devFilter && dev !== devFilter) continue;
    if (brFilter && dev !== brFilter && dev.master !== brFilter) continue;
    const p = portOf(dev);
    if (p) for (const f of fdbDump(p.br, p)) out.push(fdbEntryOut(p.br, f));
    if (dev.kind === 'bridge') {
      const br = dev.priv as NetBridge;
      selfEntries(dev, out);
      for (const f of fdbDump(br, null)) out.push(fdbEntryOut(br, f));
    } else if (dev.ops.fdbDump) {
      for (const e of dev.ops.fdbDump(dev)) out.push(e);
    } else {
      selfEntries(dev, out);
    }
  }
  return out;
}

/** ndo_dflt_fdb_add */
function dfltFdbAdd(dev: NetDevice, req: FdbRequest): NlResult {
  if (req.state && !(req.state & NUD_PERMANENT)) return err(Errno.EINVAL);
  if (req.vid) return err(Errno.EINVAL);
  const bytes = macBytes(req.mac);
  if (!isMulticastMac(bytes) || (Math.floor(req.mac / 16) === 0x0180c200000)) {
    if (dev.ucList.has(req.mac)) return req.nlFlags & NLM_F_EXCL ? err(Errno.EEXIST) : OK;
    devUcAdd(dev, req.mac);
  } else {
    if (dev.mcList.has(req.mac)) return req.nlFlags & NLM_F_EXCL ? err(Errno.EEXIST) : OK;
    devMcAdd(dev, req.mac);
  }
  return OK;
}

/** rtnl_fdb_add: NTF_MASTER (or no flag) goes to the port's bridge, NTF_SELF to the device. */
export function fdbAddRequest(dev: NetDevice, req: FdbRequest): NlResult {
  let flags = req.flags;
  let r: NlResult = err(Errno.EOPNOTSUPP);
  if ((!(flags & (NTF_SELF | NTF_MASTER)) || (flags & NTF_MASTER)) && portOf(dev)) {
    const p = portOf(dev)!;
    r = brFdbAdd(p.br, p, req);
    if (!r.ok) return r;
    flags &= ~NTF_MASTER;
  }
  if (flags & NTF_SELF) {
    if (dev.kind === 'bridge') r = brFdbAdd(dev.priv as NetBridge, null, req);
    else if (dev.ops.fdbAdd) r = dev.ops.fdbAdd(dev, req);
    else r = dfltFdbAdd(dev, req);
  }
  return r;
}

/** rtnl_fdb_del */
export function fdbDelRequest(dev: NetDevice, req: FdbRequest): NlResult {
  let flags = req.flags;
  let r: NlResult = err(Errno.EOPNOTSUPP);
  if ((!(flags & (NTF_SELF | NTF_MASTER)) || (flags & NTF_MASTER)) && portOf(dev)) {
    const p = portOf(dev)!;
    r = brFdbDelete(p.br, p, req.mac, req.vid);
    if (!r.ok) return r;
    flags &= ~NTF_MASTER;
  }
  if (flags & NTF_SELF) {
    if (dev.kind === 'bridge') r = brFdbDelete(dev.priv as NetBridge, null, req.mac, req.vid);
    else if (dev.ops.fdbDel) r = dev.ops.fdbDel(dev, req);
    else {
      if (!(req.state & NUD_PERMANENT)) return err(Errno.EINVAL);
      if (req.vid) return err(Errno.EINVAL);
      const bytes = macBytes(req.mac);
      const mc = isMulticastMac(bytes) && Math.floor(req.mac / 16) !== 0x0180c200000;
      const list = mc ? dev.mcList : dev.ucList;
      if (!list.has(req.mac)) return err(Errno.ENOENT);
      if (mc) devMcDel(dev, req.mac); else devUcDel(dev, req.mac);
      r = OK;
    }
  }
  return r;
}

export { NLM_F_CREATE, NLM_F_EXCL };

/** A device's VLAN membership as `bridge vlan show` gets it (empty without CONFIG_BRIDGE_VLAN_FILTERING). */
export interface VlanDumpEntry {
  vid: number; pvid: boolean; untagged: boolean;
  /** The entry's counters (zero unless vlan_stats_enabled was on while traffic passed). */
  rxBytes: number; rxPackets: number; txBytes: number; txPackets: number;
}

export function vlanDump(dev: NetDevice): VlanDumpEntry[] | null {
  const p = portOf(dev);
  const vg = p ? p.vg : dev.kind === 'bridge' ? (dev.priv as NetBridge).vg : null;
  if (!vg) return null;
  const out: VlanDumpEntry[] = [];
  for (const v of vg.vlans.values()) {
    const s = v.stats;
    out.push({ vid: v.vid, pvid: vg.pvid === v.vid, untagged: v.untagged,
      rxBytes: s?.rxBytes ?? 0, rxPackets: s?.rxPackets ?? 0, txBytes: s?.txBytes ?? 0, txPackets: s?.txPackets ?? 0 });
  }
  return out;
}

/**
 * br_afspec RTM_SETLINK/DELLINK with IFLA_BRIDGE_VLAN_INFO: `bridge vlan add|del`. Like
 * br_vlan_info, a delete never fails (even for a VLAN that is not there, or without
 * CONFIG_BRIDGE_VLAN_FILTERING); an add without VLAN support is EOPNOTSUPP.
 */
export function vlanRequest(dev: NetDevice, add: boolean, vid: number, flags: number,
  opts: { self?: boolean; master?: boolean } = {}): NlResult {
  const self = !!opts.self, master = !!opts.master;
  const p = portOf(dev);
  const cfg = bridgeConfig(dev.netns.lab);
  // br_process_vlan_info checks the id first, built with VLAN filtering or not; only br_setlink
  // passes an extack (br_dellink gives NULL, so a delete says plain EINVAL)
  const badId = vid <= 0 || vid >= 4095;
  const invalid = (): NlResult => (add ? err(Errno.EINVAL, 'bridge: Vlan id is invalid') : err(Errno.EINVAL));
  if (!self || master) {
    if (!dev.master || dev.master.kind !== 'bridge' || !p) return err(Errno.EOPNOTSUPP);
    if (badId) return invalid();
    if (add) {
      if (!cfg.vlanFiltering) return err(Errno.EOPNOTSUPP);
      const r = nbpVlanAdd(p, vid, flags);
      if (!r.ok) return r;
    } else if (cfg.vlanFiltering) {
      nbpVlanDelete(p, vid);
    }
  }
  if (self) {
    if (dev.kind !== 'bridge') return err(Errno.EOPNOTSUPP);
    if (badId) return invalid();
    const br = dev.priv as NetBridge;
    if (add) {
      if (!cfg.vlanFiltering) return err(Errno.EOPNOTSUPP);
      return brVlanAdd(br, vid, flags & (BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED));
    }
    if (cfg.vlanFiltering) brVlanDelete(br, vid);
  }
  return OK;
}

/** BRCTL_DEL_BRIDGE (br_del_bridge): ENXIO, EPERM (not a bridge) or EBUSY (still up). */
export function brDelBridge(ns: NetNamespace, name: string): NlResult {
  const dev = ns.devices.get(name);
  if (!dev) return err(Errno.ENXIO);
  if (dev.kind !== 'bridge') return err(Errno.EPERM);
  if (dev.isUp) return err(Errno.EBUSY);
  brDevDelete(dev);
  return OK;
}

/** BRCTL_ADD_BRIDGE (br_add_bridge): a bridge made without rtnetlink attributes. */
export function brAddBridge(ns: NetNamespace, name: string): NlResult<NetDevice> {
  if (ns.devices.has(name)) return err(Errno.EEXIST);
  const kind = ns.lab.linkKinds.get('bridge');
  if (!kind) return err(Errno.EOPNOTSUPP);
  return kind.newLink({ lab: ns.lab, src: ns, ns, attrs: { ifname: name }, lower: null });
}

export { brAddIf, brDelIf, NTF_MASTER, NTF_SELF };
export type { FdbRequest };
export { portOf };
export { BR_STATE_DISABLED };
