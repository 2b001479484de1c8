/**
 * net/bridge/br_private.h: the bridge (struct net_bridge), its ports (struct net_bridge_port),
 * FDB entries, port states and flags, and the jiffies clock the bridge's timers run on.
 *
 * Times inside the bridge are kept in jiffies, as the kernel does, so that timer values and the
 * centisecond conversions (`ip -d link`, `brctl showstp`) round exactly like on the reference
 * machine (HZ=250, USER_HZ=100).
 */
import type { Lab } from '../../lab.ts';
import type { NetDevice } from '../../netdev.ts';
import type { Timer } from '../../clock.ts';

export const HZ = 250;
export const USER_HZ = 100;
export const JIFFY_NS = 1_000_000_000 / HZ;

export function jiffies(lab: Lab): number { return Math.floor(lab.clock.now / JIFFY_NS); }
/** jiffies_to_clock_t (HZ=250: ×0.4, rounded down). */
export function jiffiesToClockT(j: number): number { return Math.floor((j * USER_HZ) / HZ); }
/** clock_t_to_jiffies (×2.5, rounded down). */
export function clockTToJiffies(c: number): number { return Math.floor((c * HZ) / USER_HZ); }
export function jiffiesDeltaToClockT(d: number): number { return d <= 0 ? 0 : jiffiesToClockT(d); }
/** round_jiffies on CPU 0: to a whole second, unless that lies in the past. */
export function roundJiffies(j: number, now: number): number {
  const rem = j % HZ;
  const r = rem < HZ / 4 ? j - rem : j - rem + HZ;
  return r <= now ? j : r;
}

// Port states (BR_STATE_*).
export const BR_STATE_DISABLED = 0, BR_STATE_LISTENING = 1, BR_STATE_LEARNING = 2,
  BR_STATE_FORWARDING = 3, BR_STATE_BLOCKING = 4;
export const STP_STATE_NAMES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'] as const;

export const BR_NO_STP = 0, BR_KERNEL_STP = 1;

// Port flags (enum net_bridge_port flags in if_bridge.h / br_private.h).
export const BR_HAIRPIN_MODE = 1 << 0, BR_BPDU_GUARD = 1 << 1, BR_ROOT_BLOCK = 1 << 2,
  BR_MULTICAST_FAST_LEAVE = 1 << 3, BR_ADMIN_COST = 1 << 4, BR_LEARNING = 1 << 5, BR_FLOOD = 1 << 6,
  BR_PROMISC = 1 << 7, BR_PROXYARP = 1 << 8, BR_LEARNING_SYNC = 1 << 9, BR_PROXYARP_WIFI = 1 << 10,
  BR_MCAST_FLOOD = 1 << 11, BR_MULTICAST_TO_UNICAST = 1 << 12, BR_VLAN_TUNNEL = 1 << 13,
  BR_BCAST_FLOOD = 1 << 14, BR_NEIGH_SUPPRESS = 1 << 15, BR_ISOLATED = 1 << 16,
  BR_PORT_LOCKED = 1 << 19, BR_PORT_MAB = 1 << 20, BR_NEIGH_VLAN_SUPPRESS = 1 << 21;

export const BR_PORT_BITS = 10;
export const BR_MAX_PORTS = 1 << BR_PORT_BITS;
export const BR_MAX_PORT_PRIORITY = 0xffff >> BR_PORT_BITS;
export const BR_MIN_PATH_COST = 1, BR_MAX_PATH_COST = 65535;
export const BR_HOLD_TIME = 1 * HZ;
export const BR_MIN_HELLO_TIME = 1 * HZ, BR_MAX_HELLO_TIME = 10 * HZ;
export const BR_MIN_FORWARD_DELAY = 2 * HZ, BR_MAX_FORWARD_DELAY = 30 * HZ;
export const BR_MIN_MAX_AGE = 6 * HZ, BR_MAX_MAX_AGE = 40 * HZ;
/** group_fwd_mask bits that may never be set: 01:80:c2:00:00:01, :02 and :03 (BR_GROUPFWD_RESTRICTED). */
export const BR_GROUPFWD_RESTRICTED = 0x0007;
export const BR_GROUPFWD_MACPAUSE = 0x0002;
/** 01:80:c2:00:00:00 */
export const BR_GROUP_ADDRESS = 0x0180c2000000;

