/**
 * net/bridge/br_device.c (the bridge net_device: open/stop/xmit/MTU/MAC), br_if.c (adding and
 * removing ports) and br.c's netdevice notifier (ports that change carrier, MAC, MTU, go down,
 * leave the namespace or disappear).
 */
import { Errno, OK, err, type NlResult } from '../../errno.ts';
import type { Lab, NetdevEvent } from '../../lab.ts';
import {
  ARPHRD_ETHER, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, NetDevice, OperState, isValidUnicastMac,
  type DeviceOps,
} from '../../netdev.ts';
import {
  devSetAllmulti, devSetPromiscuity, rxHandlerRegister, rxHandlerUnregister, upperLinkCheck,
  unregisterNetdevice,
} from '../../dev.ts';
import {
  BR_BCAST_FLOOD, BR_FLOOD, BR_GROUP_ADDRESS, BR_LEARNING, BR_MAX_PORTS, BR_MCAST_FLOOD, BR_NO_STP,
  BR_PROMISC, BR_ADMIN_COST, BR_STATE_DISABLED, HZ, KTimer, portOf, type BridgePort, type NetBridge,
} from './types.ts';
import { fdbAddLocal, fdbChangeAddr, fdbCleanup, fdbDeleteByPort } from './fdb.ts';
import {
  forwardDelayTimerExpired, helloTimerExpired, holdTimerExpired, initPort, messageAgeTimerExpired,
  portUsable, setState, stpChangeBridgeId, stpDisableBridge, stpDisablePort, stpEnableBridge,
  stpEnablePort, stpRecalculateBridgeId, tcnTimerExpired, topologyChangeTimerExpired,
} from './stp.ts';
import { brDevXmit, brHandleFrame } from './forward.ts';
import { joinSnoopers, leaveSnoopers } from './multicast.ts';
import { BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, ETH_P_8021Q, brVlanAdd, nbpVlanAdd, nbpVlanFlush, newVlanGroup } from './vlan.ts';

export const EXFULL = 54;
const TSO_MAX_SIZE = 524280, TSO_MAX_SEGS = 65535, GSO_LEGACY_MAX_SIZE = 65536;

/** Kernel build options of the lab's bridge module. */
export interface BridgeConfig {
  /** CONFIG_BRIDGE_VLAN_FILTERING: off on the reference machine (no 802.1Q support built). */
  vlanFiltering: boolean;
}

const configs = new WeakMap<Lab, BridgeConfig>();
export function bridgeConfig(lab: Lab): BridgeConfig {
  return configs.get(lab) ?? { vlanFiltering: false };
}
export function setBridgeConfig(lab: Lab, c: BridgeConfig): void { configs.set(lab, c); }

function brChangeMtu(dev: NetDevice, mtu: number): NlResult {
  const br = dev.priv as NetBridge;
  dev.mtu = mtu;
  br.mtuSetByUser = true;
  return OK;
}

export function setSnooping(br: NetBridge, on: boolean): void {
  if (br.mcastSnooping === on) return;
  br.mcastSnooping = on;
  if (!on) leaveSnoopers(br, false);
  else if (br.dev.isUp) joinSnoopers(br);
}

export const bridgeOps: DeviceOps = {
  kind: 'bridge',
  netnsImmutable: true,
  noQueue: true,
  // br_dev_setup: NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX (br_dev_xmit sees a VLAN device's tag in metadata)
  vlanTxOffload: true,
  /** br_dev_open */
  open(dev) {
    const br = dev.priv as NetBridge;
    stpEnableBridge(br);
    if (br.mcastSnooping) joinSnoopers(br);
    return OK;
  },
  /** br_dev_stop */
  stop(dev) {
    const br = dev.priv as NetBridge;
    stpDisableBridge(br);
    leaveSnoopers(br, true);
  },
  xmit: brDevXmit,
  changeMtu: brChangeMtu,
  /** br_set_mac_address */
  setMac(dev, mac) {
    if (!isValidUnicastMac(mac)) return err(Errno.EADDRNOTAVAIL);
    const br = dev.priv as NetBridge;
    const n = (mac[0]! * 0x10000 + (mac[1]! << 8) + mac[2]!) * 0x1000000 + ((mac[3]! << 16) | (mac[4]! << 8) | mac[5]!);
    dev.addrAssign = 'set';
    if (n !== dev.macNum) stpChangeBridgeId(br, n, mac);
    return OK;
  },
  /** unregister without br_dev_delete (the namespace went away): the ports leave first. */
  uninit(dev) {
    const br = dev.priv as NetBridge;
    for (const p of [...br.ports]) delNbp(p);
    fdbDeleteByPort(br, null, 0, true);
    br.gcTimer.del();
  },
};

