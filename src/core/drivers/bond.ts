/**
 * drivers/net/bonding (bond_main.c, bond_options.c, bond_netlink.c, bond_procfs.c; as of Linux 6.1).
 *
 * A bond is a master device whose slaves (`ip link set X master bond0`) carry its traffic. Each
 * slave's rx_handler (bond_handle_frame) hands its frames to the bond, except on inactive slaves.
 * Transmit picks slaves by mode: round robin, the active slave (active-backup), a layer-2 hash
 * (balance-xor), all of them (broadcast). Link monitoring is the MII monitor (miimon, on the
 * virtual clock) reading the slaves' carrier; without it a slave's link state never changes
 * after enslaving. The bond takes its first slave's MAC unless its own was set, and gives it to
 * every slave; carrier = at least one slave with link UP.
 *
 * 802.3ad, balance-tlb and balance-alb are approximated: each port sends the LACPDUs a port with
 * no partner sends (content and schedule checked on 6.1), but received LACPDUs are not processed
 * (every port is an individual aggregator and the first usable one is active), and tlb/alb
 * transmit on the active slave without load balancing or ARP rewriting.
 *
 * Read top to bottom it follows bond_main.c: slave state helpers, active slave selection,
 * enslave/release, the MII monitor, receive, transmit, device ops; then options (bond_options.c),
 * netlink (bond_netlink.c), /proc/net/bonding (bond_procfs.c) and the netdev notifier.
 */
import { KERNEL_RELEASE, loadModule } from '../modules.ts';
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import {
  IFF_ALLMULTI, IFF_BROADCAST, IFF_MASTER, IFF_MULTICAST, IFF_NOARP, IFF_PROMISC, IFF_SLAVE, NetDevice,
  RxResult, macStr, macToNum, newStats, type DevStats, type DeviceOps,
} from '../netdev.ts';
import type { SkBuff } from '../skb.ts';
import {
  devClose, devMcAdd, devMcDel, devOpen, devQueueXmit, devSetAllmulti, devSetPromiscuity, drop, newSkb, rxHandlerRegister,
  rxHandlerUnregister, setCarrier, unregisterNetdevice,
} from '../dev.ts';
import { applyCreateAttrs, registerKind, registerNew, type KindData, type LinkKind } from '../rtnl.ts';
import { setMtu } from '../rtnl-setlink.ts';
import { arpSend } from '../ipv4/arp.ts';
import type { Timer } from '../clock.ts';

export const BOND_MODE_ROUNDROBIN = 0, BOND_MODE_ACTIVEBACKUP = 1, BOND_MODE_XOR = 2, BOND_MODE_BROADCAST = 3,
  BOND_MODE_8023AD = 4, BOND_MODE_TLB = 5, BOND_MODE_ALB = 6;
export const BOND_LINK_UP = 0, BOND_LINK_FAIL = 1, BOND_LINK_DOWN = 2, BOND_LINK_BACK = 3;
const BOND_LINK_NOCHANGE = 0xff;
export const BOND_STATE_ACTIVE = 0, BOND_STATE_BACKUP = 1;
const BOND_FOM_NONE = 0, BOND_FOM_ACTIVE = 1;
const BOND_DEFAULT_MIIMON = 100;
const SPEED_UNKNOWN = -1, DUPLEX_UNKNOWN = -1, DUPLEX_FULL = 1;
const ETH_P_SLOW = 0x8809;
const ENOTEMPTY = 39;
const NS_PER_MS = 1_000_000;
/** The release bond_version prints ("Ethernet Channel Bonding Driver: v" UTS_RELEASE). */
const LACPDU_MCAST = 0x0180c2000002;

export const BOND_MODE_NAMES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb',
  'balance-alb'] as const;
/** bond_mode_name: what /proc/net/bonding prints. */
const BOND_MODE_LONG = ['load balancing (round-robin)', 'fault-tolerance (active-backup)', 'load balancing (xor)',
  'fault-tolerance (broadcast)', 'IEEE 802.3ad Dynamic link aggregation', 'transmit load balancing',
  'adaptive load balancing'];
const XMIT_HASH_NAMES = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'];
const ARP_VALIDATE_NAMES = ['none', 'active', 'backup', 'all', 'filter', 'filter_active', 'filter_backup'];
const PRIMARY_RESELECT_NAMES = ['always', 'better', 'failure'];
const FAIL_OVER_MAC_NAMES = ['none', 'active', 'follow'];
const AD_SELECT_NAMES = ['stable', 'bandwidth', 'count'];
const SLAVE_LINK_STATUS = ['up', 'going down', 'down', 'going back'];

export interface BondParams {
  mode: number;
  miimon: number;
  /** In units of miimon, as the kernel keeps them. */
  updelay: number;
  downdelay: number;
  peerNotifDelay: number;
  useCarrier: number;
  arpInterval: number;
  missedMax: number;
  arpValidate: number;
  arpAllTargets: number;
  /** Name of the primary slave ('' = none). */
  primary: string;
  primaryReselect: number;
  failOverMac: number;
  xmitPolicy: number;
  resendIgmp: number;
  numPeerNotif: number;
  allSlavesActive: number;
  minLinks: number;
  lpInterval: number;
  packetsPerSlave: number;
  lacpActive: number;
  lacpFast: number;
  adSelect: number;
  tlbDynamicLb: number;
  adActorSysPrio: number;
  adUserPortKey: number;
  adActorSystem: Uint8Array;
}

export interface Slave {
  dev: NetDevice;
  bond: Bonding;
  link: number;
  linkNewState: number;
  delay: number;
  linkFailureCount: number;
  permHwaddr: Uint8Array;
  originalMtu: number;
  queueId: number;
  prio: number;
  /** backup: the slave state shown as BACKUP; inactive: its received frames are not passed up. */
  backup: boolean;
  inactive: boolean;
  speed: number;
  duplex: number;
  lastLinkUp: number;
  /** 802.3ad: the aggregator this port is attached to (each port is an individual aggregator). */
  adAggregatorId: number;
  /** 802.3ad: the port number (SLAVE_AD_INFO(slave)->id) and when its churn timers started. */
  adPortId: number;
  adChurnStart: number;
  /** The slave's counters when it was enslaved (slave->slave_stats). */
  statsAtEnslave: DevStats;
  /** 802.3ad: the LACPDU side of the port's state machines, from its first tick (null: not enabled). */
  adTx?: AdTx | null;
}

/**
 * The parts of one port's LACP machines (bond_3ad.c, one step per 100 ms tick) that decide when an
 * LACPDU leaves with no partner: tick 0 (BEGIN) the mux machine enters DETACHED and asks for one
 * (ntt); tick 1 the rx machine enters EXPIRED (30 ticks) and the periodic machine FAST_PERIODIC
 * (timer 10−1 ticks, then ntt), the mux machine WAITING (wait_while 20 ticks, then ATTACHED: ntt);
 * the tx machine sends a pending LACPDU only every 3rd tick (ticks 2, 5, 8, …: AD_MAX_TX_IN_SECOND);
 * at tick 31 EXPIRED gives way to DEFAULTED, and the periodic machine goes SLOW (300−1 ticks).
 * Seen on 6.1 (a bridge as partner): LACPDUs at ticks 2, 11, 20, 23 (now with Synchronization), 32.
 */
interface AdTx {
  tick: number; txTimer: number; periodic: 'none' | 'fast' | 'slow' | 'tx'; periodicTimer: number; ntt: boolean;
  attached: boolean;
}
const AD_EXPIRED_TICKS = 30, AD_WAIT_WHILE_TICKS = 20, AD_FAST_PERIODIC_TICKS = 10, AD_SLOW_PERIODIC_TICKS = 300,
  AD_TX_TICKS = 3;

export interface Bonding {
  dev: NetDevice;
  params: BondParams;
  /** Slaves in enslave order (the bond's lower list). */
  slaves: Slave[];
  currActive: Slave | null;
  primarySlave: Slave | null;
  forcePrimary: boolean;
  rrTxCounter: number;
  sendPeerNotif: number;
  miiTimer: Timer | null;
  adTimer: Timer | null;
  /** 802.3ad: next aggregator identifier (BOND_AD_INFO(bond).aggregator_identifier). */
  adAggregatorCounter: number;
  adActiveAggregator: number;
  /** bond->bond_stats: what released slaves contributed, plus the bond's own (core) drops. */
  statsBase: DevStats;
}

export function bondOf(dev: NetDevice): Bonding { return dev.priv as Bonding; }
/** bond_slave_get_rtnl: the Slave behind a device, when it is one. */
export function bondSlaveOf(dev: NetDevice): Slave | null {
  return dev.rxHandler === bondHandleFrame ? (dev.rxHandlerData as Slave) : null;
}