/** 802.1D bridge identifier: priority then MAC, compared as the 8 bytes memcmp sees. */
export interface BridgeId { prio: number; mac: number }

export function bridgeIdCmp(a: BridgeId, b: BridgeId): number {
  if (a.prio !== b.prio) return a.prio < b.prio ? -1 : 1;
  if (a.mac !== b.mac) return a.mac < b.mac ? -1 : 1;
  return 0;
}
export function bridgeIdEq(a: BridgeId, b: BridgeId): boolean { return a.prio === b.prio && a.mac === b.mac; }
export function copyId(id: BridgeId): BridgeId { return { prio: id.prio, mac: id.mac }; }

/** A kernel timer_list on the lab clock, with the jiffies expiry `br_timer_value` reports. */
export class KTimer {
  expires = 0;
  private t: Timer | null = null;
  constructor(private readonly lab: Lab, private readonly fn: () => void) {}

  /** mod_timer: (re)arm to expire at `expires` (absolute jiffies). */
  mod(expires: number): void {
    if (this.t) this.t.cancel();
    this.expires = expires;
    this.t = this.lab.clock.at(expires * JIFFY_NS, () => { this.t = null; this.fn(); });
  }

  /** del_timer */
  del(): void {
    if (this.t) { this.t.cancel(); this.t = null; }
  }

  get pending(): boolean { return this.t !== null; }

  /** br_timer_value: centiseconds left, 0 when not running. */
  value(): number { return this.t ? jiffiesDeltaToClockT(this.expires - jiffies(this.lab)) : 0; }
}

export interface FdbEntry {
  mac: number;
  vid: number;
  /** The port the MAC is behind; null for the bridge's own addresses. */
  dst: BridgePort | null;
  /** BR_FDB_LOCAL: frames to it are delivered to the bridge device. */
  local: boolean;
  /** BR_FDB_STATIC: never ages. */
  isStatic: boolean;
  addedByUser: boolean;
  sticky: boolean;
  /** BR_FDB_DYNAMIC_LEARNED: counted in fdb_n_learned. */
  learned: boolean;
  /** jiffies when last seen as a source / last used as a destination. */
  updated: number;
  used: number;
}

/** struct net_bridge_vlan, the part vnet models (flags of membership on one port or the bridge). */
export interface BrVlan {
  vid: number;
  untagged: boolean;
  /** On the bridge: the VLAN is configured on the bridge device itself (BRIDGE_VLAN_INFO_BRENTRY). */
  brentry: boolean;
  /** v->stats: the VLAN's own (vlan_stats_per_port) or shared with the bridge's master entry. */
  stats?: VlanStats;
}

/** Per-VLAN counters, counted only while vlan_stats_enabled (struct pcpu_sw_netstats). */
export interface VlanStats { rxBytes: number; rxPackets: number; txBytes: number; txPackets: number; refs: number }

/** struct net_bridge_vlan_group */
export interface VlanGroup {
  /** Sorted by VID, as the kernel's vlan_list. */
  vlans: Map<number, BrVlan>;
  pvid: number;
}

