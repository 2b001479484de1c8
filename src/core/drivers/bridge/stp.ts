/**
 * 802.1D spanning tree as Linux implements it: net/bridge/br_stp.c (the protocol),
 * br_stp_if.c (enabling ports and bridges, bridge id), br_stp_timer.c (timers) and
 * br_stp_bpdu.c (BPDUs on the wire, LLC-encapsulated to 01:80:c2:00:00:00).
 */
import { Errno, OK, err, type NlResult } from '../../errno.ts';
import { newSkb, devQueueXmit, setCarrier } from '../../dev.ts';
import { OperState } from '../../netdev.ts';
import type { NetDevice } from '../../netdev.ts';
import type { SkBuff } from '../../skb.ts';
import {
  BR_ADMIN_COST, BR_BPDU_GUARD, BR_HOLD_TIME, BR_KERNEL_STP, BR_MAX_FORWARD_DELAY, BR_MAX_HELLO_TIME,
  BR_MAX_MAX_AGE, BR_MAX_PATH_COST, BR_MAX_PORT_PRIORITY, BR_MIN_FORWARD_DELAY, BR_MIN_HELLO_TIME,
  BR_MIN_MAX_AGE, BR_MIN_PATH_COST, BR_NO_STP, BR_PORT_BITS, BR_ROOT_BLOCK, BR_STATE_BLOCKING,
  BR_STATE_DISABLED, BR_STATE_FORWARDING, BR_STATE_LEARNING, BR_STATE_LISTENING, HZ, bridgeIdCmp,
  bridgeIdEq, clockTToJiffies, copyId, isDesignatedPort, isRootBridge, jiffies, roundJiffies,
  type BridgeId, type BridgePort, type NetBridge,
} from './types.ts';
import { fdbChangeMacAddress, fdbDeleteByPort } from './fdb.ts';

const MESSAGE_AGE_INCR = Math.floor(HZ / 256) + 1;
const STP_HZ = 256;
const BPDU_TYPE_CONFIG = 0x00, BPDU_TYPE_TCN = 0x80;
const LLC_SAP_BSPAN = 0x42, LLC_PDU_CMD_UI = 0x03;

export interface ConfigBpdu {
  topologyChange: number;
  topologyChangeAck: number;
  root: BridgeId;
  rootPathCost: number;
  bridgeId: BridgeId;
  portId: number;
  messageAge: number;
  maxAge: number;
  helloTime: number;
  forwardDelay: number;
}

/** netif_running && netif_oper_up */
export function portUsable(dev: NetDevice): boolean {
  return dev.isUp && (dev.operstate === OperState.UP || dev.operstate === OperState.UNKNOWN);
}

export function makePortId(priority: number, portNo: number): number {
  return ((priority << BR_PORT_BITS) | (portNo & ((1 << BR_PORT_BITS) - 1))) & 0xffff;
}

/** br_set_state */
export function setState(p: BridgePort, state: number): void {
  p.state = state;
  if (p.br.stpEnabled === BR_KERNEL_STP) {
    if (state === BR_STATE_BLOCKING) p.transitionBlk++;
    else if (state === BR_STATE_FORWARDING) p.transitionFwd++;
  }
}

export function getPort(br: NetBridge, portNo: number): BridgePort | null {
  for (const p of br.ports) if (p.portNo === portNo) return p;
  return null;
}

function shouldBecomeRootPort(p: BridgePort, rootPort: number): boolean {
  const br = p.br;
  if (p.state === BR_STATE_DISABLED || isDesignatedPort(p)) return false;
  if (bridgeIdCmp(br.bridgeId, p.designatedRoot) <= 0) return false;
  if (!rootPort) return true;
  const rp = getPort(br, rootPort)!;
  let t = bridgeIdCmp(p.designatedRoot, rp.designatedRoot);
  if (t < 0) return true;
  if (t > 0) return false;
  const c1 = p.designatedCost + p.pathCost, c2 = rp.designatedCost + rp.pathCost;
  if (c1 < c2) return true;
  if (c1 > c2) return false;
  t = bridgeIdCmp(p.designatedBridge, rp.designatedBridge);
  if (t < 0) return true;
  if (t > 0) return false;
  if (p.designatedPort < rp.designatedPort) return true;
  if (p.designatedPort > rp.designatedPort) return false;
  return p.portId < rp.portId;
}

