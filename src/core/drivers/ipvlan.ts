/**
 * drivers/net/ipvlan/ipvlan_main.c, ipvlan_core.c and ipvtap.c (as of Linux 6.1).
 *
 * ipvlan slaves share their master's MAC and are told apart by IP address. One port per master
 * holds the slaves in creation order, the port-wide mode (l2, l3, l3s) and flags (bridge, private,
 * vepa) — the newest creation or changelink wins — the dev_id allocator and the multicast backlog.
 * The port owns the master's rx_handler (ipvlan_handle_frame); slaves carry IFF_NO_RX_HANDLER.
 * The address table (port->hlhead) is the IPv4 addresses of the port's UP slaves; vnet reads it
 * from the slaves' own address lists, which is what the inetaddr notifiers keep it equal to.
 * Read top to bottom it follows the kernel files: port, receive (ipvlan_handle_frame and the
 * multicast backlog), transmit (ipvlan_queue_xmit per mode), net_device ops, link ops, the
 * address validator, master events, ipvtap.
 */
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import {
  ARPHRD_ETHER, IFF_ALLMULTI, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_NOARP, IFF_PROMISC, NetDevice,
  RxResult, macToNum, type DeviceOps,
} from '../netdev.ts';
import { PacketType, type SkBuff } from '../skb.ts';
import {
  devForwardSkb, devQueueXmit, drop, netifRx, rxHandlerRegister, rxHandlerUnregister, stackedTransferOperstate,
  unregisterNetdevice,
} from '../dev.ts';
import { applyCreateAttrs, registerKind, registerNew, type KindData, type LinkKind, type NewLinkCtx } from '../rtnl.ts';
import { rd16, rd32 } from '../ipv4/bytes.ts';
import { ipOutputOif } from '../ipv4/l3out.ts';
import { tapHandleFrame, type TapQueueState } from './macvlan.ts';

export const IPVLAN_MODE_L2 = 0, IPVLAN_MODE_L3 = 1, IPVLAN_MODE_L3S = 2;
export const IPVLAN_F_PRIVATE = 1, IPVLAN_F_VEPA = 2;
const MODE_NAMES = ['l2', 'l3', 'l3s'] as const;
const IPVLAN_QBACKLOG_LIMIT = 1000;
const ETH_HLEN = 14;
const ETH_P_IP = 0x0800, ETH_P_ARP = 0x0806, ETH_P_IPV6 = 0x86dd, ETH_P_PAUSE = 0x8808;

export interface IpvlPort {
  /** The master (phy_dev). */
  dev: NetDevice;
  mode: number;
  flags: number;
  /** Slaves in creation order (port->ipvlans). */
  ipvlans: NetDevice[];
  /** Group frames waiting for ipvlan_process_multicast; `src` is the sending slave for tx frames. */
  backlog: { skb: SkBuff; txPkt: boolean; src: NetDevice }[];
  workScheduled: boolean;
  /** dev_ids in use (port->ida) and where the next search starts (dev_id_start). */
  devIds: Set<number>;
  devIdStart: number;
}

export interface IpvlanPriv {
  phyDev: NetDevice;
  port: IpvlPort;
  /** ipvtap only: open /dev/tapN queues (shared with macvtap's tap_handle_frame). */
  tapQueues: TapQueueState[] | null;
}

export function ipvlanPriv(dev: NetDevice): IpvlanPriv { return dev.priv as IpvlanPriv; }
/** netif_is_ipvlan: ipvlan and ipvtap share the netdev ops. */
export function isIpvlan(dev: NetDevice): boolean { return dev.kind === 'ipvlan' || dev.kind === 'ipvtap'; }
/** netif_is_ipvlan_port */
export function ipvlanPortOf(master: NetDevice): IpvlPort | null {
  return master.rxHandler === ipvlanHandleFrame ? (master.rxHandlerData as IpvlPort) : null;
}

function isPrivate(port: IpvlPort): boolean { return (port.flags & IPVLAN_F_PRIVATE) !== 0; }
function isVepa(port: IpvlPort): boolean { return (port.flags & IPVLAN_F_VEPA) !== 0; }

// ---------------------------------------------------------------------------------------------
// Port (ipvlan_port_create / ipvlan_port_destroy / ipvlan_set_port_mode).