export interface BridgePort {
  br: NetBridge;
  dev: NetDevice;
  portNo: number;
  portId: number;
  priority: number;
  pathCost: number;
  flags: number;
  state: number;
  designatedRoot: BridgeId;
  designatedBridge: BridgeId;
  designatedPort: number;
  designatedCost: number;
  /** jiffies - message_age of the last config BPDU recorded. */
  designatedAge: number;
  topologyChangeAck: number;
  configPending: number;
  messageAgeTimer: KTimer;
  forwardDelayTimer: KTimer;
  holdTimer: KTimer;
  groupFwdMask: number;
  multicastRouter: number;
  vg: VlanGroup;
  /** STP counters (stp_xstats). */
  rxBpdu: number; txBpdu: number; rxTcn: number; txTcn: number; transitionBlk: number; transitionFwd: number;
}

export interface NetBridge {
  lab: Lab;
  dev: NetDevice;
  /** br->port_list: new ports are added at the head. */
  ports: BridgePort[];
  stpEnabled: number;
  bridgeId: BridgeId;
  designatedRoot: BridgeId;
  rootPathCost: number;
  rootPort: number;
  maxAge: number; helloTime: number; forwardDelay: number;
  bridgeMaxAge: number; bridgeHelloTime: number; bridgeForwardDelay: number;
  ageingTime: number; bridgeAgeingTime: number;
  topologyChange: number;
  topologyChangeDetected: number;
  helloTimer: KTimer; tcnTimer: KTimer; topologyChangeTimer: KTimer; gcTimer: KTimer;
  groupFwdMask: number;
  groupFwdMaskRequired: number;
  groupAddr: number;
  groupAddrSet: boolean;
  /** FDB: entries with VID 0 in one map, others keyed by VID then MAC. */
  fdb0: Map<number, FdbEntry>;
  fdbVlan: Map<number, Map<number, FdbEntry>>;
  /** Creation order; dumps walk it newest first (hlist_add_head). */
  fdbList: Set<FdbEntry>;
  fdbNLearned: number;
  fdbMaxLearned: number;
  mtuSetByUser: boolean;
  noLinklocalLearn: boolean;
  // VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)
  vlanEnabled: boolean;
  vlanProto: number;
  defaultPvid: number;
  vlanStatsEnabled: boolean;
  vlanStatsPerPort: boolean;
  /** The master VLAN entries' counters, shared by ports without per-port stats (made on first use). */
  vlanMasterStats?: Map<number, VlanStats>;
  vg: VlanGroup;
  // multicast (values only: vnet floods all multicast, as with no querier)
  mcastSnooping: boolean;
  mcastRouter: number;
  mcastQuerier: number;
  mcastQueryUseIfaddr: boolean;
  mcastStatsEnabled: boolean;
  mcastVlanSnooping: boolean;
  mcastHashMax: number;
  mcastLastMemberCnt: number;
  mcastStartupQueryCnt: number;
  mcastLastMemberIntvl: number;
  mcastMembershipIntvl: number;
  mcastQuerierIntvl: number;
  mcastQueryIntvl: number;
  mcastQueryResponseIntvl: number;
  mcastStartupQueryIntvl: number;
  mcastIgmpVersion: number;
  mcastMldVersion: number;
  nfCallIptables: boolean; nfCallIp6tables: boolean; nfCallArptables: boolean;
  /** The MACs br_multicast_join_snoopers added to the device, to remove on stop. */
  snooperMacs: number[];
}

/** The bridge port a device is, or null (br_port_get_rtnl). */
export function portOf(dev: NetDevice): BridgePort | null {
  const m = dev.master;
  if (!m || m.ops.kind !== 'bridge') return null;
  const d = dev.rxHandlerData as BridgePort | null;
  return d && d.dev === dev ? d : null;
}

export function bridgeOf(dev: NetDevice): NetBridge | null {
  return dev.ops.kind === 'bridge' ? dev.priv as NetBridge : null;
}

export function isDesignatedPort(p: BridgePort): boolean {
  return bridgeIdEq(p.designatedBridge, p.br.bridgeId) && p.designatedPort === p.portId;
}

export function isRootBridge(br: NetBridge): boolean { return bridgeIdEq(br.bridgeId, br.designatedRoot); }
