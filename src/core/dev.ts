/**
 * Generic device paths, as net/core/dev.c and link_watch.c: registration, open/close, carrier and
 * operstate, promiscuity, the transmit entry (dev_queue_xmit) and the receive core
 * (__netif_receive_skb_core with taps, VLAN demux, rx_handler and protocol dispatch).
 */
import { Errno, OK, err, type NlResult } from './errno.ts';
import type { Lab } from './lab.ts';
import type { NetNamespace } from './netns.ts';
import {
  IFF_UP, IFF_PROMISC, IFF_ALLMULTI, IFF_LOOPBACK, NetDevice, OperState, RxResult, macToNum, isMulticastMac,
  type RxHandler,
} from './netdev.ts';
import { PacketType, SkBuff } from './skb.ts';
import { defaultOperstate, linkwatchFire, linkwatchForget, linkwatchSync } from './linkwatch.ts';

const ETH_P_8021Q = 0x8100, ETH_P_8021AD = 0x88a8;
export const ETH_HLEN = 14;

/** dev_valid_name */
export function validIfName(name: string): boolean {
  if (name.length === 0 || name.length >= 16) return false;
  if (name === '.' || name === '..') return false;
  for (const ch of name) if (ch === '/' || ch === ':' || /\s/.test(ch)) return false;
  return true;
}

/** register_netdevice: name and index checks, then the device is visible in its namespace. */
export function registerNetdevice(ns: NetNamespace, dev: NetDevice, wantIndex = 0): NlResult {
  if (!validIfName(dev.name)) return err(Errno.EINVAL);
  if (ns.devices.has(dev.name)) return err(Errno.EEXIST);
  const idx = ns.allocIfindex(wantIndex);
  if (!idx) return err(wantIndex ? Errno.EBUSY : Errno.ENFILE);
  dev.ifindex = idx;
  dev.netns = ns;
  ns.devices.set(dev.name, dev);
  ns.byIndex.set(idx, dev);
  ns.lab.deviceCount++;
  ns.sysctl.addDevice(dev.name, false, (dev.flags & IFF_LOOPBACK) !== 0);
  // linkwatch_init_dev: a carrier state set before registration is applied at once.
  if (!dev.carrier || dev.dormant) dev.operstate = defaultOperstate(dev);
  ns.lab.notify('REGISTER', dev);
  return OK;
}

/**
 * unregister_netdevice: closes the device, tells everyone (uppers go away, addresses and
 * routes are flushed), and removes it from its namespace.
 */
export function unregisterNetdevice(dev: NetDevice): void {
  if (dev.dying) return;
  dev.dying = true;
  const lab = dev.netns.lab;
  if (dev.isUp) devClose(dev);
  linkwatchForget(dev);
  lab.notify('UNREGISTER', dev);
  dev.ops.uninit?.(dev);
  detachFromNamespace(dev);
  lab.deviceCount--;
  // Taps bound to this device end like tcpdump does when its interface vanishes.
  for (let i = dev.netns.taps.length - 1; i >= 0; i--) {
    if (dev.netns.taps[i]!.dev === dev) dev.netns.taps.splice(i, 1);
  }
}

export function detachFromNamespace(dev: NetDevice): void {
  const ns = dev.netns;
  ns.devices.delete(dev.name);
  ns.byIndex.delete(dev.ifindex);
  ns.sysctl.removeDevice(dev.name);
}

/** dev_open */
export function devOpen(dev: NetDevice): NlResult {
  if (dev.isUp) return OK;
  const lab = dev.netns.lab;
  if (dev.ops.open) {
    const r = dev.ops.open(dev);
    if (!r.ok) return r;
  }
  dev.flags |= IFF_UP;
  dev.qdiscAttached = true;
  // A device that is UP again gets its rx mode pushed to the driver.
  lab.notify('UP', dev);
  // Opening fires no linkwatch event of its own (lo and a new bridge stay UNKNOWN), but a pending
  // one for this device is processed now: seen on 6.18, a macvlan made on a carrier-less lower
  // shows LOWERLAYERDOWN as soon as it is brought up, inside the rate-limit window.
  linkwatchSync(dev);
  return OK;
}