function portCreate(dev: NetDevice): NlResult<IpvlPort> {
  const port: IpvlPort = {
    dev, mode: IPVLAN_MODE_L3, flags: 0, ipvlans: [], backlog: [], workScheduled: false, devIds: new Set(),
    devIdStart: 1,
  };
  const r = rxHandlerRegister(dev, ipvlanHandleFrame, port);
  if (!r.ok) return r;
  return ok(port);
}

function portDestroy(port: IpvlPort): void {
  if (port.dev.rxHandlerData === port) rxHandlerUnregister(port.dev);
  // ipvlan_port_destroy: __skb_queue_purge(&port->backlog).
  for (const e of port.backlog) drop(port.dev.netns.lab, e.skb, e.txPkt ? 'tx' : 'rx', 'QUEUE_PURGED', 'ipvlan_port_destroy');
  port.backlog = [];
}

/** ipvlan_set_port_mode: every slave becomes NOARP in l3/l3s and loses it in l2 (dev_change_flags). */
function setPortMode(port: IpvlPort, mode: number): void {
  if (port.mode === mode) return;
  for (const dev of port.ipvlans) {
    const was = dev.flags & IFF_NOARP;
    if (mode === IPVLAN_MODE_L3 || mode === IPVLAN_MODE_L3S) dev.flags |= IFF_NOARP;
    else dev.flags &= ~IFF_NOARP;
    // NETDEV_CHANGE with IFF_NOARP changed: arp_netdev_event flushes the device's neighbours.
    if (was !== (dev.flags & IFF_NOARP) && dev.isUp) dev.netns.arp.flushDev(dev, false);
  }
  port.mode = mode;
}

/** ida_simple_get from dev_id_start, wrapping to 1: dev_ids 1…0xFFFD, round robin. */
function allocDevId(port: IpvlPort): number {
  if (port.devIdStart === 0xfffe) port.devIdStart = 1;
  let id = 0;
  for (let i = port.devIdStart; i < 0xfffe && !id; i++) if (!port.devIds.has(i)) id = i;
  for (let i = 1; i < port.devIdStart && !id; i++) if (!port.devIds.has(i)) id = i;
  if (!id) return 0;
  port.devIds.add(id);
  port.devIdStart = id + 1;
  return id;
}

// ---------------------------------------------------------------------------------------------
// Addresses: ipvlan_addr_busy (any slave, up or not) and ipvlan_ht_addr_lookup (UP slaves only).

function addrBusy(port: IpvlPort, ip: number): boolean {
  return port.ipvlans.some((d) => d.inet.some((a) => a.address === ip));
}

function htAddrLookup(port: IpvlPort, ip: number): NetDevice | null {
  for (const d of port.ipvlans) if (d.isUp && !d.dying && d.inet.some((a) => a.address === ip)) return d;
  return null;
}

/** What ipvlan_get_L3_hdr finds: ARP and IPv4 addresses; IPv6 only as "an IP packet" (no IPv6 tables in vnet). */
type L3Hdr = { kind: 'arp' | 'ip4'; src: number; dst: number } | { kind: 'ip6' };

function getL3Hdr(skb: SkBuff): L3Hdr | null {
  const d = skb.data;
  switch (skb.ethertype) {
    case ETH_P_ARP:
      if (d.length < ETH_HLEN + 28) return null;
      return { kind: 'arp', src: rd32(d, 28), dst: rd32(d, 38) };
    case ETH_P_IP: {
      if (d.length < ETH_HLEN + 20) return null;
      const ihl = d[14]! & 0xf, tot = rd16(d, 16);
      if (ihl < 5 || (d[14]! >> 4) !== 4) return null;
      if (d.length - ETH_HLEN < tot || tot < ihl * 4) return null;
      return { kind: 'ip4', src: rd32(d, 26), dst: rd32(d, 30) };
    }
    case ETH_P_IPV6:
      if (d.length < ETH_HLEN + 40 || (d[14]! >> 4) !== 6) return null;
      return { kind: 'ip6' };
    default:
      return null;
  }
}

/** ipvlan_addr_lookup: the slave owning the frame's destination (or source) address. */
function addrLookup(port: IpvlPort, l3: L3Hdr, useDest: boolean): NetDevice | null {
  if (l3.kind === 'ip6') return null;
  return htAddrLookup(port, useDest ? l3.dst : l3.src);
}