const mode = (bond: Bonding): number => bond.params.mode;
function bondUsesPrimary(bond: Bonding): boolean {
  const m = mode(bond);
  return m === BOND_MODE_ACTIVEBACKUP || m === BOND_MODE_TLB || m === BOND_MODE_ALB;
}
function bondIsLb(bond: Bonding): boolean { return mode(bond) === BOND_MODE_TLB || mode(bond) === BOND_MODE_ALB; }
function bondNeedsSpeedDuplex(bond: Bonding): boolean { return mode(bond) === BOND_MODE_8023AD || bondIsLb(bond); }
function bondModeUsesXmitHash(bond: Bonding): boolean {
  return mode(bond) === BOND_MODE_8023AD || mode(bond) === BOND_MODE_XOR || bond.params.tlbDynamicLb === 0;
}
function bondModeCanUseXmitHash(bond: Bonding): boolean {
  const m = mode(bond);
  return m === BOND_MODE_8023AD || m === BOND_MODE_XOR || m === BOND_MODE_TLB || m === BOND_MODE_ALB;
}
/** bond_mode_uses_arp: the modes that may use the ARP monitor (the others force miimon on). */
function modeUsesArp(m: number): boolean { return m !== BOND_MODE_8023AD && m !== BOND_MODE_TLB && m !== BOND_MODE_ALB; }

// ---------------------------------------------------------------------------------------------
// Slave state (include/net/bonding.h).

function slaveIsUp(s: Slave): boolean { return s.dev.isUp && s.dev.carrier; }
function slaveIsActive(s: Slave): boolean { return !s.backup; }
function slaveCanTx(s: Slave): boolean { return slaveIsUp(s) && s.link === BOND_LINK_UP && slaveIsActive(s); }
function slaveState(s: Slave): number { return s.backup ? BOND_STATE_BACKUP : BOND_STATE_ACTIVE; }

function setSlaveInactiveFlags(s: Slave): void {
  if (!bondIsLb(s.bond)) s.backup = true;
  if (!s.bond.params.allSlavesActive) s.inactive = true;
}
function setSlaveActiveFlags(s: Slave): void { s.backup = false; s.inactive = false; }
function setActiveSlave(s: Slave): void { s.backup = false; }
function setBackupSlave(s: Slave): void { s.backup = true; }

/** bond_check_dev_link with use_carrier: a running slave's carrier. */
function checkDevLink(dev: NetDevice): boolean { return dev.isUp && dev.carrier; }

/** What __ethtool_get_link_ksettings reports: veth 10000/full; stacked devices ask their lower. */
export function linkKsettings(dev: NetDevice, depth = 0): { speed: number; duplex: number } | null {
  if (depth > 8) return null;
  switch (dev.kind) {
    case 'veth': return { speed: 10000, duplex: DUPLEX_FULL };
    case 'macvlan': case 'macvtap': case 'ipvlan': case 'ipvtap': case 'vlan': {
      const l = dev.linkDevice();
      return l && l !== dev ? linkKsettings(l, depth + 1) : null;
    }
    default: return null;
  }
}