/** dev_close */
export function devClose(dev: NetDevice): void {
  if (!dev.isUp) return;
  const lab = dev.netns.lab;
  lab.notify('GOING_DOWN', dev);
  dev.ops.stop?.(dev);
  dev.flags &= ~IFF_UP;
  lab.notify('DOWN', dev);
  // No linkwatch here either: `ip link` reports any down device as DOWN.
}

/** netif_carrier_on/off: the flag changes at once; operstate follows through linkwatch. */
export function setCarrier(dev: NetDevice, on: boolean): void {
  if (dev.carrier === on) return;
  dev.carrier = on;
  dev.carrierChanges++;
  if (dev.netns) linkwatchFire(dev);
}

/** netif_stacked_transfer_operstate: a stacked device copies its lower's carrier and dormancy. */
export function stackedTransferOperstate(lower: NetDevice, dev: NetDevice): void {
  dev.dormant = lower.dormant;
  setCarrier(dev, lower.carrier);
}

/** A driver that fires a link event itself (macvlan_common_newlink's linkwatch_fire_event). */
export function linkwatchRun(dev: NetDevice): void { linkwatchFire(dev); }

export { defaultOperstate };

/** dev_set_promiscuity: counter only, plus the driver hook (bridge local_rcv, lower propagation). */
export function devSetPromiscuity(dev: NetDevice, inc: number): void {
  const before = dev.promiscuity;
  dev.promiscuity = Math.max(0, dev.promiscuity + inc);
  if ((before === 0) !== (dev.promiscuity === 0)) dev.ops.rxModeChanged?.(dev);
}

export function devSetAllmulti(dev: NetDevice, inc: number): void {
  const before = dev.allmulti;
  dev.allmulti = Math.max(0, dev.allmulti + inc);
  if ((before === 0) !== (dev.allmulti === 0)) dev.ops.rxModeChanged?.(dev);
}

/** `ip link set X promisc on|off`: the user flag plus one reference. */
export function devSetUserPromisc(dev: NetDevice, on: boolean): void {
  const has = (dev.gflags & IFF_PROMISC) !== 0;
  if (has === on) return;
  if (on) dev.gflags |= IFF_PROMISC; else dev.gflags &= ~IFF_PROMISC;
  devSetPromiscuity(dev, on ? 1 : -1);
}

export function devSetUserAllmulti(dev: NetDevice, on: boolean): void {
  const has = (dev.gflags & IFF_ALLMULTI) !== 0;
  if (has === on) return;
  if (on) dev.gflags |= IFF_ALLMULTI; else dev.gflags &= ~IFF_ALLMULTI;
  devSetAllmulti(dev, on ? 1 : -1);
}

/** True when the device passes frames for any MAC to its stack (used by br0's local_rcv). */
export function isPromisc(dev: NetDevice): boolean { return dev.promiscuity > 0; }

/** dev_uc_add/dev_uc_del: secondary unicast MACs; a device without IFF_UNICAST_FLT turns promiscuous. */
export function devUcAdd(dev: NetDevice, mac: number): void {
  const n = dev.ucList.get(mac) ?? 0;
  dev.ucList.set(mac, n + 1);
  if (n === 0) syncUcPromisc(dev);
}

export function devUcDel(dev: NetDevice, mac: number): void {
  const n = dev.ucList.get(mac);
  if (n === undefined) return;
  if (n <= 1) { dev.ucList.delete(mac); syncUcPromisc(dev); } else dev.ucList.set(mac, n - 1);
}

/** __dev_set_rx_mode: uc_promisc follows "has secondary unicast addresses and no filter". */
export function syncUcPromisc(dev: NetDevice): void {
  const want = !dev.ops.unicastFilter && dev.ucList.size > 0 && dev.isUp;
  if (want === dev.ucPromisc) return;
  dev.ucPromisc = want;
  devSetPromiscuity(dev, want ? 1 : -1);
}

