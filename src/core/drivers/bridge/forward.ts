/**
 * The bridge's frame paths: net/bridge/br_input.c (br_handle_frame, the rx_handler on every
 * port; br_handle_frame_finish; br_pass_frame_up), br_forward.c (should_deliver, br_forward,
 * br_flood) and br_device.c's br_dev_xmit (frames the host sends through br0).
 *
 * Per frame, with no tracer: MACs are read as numbers, the FDB is one Map lookup, and the only
 * allocations are the clones the kernel makes too (one per extra egress port).
 */
import { devQueueXmit, drop, netifReceiveSkb, ETH_HLEN } from '../../dev.ts';
import { RxResult, macStr, type NetDevice } from '../../netdev.ts';
import { PacketType, type SkBuff } from '../../skb.ts';
import type { DropReason } from '../../trace.ts';
import {
  BR_BCAST_FLOOD, BR_FLOOD, BR_HAIRPIN_MODE, BR_ISOLATED, BR_KERNEL_STP, BR_LEARNING, BR_MCAST_FLOOD,
  BR_NO_STP, BR_PORT_LOCKED, BR_PORT_MAB, BR_PROXYARP, BR_STATE_DISABLED, BR_STATE_FORWARDING,
  BR_STATE_LEARNING, STP_STATE_NAMES, jiffies, type BridgePort, type NetBridge,
} from './types.ts';
import { fdbFind, fdbUpdate } from './fdb.ts';
import { allowedEgress, allowedIngress, handleVlanEgress } from './vlan.ts';
import { stpRcv } from './stp.ts';

const PKT_UNICAST = 0, PKT_MULTICAST = 1, PKT_BROADCAST = 2;
const VLAN_HLEN = 4;

function readMac(d: Uint8Array, off: number): number {
  return (d[off]! * 0x10000 + (d[off + 1]! << 8) + d[off + 2]!) * 0x1000000 +
    ((d[off + 3]! << 16) | (d[off + 4]! << 8) | d[off + 5]!);
}

/** nbp_state_should_learn */
function stateShouldLearn(p: BridgePort): boolean {
  return p.state === BR_STATE_LEARNING || p.state === BR_STATE_FORWARDING;
}

/** br_should_learn: the VID a link-local frame would be learned on, or -1. */
function shouldLearnVid(br: NetBridge, p: BridgePort, skb: SkBuff): number {
  if (!br.vlanEnabled) return 0;
  let vid = skb.vlanPresent && skb.vlanProto === br.vlanProto ? skb.vlanTci & 0xfff : 0;
  if (!vid) vid = p.vg.pvid;
  if (!vid || !p.vg.vlans.has(vid)) return -1;
  return vid;
}

/** __br_handle_local_finish: learn from a link-local frame passed to the port's own stack. */
function handleLocalFinish(p: BridgePort, skb: SkBuff): void {
  const br = p.br;
  if ((p.flags & BR_LEARNING) && stateShouldLearn(p) && !br.noLinklocalLearn) {
    const vid = shouldLearnVid(br, p, skb);
    if (vid >= 0) fdbUpdate(br, p, readMac(skb.data, 6), vid);
  }
}