/** bond_update_speed_duplex: true when the speed or duplex is unknown. */
function updateSpeedDuplex(s: Slave): boolean {
  s.speed = SPEED_UNKNOWN;
  s.duplex = DUPLEX_UNKNOWN;
  const k = linkKsettings(s.dev);
  if (!k || k.speed <= 0) return true;
  s.speed = k.speed;
  s.duplex = k.duplex;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Carrier and active slave (bond_set_carrier, bond_find_best_slave, bond_change_active_slave).

function bondSetCarrier(bond: Bonding): boolean {
  const dev = bond.dev;
  let want = false;
  if (bond.slaves.length) {
    if (mode(bond) === BOND_MODE_8023AD) {
      // bond_3ad_set_carrier: an active aggregator with at least min_links ports.
      const agg = adActivePorts(bond);
      want = bond.adActiveAggregator !== 0 && agg.length >= bond.params.minLinks;
    } else want = bond.slaves.some((s) => s.link === BOND_LINK_UP);
  }
  if (want === dev.carrier) return false;
  setCarrier(dev, want);
  return true;
}

function choosePrimaryOrCurrent(bond: Bonding): Slave | null {
  let prim = bond.primarySlave;
  const curr = bond.currActive;
  if (!prim || prim.link !== BOND_LINK_UP) {
    let hprio: Slave | null = null;
    for (const s of bond.slaves) {
      if (s.link !== BOND_LINK_UP) continue;
      hprio = hprio ?? s;
      if (s.prio > hprio.prio) hprio = s;
    }
    if (hprio && hprio !== curr) {
      prim = hprio;
    } else {
      if (!curr || curr.link !== BOND_LINK_UP) return null;
      return curr;
    }
  } else if (bond.forcePrimary) {
    bond.forcePrimary = false;
    return prim;
  }
  // link_reselect
  if (!curr || curr.link !== BOND_LINK_UP) return prim;
  switch (bond.params.primaryReselect) {
    case 0: return prim;
    case 1:
      if (prim.speed < curr.speed) return curr;
      if (prim.speed === curr.speed && prim.duplex <= curr.duplex) return curr;
      return prim;
    default: return curr;
  }
}

function findBestSlave(bond: Bonding): Slave | null {
  const chosen = choosePrimaryOrCurrent(bond);
  if (chosen) return chosen;
  let best: Slave | null = null;
  let mintime = bond.params.updelay;
  for (const s of bond.slaves) {
    if (s.link === BOND_LINK_UP) return s;
    if (s.link === BOND_LINK_BACK && slaveIsUp(s) && s.delay < mintime) { mintime = s.delay; best = s; }
  }
  return best;
}

function linkwatchPending(dev: NetDevice): boolean { return dev.netns.lab.linkwatch.pending.has(dev); }

/** bond_should_notify_peers */
function shouldNotifyPeers(bond: Bonding): boolean {
  const s = bond.currActive;
  if (!s || !bond.sendPeerNotif) return false;
  if (bond.sendPeerNotif % Math.max(1, bond.params.peerNotifDelay) !== 0) return false;
  return bond.dev.carrier && !linkwatchPending(s.dev);
}

/** NETDEV_NOTIFY_PEERS → inetdev_send_gratuitous_arp: one gratuitous ARP request per IPv4 address. */
function notifyPeers(bond: Bonding): void {
  const dev = bond.dev;
  if (!dev.isUp || (dev.flags & IFF_NOARP)) return;
  for (const a of [...dev.inet]) arpSend(dev, 1, a.local, a.local, null, null);
}

/** bond_hw_addr_swap: promiscuity and allmulti follow the active slave in the primary-using modes. */
function hwAddrSwap(bond: Bonding, newActive: Slave | null, oldActive: Slave | null): void {
  const f = bond.dev.flags | bond.dev.gflags;
  if (oldActive) {
    if (f & IFF_PROMISC) devSetPromiscuity(oldActive.dev, -1);
    if (f & IFF_ALLMULTI) devSetAllmulti(oldActive.dev, -1);
  }
  if (newActive) {
    if (f & IFF_PROMISC) devSetPromiscuity(newActive.dev, 1);
    if (f & IFF_ALLMULTI) devSetAllmulti(newActive.dev, 1);
  }
}

/** bond_change_active_slave */
function changeActiveSlave(bond: Bonding, newActive: Slave | null): void {
  const oldActive = bond.currActive;
  if (oldActive === newActive) return;
  const now = bond.dev.netns.lab.clock.now;
  if (newActive) {
    newActive.lastLinkUp = now;
    if (newActive.link === BOND_LINK_BACK) {
      newActive.delay = 0;
      newActive.link = BOND_LINK_UP;
    }
  }
  if (bondUsesPrimary(bond)) hwAddrSwap(bond, newActive, oldActive);
  if (bondIsLb(bond)) {
    if (oldActive) setSlaveInactiveFlags(oldActive);
    if (newActive) setSlaveActiveFlags(newActive);
  }
  bond.currActive = newActive;
  if (mode(bond) === BOND_MODE_ACTIVEBACKUP) {
    if (oldActive) setSlaveInactiveFlags(oldActive);
    if (newActive) {
      setSlaveActiveFlags(newActive);
      let notify = false;
      if (bond.dev.isUp) {
        bond.sendPeerNotif = bond.params.numPeerNotif * Math.max(1, bond.params.peerNotifDelay);
        notify = shouldNotifyPeers(bond);
      }
      if (notify) {
        bond.sendPeerNotif--;
        notifyPeers(bond);
      }
    }
  }
}

/** bond_select_active_slave */
function selectActiveSlave(bond: Bonding): void {
  const best = findBestSlave(bond);
  if (best !== bond.currActive) {
    changeActiveSlave(bond, best);
    bondSetCarrier(bond);
  }
}

// ---------------------------------------------------------------------------------------------
// 802.3ad, approximated: every port is an individual aggregator (no LACP partner answers), and
// ad_agg_selection_logic activates the first one whose port can carry traffic.

function adActivePorts(bond: Bonding): Slave[] {
  return bond.slaves.filter((s) => s.adAggregatorId === bond.adActiveAggregator);
}

function adSelectAggregator(bond: Bonding): void {
  if (mode(bond) !== BOND_MODE_8023AD) return;
  const cur = bond.slaves.find((s) => s.adAggregatorId === bond.adActiveAggregator);
  let active = cur && cur.link === BOND_LINK_UP && slaveIsUp(cur) ? cur : null;
  if (!active) active = bond.slaves.find((s) => s.link === BOND_LINK_UP && slaveIsUp(s)) ?? null;
  bond.adActiveAggregator = active ? active.adAggregatorId : 0;
  // __enable_port / __disable_port: only the active aggregator's ports carry traffic.
  for (const s of bond.slaves) {
    if (active && s.adAggregatorId === active.adAggregatorId) setSlaveActiveFlags(s);
    else setSlaveInactiveFlags(s);
  }
  bondSetCarrier(bond);
}

function adTick(bond: Bonding): void {
  bond.adTimer = null;
  if (!bond.dev.isUp || bond.dev.dying || mode(bond) !== BOND_MODE_8023AD) return;
  adSelectAggregator(bond);
  for (const sl of bond.slaves) adLacpTick(sl);
  bond.adTimer = bond.dev.netns.lab.clock.after(100 * NS_PER_MS, () => adTick(bond));
}

/** One tick of the port's rx/periodic/mux/tx machines as far as LACPDU transmission goes (see AdTx). */
function adLacpTick(s: Slave): void {
  // port->is_enabled: the slave has link; without it the machines sit in PORT_DISABLED/NO_PERIODIC
  if (!slaveIsUp(s) || s.link !== BOND_LINK_UP) { s.adTx = null; return; }
  const t = s.adTx ??= { tick: 0, txTimer: AD_TX_TICKS, periodic: 'none', periodicTimer: 0, ntt: false, attached: false };
  const k = t.tick++;
  // the rx machine (run first each tick): EXPIRED from tick 1, DEFAULTED once its 30 ticks ran out
  const defaulted = k > AD_EXPIRED_TICKS;
  if (k === 0) t.ntt = true; // mux: BEGIN → DETACHED
  else if (t.periodicTimer > 0) {
    if (--t.periodicTimer === 0) { t.periodic = 'tx'; t.ntt = true; } // PERIODIC_TX
    else if (t.periodic === 'fast' && defaulted) { t.periodic = 'slow'; t.periodicTimer = AD_SLOW_PERIODIC_TICKS - 1; }
  } else {
    // NO_PERIODIC → FAST_PERIODIC; after PERIODIC_TX, FAST or SLOW as the partner's timeout says
    t.periodic = defaulted ? 'slow' : 'fast';
    t.periodicTimer = (defaulted ? AD_SLOW_PERIODIC_TICKS : AD_FAST_PERIODIC_TICKS) - 1;
  }
  if (k === 1 + AD_WAIT_WHILE_TICKS && !t.attached) { t.attached = true; t.ntt = true; } // WAITING → ATTACHED
  if (--t.txTimer === 0) {
    if (t.ntt) { adLacpduSend(s, k); t.ntt = false; }
    t.txTimer = AD_TX_TICKS;
  }
}

/** __update_lacpdu_from_port + ad_lacpdu_send: 110 bytes of LACPDU from the slave's permanent MAC. */
function adLacpduSend(s: Slave, tick: number): void {
  const bond = s.bond;
  const f = new Uint8Array(124);
  f.set([0x01, 0x80, 0xc2, 0x00, 0x00, 0x02], 0);
  f.set(s.permHwaddr, 6);
  f[12] = 0x88; f[13] = 0x09; // Slow Protocols
  f[14] = 1; f[15] = 1; // subtype LACP, version 1
  const expired = tick <= AD_EXPIRED_TICKS;
  const sync = s.adTx?.attached === true && s.adAggregatorId === bond.adActiveAggregator ? 8 : 0;
  // actor: LACP_ACTIVITY | AGGREGATION | DEFAULTED (+ EXPIRED while waiting, + SYNCHRONIZATION once attached)
  const actorState = 1 | 4 | 64 | (expired ? 128 : 0) | sync;
  let o = 16;
  const tlv = (type: number, sysPrio: number, sys: Uint8Array, key: number, portPrio: number, port: number, state: number) => {
    f[o] = type; f[o + 1] = 20;
    f[o + 2] = sysPrio >> 8; f[o + 3] = sysPrio & 0xff;
    f.set(sys, o + 4);
    f[o + 10] = key >> 8; f[o + 11] = key & 0xff;
    f[o + 12] = portPrio >> 8; f[o + 13] = portPrio & 0xff;
    f[o + 14] = port >> 8; f[o + 15] = port & 0xff;
    f[o + 16] = state;
    o += 20;
  };
  tlv(1, 65535, bond.dev.mac, adActorKey(s), 255, s.adPortId, actorState);
  // the partner: the default (admin) one, LACP_TIMEOUT set while EXPIRED
  tlv(2, 65535, new Uint8Array(6), 1, 255, 1, expired ? 2 : 0);
  f[o] = 3; f[o + 1] = 16; // collector information: max delay 0
  // terminator (type 0, length 0) and reserved bytes stay zero
  const lab = bond.dev.netns.lab;
  const skb = newSkb(lab, f, s.dev);
  devQueueXmit(skb);
}


// ---------------------------------------------------------------------------------------------
// Counters (bond_get_stats): the bond's are its slaves' counters since they were enslaved, folded
// into bond_stats, plus the drops the core counts on the bond itself.

const STAT_KEYS = Object.keys(newStats()) as (keyof DevStats)[];

function foldSlaveStats(bond: Bonding, s: Slave): void {
  for (const k of STAT_KEYS) {
    const delta = s.dev.stats[k] - s.statsAtEnslave[k];
    if (delta > 0) bond.statsBase[k] += delta;
  }
  s.statsAtEnslave = { ...s.dev.stats };
}

/** dev_get_stats on a bond: a live view; writes (core drop counters) land in bond_stats. */
function bondStatsView(bond: Bonding): DevStats {
  const view = {} as DevStats;
  const current = (k: keyof DevStats): number => {
    let v = bond.statsBase[k];
    for (const s of bond.slaves) {
      const delta = s.dev.stats[k] - s.statsAtEnslave[k];
      if (delta > 0) v += delta;
    }
    return v;
  };
  for (const k of STAT_KEYS) {
    Object.defineProperty(view, k, {
      enumerable: true,
      get: () => current(k),
      set: (v: number) => { bond.statsBase[k] += v - current(k); },
    });
  }
  return view;
}

/**
 * bond_compute_features, the visible part: tso_max_size/segs are the smallest of the slaves'
 * (GSO_MAX_SIZE and 65535 with none). A bond that never had a slave keeps the 65536 it was
 * allocated with.
 */
function computeFeatures(bond: Bonding): void {
  let size = 524280, segs = 65535;
  for (const s of bond.slaves) { size = Math.min(size, s.dev.tsoMaxSize); segs = Math.min(segs, s.dev.tsoMaxSegs); }
  bond.dev.tsoMaxSize = size;
  bond.dev.tsoMaxSegs = segs;
}

// ---------------------------------------------------------------------------------------------
// Enslave and release (bond_enslave, __bond_release_one).

/** dev_set_mac_address: the driver is called only for a different address, but either way the
 *  address counts as set (NET_ADDR_SET) and NETDEV_CHANGEADDR goes out. */
function setSlaveMac(dev: NetDevice, mac: Uint8Array): NlResult {
  if (!dev.ops.setMac) return err(Errno.EOPNOTSUPP);
  if (macToNum(mac, 0) !== dev.macNum) {
    const r = dev.ops.setMac(dev, mac);
    if (!r.ok) return r;
  }
  dev.addrAssign = 'set';
  dev.netns.lab.notify('CHANGEADDR', dev);
  return OK;
}

function randomBondMac(bond: Bonding): void {
  bond.dev.setMacBytes(bond.dev.netns.lab.rng.randomMac());
  bond.dev.addrAssign = 'random';
}

/** bond_enslave */
export function bondEnslave(bond: Bonding, slaveDev: NetDevice): NlResult {
  const bondDev = bond.dev;
  if ((slaveDev.flags & IFF_MASTER) && slaveDev.kind !== 'bond') {
    return err(Errno.EPERM, 'Device type (master device) cannot be enslaved');
  }
  if (slaveDev.rxHandler) return err(Errno.EBUSY, 'Device is in use and cannot be enslaved');
  if (slaveDev === bondDev) return err(Errno.EPERM, 'Cannot enslave bond to itself.');
  if (slaveDev.isUp) return err(Errno.EPERM, 'Device can not be enslaved while up');
  if (bond.slaves.length === 0) {
    // bond_setup_by_slave: the bond takes a non-Ethernet slave's type (and back with ether_setup).
    if (bondDev.type !== slaveDev.type) bondDev.type = slaveDev.type;
  } else if (bondDev.type !== slaveDev.type) {
    return err(Errno.EINVAL, 'Device type is different from other slaves');
  }
  if (!slaveDev.ops.setMac && mode(bond) === BOND_MODE_ACTIVEBACKUP && bond.params.failOverMac !== BOND_FOM_ACTIVE) {
    if (bond.slaves.length === 0) bond.params.failOverMac = BOND_FOM_ACTIVE;
    else {
      return err(Errno.EOPNOTSUPP,
        'Slave device does not support setting the MAC address, but fail_over_mac is not set to active');
    }
  }
  const lab = bondDev.netns.lab;
  // The first slave gives the bond its MAC unless one was set.
  let tookMac = false;
  if (bond.slaves.length === 0 && bondDev.addrAssign === 'random') {
    bondDev.setMacBytes(slaveDev.mac);
    bondDev.addrAssign = 'stolen';
    lab.notify('CHANGEADDR', bondDev);
    tookMac = true;
  }
  const undoFlags = (): void => {
    if (bond.slaves.length === 0 && tookMac && bondDev.macNum === slaveDev.macNum) {
      randomBondMac(bond);
      lab.notify('CHANGEADDR', bondDev);
    }
  };
  const s: Slave = {
    dev: slaveDev, bond, link: BOND_LINK_NOCHANGE, linkNewState: BOND_LINK_NOCHANGE, delay: 0, linkFailureCount: 0,
    permHwaddr: new Uint8Array(slaveDev.mac), originalMtu: slaveDev.mtu, queueId: 0, prio: 0, backup: false,
    inactive: false, speed: SPEED_UNKNOWN, duplex: DUPLEX_UNKNOWN, lastLinkUp: 0, adAggregatorId: 0,
    adPortId: 0, adChurnStart: 0, statsAtEnslave: { ...slaveDev.stats },
  };
  // Save the slave's MTU, then give it the bond's.
  const rm = setMtu(slaveDev, bondDev.mtu);
  if (!rm.ok) { undoFlags(); return rm; }
  const restoreMtu = (): void => { setMtu(slaveDev, s.originalMtu); };
  if (!bond.params.failOverMac || mode(bond) !== BOND_MODE_ACTIVEBACKUP) {
    const r = setSlaveMac(slaveDev, bondDev.mac);
    if (!r.ok) { restoreMtu(); undoFlags(); return r; }
  }
  if (bondIsLb(bond)) {
    // bond_alb_init_slave: back to its own address, unless another slave already has it.
    const taken = bond.slaves.some((o) => o.dev.macNum === macToNum(s.permHwaddr, 0));
    if (!taken) setSlaveMac(slaveDev, s.permHwaddr);
  }
  const restoreMac = (): void => {
    if (!bond.params.failOverMac || mode(bond) !== BOND_MODE_ACTIVEBACKUP) setSlaveMac(slaveDev, s.permHwaddr);
  };
  // "set slave flag before open to prevent IPv6 addrconf", then open the slave.
  slaveDev.flags |= IFF_SLAVE;
  const ro = devOpen(slaveDev);
  if (!ro.ok) {
    slaveDev.flags &= ~IFF_SLAVE;
    restoreMac(); restoreMtu(); undoFlags();
    return ro;
  }
  updateSpeedDuplex(s);
  // Initial link state.
  const p = bond.params;
  if (p.miimon) {
    if (checkDevLink(slaveDev)) {
      if (p.updelay) { s.link = BOND_LINK_BACK; s.delay = p.updelay; } else s.link = BOND_LINK_UP;
    } else s.link = BOND_LINK_DOWN;
  } else if (p.arpInterval) {
    s.link = slaveDev.carrier ? BOND_LINK_UP : BOND_LINK_DOWN;
  } else s.link = BOND_LINK_UP;
  if (s.link !== BOND_LINK_DOWN) s.lastLinkUp = lab.clock.now;
  if (bondUsesPrimary(bond) && p.primary && p.primary === slaveDev.name) {
    bond.primarySlave = s;
    bond.forcePrimary = true;
  }
  switch (mode(bond)) {
    case BOND_MODE_ACTIVEBACKUP:
      setSlaveInactiveFlags(s);
      break;
    case BOND_MODE_8023AD: {
      setSlaveInactiveFlags(s);
      // bond_3ad_initialize on the first slave restarts the aggregator numbering.
      const prev = bond.slaves[bond.slaves.length - 1];
      if (!prev) bond.adAggregatorCounter = 0;
      s.adPortId = prev ? prev.adPortId + 1 : 1;
      s.adAggregatorId = ++bond.adAggregatorCounter;
      s.adChurnStart = lab.clock.now;
      break;
    }
    case BOND_MODE_TLB: case BOND_MODE_ALB:
      setActiveSlave(s);
      setSlaveInactiveFlags(s);
      break;
    default:
      // "always active in trunk mode"
      setActiveSlave(s);
      if (!bond.currActive && s.link === BOND_LINK_UP) bond.currActive = s;
      break;
  }
  const rr = rxHandlerRegister(slaveDev, bondHandleFrame, s);
  if (!rr.ok) {
    if (bond.currActive === s) { bond.currActive = null; }
    if (bond.primarySlave === s) bond.primarySlave = null;
    devClose(slaveDev);
    slaveDev.flags &= ~IFF_SLAVE;
    restoreMac(); restoreMtu(); undoFlags();
    return rr;
  }
  // bond_master_upper_dev_link
  slaveDev.master = bondDev;
  bond.slaves.push(s);
  computeFeatures(bond);
  if (!bondUsesPrimary(bond)) {
    const f = bondDev.flags | bondDev.gflags;
    if (f & IFF_PROMISC) devSetPromiscuity(slaveDev, 1);
    if (f & IFF_ALLMULTI) devSetAllmulti(slaveDev, 1);
    if (bondDev.isUp && mode(bond) === BOND_MODE_8023AD) devMcAdd(slaveDev, LACPDU_MCAST);
  }
  bondSetCarrier(bond);
  if (bondUsesPrimary(bond)) selectActiveSlave(bond);
  if (mode(bond) === BOND_MODE_8023AD && bondDev.isUp) adSelectAggregator(bond);
  loadModule(lab, 'bonding');
  return OK;
}

/** __bond_release_one */
export function bondRelease(bond: Bonding, slaveDev: NetDevice, all: boolean): NlResult {
  const s = bondSlaveOf(slaveDev);
  if (!s || s.bond !== bond || !(slaveDev.flags & IFF_SLAVE)) return err(Errno.EINVAL);
  const bondDev = bond.dev;
  const lab = bondDev.netns.lab;
  const oldFlags = bondDev.flags | bondDev.gflags;
  setSlaveInactiveFlags(s);
  // "recompute stats just before removing the slave": its traffic stays counted on the bond.
  foldSlaveStats(bond, s);
  rxHandlerUnregister(slaveDev);
  // bond_upper_dev_unlink
  const i = bond.slaves.indexOf(s);
  if (i >= 0) bond.slaves.splice(i, 1);
  if (slaveDev.master === bondDev) slaveDev.master = null;
  slaveDev.flags &= ~IFF_SLAVE;
  if (mode(bond) === BOND_MODE_8023AD) devMcDel(slaveDev, LACPDU_MCAST);
  const oldCurrent = bond.currActive;
  if (bond.primarySlave === s) bond.primarySlave = null;
  if (oldCurrent === s) changeActiveSlave(bond, null);
  if (all) bond.currActive = null;
  else if (oldCurrent === s) selectActiveSlave(bond);
  if (mode(bond) === BOND_MODE_8023AD && bond.adActiveAggregator === s.adAggregatorId) {
    bond.adActiveAggregator = 0;
    if (bondDev.isUp) adSelectAggregator(bond);
  }
  bondSetCarrier(bond);
  computeFeatures(bond);
  if (bond.slaves.length === 0) {
    randomBondMac(bond);
    lab.notify('CHANGEADDR', bondDev);
  }
  if (!bondUsesPrimary(bond)) {
    if (oldFlags & IFF_PROMISC) devSetPromiscuity(slaveDev, -1);
    if (oldFlags & IFF_ALLMULTI) devSetAllmulti(slaveDev, -1);
  }
  // Close the slave before restoring its MAC, then its MTU.
  devClose(slaveDev);
  if (bond.params.failOverMac !== BOND_FOM_ACTIVE || mode(bond) !== BOND_MODE_ACTIVEBACKUP) {
    setSlaveMac(slaveDev, s.permHwaddr);
  }
  if (slaveDev.mtu !== s.originalMtu) setMtu(slaveDev, s.originalMtu);
  return OK;
}

// ---------------------------------------------------------------------------------------------
// MII monitor (bond_mii_monitor → bond_miimon_inspect + bond_miimon_commit).

function miimonInspect(bond: Bonding): number {
  let commit = 0;
  let ignoreUpdelay: boolean;
  if (mode(bond) === BOND_MODE_ACTIVEBACKUP) ignoreUpdelay = !bond.currActive;
  else ignoreUpdelay = bondModeCanUseXmitHash(bond) && usableSlaves(bond).length === 0;
  const p = bond.params;
  for (const s of bond.slaves) {
    s.linkNewState = BOND_LINK_NOCHANGE;
    const up = checkDevLink(s.dev);
    let state = s.link;
    if (state === BOND_LINK_UP) {
      if (up) continue;
      s.linkNewState = BOND_LINK_FAIL;
      commit++;
      s.delay = p.downdelay;
      state = BOND_LINK_FAIL;
    }
    if (state === BOND_LINK_FAIL) {
      if (up) { s.linkNewState = BOND_LINK_UP; s.lastLinkUp = bond.dev.netns.lab.clock.now; commit++; continue; }
      if (s.delay <= 0) { s.linkNewState = BOND_LINK_DOWN; commit++; continue; }
      s.delay--;
      continue;
    }
    if (state === BOND_LINK_DOWN) {
      if (!up) continue;
      s.linkNewState = BOND_LINK_BACK;
      commit++;
      s.delay = p.updelay;
      state = BOND_LINK_BACK;
    }
    if (state === BOND_LINK_BACK) {
      if (!up) { s.linkNewState = BOND_LINK_DOWN; commit++; continue; }
      if (ignoreUpdelay) s.delay = 0;
      if (s.delay <= 0) { s.linkNewState = BOND_LINK_UP; commit++; ignoreUpdelay = false; continue; }
      s.delay--;
    }
  }
  return commit;
}

function miimonCommit(bond: Bonding): void {
  let doFailover = false;
  const now = bond.dev.netns.lab.clock.now;
  for (const s of bond.slaves) {
    switch (s.linkNewState) {
      case BOND_LINK_NOCHANGE:
        continue;
      case BOND_LINK_UP: {
        if (updateSpeedDuplex(s) && bondNeedsSpeedDuplex(bond)) { s.link = BOND_LINK_DOWN; continue; }
        s.link = BOND_LINK_UP;
        s.lastLinkUp = now;
        if (mode(bond) === BOND_MODE_8023AD) setBackupSlave(s);
        else if (mode(bond) !== BOND_MODE_ACTIVEBACKUP) setActiveSlave(s);
        const active = bond.currActive;
        if (!active || s === bond.primarySlave || s.prio > active.prio) doFailover = true;
        continue;
      }
      case BOND_LINK_DOWN:
        s.linkFailureCount++;
        s.link = BOND_LINK_DOWN;
        if (mode(bond) === BOND_MODE_ACTIVEBACKUP || mode(bond) === BOND_MODE_8023AD) setSlaveInactiveFlags(s);
        if (s === bond.currActive) doFailover = true;
        continue;
      default:
        // FAIL/BACK were committed as the slave's state already ("invalid new link").
        s.linkNewState = BOND_LINK_NOCHANGE;
        continue;
    }
  }
  if (doFailover) selectActiveSlave(bond);
  if (mode(bond) === BOND_MODE_8023AD) adSelectAggregator(bond);
  bondSetCarrier(bond);
}

function miiMonitor(bond: Bonding): void {
  bond.miiTimer = null;
  const dev = bond.dev;
  if (!dev.isUp || dev.dying || !bond.params.miimon) return;
  let notify = false;
  if (bond.slaves.length) {
    notify = shouldNotifyPeers(bond);
    const commit = miimonInspect(bond) > 0;
    if (bond.sendPeerNotif) bond.sendPeerNotif--;
    if (commit) {
      for (const s of bond.slaves) if (s.linkNewState !== BOND_LINK_NOCHANGE) s.link = s.linkNewState;
      miimonCommit(bond);
    }
  }
  bond.miiTimer = dev.netns.lab.clock.after(bond.params.miimon * NS_PER_MS, () => miiMonitor(bond));
  if (notify) notifyPeers(bond);
}

function startMii(bond: Bonding): void {
  bond.miiTimer?.cancel();
  bond.miiTimer = bond.dev.netns.lab.clock.after(0, () => miiMonitor(bond));
}

function stopTimers(bond: Bonding): void {
  bond.miiTimer?.cancel();
  bond.miiTimer = null;
  bond.adTimer?.cancel();
  bond.adTimer = null;
}

// ---------------------------------------------------------------------------------------------
// Receive: bond_handle_frame on every slave.

function isLinkLocalEther(d: Uint8Array): boolean {
  return d[0] === 0x01 && d[1] === 0x80 && d[2] === 0xc2 && d[3] === 0x00 && d[4] === 0x00 && (d[5]! & 0xf0) === 0;
}

export function bondHandleFrame(skb: SkBuff): RxResult {
  const s = skb.dev.rxHandlerData as Slave;
  const bond = s.bond;
  const lab = bond.dev.netns.lab;
  // recv_probe (bond_3ad_lacpdu_recv): LACPDUs are the bond's own business.
  if (mode(bond) === BOND_MODE_8023AD && bond.dev.isUp && skb.ethertype === ETH_P_SLOW) {
    drop(lab, skb, 'rx', 'BOND_LACPDU', 'bond_3ad_lacpdu_recv');
    return RxResult.CONSUMED;
  }
  // bond_should_deliver_exact_match: inactive slaves keep their frames (RX_HANDLER_EXACT), which
  // no protocol handler takes; link-local frames are passed on the slave.
  if (s.inactive && !(mode(bond) === BOND_MODE_ALB && !(skb.data[0]! & 1))) {
    if (isLinkLocalEther(skb.data)) return RxResult.PASS;
    drop(lab, skb, 'rx', 'BOND_INACTIVE_SLAVE', 'bond_handle_frame', `${skb.dev.name} is a backup slave of ${bond.dev.name}`);
    return RxResult.CONSUMED;
  }
  if (lab.tracer) lab.trace(skb, skb.dev, 'rx', 'bond_handle_frame', 'forwarded', undefined, `to ${bond.dev.name}`);
  skb.dev = bond.dev;
  return RxResult.ANOTHER;
}

// ---------------------------------------------------------------------------------------------
// Transmit: bond_start_xmit per mode.

/** bond_get_slave_by_id: the first slave that can transmit from `id` on, wrapping around. */
function slaveById(bond: Bonding, id: number): Slave | null {
  const n = bond.slaves.length;
  for (let k = 0; k < n; k++) {
    const s = bond.slaves[(id + k) % n]!;
    if (slaveCanTx(s)) return s;
  }
  return null;
}

/** bond_xmit_roundrobin_slave_get: IGMP sticks to the active slave; the rest rotate (packets_per_slave 1). */
function roundRobinSlave(bond: Bonding, skb: SkBuff): Slave | null {
  const d = skb.data;
  if (skb.ethertype === 0x0800 && d.length >= 34 && d[23] === 2 /* IPPROTO_IGMP */) {
    return bond.currActive ?? slaveById(bond, 0);
  }
  const cnt = bond.slaves.length;
  if (!cnt) return null;
  let id: number;
  if (bond.params.packetsPerSlave === 0) id = bond.dev.netns.lab.rng.below(0x100000000);
  else {
    bond.rrTxCounter = (bond.rrTxCounter + 1) >>> 0;
    id = Math.floor(bond.rrTxCounter / Math.max(1, bond.params.packetsPerSlave));
  }
  return slaveById(bond, id % cnt);
}

/** bond_update_slave_arr: the slaves a hash may pick. */
function usableSlaves(bond: Bonding): Slave[] {
  if (mode(bond) === BOND_MODE_8023AD) return adActivePorts(bond).filter(slaveCanTx);
  return bond.slaves.filter(slaveCanTx);
}

/** bond_xmit_hash, layer2 policy: last bytes of both MACs and the ethertype. */
function xmitHash(skb: SkBuff): number {
  const d = skb.data;
  return (d[5]! ^ d[11]! ^ ((d[12]! << 8) | d[13]!)) >>> 0;
}

function bondStartXmit(dev: NetDevice, skb: SkBuff): void {
  const bond = bondOf(dev);
  const lab = dev.netns.lab;
  const send = (s: Slave, frame: SkBuff): void => {
    if (lab.tracer) lab.trace(frame, dev, 'tx', 'bond_dev_queue_xmit', 'forwarded', undefined, `on slave ${s.dev.name}`);
    frame.dev = s.dev;
    devQueueXmit(frame);
  };
  let slave: Slave | null = null;
  if (bond.slaves.length) {
    switch (mode(bond)) {
      case BOND_MODE_ROUNDROBIN: slave = roundRobinSlave(bond, skb); break;
      case BOND_MODE_XOR: case BOND_MODE_8023AD: {
        const u = usableSlaves(bond);
        slave = u.length ? u[xmitHash(skb) % u.length]! : null;
        break;
      }
      case BOND_MODE_BROADCAST: {
        const targets = bond.slaves.filter((s) => slaveIsUp(s) && s.link === BOND_LINK_UP);
        if (targets.length) {
          targets.forEach((s, i) => send(s, i === targets.length - 1 ? skb : skb.clone()));
          return;
        }
        break;
      }
      default:
        // active-backup; tlb/alb approximated by the active slave.
        slave = bond.currActive;
        break;
    }
  }
  if (!slave) {
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', 'BOND_NO_SLAVE', 'bond_tx_drop', dev.name);
    return;
  }
  send(slave, skb);
}

// ---------------------------------------------------------------------------------------------
// net_device_ops: bond_open, bond_close, bond_change_mtu, bond_set_mac_address, bond_uninit.

function bondOpen(dev: NetDevice): NlResult {
  const bond = bondOf(dev);
  for (const s of bond.slaves) {
    if (bondUsesPrimary(bond) && s !== bond.currActive) setSlaveInactiveFlags(s);
    else if (mode(bond) !== BOND_MODE_8023AD) setSlaveActiveFlags(s);
  }
  if (bond.params.miimon) startMii(bond);
  if (mode(bond) === BOND_MODE_8023AD) {
    for (const s of bond.slaves) { devMcAdd(s.dev, LACPDU_MCAST); s.adChurnStart = dev.netns.lab.clock.now; s.adTx = null; }
    bond.adTimer?.cancel();
    bond.adTimer = dev.netns.lab.clock.after(0, () => adTick(bond));
  }
  return OK;
}

function bondClose(dev: NetDevice): void {
  const bond = bondOf(dev);
  stopTimers(bond);
  bond.sendPeerNotif = 0;
}

function bondChangeMtu(dev: NetDevice, mtu: number): NlResult {
  const bond = bondOf(dev);
  const done: Slave[] = [];
  for (const s of bond.slaves) {
    const r = setMtu(s.dev, mtu);
    if (!r.ok) {
      for (const d of done) setMtu(d.dev, dev.mtu);
      return r;
    }
    done.push(s);
  }
  return OK;
}

function bondSetMac(dev: NetDevice, mac: Uint8Array): NlResult {
  const bond = bondOf(dev);
  if (bond.params.failOverMac && mode(bond) === BOND_MODE_ACTIVEBACKUP) return OK;
  const done: Slave[] = [];
  for (const s of bond.slaves) {
    const r = setSlaveMac(s.dev, mac);
    if (!r.ok) {
      for (const d of done) setSlaveMac(d.dev, dev.mac);
      return r;
    }
    done.push(s);
  }
  dev.setMacBytes(mac);
  dev.addrAssign = 'set';
  return OK;
}

const bondOps: DeviceOps = {
  kind: 'bond',
  noQueue: true,
  // bond_setup: NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX — a VLAN device's tag stays in
  // metadata down to the slave (so the layer2 hash sees the inner ethertype, as bond_eth_hash does)
  vlanTxOffload: true,
  unicastFilter: true,
  netnsImmutable: true,
  open: bondOpen,
  stop: bondClose,
  xmit: bondStartXmit,
  changeMtu: bondChangeMtu,
  setMac: bondSetMac,
  uninit(dev) {
    // bond_uninit: every slave is released.
    const bond = bondOf(dev);
    stopTimers(bond);
    for (const s of [...bond.slaves]) bondRelease(bond, s.dev, true);
  },
};

// ---------------------------------------------------------------------------------------------
// Options (bond_options.c) and netlink (bond_netlink.c).

function defaultParams(): BondParams {
  return {
    mode: BOND_MODE_ROUNDROBIN, miimon: 0, updelay: 0, downdelay: 0, peerNotifDelay: 0, useCarrier: 1,
    arpInterval: 0, missedMax: 2, arpValidate: 0, arpAllTargets: 0, primary: '', primaryReselect: 0,
    failOverMac: BOND_FOM_NONE, xmitPolicy: 0, resendIgmp: 1, numPeerNotif: 1, allSlavesActive: 0, minLinks: 0,
    lpInterval: 1, packetsPerSlave: 1, lacpActive: 1, lacpFast: 0, adSelect: 0, tlbDynamicLb: 1,
    adActorSysPrio: 65535, adUserPortKey: 0, adActorSystem: new Uint8Array(6),
  };
}

function numOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const i = (BOND_MODE_NAMES as readonly string[]).indexOf(v);
    return i >= 0 ? i : Number(v);
  }
  return Number(v);
}