export function devMcAdd(dev: NetDevice, mac: number): void {
  const n = dev.mcList.get(mac) ?? 0;
  dev.mcList.set(mac, n + 1);
  if (n === 0) dev.ops.mcChanged?.(dev, mac, true);
}
export function devMcDel(dev: NetDevice, mac: number): void {
  const n = dev.mcList.get(mac);
  if (n === undefined) return;
  if (n <= 1) { dev.mcList.delete(mac); dev.ops.mcChanged?.(dev, mac, false); } else dev.mcList.set(mac, n - 1);
}

/** netdev_rx_handler_register */
export function rxHandlerRegister(dev: NetDevice, handler: RxHandler, data: unknown): NlResult {
  if (dev.noRxHandler) return err(Errno.EINVAL);
  if (dev.rxHandler) return err(Errno.EBUSY);
  dev.rxHandler = handler;
  dev.rxHandlerData = data;
  return OK;
}

export function rxHandlerUnregister(dev: NetDevice): void {
  dev.rxHandler = null;
  dev.rxHandlerData = null;
}

/**
 * __netdev_upper_dev_link's loop guard: `dev` may not get `upper` as master when `dev` is
 * already above `upper` (a macvlan or VLAN on a bridge enslaved to that bridge), or is `upper`.
 * Without it a flood goes round the stack forever.
 */
export function upperLinkCheck(dev: NetDevice, upper: NetDevice): NlResult {
  if (dev === upper || hasUpper(upper, dev, 0)) return err(Errno.EBUSY);
  return OK;
}

function hasUpper(dev: NetDevice, target: NetDevice, depth: number): boolean {
  if (depth > 8) return false; // MAX_NEST_DEV
  const ups = dev.master ? [dev.master, ...dev.uppers] : dev.uppers;
  for (const u of ups) if (u === target || hasUpper(u, target, depth + 1)) return true;
  return false;
}

/** eth_type_trans / eth_skb_pkt_type: classify against the receiving device's MAC. */
export function ethTypeTrans(skb: SkBuff, dev: NetDevice): void {
  skb.dev = dev;
  const d = skb.data;
  if (isMulticastMac(d, 0)) {
    skb.pktType = (d[0] === 0xff && d[1] === 0xff && d[2] === 0xff && d[3] === 0xff && d[4] === 0xff &&
      d[5] === 0xff) ? PacketType.BROADCAST : PacketType.MULTICAST;
  } else {
    skb.pktType = macToNum(d, 0) === dev.macNum ? PacketType.HOST : PacketType.OTHERHOST;
  }
}

/**
 * dev_queue_xmit: a down device or one without carrier sends nothing (qdisc noop / deactivated
 * queue); otherwise the taps see the frame (dev_queue_xmit_nit) and the driver takes it.
 */
export function devQueueXmit(skb: SkBuff): void {
  const dev = skb.dev;
  const lab = dev.netns.lab;
  if (!dev.isUp) {
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', dev.name === 'lo' && dev.ops.kind === '' ? 'LO_DOWN' : 'DEV_DOWN', '__dev_queue_xmit');
    return;
  }
  if (!dev.carrier) {
    // The deactivated queue frees the frame and counts it (tx_dropped), as veth and taps show.
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', 'NO_CARRIER', '__dev_queue_xmit');
    return;
  }
  // validate_xmit_vlan: a tag kept in metadata is written into the frame before it leaves, unless
  // the device offloads tagging (then it counts the frame 4 bytes shorter; taps re-insert the tag).
  if (skb.vlanPresent && !dev.ops.vlanTxOffload) vlanInsertTag(skb);
  if (lab.tracer) lab.trace(skb, dev, 'tx', 'dev_queue_xmit', 'transmitted');
  const taps = dev.netns.taps;
  if (taps.length) deliverTaps(taps, skb, dev, true);
  dev.ops.xmit(dev, skb);
}