/** br_handle_frame: the rx_handler registered on every port. */
export function brHandleFrame(skb: SkBuff): RxResult {
  if (skb.pktType === PacketType.LOOPBACK) return RxResult.PASS;
  const p = skb.dev.rxHandlerData as BridgePort;
  const br = p.br;
  const lab = br.lab;
  const d = skb.data;
  if ((d[6]! & 1) !== 0 || (d[6]! | d[7]! | d[8]! | d[9]! | d[10]! | d[11]!) === 0) {
    drop(lab, skb, 'rx', 'BR_INVALID_SRC', 'br_handle_frame',
      lab.tracer ? `source ${macStr(d, 6)} is not a valid unicast address` : undefined);
    return RxResult.CONSUMED;
  }
  if (d[0] === 0x01 && d[1] === 0x80 && d[2] === 0xc2 && d[3] === 0 && d[4] === 0 && (d[5]! & 0xf0) === 0) {
    let fwdMask = br.groupFwdMaskRequired | p.groupFwdMask;
    const x = d[5]!;
    let forward = false;
    if (x === 0x00) {
      // Bridge group address: with STP off it is forwarded, to keep loop detection working.
      if (br.stpEnabled === BR_NO_STP || (fwdMask & 1)) forward = true;
      else {
        handleLocalFinish(p, skb);
        // Passed to the port's stack; LLC hands BPDUs to br_stp_rcv.
        stpRcv(p, skb);
        lab.counters.delivered++;
        if (lab.tracer) lab.trace(skb, skb.dev, 'rx', 'br_stp_rcv', 'delivered', undefined, 'spanning tree BPDU');
        return RxResult.CONSUMED;
      }
    } else if (x === 0x01) {
      drop(lab, skb, 'rx', 'BR_LINK_LOCAL', 'br_handle_frame', lab.tracer ? 'MAC control (pause) frame' : undefined);
      return RxResult.CONSUMED;
    } else {
      fwdMask |= br.groupFwdMask;
      if (fwdMask & (1 << x)) forward = true;
    }
    if (!forward) {
      // Not forwarded: learned and passed to the port's own stack.
      if (p.state !== BR_STATE_DISABLED) handleLocalFinish(p, skb);
      if (lab.tracer) lab.trace(skb, skb.dev, 'rx', 'br_handle_frame', 'delivered', undefined,
        `link-local ${macStr(d, 0)} is not forwarded by a bridge; passed to ${skb.dev.name}'s own stack` +
        ` (would be forwarded with: ip link set ${br.dev.name} type bridge group_fwd_mask ${1 << x})`);
      return RxResult.PASS;
    }
  }
  const state = p.state;
  if (state === BR_STATE_FORWARDING || state === BR_STATE_LEARNING) {
    if (readMac(d, 0) === br.dev.macNum) skb.pktType = PacketType.HOST;
    handleFrameFinish(p, skb);
    return RxResult.CONSUMED;
  }
  if (state === BR_STATE_DISABLED) {
    if (readMac(d, 0) === br.dev.macNum) skb.pktType = PacketType.HOST;
    return RxResult.PASS;
  }
  drop(lab, skb, 'rx', 'BR_PORT_STATE', 'br_handle_frame',
    lab.tracer ? `${skb.dev.name} is in state ${STP_STATE_NAMES[state]}` : undefined);
  return RxResult.CONSUMED;
}

/** br_handle_frame_finish */
function handleFrameFinish(p: BridgePort, skb: SkBuff): void {
  const br = p.br;
  const lab = br.lab;
  const state = p.state;
  const vid = allowedIngress(br, p.vg, skb);
  if (vid < 0) {
    drop(lab, skb, 'rx', 'BR_VLAN_FILTERED', 'br_allowed_ingress',
      lab.tracer ? `VLAN ${skb.vlanPresent ? skb.vlanTci & 0xfff : 'untagged'} is not allowed on ${p.dev.name}` : undefined);
    return;
  }
  const d = skb.data;
  const src = readMac(d, 6);
  if (p.flags & BR_PORT_LOCKED) {
    const fs = fdbFind(br, src, vid);
    if (!fs || fs.dst !== p || fs.local) {
      if (!fs && (p.flags & BR_PORT_MAB)) fdbUpdate(br, p, src, vid);
      drop(lab, skb, 'rx', 'BR_PORT_LOCKED', 'br_handle_frame_finish',
        lab.tracer ? `${p.dev.name} is locked and ${macStr(d, 6)} has no FDB entry on it` : undefined);
      return;
    }
  }
  if (p.flags & BR_LEARNING) fdbUpdate(br, p, src, vid);
  const promisc = br.dev.promiscuity > 0;
  let localRcv = promisc;
  let pktType = PKT_UNICAST;
  if (d[0]! & 1) {
    if (d[0] === 0xff && d[1] === 0xff && d[2] === 0xff && d[3] === 0xff && d[4] === 0xff && d[5] === 0xff) {
      pktType = PKT_BROADCAST;
      localRcv = true;
    } else {
      pktType = PKT_MULTICAST;
      if (br.dev.allmulti > 0) localRcv = true;
    }
  }
  if (state === BR_STATE_LEARNING) {
    drop(lab, skb, 'rx', 'BR_LEARNING_STATE', 'br_handle_frame_finish',
      lab.tracer ? `${p.dev.name} is learning: source learned, frame dropped` : undefined);
    return;
  }
  const srcIsolated = (p.flags & BR_ISOLATED) !== 0;
  if (pktType === PKT_MULTICAST) {
    // No querier is ever present, so snooping floods every group and the host gets a copy.
    localRcv = true;
    br.dev.stats.rxMulticast++;
  } else if (pktType === PKT_UNICAST) {
    const dst = fdbFind(br, readMac(d, 0), vid);
    if (dst !== undefined) {
      if (dst.local) {
        passFrameUp(br, skb, false);
        return;
      }
      const now = jiffies(lab);
      if (dst.used !== now) dst.used = now;
      brForward(br, dst.dst, skb, localRcv, false, srcIsolated);
      if (localRcv) passFrameUp(br, skb, promisc);
      return;
    }
  }
  brFlood(br, skb, pktType, localRcv, false, srcIsolated);
  if (localRcv) passFrameUp(br, skb, promisc);
}