const OPT_EBUSY = 'unable to set option because the bond is up';
const OPT_ENOTEMPTY = 'unable to set option because the bond device has slaves';

/** bond_opt_check_deps (no slaves, bond down), bond_opt_parse, then bond_option_mode_set. */
function setModeOpt(bond: Bonding, m: number): NlResult {
  if (bond.slaves.length) return err(ENOTEMPTY, OPT_ENOTEMPTY);
  if (bond.dev.isUp) return err(Errno.EBUSY, OPT_EBUSY);
  if (!Number.isInteger(m) || m < 0 || m > BOND_MODE_ALB) return err(Errno.EINVAL, 'invalid option value');
  if (!modeUsesArp(m)) {
    bond.params.arpInterval = 0;
    if (!bond.params.miimon) bond.params.miimon = BOND_DEFAULT_MIIMON;
  }
  if (m === BOND_MODE_ALB) bond.params.tlbDynamicLb = 1;
  bond.params.arpValidate = 0;
  bond.params.mode = m;
  return OK;
}

/** bond_option_active_slave_set */
function setActiveSlaveOpt(bond: Bonding, ifindex: number): NlResult {
  if (!bondUsesPrimary(bond)) return err(Errno.EACCES, 'option not supported in mode');
  if (!ifindex) {
    bond.currActive = null;
    selectActiveSlave(bond);
    return OK;
  }
  const slaveDev = bond.dev.netns.byIndex.get(ifindex);
  if (!slaveDev) return err(Errno.ENODEV);
  const s = bondSlaveOf(slaveDev);
  if (!s || s.bond !== bond) return err(Errno.EINVAL, 'invalid option value');
  const old = bond.currActive;
  if (s === old) return OK;
  if (old && s.link === BOND_LINK_UP && slaveIsUp(s)) {
    changeActiveSlave(bond, s);
    return OK;
  }
  return err(Errno.EINVAL, 'invalid option value');
}