/** A frame the stack built for this device starts its trip here. */
export function newSkb(lab: Lab, data: Uint8Array, dev: NetDevice): SkBuff {
  lab.counters.framesCreated++;
  return new SkBuff(data, dev, PacketType.OUTGOING, lab.newPacketId());
}

export function drop(lab: Lab, skb: SkBuff, dir: 'rx' | 'tx', reason: import('./trace.ts').DropReason,
  where: string, detail?: string): void {
  lab.counters.dropped++;
  if (lab.tracer) lab.trace(skb, skb.dev, dir, where, 'dropped', reason, detail);
}

function deliverTaps(taps: import('./netns.ts').PacketTap[], skb: SkBuff, dev: NetDevice, outgoing: boolean): void {
  for (let i = 0; i < taps.length; i++) {
    const t = taps[i]!;
    if (t.dev === null || t.dev === dev) t.deliver(skb, dev, outgoing);
  }
}

/**
 * __dev_forward_skb + netif_rx: how veth and macvlan-bridge inject a frame into another
 * device's receive path. Refused if the target is down or the frame too long (rx_dropped).
 */
export function devForwardSkb(target: NetDevice, skb: SkBuff): boolean {
  const lab = target.netns.lab;
  if (!target.isUp || skb.len > target.mtu + ETH_HLEN + 4) {
    target.stats.rxDropped++;
    drop(lab, skb, 'rx', target.isUp ? 'MTU_EXCEEDED' : 'DEV_DOWN', '__dev_forward_skb');
    return false;
  }
  // skb_scrub_packet: a fresh start in the target (mark cleared when crossing namespaces).
  if (skb.dev.netns !== target.netns) skb.mark = 0;
  skb.priority = 0;
  skb.iif = 0;
  skb.brIngress = null;
  skb.onNeighFail = null;
  ethTypeTrans(skb, target);
  lab.enqueueBacklog(skb);
  return true;
}

/** netif_rx for a frame whose dev and pkt_type are already set. */
export function netifRx(skb: SkBuff): void {
  skb.dev.netns.lab.enqueueBacklog(skb);
}

/**
 * __netif_receive_skb_core. Runs rounds until a handler consumes the frame or the protocol
 * layer gets it; each round is on `skb.dev` (rx_handler ANOTHER and VLAN demux change it).
 */
export function netifReceiveSkb(skb: SkBuff): void {
  const lab = skb.dev.netns.lab;
  for (let round = 0; round < 8; round++) {
    const dev = skb.dev;
    // Storm guard: a forwarding loop multiplies frames without end; past the per-millisecond
    // bound the device drops them (LOOP_LIMIT) and the lab records the storm.
    const ms = Math.floor(lab.clock.now / 1_000_000);
    if (dev.rxWindowStart !== ms) { dev.rxWindowStart = ms; dev.rxWindowCount = 0; }
    // Ethernet has no TTL: a frame received over 64 times is going round a loop.
    if (++dev.rxWindowCount > lab.maxFramesPerMs || ++skb.hops > 64) {
      stormDrop(lab, skb, dev);
      return;
    }
    if (!dev.isUp || dev.dying) {
      dev.stats.rxDropped++;
      drop(lab, skb, 'rx', 'DEV_DOWN', '__netif_receive_skb_core');
      return;
    }
    if (!skb.iif) skb.iif = dev.ifindex;
    if (lab.tracer) lab.trace(skb, dev, 'rx', '__netif_receive_skb_core', 'received');
    // skb_vlan_untag: a tag in the data moves into metadata.
    const et = skb.ethertype;
    if (!skb.vlanPresent && (et === ETH_P_8021Q || et === ETH_P_8021AD) && skb.len >= 18) {
      untagInPlace(skb);
    }
    const taps = dev.netns.taps;
    // packet_rcv ignores PACKET_LOOPBACK: a VRF's looped frames were seen when sent.
    if (taps.length && skb.pktType !== PacketType.LOOPBACK) deliverTaps(taps, skb, dev, false);
    if (skb.vlanPresent) {
      const vid = skb.vlanTci & 0xfff;
      const vdev = lab.vlanLookup ? lab.vlanLookup(dev, skb.vlanProto, vid) : null;
      if (vdev) {
        if (!vdev.isUp) {
          drop(lab, skb, 'rx', 'VLAN_SUBDEV_DOWN', 'vlan_do_receive', vdev.name);
          return;
        }
        lab.vlanReceive!(skb, vdev);
        continue;
      }
      if (vid === 0) {
        // Priority-tagged: handled as untagged on this device.
        skb.vlanPresent = false;
        skb.vlanTci = 0;
      }
    }
    const h = dev.rxHandler;
    if (h) {
      const r = h(skb);
      if (r === RxResult.CONSUMED) return;
      if (r === RxResult.ANOTHER) continue;
    }
    if (skb.vlanPresent && (skb.vlanTci & 0xfff) !== 0) {
      // A tag nobody claimed: the frame is not for this host.
      skb.pktType = PacketType.OTHERHOST;
    }
    const proto = lab.ptype.get(skb.ethertype);
    if (!proto) {
      dev.stats.rxNohandler++;
      drop(lab, skb, 'rx', skb.vlanPresent ? 'VLAN_NO_SUBDEV' : 'UNKNOWN_PROTOCOL', '__netif_receive_skb_core');
      return;
    }
    proto(skb);
    return;
  }
  drop(lab, skb, 'rx', 'LOOP_LIMIT', '__netif_receive_skb_core', 'too many receive rounds');
}