function rootPortBlock(br: NetBridge, p: BridgePort): void {
  setState(p, BR_STATE_LISTENING);
  if (br.forwardDelay > 0) p.forwardDelayTimer.mod(jiffies(br.lab) + br.forwardDelay);
}

function rootSelection(br: NetBridge): void {
  let rootPort = 0;
  for (const p of br.ports) {
    if (!shouldBecomeRootPort(p, rootPort)) continue;
    if (p.flags & BR_ROOT_BLOCK) rootPortBlock(br, p);
    else rootPort = p.portNo;
  }
  br.rootPort = rootPort;
  if (!rootPort) {
    br.designatedRoot = copyId(br.bridgeId);
    br.rootPathCost = 0;
  } else {
    const p = getPort(br, rootPort)!;
    br.designatedRoot = copyId(p.designatedRoot);
    br.rootPathCost = p.designatedCost + p.pathCost;
  }
}

/** br_become_root_bridge */
export function becomeRootBridge(br: NetBridge): void {
  br.maxAge = br.bridgeMaxAge;
  br.helloTime = br.bridgeHelloTime;
  br.forwardDelay = br.bridgeForwardDelay;
  topologyChangeDetection(br);
  br.tcnTimer.del();
  if (br.dev.isUp) {
    configBpduGeneration(br);
    br.helloTimer.mod(jiffies(br.lab) + br.helloTime);
  }
}

/** br_transmit_config */
export function transmitConfig(p: BridgePort): void {
  if (p.holdTimer.pending) { p.configPending = 1; return; }
  const br = p.br;
  const now = jiffies(br.lab);
  let messageAge = 0;
  if (!isRootBridge(br)) {
    const root = getPort(br, br.rootPort)!;
    messageAge = (now - root.designatedAge) + MESSAGE_AGE_INCR;
  }
  const bpdu: ConfigBpdu = {
    topologyChange: br.topologyChange, topologyChangeAck: p.topologyChangeAck,
    root: br.designatedRoot, rootPathCost: br.rootPathCost, bridgeId: br.bridgeId, portId: p.portId,
    messageAge, maxAge: br.maxAge, helloTime: br.helloTime, forwardDelay: br.forwardDelay,
  };
  if (bpdu.messageAge < br.maxAge) {
    sendConfigBpdu(p, bpdu);
    p.topologyChangeAck = 0;
    p.configPending = 0;
    if (br.stpEnabled === BR_KERNEL_STP) p.holdTimer.mod(roundJiffies(now + BR_HOLD_TIME, now));
  }
}

function recordConfigInformation(p: BridgePort, b: ConfigBpdu): void {
  const now = jiffies(p.br.lab);
  p.designatedRoot = copyId(b.root);
  p.designatedCost = b.rootPathCost;
  p.designatedBridge = copyId(b.bridgeId);
  p.designatedPort = b.portId;
  p.designatedAge = now - b.messageAge;
  p.messageAgeTimer.mod(now + (b.maxAge - b.messageAge));
}

function recordConfigTimeoutValues(br: NetBridge, b: ConfigBpdu): void {
  br.maxAge = b.maxAge;
  br.helloTime = b.helloTime;
  br.forwardDelay = b.forwardDelay;
  setTopologyChange(br, b.topologyChange);
}

/** br_transmit_tcn */
export function transmitTcn(br: NetBridge): void {
  const p = getPort(br, br.rootPort);
  if (p) sendTcnBpdu(p);
}

function shouldBecomeDesignatedPort(p: BridgePort): boolean {
  const br = p.br;
  if (isDesignatedPort(p)) return true;
  if (!bridgeIdEq(p.designatedRoot, br.designatedRoot)) return true;
  if (br.rootPathCost < p.designatedCost) return true;
  if (br.rootPathCost > p.designatedCost) return false;
  const t = bridgeIdCmp(br.bridgeId, p.designatedBridge);
  if (t < 0) return true;
  if (t > 0) return false;
  return p.portId < p.designatedPort;
}

function designatedPortSelection(br: NetBridge): void {
  for (const p of br.ports) {
    if (p.state !== BR_STATE_DISABLED && shouldBecomeDesignatedPort(p)) becomeDesignatedPort(p);
  }
}