function setMiimonOpt(bond: Bonding, v: number): NlResult {
  if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) return err(Errno.EINVAL, 'invalid option value');
  bond.params.miimon = v;
  if (v && bond.params.arpInterval) bond.params.arpInterval = 0;
  if (bond.dev.isUp) {
    if (!v) { bond.miiTimer?.cancel(); bond.miiTimer = null; } else startMii(bond);
  }
  return OK;
}

/** updelay/downdelay/peer_notify_delay: milliseconds, kept as multiples of miimon. */
function setDelayOpt(bond: Bonding, key: 'updelay' | 'downdelay' | 'peerNotifDelay', v: number): NlResult {
  if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) return err(Errno.EINVAL, 'invalid option value');
  if (!bond.params.miimon) return err(Errno.EPERM);
  bond.params[key] = Math.floor(v / bond.params.miimon);
  return OK;
}

/** bond_changelink: the attributes in the kernel's order, each through __bond_opt_set. */
function bondChangelink(bond: Bonding, data: KindData): NlResult {
  const has = (k: string): boolean => data[k] !== undefined;
  if (has('mode')) {
    const r = setModeOpt(bond, numOf(data['mode']));
    if (!r.ok) return r;
  }
  if (has('activeSlave')) {
    const r = setActiveSlaveOpt(bond, numOf(data['activeSlave']));
    if (!r.ok) return r;
  }
  if (has('miimon')) {
    const r = setMiimonOpt(bond, numOf(data['miimon']));
    if (!r.ok) return r;
  }
  for (const [attr, key] of [['updelay', 'updelay'], ['downdelay', 'downdelay'], ['peerNotifyDelay', 'peerNotifDelay']] as const) {
    if (!has(attr)) continue;
    const r = setDelayOpt(bond, key, numOf(data[attr]));
    if (!r.ok) return r;
  }
  const simple: [string, keyof BondParams, number, number][] = [
    ['useCarrier', 'useCarrier', 0, 1], ['primaryReselect', 'primaryReselect', 0, 2],
    ['xmitHashPolicy', 'xmitPolicy', 0, 5], ['resendIgmp', 'resendIgmp', 0, 255],
    ['numPeerNotif', 'numPeerNotif', 0, 255], ['allSlavesActive', 'allSlavesActive', 0, 1],
    ['minLinks', 'minLinks', 0, 0x7fffffff], ['lpInterval', 'lpInterval', 1, 0x7fffffff],
    ['packetsPerSlave', 'packetsPerSlave', 0, 65535], ['missedMax', 'missedMax', 1, 255],
  ];
  for (const [attr, key, min, max] of simple) {
    if (!has(attr)) continue;
    const v = numOf(data[attr]);
    if (!Number.isInteger(v) || v < min || v > max) return err(Errno.EINVAL, 'invalid option value');
    (bond.params as unknown as Record<string, number>)[key] = v;
  }
  if (has('primary')) {
    const v = data['primary'];
    const name = typeof v === 'number' ? bond.dev.netns.byIndex.get(v)?.name ?? '' : String(v);
    bond.params.primary = name;
    bond.primarySlave = bond.slaves.find((s) => s.dev.name === name) ?? null;
    if (bondUsesPrimary(bond)) selectActiveSlave(bond);
  }
  return OK;
}