function stormDrop(lab: Lab, skb: SkBuff, dev: NetDevice): void {
  let s = lab.storms.get(dev);
  if (!s) {
    s = { netns: dev.netns.name, dropped: 0, first: lab.clock.now };
    lab.storms.set(dev, s);
    const stpOff = [...dev.netns.devices.values()].filter((d) => d.kind === 'bridge' &&
      (d.priv as { stpEnabled?: number } | null)?.stpEnabled === 0).map((d) => d.name);
    lab.log(`vnet: storm guard: ${dev.name}${dev.netns.name ? ` (netns ${dev.netns.name})` : ''}: frames going round a ` +
      `forwarding loop (one frame received more than 64 times, or over ${lab.maxFramesPerMs} frames in 1 ms) are dropped` +
      `${stpOff.length ? `; STP is off on ${stpOff.join(', ')}` : ''}`);
  }
  s.dropped++;
  drop(lab, skb, 'rx', 'LOOP_LIMIT', '__netif_receive_skb_core', `storm on ${dev.name}`);
}

/** Moves an 802.1Q/802.1ad tag from the bytes into skb metadata (copying: frames are shared). */
export function untagInPlace(skb: SkBuff): void {
  const d = skb.data;
  const out = new Uint8Array(d.length - 4);
  out.set(d.subarray(0, 12), 0);
  out.set(d.subarray(16), 12);
  skb.vlanPresent = true;
  skb.vlanProto = (d[12]! << 8) | d[13]!;
  skb.vlanTci = (d[14]! << 8) | d[15]!;
  skb.data = out;
}

/** Puts the metadata tag back into the bytes (before handing to a device that sends it on). */
export function vlanInsertTag(skb: SkBuff): void {
  if (!skb.vlanPresent) return;
  const d = skb.data;
  const out = new Uint8Array(d.length + 4);
  out.set(d.subarray(0, 12), 0);
  out[12] = skb.vlanProto >> 8; out[13] = skb.vlanProto & 0xff;
  out[14] = skb.vlanTci >> 8; out[15] = skb.vlanTci & 0xff;
  out.set(d.subarray(12), 16);
  skb.data = out;
  skb.vlanPresent = false;
}

/** Installs the receive core into a lab; called once by the lab factory. */
export function installDevCore(lab: Lab): void {
  lab.receive = netifReceiveSkb;
}