/** br_dev_setup + br_dev_init: a new, unregistered bridge device. */
export function allocBridge(lab: Lab, name: string): NetDevice {
  const dev = new NetDevice(name, bridgeOps, IFF_BROADCAST | IFF_MULTICAST);
  dev.setMacBytes(lab.rng.randomMac());
  dev.addrAssign = 'random';
  dev.mtu = 1500;
  dev.minMtu = 68;
  dev.maxMtu = 65535;
  dev.txqueuelen = 1000;
  dev.numTxQueues = 1;
  dev.numRxQueues = 1;
  dev.tsoMaxSize = GSO_LEGACY_MAX_SIZE;
  dev.tsoMaxSegs = TSO_MAX_SEGS;
  // A new device starts with carrier and stays UNKNOWN until its first linkwatch event.
  dev.carrier = true;
  dev.operstate = OperState.UNKNOWN;
  const cfg = bridgeConfig(lab);
  const br: NetBridge = {
    lab, dev, ports: [], stpEnabled: BR_NO_STP,
    bridgeId: { prio: 0x8000, mac: 0 }, designatedRoot: { prio: 0x8000, mac: 0 },
    rootPathCost: 0, rootPort: 0,
    maxAge: 20 * HZ, helloTime: 2 * HZ, forwardDelay: 15 * HZ,
    bridgeMaxAge: 20 * HZ, bridgeHelloTime: 2 * HZ, bridgeForwardDelay: 15 * HZ,
    ageingTime: 300 * HZ, bridgeAgeingTime: 300 * HZ,
    topologyChange: 0, topologyChangeDetected: 0,
    helloTimer: null!, tcnTimer: null!, topologyChangeTimer: null!, gcTimer: null!,
    groupFwdMask: 0, groupFwdMaskRequired: 0, groupAddr: BR_GROUP_ADDRESS, groupAddrSet: false,
    fdb0: new Map(), fdbVlan: new Map(), fdbList: new Set(), fdbNLearned: 0, fdbMaxLearned: 0,
    mtuSetByUser: false, noLinklocalLearn: false,
    vlanEnabled: false, vlanProto: ETH_P_8021Q, defaultPvid: cfg.vlanFiltering ? 1 : 0,
    vlanStatsEnabled: false, vlanStatsPerPort: false, vg: newVlanGroup(),
    mcastSnooping: true, mcastRouter: 1, mcastQuerier: 0, mcastQueryUseIfaddr: false,
    mcastStatsEnabled: false, mcastVlanSnooping: false, mcastHashMax: 4096,
    mcastLastMemberCnt: 2, mcastStartupQueryCnt: 2,
    mcastLastMemberIntvl: HZ, mcastMembershipIntvl: 260 * HZ, mcastQuerierIntvl: 255 * HZ,
    mcastQueryIntvl: 125 * HZ, mcastQueryResponseIntvl: 10 * HZ,
    mcastStartupQueryIntvl: Math.floor((125 * HZ) / 4),
    mcastIgmpVersion: 2, mcastMldVersion: 1,
    nfCallIptables: false, nfCallIp6tables: false, nfCallArptables: false,
    snooperMacs: [],
  };
  br.helloTimer = new KTimer(lab, () => helloTimerExpired(br));
  br.tcnTimer = new KTimer(lab, () => tcnTimerExpired(br));
  br.topologyChangeTimer = new KTimer(lab, () => topologyChangeTimerExpired(br));
  br.gcTimer = new KTimer(lab, () => fdbCleanup(br));
  dev.priv = br;
  return dev;
}

/** After register_netdevice: the bridge's own default VLAN (br_vlan_bridge_event NETDEV_REGISTER). */
export function bridgeRegistered(br: NetBridge): void {
  if (bridgeConfig(br.lab).vlanFiltering && br.defaultPvid) {
    brVlanAdd(br, br.defaultPvid, BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED);
  }
}