/** br_pass_frame_up: the frame is received again, now on the bridge device. */
export function passFrameUp(br: NetBridge, skb: SkBuff, promisc: boolean): void {
  const brdev = br.dev;
  const lab = br.lab;
  brdev.stats.rxPackets++;
  // the kernel counts skb->len here, after eth_type_trans pulled the Ethernet header
  brdev.stats.rxBytes += skb.len - 14;
  if (!promisc && brdev.promiscuity === 0 && !allowedEgress(br, br.vg, skb)) {
    drop(lab, skb, 'rx', 'BR_VLAN_FILTERED', 'br_pass_frame_up',
      lab.tracer ? `VLAN not configured on ${brdev.name} itself` : undefined);
    return;
  }
  const indev = skb.dev;
  skb.dev = brdev;
  if (!handleVlanEgress(br, br.vg, skb)) {
    drop(lab, skb, 'rx', 'BR_VLAN_FILTERED', 'br_handle_vlan');
    return;
  }
  skb.brIngress = indev;
  skb.iif = 0;
  if (lab.tracer) lab.trace(skb, indev, 'rx', 'br_pass_frame_up', 'forwarded', undefined, `up to ${brdev.name}`);
  netifReceiveSkb(skb);
}

/** should_deliver */
function shouldDeliver(br: NetBridge, p: BridgePort, skb: SkBuff, srcIsolated: boolean): boolean {
  return ((p.flags & BR_HAIRPIN_MODE) !== 0 || skb.dev !== p.dev) &&
    p.state === BR_STATE_FORWARDING &&
    allowedEgress(br, p.vg, skb) &&
    !(srcIsolated && (p.flags & BR_ISOLATED) !== 0);
}

/** Why should_deliver said no, and what would change it (tracing only). */
function whyNot(br: NetBridge, p: BridgePort, skb: SkBuff, srcIsolated: boolean): [DropReason, string] {
  const n = p.dev.name;
  if (skb.dev === p.dev && !(p.flags & BR_HAIRPIN_MODE)) {
    return ['BR_HAIRPIN_OFF', `${n} is the ingress port and hairpin is off (would be forwarded with: bridge link set dev ${n} hairpin on)`];
  }
  if (p.state !== BR_STATE_FORWARDING) {
    return ['BR_PORT_STATE', `${n} is in state ${STP_STATE_NAMES[p.state]}` +
      (br.stpEnabled === BR_KERNEL_STP ? ' (spanning tree decides)' : '')];
  }
  if (!allowedEgress(br, p.vg, skb)) return ['BR_VLAN_FILTERED', `the VLAN is not configured on ${n}`];
  if (srcIsolated && (p.flags & BR_ISOLATED)) {
    return ['BR_ISOLATED', `both ports are isolated (would be forwarded with: bridge link set dev ${n} isolated off)`];
  }
  return ['BR_NO_EGRESS', ''];
}

/** br_forward: known unicast to one port. */
export function brForward(br: NetBridge, to: BridgePort | null, skb: SkBuff, localRcv: boolean, localOrig: boolean,
  srcIsolated: boolean): void {
  const lab = br.lab;
  if (to === null) {
    if (!localRcv) {
      drop(lab, skb, 'tx', 'BR_NO_EGRESS', 'br_forward',
        lab.tracer ? `the destination ${macStr(skb.data, 0)} is the bridge's own address` : undefined);
    }
    return;
  }
  if (shouldDeliver(br, to, skb, srcIsolated)) {
    if (localRcv) deliverClone(br, to, skb, localOrig, PKT_UNICAST);
    else forwardOne(br, to, skb, localOrig, PKT_UNICAST);
    return;
  }
  if (!localRcv) {
    if (lab.tracer) {
      const [reason, detail] = whyNot(br, to, skb, srcIsolated);
      drop(lab, skb, 'rx', reason, 'br_forward', `FDB says ${macStr(skb.data, 0)} is behind ${to.dev.name}; ${detail}`);
    } else {
      drop(lab, skb, 'rx', skb.dev === to.dev ? 'BR_HAIRPIN_OFF' : 'BR_PORT_STATE', 'br_forward');
    }
  }
}

function deliverClone(br: NetBridge, to: BridgePort, skb: SkBuff, localOrig: boolean, kind: number): void {
  const c = skb.clone();
  forwardOne(br, to, c, localOrig, kind);
}