function modeName(m: number): string { return BOND_MODE_NAMES[m] ?? 'UNKNOWN'; }

/** bond_fill_info: IFLA_BOND_* as KindData for ip/iplink_bond.c's print_opt. */
function bondFillInfo(dev: NetDevice): KindData {
  const bond = bondOf(dev);
  const p = bond.params;
  const active = bondUsesPrimary(bond) && bond.currActive ? bond.currActive.dev.ifindex : 0;
  const info: KindData = {
    mode: p.mode, activeSlave: active, miimon: p.miimon, updelay: p.updelay * p.miimon,
    downdelay: p.downdelay * p.miimon, peerNotifyDelay: p.peerNotifDelay * p.miimon, useCarrier: p.useCarrier,
    arpInterval: p.arpInterval, missedMax: p.missedMax, arpValidate: ARP_VALIDATE_NAMES[p.arpValidate] ?? 'none',
    arpAllTargets: p.arpAllTargets ? 'all' : 'any',
  };
  if (bond.primarySlave) info['primary'] = bond.primarySlave.dev.name;
  Object.assign(info, {
    primaryReselect: PRIMARY_RESELECT_NAMES[p.primaryReselect], failOverMac: FAIL_OVER_MAC_NAMES[p.failOverMac],
    xmitHashPolicy: XMIT_HASH_NAMES[p.xmitPolicy], resendIgmp: p.resendIgmp, numPeerNotif: p.numPeerNotif,
    allSlavesActive: p.allSlavesActive, minLinks: p.minLinks, lpInterval: p.lpInterval,
    packetsPerSlave: p.packetsPerSlave, adLacpActive: p.lacpActive ? 'on' : 'off',
    adLacpRate: p.lacpFast ? 'fast' : 'slow', adSelect: AD_SELECT_NAMES[p.adSelect],
  });
  if (p.mode === BOND_MODE_8023AD) {
    const ports = adActivePorts(bond);
    if (bond.adActiveAggregator && ports.length) {
      info['adInfo'] = {
        aggregator: bond.adActiveAggregator, numPorts: ports.length, actorKey: adActorKey(ports[0]!),
        partnerKey: 1, partnerMac: new Uint8Array(6),
      };
    }
    info['adActorSysPrio'] = p.adActorSysPrio;
    info['adUserPortKey'] = p.adUserPortKey;
    info['adActorSystem'] = p.adActorSystem;
  }
  info['tlbDynamicLb'] = p.tlbDynamicLb;
  return info;
}