/** The ethtool speed a device reports, as port_cost reads it (undefined: no ethtool). */
function linkSpeed(dev: NetDevice, depth = 0): number | undefined {
  if (depth > 8) return undefined;
  switch (dev.kind) {
    case 'veth': return 10000;
    case 'macvlan': case 'macvtap': case 'ipvlan': case 'ipvtap': case 'vlan': {
      const lower = dev.linkDevice();
      return lower && lower !== dev ? linkSpeed(lower, depth + 1) : undefined;
    }
    // tun_get_link_ksettings reports 10 Gb/s (seen: a tap bridge port has cost 2).
    case 'tun': case 'tap': return 10000;
    // vxlan_get_link_ksettings: the speed of the `dev` lower device, unknown without one.
    case 'vxlan': {
      const p = dev.priv as { link: number; net: { byIndex: Map<number, NetDevice> } };
      const lower = p.link ? p.net.byIndex.get(p.link) : undefined;
      return lower ? linkSpeed(lower, depth + 1) : undefined;
    }
    default: return undefined;
  }
}

/** port_cost: 802.1D costs from the link speed. */
export function portCost(dev: NetDevice): number {
  const s = linkSpeed(dev);
  if (s !== undefined) {
    switch (s) {
      case 10000: return 2;
      case 5000: return 3;
      case 2500: return 4;
      case 1000: return 5;
      case 100: return 19;
      case 10: return 100;
      default: if (s > 10000) return 1;
    }
  }
  if (dev.name.startsWith('lec')) return 7;
  if (dev.name.startsWith('plip')) return 2500;
  return 100;
}

function findPortNo(br: NetBridge): number {
  const used = new Set<number>([0]);
  for (const p of br.ports) used.add(p.portNo);
  for (let i = 1; i < BR_MAX_PORTS; i++) if (!used.has(i)) return i;
  return -EXFULL;
}

/** br_mtu_auto_adjust: the smallest port MTU, unless the user set one. */
export function mtuAutoAdjust(br: NetBridge): void {
  if (br.mtuSetByUser) return;
  let m = 0;
  for (const p of br.ports) if (!m || m > p.dev.mtu) m = p.dev.mtu;
  if (!m) m = 1500;
  if (br.dev.mtu !== m) {
    br.dev.mtu = m;
    br.lab.notify('CHANGEMTU', br.dev);
  }
}

function setGsoLimits(br: NetBridge): void {
  let size = TSO_MAX_SIZE, segs = TSO_MAX_SEGS;
  for (const p of br.ports) { size = Math.min(size, p.dev.tsoMaxSize); segs = Math.min(segs, p.dev.tsoMaxSegs); }
  br.dev.tsoMaxSize = size;
  br.dev.tsoMaxSegs = segs;
}

/** br_manage_promisc: every port is promiscuous unless VLAN filtering lets it filter. */
function managePromisc(br: NetBridge): void {
  for (const p of br.ports) {
    if (!(p.flags & BR_PROMISC)) {
      devSetPromiscuity(p.dev, 1);
      p.flags |= BR_PROMISC;
    }
  }
}

function newPort(br: NetBridge, dev: NetDevice, portNo: number): BridgePort {
  const lab = br.lab;
  const p: BridgePort = {
    br, dev, portNo, portId: 0, priority: 0x8000 >> 10, pathCost: portCost(dev),
    flags: BR_LEARNING | BR_FLOOD | BR_MCAST_FLOOD | BR_BCAST_FLOOD, state: BR_STATE_DISABLED,
    designatedRoot: { prio: 0, mac: 0 }, designatedBridge: { prio: 0, mac: 0 }, designatedPort: 0,
    designatedCost: 0, designatedAge: 0, topologyChangeAck: 0, configPending: 0,
    messageAgeTimer: null!, forwardDelayTimer: null!, holdTimer: null!,
    groupFwdMask: 0, multicastRouter: 1, vg: newVlanGroup(),
    rxBpdu: 0, txBpdu: 0, rxTcn: 0, txTcn: 0, transitionBlk: 0, transitionFwd: 0,
  };
  p.messageAgeTimer = new KTimer(lab, () => messageAgeTimerExpired(p));
  p.forwardDelayTimer = new KTimer(lab, () => forwardDelayTimerExpired(p));
  p.holdTimer = new KTimer(lab, () => holdTimerExpired(p));
  initPort(p);
  setState(p, BR_STATE_DISABLED);
  return p;
}