/** __br_forward + br_dev_queue_push_xmit */
function forwardOne(br: NetBridge, to: BridgePort, skb: SkBuff, localOrig: boolean, kind: number): void {
  const lab = br.lab;
  if (!handleVlanEgress(br, to.vg, skb)) {
    drop(lab, skb, 'tx', 'BR_VLAN_FILTERED', 'br_handle_vlan');
    return;
  }
  const indev = skb.dev;
  const dev = to.dev;
  skb.dev = dev;
  skb.brIngress = localOrig ? br.dev : indev;
  if (!dev.isUp || skb.len > dev.mtu + ETH_HLEN + VLAN_HLEN) {
    drop(lab, skb, 'tx', dev.isUp ? 'MTU_EXCEEDED' : 'DEV_DOWN', 'br_dev_queue_push_xmit');
    return;
  }
  if (lab.tracer) {
    const reflected = indev === dev;
    const what = kind === PKT_UNICAST ? 'forwarded' : 'flooded';
    lab.trace(skb, dev, 'tx', kind === PKT_UNICAST ? 'br_forward' : 'br_flood',
      reflected ? 'reflected' : (kind === PKT_UNICAST ? 'forwarded' : 'flooded'), undefined,
      reflected ? `reflected out ${dev.name} (hairpin on)` : `${what} out ${dev.name} from ${indev.name}`);
  }
  devQueueXmit(skb);
}

/** br_flood: a copy to every port that should get one. */
export function brFlood(br: NetBridge, skb: SkBuff, pktType: number, localRcv: boolean, localOrig: boolean,
  srcIsolated: boolean): void {
  let prev: BridgePort | null = null;
  const ports = br.ports;
  const fromBr = skb.dev === br.dev;
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i]!;
    if (pktType === PKT_UNICAST) { if (!(p.flags & BR_FLOOD)) continue; }
    else if (pktType === PKT_MULTICAST) { if (!(p.flags & BR_MCAST_FLOOD) && !fromBr) continue; }
    else if (!(p.flags & BR_BCAST_FLOOD) && !fromBr) continue;
    if (p.flags & BR_PROXYARP) continue;
    if (!shouldDeliver(br, p, skb, srcIsolated)) continue;
    if (prev !== null) deliverClone(br, prev, skb, localOrig, pktType + 1);
    prev = p;
  }
  if (prev === null) {
    if (!localRcv) floodDrop(br, skb, pktType, srcIsolated);
    return;
  }
  if (localRcv) deliverClone(br, prev, skb, localOrig, pktType + 1);
  else forwardOne(br, prev, skb, localOrig, pktType + 1);
}

function floodDrop(br: NetBridge, skb: SkBuff, pktType: number, srcIsolated: boolean): void {
  const lab = br.lab;
  if (!lab.tracer) { drop(lab, skb, 'rx', 'BR_NO_EGRESS', 'br_flood'); return; }
  const fromBr = skb.dev === br.dev;
  const why: string[] = [];
  let reason: DropReason = 'BR_NO_EGRESS';
  const flagName = pktType === PKT_UNICAST ? 'flood' : pktType === PKT_MULTICAST ? 'mcast_flood' : 'bcast_flood';
  const flagBit = pktType === PKT_UNICAST ? BR_FLOOD : pktType === PKT_MULTICAST ? BR_MCAST_FLOOD : BR_BCAST_FLOOD;
  for (const p of br.ports) {
    if (!(p.flags & flagBit) && (pktType === PKT_UNICAST || !fromBr)) {
      why.push(`${p.dev.name}: ${flagName} off (would be flooded with: bridge link set dev ${p.dev.name} ${flagName} on)`);
      if (reason === 'BR_NO_EGRESS') reason = 'BR_FLOOD_OFF';
      continue;
    }
    const [r, detail] = whyNot(br, p, skb, srcIsolated);
    why.push(detail);
    if (reason === 'BR_NO_EGRESS' && r === 'BR_HAIRPIN_OFF' && br.ports.length === 1) reason = r;
  }
  drop(lab, skb, 'rx', reason, 'br_flood', why.length ? why.join('; ') : `${br.dev.name} has no ports`);
}

/** br_dev_xmit: what the host sends through the bridge device. */
export function brDevXmit(dev: NetDevice, skb: SkBuff): void {
  const br = dev.priv as NetBridge;
  const lab = br.lab;
  dev.stats.txPackets++;
  dev.stats.txBytes += skb.len;
  const vid = allowedIngress(br, br.vg, skb);
  if (vid < 0) {
    drop(lab, skb, 'tx', 'BR_VLAN_FILTERED', 'br_dev_xmit', lab.tracer ? `VLAN not configured on ${dev.name}` : undefined);
    return;
  }
  const d = skb.data;
  if (d[0]! & 1) {
    const bcast = d[0] === 0xff && d[1] === 0xff && d[2] === 0xff && d[3] === 0xff && d[4] === 0xff && d[5] === 0xff;
    brFlood(br, skb, bcast ? PKT_BROADCAST : PKT_MULTICAST, false, true, false);
    return;
  }
  const f = fdbFind(br, readMac(d, 0), vid);
  if (f !== undefined) brForward(br, f.dst, skb, false, true, false);
  else brFlood(br, skb, PKT_UNICAST, false, true, false);
}