function supersedesPortInfo(p: BridgePort, b: ConfigBpdu): boolean {
  let t = bridgeIdCmp(b.root, p.designatedRoot);
  if (t < 0) return true;
  if (t > 0) return false;
  if (b.rootPathCost < p.designatedCost) return true;
  if (b.rootPathCost > p.designatedCost) return false;
  t = bridgeIdCmp(b.bridgeId, p.designatedBridge);
  if (t < 0) return true;
  if (t > 0) return false;
  if (!bridgeIdEq(b.bridgeId, p.br.bridgeId)) return true;
  return b.portId <= p.designatedPort;
}

function topologyChangeAcknowledged(br: NetBridge): void {
  br.topologyChangeDetected = 0;
  br.tcnTimer.del();
}

/** br_topology_change_detection */
export function topologyChangeDetection(br: NetBridge): void {
  if (br.stpEnabled !== BR_KERNEL_STP) return;
  const now = jiffies(br.lab);
  if (isRootBridge(br)) {
    setTopologyChange(br, 1);
    br.topologyChangeTimer.mod(now + br.bridgeForwardDelay + br.bridgeMaxAge);
  } else if (!br.topologyChangeDetected) {
    transmitTcn(br);
    br.tcnTimer.mod(now + br.bridgeHelloTime);
  }
  br.topologyChangeDetected = 1;
}

/** br_config_bpdu_generation */
export function configBpduGeneration(br: NetBridge): void {
  for (const p of br.ports) {
    if (p.state !== BR_STATE_DISABLED && isDesignatedPort(p)) transmitConfig(p);
  }
}

/** br_configuration_update */
export function configurationUpdate(br: NetBridge): void {
  rootSelection(br);
  designatedPortSelection(br);
}

/** br_become_designated_port */
export function becomeDesignatedPort(p: BridgePort): void {
  const br = p.br;
  p.designatedRoot = copyId(br.designatedRoot);
  p.designatedCost = br.rootPathCost;
  p.designatedBridge = copyId(br.bridgeId);
  p.designatedPort = p.portId;
}

function makeBlocking(p: BridgePort): void {
  if (p.state !== BR_STATE_DISABLED && p.state !== BR_STATE_BLOCKING) {
    if (p.state === BR_STATE_FORWARDING || p.state === BR_STATE_LEARNING) topologyChangeDetection(p.br);
    setState(p, BR_STATE_BLOCKING);
    p.forwardDelayTimer.del();
  }
}

function makeForwarding(p: BridgePort): void {
  const br = p.br;
  if (p.state !== BR_STATE_BLOCKING) return;
  if (br.stpEnabled === BR_NO_STP || br.forwardDelay === 0) {
    setState(p, BR_STATE_FORWARDING);
    topologyChangeDetection(br);
    p.forwardDelayTimer.del();
  } else if (br.stpEnabled === BR_KERNEL_STP) {
    setState(p, BR_STATE_LISTENING);
  } else {
    setState(p, BR_STATE_LEARNING);
  }
  if (br.forwardDelay !== 0) p.forwardDelayTimer.mod(jiffies(br.lab) + br.forwardDelay);
}

/** br_port_state_selection: also decides the bridge's carrier. */
export function portStateSelection(br: NetBridge): void {
  let liveports = 0;
  for (const p of br.ports) {
    if (p.state === BR_STATE_DISABLED) continue;
    if (p.portNo === br.rootPort) {
      p.configPending = 0;
      p.topologyChangeAck = 0;
      makeForwarding(p);
    } else if (isDesignatedPort(p)) {
      p.messageAgeTimer.del();
      makeForwarding(p);
    } else {
      p.configPending = 0;
      p.topologyChangeAck = 0;
      makeBlocking(p);
    }
    if (p.state === BR_STATE_FORWARDING) liveports++;
  }
  setCarrier(br.dev, liveports !== 0);
}

function topologyChangeAcknowledge(p: BridgePort): void {
  p.topologyChangeAck = 1;
  transmitConfig(p);
}

/** br_received_config_bpdu */
export function receivedConfigBpdu(p: BridgePort, b: ConfigBpdu): void {
  const br = p.br;
  p.rxBpdu++;
  const wasRoot = isRootBridge(br);
  if (supersedesPortInfo(p, b)) {
    recordConfigInformation(p, b);
    configurationUpdate(br);
    portStateSelection(br);
    if (!isRootBridge(br) && wasRoot) {
      br.helloTimer.del();
      if (br.topologyChangeDetected) {
        br.topologyChangeTimer.del();
        transmitTcn(br);
        br.tcnTimer.mod(jiffies(br.lab) + br.bridgeHelloTime);
      }
    }
    if (p.portNo === br.rootPort) {
      recordConfigTimeoutValues(br, b);
      configBpduGeneration(br);
      if (b.topologyChangeAck) topologyChangeAcknowledged(br);
    }
  } else if (isDesignatedPort(p)) {
    transmitConfig(p);
  }
}