/** actor_oper_port_key: duplex bit, speed class << 1, user key << 6. */
function adActorKey(s: Slave): number {
  const classes: Record<number, number> = { 1: 1, 10: 2, 100: 3, 1000: 4, 2500: 5, 5000: 6, 10000: 7, 20000: 8,
    25000: 9, 40000: 10, 50000: 11, 56000: 12, 100000: 13 };
  const sp = classes[s.speed] ?? 0;
  return (s.bond.params.adUserPortKey << 6) | (sp << 1) | (s.duplex === DUPLEX_FULL ? 1 : 0);
}

/** How long ago the port's LACP state machines started (bond up, or enslaved into an up bond). */
function adPortAge(s: Slave): number { return s.bond.dev.netns.lab.clock.now - s.adChurnStart; }
/** The rx machine waits one short timeout (3 s) for a partner in EXPIRED before it gives up (DEFAULTED). */
const AD_SHORT_TIMEOUT_NS = 3000 * NS_PER_MS;

function adActorPortState(s: Slave): number {
  // LACP_ACTIVITY | AGGREGATION | DEFAULTED, plus EXPIRED while no partner has been heard for the
  // first current_while; afterwards SYNCHRONIZATION on the active aggregator's ports.
  if (adPortAge(s) < AD_SHORT_TIMEOUT_NS) return 1 | 4 | 64 | 128;
  return 1 | 4 | 64 | (s.adAggregatorId === s.bond.adActiveAggregator ? 8 : 0);
}

/** The partner's state: LACP_TIMEOUT (short) while EXPIRED, then the default partner's 0. */
function adPartnerPortState(s: Slave): number { return adPortAge(s) < AD_SHORT_TIMEOUT_NS ? 2 : 0; }

/** bond_fill_slave_info */
function bondFillSlaveInfo(_master: NetDevice, port: NetDevice): KindData {
  const s = bondSlaveOf(port);
  if (!s) return {};
  const info: KindData = {
    state: slaveState(s), miiStatus: s.link === BOND_LINK_NOCHANGE ? BOND_LINK_DOWN : s.link,
    linkFailureCount: s.linkFailureCount, permHwaddr: s.permHwaddr, queueId: s.queueId, prio: s.prio,
  };
  if (mode(s.bond) === BOND_MODE_8023AD && s.adAggregatorId) {
    info['adAggregatorId'] = s.adAggregatorId;
    info['adActorOperPortState'] = adActorPortState(s);
    info['adPartnerOperPortState'] = adPartnerPortState(s);
  }
  return info;
}