// ---------------------------------------------------------------------------------------------
// Receive: ipvlan_handle_frame on the master, and the multicast backlog.

function countRx(dev: NetDevice, len: number, success: boolean, mcast: boolean): void {
  if (!success) { dev.stats.rxErrors++; dev.stats.rxDropped++; return; }
  dev.stats.rxPackets++;
  dev.stats.rxBytes += len;
  if (mcast) dev.stats.rxMulticast++;
}

/**
 * ipvlan_rcv_frame: `local` frames (slave to slave) are re-injected with dev_forward_skb;
 * frames from the wire move to the slave (RX_HANDLER_ANOTHER). The byte count is skb->len plus
 * ETH_HLEN, which on the transmit side (data still at the MAC header) counts the header twice.
 */
function rcvFrame(dev: NetDevice, skb: SkBuff, local: boolean): RxResult {
  const lab = dev.netns.lab;
  if (local) {
    const len = skb.len + ETH_HLEN;
    if (!dev.isUp) {
      countRx(dev, len, false, false);
      drop(lab, skb, 'tx', 'IPVLAN_SLAVE_DOWN', 'ipvlan_rcv_frame', dev.name);
      return RxResult.CONSUMED;
    }
    skb.pktType = PacketType.HOST;
    if (lab.tracer) lab.trace(skb, skb.dev, 'tx', 'ipvlan_rcv_frame', 'forwarded', undefined, `to sibling ${dev.name}`);
    countRx(dev, len, devForwardSkb(dev, skb), false);
    return RxResult.CONSUMED;
  }
  if (lab.tracer) lab.trace(skb, skb.dev, 'rx', 'ipvlan_handle_frame', 'forwarded', undefined, `to ${dev.name} by IP address`);
  skb.dev = dev;
  countRx(dev, skb.len, true, false);
  return RxResult.ANOTHER;
}

/** ipvlan_external_frame: a group frame is "ours" when it carries the shared MAC and a slave's source IP. */
function externalFrame(skb: SkBuff, port: IpvlPort): boolean {
  if (macToNum(skb.data, 6) === skb.dev.macNum) {
    const l3 = getL3Hdr(skb);
    if (!l3) return true;
    if (addrLookup(port, l3, false)) return false;
  }
  return true;
}

function handleModeL3(skb: SkBuff, port: IpvlPort): RxResult {
  const l3 = getL3Hdr(skb);
  if (!l3) return RxResult.PASS;
  const addr = addrLookup(port, l3, true);
  return addr ? rcvFrame(addr, skb, false) : RxResult.PASS;
}

function handleModeL2(skb: SkBuff, port: IpvlPort): RxResult {
  if (skb.data[0]! & 1) {
    // External group frames are queued for the slaves; the master gets the frame at once (PASS).
    if (externalFrame(skb, port)) {
      const nskb = skb.clone();
      nskb.mark = 0; nskb.priority = 0;
      multicastEnqueue(port, nskb, false, port.dev);
    }
    return RxResult.PASS;
  }
  return handleModeL3(skb, port);
}

/**
 * ipvlan_handle_frame. l3s passes everything here: its demultiplexing happens at L3
 * (ipvlan_l3s.c's l3mdev hook), which vnet folds into this handler for IPv4 only — ARP stays
 * with the master, as it does on Linux.
 */
export function ipvlanHandleFrame(skb: SkBuff): RxResult {
  const port = skb.dev.rxHandlerData as IpvlPort;
  switch (port.mode) {
    case IPVLAN_MODE_L2: return handleModeL2(skb, port);
    case IPVLAN_MODE_L3: return handleModeL3(skb, port);
    default: {
      const l3 = getL3Hdr(skb);
      if (!l3 || l3.kind !== 'ip4') return RxResult.PASS;
      return handleModeL3(skb, port);
    }
  }
}

/** The slave's multicast filter (mac_filters): broadcast always, its groups, everything when promisc/allmulti. */
function macFilterAccepts(dev: NetDevice, d: Uint8Array): boolean {
  const m = macToNum(d, 0);
  if (m === macToNum(dev.broadcast, 0)) return true;
  if (dev.promiscuity > 0 || dev.allmulti > 0 || (dev.gflags & (IFF_PROMISC | IFF_ALLMULTI))) return true;
  return dev.mcList.has(m);
}