/** br_received_tcn_bpdu */
export function receivedTcnBpdu(p: BridgePort): void {
  p.rxTcn++;
  if (isDesignatedPort(p)) {
    topologyChangeDetection(p.br);
    topologyChangeAcknowledge(p);
  }
}

/** __br_set_topology_change: while a change is active, FDB entries age after 2×forward_delay. */
export function setTopologyChange(br: NetBridge, val: number): void {
  if (br.stpEnabled === BR_KERNEL_STP && br.topologyChange !== val) {
    br.ageingTime = val ? 2 * br.forwardDelay : br.bridgeAgeingTime;
  }
  br.topologyChange = val;
}

// ---- br_stp_if.c ----

/** br_init_port */
export function initPort(p: BridgePort): void {
  p.portId = makePortId(p.priority, p.portNo);
  becomeDesignatedPort(p);
  setState(p, BR_STATE_BLOCKING);
  p.topologyChangeAck = 0;
  p.configPending = 0;
}

/** br_stp_enable_bridge (from ndo_open) */
export function stpEnableBridge(br: NetBridge): void {
  const now = jiffies(br.lab);
  if (br.stpEnabled === BR_KERNEL_STP) br.helloTimer.mod(now + br.helloTime);
  br.gcTimer.mod(now + Math.floor(HZ / 10));
  configBpduGeneration(br);
  for (const p of br.ports) if (portUsable(p.dev)) stpEnablePort(p);
}

/** br_stp_disable_bridge (from ndo_stop) */
export function stpDisableBridge(br: NetBridge): void {
  for (const p of br.ports) if (p.state !== BR_STATE_DISABLED) stpDisablePort(p);
  br.topologyChange = 0;
  br.topologyChangeDetected = 0;
  br.helloTimer.del();
  br.topologyChangeTimer.del();
  br.tcnTimer.del();
  br.gcTimer.del();
}

/** br_stp_enable_port */
export function stpEnablePort(p: BridgePort): void {
  initPort(p);
  portStateSelection(p.br);
}

/** br_stp_disable_port */
export function stpDisablePort(p: BridgePort): void {
  const br = p.br;
  const wasRoot = isRootBridge(br);
  becomeDesignatedPort(p);
  setState(p, BR_STATE_DISABLED);
  p.topologyChangeAck = 0;
  p.configPending = 0;
  p.messageAgeTimer.del();
  p.forwardDelayTimer.del();
  p.holdTimer.del();
  fdbDeleteByPort(br, p, 0, false);
  configurationUpdate(br);
  portStateSelection(br);
  if (isRootBridge(br) && !wasRoot) becomeRootBridge(br);
}

function setForwardDelayJ(br: NetBridge, t: number): void {
  br.bridgeForwardDelay = t;
  if (isRootBridge(br)) br.forwardDelay = t;
}

/** br_stp_set_enabled (kernel STP only: vnet has no user-space STP helper) */
export function stpSetEnabled(br: NetBridge, val: number): NlResult {
  if (val) {
    if (br.stpEnabled === BR_NO_STP) {
      if (br.bridgeForwardDelay < BR_MIN_FORWARD_DELAY) setForwardDelayJ(br, BR_MIN_FORWARD_DELAY);
      else if (br.bridgeForwardDelay > BR_MAX_FORWARD_DELAY) setForwardDelayJ(br, BR_MAX_FORWARD_DELAY);
      br.stpEnabled = BR_KERNEL_STP;
      if (br.dev.isUp) br.helloTimer.mod(jiffies(br.lab) + br.helloTime);
      portStateSelection(br);
    }
  } else if (br.stpEnabled !== BR_NO_STP) {
    br.stpEnabled = BR_NO_STP;
  }
  return OK;
}