export const bondKind: LinkKind = {
  kind: 'bond',
  slaveKind: 'bond_slave',
  setupMtu: { min: 68, max: 65535 },
  newLink(ctx) {
    const a = ctx.attrs;
    const dev = new NetDevice(a.ifname ?? ctx.ns.allocName('bond%d'), bondOps, IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER);
    dev.setMacBytes(ctx.lab.rng.randomMac());
    dev.addrAssign = 'random';
    dev.minMtu = 68;
    dev.maxMtu = 65535;
    // bond_get_num_tx_queues: the tx_queues module parameter, 16 by default.
    dev.numTxQueues = 16;
    dev.numRxQueues = 16;
    // alloc_netdev's TSO_LEGACY_MAX_SIZE, until bond_compute_features runs at the first enslave.
    dev.tsoMaxSize = 65536;
    const bond: Bonding = {
      dev, params: defaultParams(), slaves: [], currActive: null, primarySlave: null, forcePrimary: false,
      rrTxCounter: 0, sendPeerNotif: 0, miiTimer: null, adTimer: null, adAggregatorCounter: 0, adActiveAggregator: 0,
      statsBase: newStats(),
    };
    dev.priv = bond;
    Object.defineProperty(dev, 'stats', { value: bondStatsView(bond), enumerable: true });
    const r = applyCreateAttrs(dev, a);
    if (!r.ok) return r;
    // bond_newlink: bond_changelink first, then register, then netif_carrier_off.
    if (a.data) {
      const c = bondChangelink(bond, a.data);
      if (!c.ok) return c;
    }
    dev.carrier = true;
    const reg = registerNew(ctx.ns, dev, a);
    if (!reg.ok) return reg;
    setCarrier(dev, false);
    loadModule(ctx.lab, 'bonding');
    return ok(dev);
  },
  changeLink(dev, data) { return bondChangelink(bondOf(dev), data); },
  slaveChangeLink(master, port, data) {
    const s = bondSlaveOf(port);
    if (!s || s.bond !== bondOf(master)) return err(Errno.EINVAL);
    if (data['queueId'] !== undefined) s.queueId = numOf(data['queueId']);
    if (data['prio'] !== undefined) {
      s.prio = numOf(data['prio']);
      if (bondUsesPrimary(s.bond)) selectActiveSlave(s.bond);
    }
    return OK;
  },
  addSlave(master, port) { return bondEnslave(bondOf(master), port); },
  delSlave(master, port) { return bondRelease(bondOf(master), port, false); },
  delLink(dev) { unregisterNetdevice(dev); },
  fillInfo: bondFillInfo,
  fillSlaveInfo: bondFillSlaveInfo,
};

// ---------------------------------------------------------------------------------------------
// /proc/net/bonding/BOND (bond_procfs.c: bond_info_show_master, bond_info_show_slave).

export function bondProcInfo(dev: NetDevice): string | null {
  if (dev.kind !== 'bond' || dev.dying) return null;
  const bond = bondOf(dev);
  const p = bond.params;
  let o = `Ethernet Channel Bonding Driver: v${KERNEL_RELEASE}\n\n`;
  o += `Bonding Mode: ${BOND_MODE_LONG[p.mode]}`;
  if (p.mode === BOND_MODE_ACTIVEBACKUP && p.failOverMac) o += ` (fail_over_mac ${FAIL_OVER_MAC_NAMES[p.failOverMac]})`;
  o += '\n';
  if (bondModeUsesXmitHash(bond)) o += `Transmit Hash Policy: ${XMIT_HASH_NAMES[p.xmitPolicy]} (${p.xmitPolicy})\n`;
  if (bondUsesPrimary(bond)) {
    const prim = bond.primarySlave;
    o += `Primary Slave: ${prim ? prim.dev.name : 'None'}`;
    if (prim) o += ` (primary_reselect ${PRIMARY_RESELECT_NAMES[p.primaryReselect]})`;
    o += `\nCurrently Active Slave: ${bond.currActive ? bond.currActive.dev.name : 'None'}\n`;
  }
  o += `MII Status: ${dev.carrier ? 'up' : 'down'}\n`;
  o += `MII Polling Interval (ms): ${p.miimon}\n`;
  o += `Up Delay (ms): ${p.updelay * p.miimon}\n`;
  o += `Down Delay (ms): ${p.downdelay * p.miimon}\n`;
  o += `Peer Notification Delay (ms): ${p.peerNotifDelay * p.miimon}\n`;
  if (p.mode === BOND_MODE_8023AD) {
    o += '\n802.3ad info\n';
    o += `LACP active: ${p.lacpActive ? 'on' : 'off'}\n`;
    o += `LACP rate: ${p.lacpFast ? 'fast' : 'slow'}\n`;
    o += `Min links: ${p.minLinks}\n`;
    o += `Aggregator selection policy (ad_select): ${AD_SELECT_NAMES[p.adSelect]}\n`;
    o += `System priority: ${p.adActorSysPrio}\n`;
    o += `System MAC address: ${macStr(isZero(p.adActorSystem) ? dev.mac : p.adActorSystem)}\n`;
    const ports = adActivePorts(bond);
    if (!bond.adActiveAggregator || !ports.length) o += `bond ${dev.name} has no active aggregator\n`;
    else {
      o += 'Active Aggregator Info:\n';
      o += `\tAggregator ID: ${bond.adActiveAggregator}\n`;
      o += `\tNumber of ports: ${ports.length}\n`;
      o += `\tActor Key: ${adActorKey(ports[0]!)}\n`;
      o += '\tPartner Key: 1\n';
      o += '\tPartner Mac Address: 00:00:00:00:00:00\n';
    }
  }
  for (const s of bond.slaves) {
    o += `\nSlave Interface: ${s.dev.name}\n`;
    o += `MII Status: ${SLAVE_LINK_STATUS[s.link] ?? 'down'}\n`;
    o += `Speed: ${s.speed === SPEED_UNKNOWN ? 'Unknown' : `${s.speed} Mbps`}\n`;
    o += `Duplex: ${s.duplex === DUPLEX_UNKNOWN ? 'Unknown' : s.duplex ? 'full' : 'half'}\n`;
    o += `Link Failure Count: ${s.linkFailureCount}\n`;
    o += `Permanent HW addr: ${macStr(s.permHwaddr)}\n`;
    o += `Slave queue ID: ${s.queueId}\n`;
    if (p.mode === BOND_MODE_8023AD) o += adSlaveProc(s);
  }
  return o;
}

function isZero(m: Uint8Array): boolean { return m.every((b) => b === 0); }

/**
 * bond_info_show_slave's 802.3ad part. No LACP partner ever answers in a lab, so the partner is
 * the default one (state 0); the churn machines report "monitoring" for their first 60 s, then
 * the in-sync actor "none" and everything else "churned".
 */
function adSlaveProc(s: Slave): string {
  if (!s.adAggregatorId) return 'Aggregator ID: N/A\n';
  const bond = s.bond;
  const state = adActorPortState(s);
  const done = bond.dev.netns.lab.clock.now - s.adChurnStart >= 60_000 * NS_PER_MS;
  const actorChurn = !done ? 'monitoring' : state & 8 ? 'none' : 'churned';
  const partnerChurn = !done ? 'monitoring' : 'churned';
  const sysMac = isZero(bond.params.adActorSystem) ? bond.dev.mac : bond.params.adActorSystem;
  return `Aggregator ID: ${s.adAggregatorId}\n` +
    `Actor Churn State: ${actorChurn}\n` +
    `Partner Churn State: ${partnerChurn}\n` +
    `Actor Churned Count: ${actorChurn === 'churned' ? 1 : 0}\n` +
    `Partner Churned Count: ${partnerChurn === 'churned' ? 1 : 0}\n` +
    'details actor lacp pdu:\n' +
    `    system priority: ${bond.params.adActorSysPrio}\n` +
    `    system mac address: ${macStr(sysMac)}\n` +
    `    port key: ${adActorKey(s)}\n` +
    '    port priority: 255\n' +
    `    port number: ${s.adPortId}\n` +
    `    port state: ${state}\n` +
    'details partner lacp pdu:\n' +
    '    system priority: 65535\n' +
    '    system mac address: 00:00:00:00:00:00\n' +
    '    oper key: 1\n' +
    '    port priority: 255\n' +
    '    port number: 1\n' +
    `    port state: ${adPartnerPortState(s)}\n`;
}

/**
 * The bonds of a namespace in creation order (bond_net's dev_list: /proc/net/bonding entries and
 * /sys/class/net/bonding_masters), or null while the bonding module is not loaded.
 */
export function bondProcNames(lab: Lab, devices: Iterable<NetDevice>): string[] | null {
  if (!lab.modules.has('bonding')) return null;
  return [...devices].filter((d) => d.kind === 'bond').sort((a, b) => a.serial - b.serial).map((d) => d.name);
}

// ---------------------------------------------------------------------------------------------
// bond_netdev_event: what happens to slaves.

function netdevEvent(event: string, dev: NetDevice): void {
  const s = bondSlaveOf(dev);
  if (!s) return;
  switch (event) {
    case 'UNREGISTER':
      // Deleted, or moved to another namespace: the bond lets it go.
      bondRelease(s.bond, dev, false);
      break;
    case 'UP': case 'CHANGE':
      updateSpeedDuplex(s);
      break;
    default:
      break;
  }
}

export function installBond(lab: Lab): void {
  registerKind(lab, bondKind);
  lab.notifiers.push(netdevEvent);
}