/** ipvlan_multicast_enqueue */
function multicastEnqueue(port: IpvlPort, skb: SkBuff, txPkt: boolean, src: NetDevice): void {
  const lab = port.dev.netns.lab;
  if (skb.ethertype === ETH_P_PAUSE) {
    drop(lab, skb, txPkt ? 'tx' : 'rx', 'UNKNOWN_PROTOCOL', 'ipvlan_multicast_enqueue', 'pause frame');
    return;
  }
  if (port.backlog.length >= IPVLAN_QBACKLOG_LIMIT) {
    src.stats.rxDropped++;
    drop(lab, skb, txPkt ? 'tx' : 'rx', 'IPVLAN_BACKLOG_FULL', 'ipvlan_multicast_enqueue');
    return;
  }
  port.backlog.push({ skb, txPkt, src });
  if (lab.tracer) lab.trace(skb, src, txPkt ? 'tx' : 'rx', 'ipvlan_multicast_enqueue', 'queued', undefined, 'port backlog');
  if (port.workScheduled) return;
  port.workScheduled = true;
  lab.clock.after(lab.backlogDelayNs, () => processMulticast(port));
}

/** ipvlan_process_multicast: a clone for every UP slave the filter accepts (not the sender); tx frames then leave. */
function processMulticast(port: IpvlPort): void {
  port.workScheduled = false;
  const q = port.backlog;
  port.backlog = [];
  if (port.dev.rxHandlerData !== port) return;
  const bcastNum = macToNum(port.dev.broadcast, 0);
  for (const e of q) {
    const skb = e.skb;
    const pktType = macToNum(skb.data, 0) === bcastNum ? PacketType.BROADCAST : PacketType.MULTICAST;
    for (const ipvlan of [...port.ipvlans]) {
      if (e.txPkt && ipvlan === e.src) continue;
      if (!macFilterAccepts(ipvlan, skb.data)) continue;
      if (!ipvlan.isUp || ipvlan.dying) continue;
      const len = skb.len + (e.txPkt ? ETH_HLEN : 0);
      const nskb = skb.clone();
      nskb.pktType = pktType;
      nskb.dev = ipvlan;
      let success = true;
      if (e.txPkt) success = devForwardSkb(ipvlan, nskb);
      else netifRx(nskb);
      countRx(ipvlan, len, success, true);
    }
    if (e.txPkt) {
      // "If the packet originated here, send it out."
      skb.dev = port.dev;
      skb.pktType = pktType;
      devQueueXmit(skb);
    } else {
      // consume_skb: the queued copy ends once the slaves have theirs (the master had the original).
      port.dev.netns.lab.counters.consumed++;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Transmit: ipvlan_start_xmit → ipvlan_queue_xmit.

/** ipvlan_skb_crossing_ns: skb_scrub_packet (mark cleared when the namespace changes). */
function crossingNs(skb: SkBuff, to: NetDevice | null): void {
  if (!to || skb.dev.netns !== to.netns) skb.mark = 0;
  skb.priority = 0;
  skb.iif = 0;
  if (to) skb.dev = to;
}

/** ipvlan_process_outbound: the L2 header goes, the packet is routed in the master's namespace. */
function processOutbound(skb: SkBuff, slave: NetDevice): boolean {
  const lab = skb.dev.netns.lab;
  const d = skb.data;
  if (d[0]! & 1) {
    drop(lab, skb, 'tx', 'IPVLAN_L3_GROUP', 'ipvlan_process_outbound', `from ${slave.name}`);
    return false;
  }
  const et = skb.ethertype;
  if (et === ETH_P_IPV6) {
    skb.dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'IPVLAN_NO_ROUTE', 'ipvlan_process_v6_outbound', 'IPv6 routing is not emulated');
    return false;
  }
  if (et !== ETH_P_IP) {
    drop(lab, skb, 'tx', 'IPVLAN_NOT_IP', 'ipvlan_process_outbound', `ethertype 0x${et.toString(16)}`);
    return false;
  }
  const tot = d.length >= 34 ? Math.min(rd16(d, 16), d.length - ETH_HLEN) : d.length - ETH_HLEN;
  if (lab.tracer) lab.trace(skb, slave, 'tx', 'ipvlan_process_v4_outbound', 'forwarded', undefined,
    `routed in ${skb.dev.name}'s namespace`);
  if (!ipOutputOif(skb.dev, d.subarray(ETH_HLEN, ETH_HLEN + tot), skb.packetId)) {
    skb.dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'IPVLAN_NO_ROUTE', 'ipvlan_process_v4_outbound');
    return false;
  }
  // The packet goes on as the skb ipOutputOif made (the kernel reroutes the same skb).
  lab.counters.consumed++;
  return true;
}

/** ipvlan_xmit_mode_l3 */
function xmitModeL3(skb: SkBuff, dev: NetDevice, port: IpvlPort): boolean {
  const l3 = getL3Hdr(skb);
  if (l3 && !isVepa(port)) {
    const addr = addrLookup(port, l3, true);
    if (addr) {
      if (isPrivate(port)) {
        drop(dev.netns.lab, skb, 'tx', 'IPVLAN_PRIVATE', 'ipvlan_xmit_mode_l3', `${dev.name} → ${addr.name}`);
        return false;
      }
      rcvFrame(addr, skb, true);
      return true;
    }
  }
  crossingNs(skb, port.dev);
  return processOutbound(skb, dev);
}

/** ipvlan_xmit_mode_l2 */
function xmitModeL2(skb: SkBuff, dev: NetDevice, port: IpvlPort): boolean {
  const d = skb.data;
  const lab = dev.netns.lab;
  if (!isVepa(port) && macToNum(d, 0) === macToNum(d, 6)) {
    const l3 = getL3Hdr(skb);
    if (l3) {
      const addr = addrLookup(port, l3, true);
      if (addr) {
        if (isPrivate(port)) {
          drop(lab, skb, 'tx', 'IPVLAN_PRIVATE', 'ipvlan_xmit_mode_l2', `${dev.name} → ${addr.name}`);
          return false;
        }
        rcvFrame(addr, skb, true);
        return true;
      }
    }
    // "Packet definitely does not belong to any of the virtual devices, but the dest is local":
    // into the master's receive path, where ipvlan_handle_frame passes it to the master's stack.
    if (lab.tracer) lab.trace(skb, dev, 'tx', 'ipvlan_xmit_mode_l2', 'forwarded', undefined, `to master ${port.dev.name}`);
    devForwardSkb(port.dev, skb);
    return true;
  }
  if (d[0]! & 1) {
    crossingNs(skb, null);
    multicastEnqueue(port, skb, true, dev);
    return true;
  }
  if (lab.tracer) lab.trace(skb, dev, 'tx', 'ipvlan_xmit_mode_l2', 'forwarded', undefined, `out through ${port.dev.name}`);
  skb.dev = port.dev;
  devQueueXmit(skb);
  return true;
}

/** ipvlan_start_xmit + ipvlan_queue_xmit */
function ipvlanStartXmit(dev: NetDevice, skb: SkBuff): void {
  const p = ipvlanPriv(dev);
  const port = p.port;
  const len = skb.len;
  let sent = false;
  if (ipvlanPortOf(p.phyDev) === port && skb.len >= ETH_HLEN) {
    sent = port.mode === IPVLAN_MODE_L2 ? xmitModeL2(skb, dev, port) : xmitModeL3(skb, dev, port);
  } else {
    drop(dev.netns.lab, skb, 'tx', 'IP_HDR_ERROR', 'ipvlan_queue_xmit', 'no port or runt frame');
  }
  if (sent) { dev.stats.txPackets++; dev.stats.txBytes += len; } else dev.stats.txDropped++;
}

// ---------------------------------------------------------------------------------------------
// net_device_ops (ipvlan_open, ipvlan_stop, ipvlan_uninit, ipvlan_get_iflink).

function ipvlanOpen(dev: NetDevice): NlResult {
  const mode = ipvlanPriv(dev).port.mode;
  if (mode === IPVLAN_MODE_L3 || mode === IPVLAN_MODE_L3S) dev.flags |= IFF_NOARP;
  else dev.flags &= ~IFF_NOARP;
  // The slave's addresses enter the port's table (ipvlan_ht_addr_add): htAddrLookup sees UP slaves.
  return OK;
}

function ipvlanUninit(dev: NetDevice): void {
  const p = ipvlanPriv(dev);
  const port = p.port;
  // ipvlan_link_delete + ipvlan_uninit
  port.devIds.delete(dev.devId);
  const i = port.ipvlans.indexOf(dev);
  if (i >= 0) port.ipvlans.splice(i, 1);
  p.phyDev.uppers.delete(dev);
  if (p.tapQueues) for (const q of p.tapQueues) q.closed = true;
  if (port.ipvlans.length === 0) portDestroy(port);
}

function makeOps(kind: 'ipvlan' | 'ipvtap'): DeviceOps {
  return {
    kind,
    // ipvtap_setup: IFF_NO_QUEUE cleared (a qdisc), tx_queue_len TUN_READQ_SIZE.
    noQueue: kind === 'ipvlan',
    unicastFilter: true,
    open: ipvlanOpen,
    xmit: ipvlanStartXmit,
    // No ndo_set_mac_address: `ip link set SLAVE address …` is EOPNOTSUPP. No ndo_change_mtu either.
    linkDev(dev) { return ipvlanPriv(dev).phyDev; },
    uninit: ipvlanUninit,
  };
}

const ipvlanOps = makeOps('ipvlan');
const ipvtapOps = makeOps('ipvtap');

// ---------------------------------------------------------------------------------------------
// rtnl_link_ops: ipvlan_nl_validate, ipvlan_link_new, ipvlan_nl_changelink, ipvlan_nl_fillinfo.

function modeOf(data: KindData | undefined): number | undefined {
  const m = data?.['mode'];
  if (m === undefined) return undefined;
  if (typeof m === 'number') return m;
  const i = (MODE_NAMES as readonly string[]).indexOf(String(m));
  return i < 0 ? 3 : i;
}

function flagsOf(data: KindData | undefined): number | undefined {
  const f = data?.['flags'];
  return f === undefined ? undefined : Number(f);
}

/** ipvlan_nl_validate */
function validate(data: KindData | undefined): NlResult {
  const mode = modeOf(data);
  if (mode !== undefined && (mode < 0 || mode >= 3)) return err(Errno.EINVAL);
  const flags = flagsOf(data);
  if (flags !== undefined) {
    if (flags & ~(IPVLAN_F_PRIVATE | IPVLAN_F_VEPA)) return err(Errno.EINVAL);
    if ((flags & (IPVLAN_F_PRIVATE | IPVLAN_F_VEPA)) === (IPVLAN_F_PRIVATE | IPVLAN_F_VEPA)) return err(Errno.EINVAL);
  }
  return OK;
}

function makeKind(kind: 'ipvlan' | 'ipvtap'): LinkKind {
  return {
    kind,
    newLink(ctx: NewLinkCtx) {
      const a = ctx.attrs;
      const data = a.data;
      const v = validate(data);
      if (!v.ok) return v;
      let phy = ctx.lower;
      if (!phy) return err(Errno.EINVAL);
      let port = ipvlanPortOf(phy);
      if (isIpvlan(phy)) {
        phy = ipvlanPriv(phy).phyDev;
        port = ipvlanPortOf(phy);
      } else if (!port) {
        // "Master is either lo or non-ether device" / "Device is already in use."
        if (phy.type !== ARPHRD_ETHER || (phy.flags & IFF_LOOPBACK)) return err(Errno.EINVAL);
        if (phy.rxHandler) return err(Errno.EBUSY);
      }
      const dev = new NetDevice(a.ifname ?? ctx.ns.allocName(`${kind}%d`), kind === 'ipvtap' ? ipvtapOps : ipvlanOps,
        IFF_BROADCAST | IFF_MULTICAST);
      dev.minMtu = 68;
      dev.maxMtu = 65535;
      if (kind === 'ipvtap') dev.txqueuelen = 500;
      const r = applyCreateAttrs(dev, a);
      if (!r.ok) return r;
      if (a.mtu === undefined) dev.mtu = phy.mtu;
      // The L2 address is the master's (eth_hw_addr_set), whatever was asked for. Unless an address
      // was asked for (NET_ADDR_SET), register_netdevice records it as the permanent address,
      // which `ip link` shows as permaddr once the master's MAC has changed.
      dev.setMacBytes(phy.mac);
      if (!a.address) { dev.addrAssign = 'perm'; dev.permAddr = new Uint8Array(phy.mac); }
      dev.gsoMaxSize = phy.gsoMaxSize; dev.gsoMaxSegs = phy.gsoMaxSegs;
      dev.tsoMaxSize = phy.tsoMaxSize; dev.tsoMaxSegs = phy.tsoMaxSegs;
      // ipvlan_init: carrier and dormancy come from the master before registration.
      dev.carrier = phy.carrier;
      dev.dormant = phy.dormant;
      let madePort = false;
      if (!port) {
        const pr = portCreate(phy);
        if (!pr.ok) return pr;
        port = pr.value;
        madePort = true;
      }
      const p: IpvlanPriv = { phyDev: phy, port, tapQueues: kind === 'ipvtap' ? [] : null };
      dev.priv = p;
      if (kind === 'ipvtap') {
        // ipvtap_newlink: tap_handle_frame on the ipvtap itself, before IFF_NO_RX_HANDLER is set.
        dev.rxHandler = tapHandleFrame;
        dev.rxHandlerData = p;
      }
      dev.noRxHandler = true;
      const reg = registerNew(ctx.ns, dev, a);
      if (!reg.ok) {
        if (madePort) portDestroy(port);
        return reg;
      }
      const id = allocDevId(port);
      if (!id) {
        // Not on the port's list yet: ipvlan_uninit destroys the port if it was made for this device.
        unregisterNetdevice(dev);
        return err(Errno.ENOSPC);
      }
      dev.devId = id;
      phy.uppers.add(dev);
      // Flags and mode are the port's; the newest creation wins, and no mode attribute means l3.
      const flags = flagsOf(data);
      if (flags !== undefined) port.flags = flags;
      setPortMode(port, modeOf(data) ?? IPVLAN_MODE_L3);
      port.ipvlans.push(dev);
      stackedTransferOperstate(phy, dev);
      if (!ctx.lab.modules.has('ipvlan')) ctx.lab.modules.add('ipvlan');
      if (kind === 'ipvtap' && !ctx.lab.modules.has('ipvtap')) ctx.lab.modules.add('ipvtap');
      return ok(dev);
    },
    changeLink(dev, data) {
      const v = validate(data);
      if (!v.ok) return v;
      const port = ipvlanPriv(dev).port;
      const mode = modeOf(data);
      if (mode !== undefined) setPortMode(port, mode);
      const flags = flagsOf(data);
      if (flags !== undefined) {
        port.flags = (port.flags & ~(IPVLAN_F_PRIVATE | IPVLAN_F_VEPA)) | flags;
      }
      return OK;
    },
    delLink(dev) { unregisterNetdevice(dev); },
    fillInfo(dev) {
      const port = ipvlanPriv(dev).port;
      return { mode: MODE_NAMES[port.mode] ?? 'l3', flags: port.flags };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// ipvlan_addr4_validator_event: an address already on one of the port's slaves is refused.

function addr4Validator(dev: NetDevice, addr: number): NlResult {
  if (!isIpvlan(dev) || !dev.priv) return OK;
  if (addrBusy(ipvlanPriv(dev).port, addr)) {
    return err(Errno.EADDRINUSE, 'Address already assigned to an ipvlan device');
  }
  return OK;
}

// ---------------------------------------------------------------------------------------------
// ipvlan_device_event: the master's events.

function deviceEvent(event: string, dev: NetDevice, info: unknown): void {
  const port = ipvlanPortOf(dev);
  if (!port) return;
  switch (event) {
    case 'UP': case 'DOWN': case 'CHANGE':
      for (const v of port.ipvlans) stackedTransferOperstate(dev, v);
      break;
    case 'UNREGISTER':
      // A netns move keeps the slaves; a real unregister deletes them (dellink each).
      if ((info as { moving?: boolean } | undefined)?.moving) break;
      for (const v of [...port.ipvlans]) unregisterNetdevice(v);
      break;
    case 'CHANGEMTU':
      // ipvlan_adjust_mtu: the slaves follow the master's MTU, up and down.
      for (const v of port.ipvlans) v.mtu = dev.mtu;
      break;
    case 'CHANGEADDR':
      for (const v of port.ipvlans) { v.setMacBytes(dev.mac); v.netns.lab.notify('CHANGEADDR', v); }
      break;
    default:
      break;
  }
}

export function installIpvlan(lab: Lab): void {
  registerKind(lab, makeKind('ipvlan'));
  registerKind(lab, makeKind('ipvtap'));
  lab.notifiers.push(deviceEvent);
  lab.inetAddrValidators.push(addr4Validator);
}