/** br_stp_change_bridge_id: also the bridge device's MAC. */
export function stpChangeBridgeId(br: NetBridge, mac: number, macBytes: Uint8Array): void {
  const wasRoot = isRootBridge(br);
  fdbChangeMacAddress(br, mac);
  const old = br.bridgeId.mac;
  br.bridgeId = { prio: br.bridgeId.prio, mac };
  br.dev.setMacBytes(macBytes);
  for (const p of br.ports) {
    if (p.designatedBridge.mac === old) p.designatedBridge = { prio: p.designatedBridge.prio, mac };
    if (p.designatedRoot.mac === old) p.designatedRoot = { prio: p.designatedRoot.prio, mac };
  }
  configurationUpdate(br);
  portStateSelection(br);
  if (isRootBridge(br) && !wasRoot) becomeRootBridge(br);
}

/** br_stp_recalculate_bridge_id: the smallest port MAC, unless the user set one. */
export function stpRecalculateBridgeId(br: NetBridge): boolean {
  if (br.dev.addrAssign === 'set') return false;
  let addr: NetDevice | null = null;
  for (const p of br.ports) if (addr === null || p.dev.macNum < addr.macNum) addr = p.dev;
  const mac = addr ? addr.macNum : 0;
  if (br.bridgeId.mac === mac) return false;
  stpChangeBridgeId(br, mac, addr ? addr.mac : new Uint8Array(6));
  return true;
}

/** br_stp_set_bridge_priority */
export function stpSetBridgePriority(br: NetBridge, prio: number): void {
  prio &= 0xffff;
  const wasRoot = isRootBridge(br);
  for (const p of br.ports) {
    if (p.state !== BR_STATE_DISABLED && isDesignatedPort(p)) {
      p.designatedBridge = { prio, mac: p.designatedBridge.mac };
    }
  }
  br.bridgeId = { prio, mac: br.bridgeId.mac };
  configurationUpdate(br);
  portStateSelection(br);
  if (isRootBridge(br) && !wasRoot) becomeRootBridge(br);
}

/** br_stp_set_port_priority */
export function stpSetPortPriority(p: BridgePort, prio: number): NlResult {
  if (prio > BR_MAX_PORT_PRIORITY) return err(Errno.ERANGE);
  const id = makePortId(prio, p.portNo);
  if (isDesignatedPort(p)) p.designatedPort = id;
  p.portId = id;
  p.priority = prio;
  if (bridgeIdEq(p.br.bridgeId, p.designatedBridge) && p.portId < p.designatedPort) {
    becomeDesignatedPort(p);
    portStateSelection(p.br);
  }
  return OK;
}

/** br_stp_set_path_cost */
export function stpSetPathCost(p: BridgePort, cost: number): NlResult {
  if (cost < BR_MIN_PATH_COST || cost > BR_MAX_PATH_COST) return err(Errno.ERANGE);
  p.flags |= BR_ADMIN_COST;
  p.pathCost = cost;
  configurationUpdate(p.br);
  portStateSelection(p.br);
  return OK;
}

/** br_set_hello_time (value in clock_t) */
export function setHelloTime(br: NetBridge, val: number): NlResult {
  const t = clockTToJiffies(val);
  if (t < BR_MIN_HELLO_TIME || t > BR_MAX_HELLO_TIME) return err(Errno.ERANGE);
  br.bridgeHelloTime = t;
  if (isRootBridge(br)) br.helloTime = t;
  return OK;
}

/** br_set_max_age */
export function setMaxAge(br: NetBridge, val: number): NlResult {
  const t = clockTToJiffies(val);
  if (t < BR_MIN_MAX_AGE || t > BR_MAX_MAX_AGE) return err(Errno.ERANGE);
  br.bridgeMaxAge = t;
  if (isRootBridge(br)) br.maxAge = t;
  return OK;
}

/** br_set_forward_delay: range-checked only while STP is on. */
export function setForwardDelay(br: NetBridge, val: number): NlResult {
  const t = clockTToJiffies(val);
  if (br.stpEnabled !== BR_NO_STP && (t < BR_MIN_FORWARD_DELAY || t > BR_MAX_FORWARD_DELAY)) {
    return err(Errno.ERANGE);
  }
  setForwardDelayJ(br, t);
  return OK;
}

/** br_set_ageing_time: also kicks the gc worker at once. */
export function setAgeingTime(br: NetBridge, val: number): NlResult {
  const t = clockTToJiffies(val);
  br.bridgeAgeingTime = t;
  br.ageingTime = t;
  if (br.gcTimer.pending) br.gcTimer.mod(jiffies(br.lab));
  return OK;
}