/** br_add_if */
export function brAddIf(br: NetBridge, dev: NetDevice): NlResult {
  const lab = br.lab;
  if ((dev.flags & IFF_LOOPBACK) || dev.type !== ARPHRD_ETHER || !isValidUnicastMac(dev.mac)) {
    return err(Errno.EINVAL);
  }
  if (dev.ops.kind === 'bridge') return err(Errno.ELOOP, 'Can not enslave a bridge to a bridge');
  if (dev.master) return err(Errno.EBUSY);
  const portNo = findPortNo(br);
  if (portNo < 0) return err(-portNo);
  const p = newPort(br, dev, portNo);
  devSetAllmulti(dev, 1);
  const r = rxHandlerRegister(dev, brHandleFrame, p);
  if (!r.ok) {
    devSetAllmulti(dev, -1);
    return r;
  }
  const rl = upperLinkCheck(dev, br.dev);
  if (!rl.ok) {
    rxHandlerUnregister(dev);
    devSetAllmulti(dev, -1);
    return rl;
  }
  dev.master = br.dev;
  lab.notify('CHANGEUPPER', dev, { upper: br.dev, linking: true });
  br.ports.unshift(p);
  managePromisc(br);
  setGsoLimits(br);
  fdbAddLocal(br, p, dev.macNum, 0);
  if (bridgeConfig(lab).vlanFiltering && br.defaultPvid) {
    nbpVlanAdd(p, br.defaultPvid, BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED);
  }
  const changedAddr = stpRecalculateBridgeId(br);
  if (portUsable(dev) && br.dev.isUp) stpEnablePort(p);
  if (changedAddr) lab.notify('CHANGEADDR', br.dev);
  mtuAutoAdjust(br);
  setGsoLimits(br);
  return OK;
}

/** del_nbp */
function delNbp(p: BridgePort): void {
  const br = p.br;
  const dev = p.dev;
  devSetAllmulti(dev, -1);
  if (p.flags & BR_PROMISC) { devSetPromiscuity(dev, -1); p.flags &= ~BR_PROMISC; }
  stpDisablePort(p);
  const i = br.ports.indexOf(p);
  if (i >= 0) br.ports.splice(i, 1);
  nbpVlanFlush(p);
  fdbDeleteByPort(br, p, 0, true);
  dev.master = null;
  rxHandlerUnregister(dev);
  p.messageAgeTimer.del(); p.forwardDelayTimer.del(); p.holdTimer.del();
  br.lab.notify('CHANGEUPPER', dev, { upper: br.dev, linking: false });
}

/** br_del_if */
export function brDelIf(br: NetBridge, dev: NetDevice): NlResult {
  const p = portOf(dev);
  if (!p || p.br !== br) return err(Errno.EINVAL);
  delNbp(p);
  mtuAutoAdjust(br);
  setGsoLimits(br);
  const changed = stpRecalculateBridgeId(br);
  if (changed) br.lab.notify('CHANGEADDR', br.dev);
  return OK;
}

/** br_dev_delete (RTM_DELLINK): the ports leave, then the device is unregistered. */
export function brDevDelete(dev: NetDevice): void {
  const br = dev.priv as NetBridge;
  for (const p of [...br.ports]) delNbp(p);
  fdbDeleteByPort(br, null, 0, true);
  br.gcTimer.del();
  unregisterNetdevice(dev);
}

/** br_port_carrier_check */
function portCarrierCheck(p: BridgePort): void {
  const dev = p.dev;
  const br = p.br;
  if (!(p.flags & BR_ADMIN_COST) && portUsable(dev)) p.pathCost = portCost(dev);
  if (!br.dev.isUp) return;
  if (portUsable(dev)) {
    if (p.state === BR_STATE_DISABLED) stpEnablePort(p);
  } else if (p.state !== BR_STATE_DISABLED) {
    stpDisablePort(p);
  }
}

/** br_device_event: the netdevice notifier, for events on ports. */
export function bridgeNetdevEvent(event: NetdevEvent, dev: NetDevice): void {
  const p = portOf(dev);
  if (!p) return;
  const br = p.br;
  switch (event) {
    case 'CHANGEMTU':
      mtuAutoAdjust(br);
      break;
    case 'CHANGEADDR': {
      fdbChangeAddr(p, dev.macNum);
      const changed = stpRecalculateBridgeId(br);
      if (changed) br.lab.notify('CHANGEADDR', br.dev);
      break;
    }
    case 'CHANGE':
      portCarrierCheck(p);
      break;
    case 'DOWN':
      if (br.dev.isUp) stpDisablePort(p);
      break;
    case 'UP':
      if (br.dev.isUp && portUsable(dev)) stpEnablePort(p);
      break;
    case 'UNREGISTER':
      brDelIf(br, dev);
      break;
    default:
      break;
  }
}