// ---- br_stp_timer.c ----

function isDesignatedForSomePort(br: NetBridge): boolean {
  for (const p of br.ports) {
    if (p.state !== BR_STATE_DISABLED && bridgeIdEq(p.designatedBridge, br.bridgeId)) return true;
  }
  return false;
}

export function helloTimerExpired(br: NetBridge): void {
  if (br.dev.isUp) {
    configBpduGeneration(br);
    if (br.stpEnabled === BR_KERNEL_STP) {
      const now = jiffies(br.lab);
      br.helloTimer.mod(roundJiffies(now + br.helloTime, now));
    }
  }
}

export function messageAgeTimerExpired(p: BridgePort): void {
  if (p.state === BR_STATE_DISABLED) return;
  const br = p.br;
  const wasRoot = isRootBridge(br);
  becomeDesignatedPort(p);
  configurationUpdate(br);
  portStateSelection(br);
  if (isRootBridge(br) && !wasRoot) becomeRootBridge(br);
}

export function forwardDelayTimerExpired(p: BridgePort): void {
  const br = p.br;
  if (p.state === BR_STATE_LISTENING) {
    setState(p, BR_STATE_LEARNING);
    p.forwardDelayTimer.mod(jiffies(br.lab) + br.forwardDelay);
  } else if (p.state === BR_STATE_LEARNING) {
    setState(p, BR_STATE_FORWARDING);
    if (isDesignatedForSomePort(br)) topologyChangeDetection(br);
    setCarrier(br.dev, true);
  }
}

export function tcnTimerExpired(br: NetBridge): void {
  if (!isRootBridge(br) && br.dev.isUp) {
    transmitTcn(br);
    br.tcnTimer.mod(jiffies(br.lab) + br.bridgeHelloTime);
  }
}

export function topologyChangeTimerExpired(br: NetBridge): void {
  br.topologyChangeDetected = 0;
  setTopologyChange(br, 0);
}

export function holdTimerExpired(p: BridgePort): void {
  if (p.configPending) transmitConfig(p);
}

// ---- br_stp_bpdu.c ----

function setTicks(buf: Uint8Array, off: number, j: number): void {
  const ticks = Math.floor((STP_HZ * j) / HZ) & 0xffff;
  buf[off] = ticks >> 8; buf[off + 1] = ticks & 0xff;
}

function getTicks(buf: Uint8Array, off: number): number {
  const ticks = (buf[off]! << 8) | buf[off + 1]!;
  return Math.ceil((ticks * HZ) / STP_HZ);
}

function putId(buf: Uint8Array, off: number, id: BridgeId): void {
  buf[off] = id.prio >> 8; buf[off + 1] = id.prio & 0xff;
  const hi = Math.floor(id.mac / 0x1000000), lo = id.mac % 0x1000000;
  buf[off + 2] = (hi >>> 16) & 0xff; buf[off + 3] = (hi >>> 8) & 0xff; buf[off + 4] = hi & 0xff;
  buf[off + 5] = (lo >>> 16) & 0xff; buf[off + 6] = (lo >>> 8) & 0xff; buf[off + 7] = lo & 0xff;
}

function getId(buf: Uint8Array, off: number): BridgeId {
  const prio = (buf[off]! << 8) | buf[off + 1]!;
  const mac = (buf[off + 2]! * 0x10000 + (buf[off + 3]! << 8) + buf[off + 4]!) * 0x1000000 +
    ((buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!);
  return { prio, mac };
}

/** br_send_bpdu: an 802.3 frame with an LLC UI header (DSAP = SSAP = 0x42) to the group address. */
function sendBpdu(p: BridgePort, payload: Uint8Array): void {
  const br = p.br;
  const len = 3 + payload.length;
  const f = new Uint8Array(14 + len);
  const g = br.groupAddr;
  const hi = Math.floor(g / 0x1000000), lo = g % 0x1000000;
  f[0] = (hi >>> 16) & 0xff; f[1] = (hi >>> 8) & 0xff; f[2] = hi & 0xff;
  f[3] = (lo >>> 16) & 0xff; f[4] = (lo >>> 8) & 0xff; f[5] = lo & 0xff;
  f.set(p.dev.mac, 6);
  f[12] = len >> 8; f[13] = len & 0xff;
  f[14] = LLC_SAP_BSPAN; f[15] = LLC_SAP_BSPAN; f[16] = LLC_PDU_CMD_UI;
  f.set(payload, 17);
  const skb = newSkb(br.lab, f, p.dev);
  if (br.lab.tracer) br.lab.trace(skb, p.dev, 'tx', 'br_send_bpdu', 'forwarded', undefined,
    payload.length === 4 ? 'STP topology change notification' : 'STP configuration BPDU');
  devQueueXmit(skb);
}

/** br_send_config_bpdu */
export function sendConfigBpdu(p: BridgePort, b: ConfigBpdu): void {
  if (p.br.stpEnabled !== BR_KERNEL_STP) return;
  const buf = new Uint8Array(35);
  buf[3] = BPDU_TYPE_CONFIG;
  buf[4] = (b.topologyChange ? 0x01 : 0) | (b.topologyChangeAck ? 0x80 : 0);
  putId(buf, 5, b.root);
  buf[13] = (b.rootPathCost >>> 24) & 0xff; buf[14] = (b.rootPathCost >>> 16) & 0xff;
  buf[15] = (b.rootPathCost >>> 8) & 0xff; buf[16] = b.rootPathCost & 0xff;
  putId(buf, 17, b.bridgeId);
  buf[25] = (b.portId >> 8) & 0xff; buf[26] = b.portId & 0xff;
  setTicks(buf, 27, b.messageAge);
  setTicks(buf, 29, b.maxAge);
  setTicks(buf, 31, b.helloTime);
  setTicks(buf, 33, b.forwardDelay);
  p.txBpdu++;
  sendBpdu(p, buf);
}

/** br_send_tcn_bpdu */
export function sendTcnBpdu(p: BridgePort): void {
  if (p.br.stpEnabled !== BR_KERNEL_STP) return;
  const buf = new Uint8Array(4);
  buf[3] = BPDU_TYPE_TCN;
  p.txTcn++;
  sendBpdu(p, buf);
}

/**
 * br_stp_rcv, reached through the LLC layer (SAP 0x42) for a BPDU the port passed up. Returns
 * true when the frame was a BPDU for this bridge (consumed either way).
 */
export function stpRcv(p: BridgePort, skb: SkBuff): void {
  const d = skb.data;
  const br = p.br;
  // LLC UI with the spanning-tree SAPs, then protocol id 0 and version 0.
  if (d.length < 14 + 3 + 4 || d[14] !== LLC_SAP_BSPAN || d[15] !== LLC_SAP_BSPAN || d[16] !== LLC_PDU_CMD_UI) return;
  if (d[17] !== 0 || d[18] !== 0 || d[19] !== 0) return;
  if (br.stpEnabled !== BR_KERNEL_STP) return;
  if (!br.dev.isUp) return;
  if (p.state === BR_STATE_DISABLED) return;
  const dst = (d[0]! * 0x10000 + (d[1]! << 8) + d[2]!) * 0x1000000 + ((d[3]! << 16) | (d[4]! << 8) | d[5]!);
  if (dst !== br.groupAddr) return;
  if (p.flags & BR_BPDU_GUARD) {
    // "BPDU received on blocked port": the port is shut down.
    stpDisablePort(p);
    return;
  }
  const b = 20;
  if (d[b] === BPDU_TYPE_CONFIG) {
    if (d.length < b + 32) return;
    const bpdu: ConfigBpdu = {
      topologyChange: d[b + 1]! & 0x01 ? 1 : 0,
      topologyChangeAck: d[b + 1]! & 0x80 ? 1 : 0,
      root: getId(d, b + 2),
      rootPathCost: ((d[b + 10]! << 24) >>> 0) + ((d[b + 11]! << 16) | (d[b + 12]! << 8) | d[b + 13]!),
      bridgeId: getId(d, b + 14),
      portId: (d[b + 22]! << 8) | d[b + 23]!,
      messageAge: getTicks(d, b + 24),
      maxAge: getTicks(d, b + 26),
      helloTime: getTicks(d, b + 28),
      forwardDelay: getTicks(d, b + 30),
    };
    if (bpdu.messageAge > bpdu.maxAge) return;
    receivedConfigBpdu(p, bpdu);
  } else if (d[b] === BPDU_TYPE_TCN) {
    receivedTcnBpdu(p);
  }
}
