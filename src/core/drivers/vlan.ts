/**
 * net/8021q: VLAN sub-devices. Transmit tags the frame and sends it on the parent; receive finds
 * the sub-device by (parent, protocol, VID) before the parent's rx_handler runs
 * (vlan_do_receive). The MAC is the parent's until set; admin state follows the parent both
 * ways (unless loose_binding); the parent's deletion deletes its VLANs.
 */
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import {
  ARPHRD_ETHER, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, NetDevice, macToNum, type DeviceOps,
} from '../netdev.ts';
import { PacketType, type SkBuff } from '../skb.ts';
import {
  devClose, devOpen, devQueueXmit, devUcAdd, devUcDel, stackedTransferOperstate, linkwatchRun,
  unregisterNetdevice,
} from '../dev.ts';
import { loadModule } from '../modules.ts';
import { applyCreateAttrs, registerKind, registerNew, type KindData, type LinkKind } from '../rtnl.ts';

export const ETH_P_8021Q = 0x8100, ETH_P_8021AD = 0x88a8;
export const VLAN_FLAG_REORDER_HDR = 0x1, VLAN_FLAG_GVRP = 0x2, VLAN_FLAG_LOOSE_BINDING = 0x4,
  VLAN_FLAG_MVRP = 0x8, VLAN_FLAG_BRIDGE_BINDING = 0x10;

export interface VlanPriv {
  parent: NetDevice;
  proto: number;
  vid: number;
  flags: number;
  /** The MAC still follows the parent's (NET_ADDR_STOLEN). */
  macFollowsParent: boolean;
  /** ingress_priority_map: PCP (0-7) → skb priority. */
  ingressMap: number[];
  /**
   * The egress mappings, skb priority → PCP, kept like the kernel's 16-bucket hash (bucket =
   * priority & 0xF, newest first): entries set to PCP 0 stay but neither count nor print.
   */
  egressMap: { prio: number; pcp: number; seq: number }[];
  egressSeq: number;
}

/** A QoS mapping as netlink carries it (struct ifla_vlan_qos_mapping). */
export interface VlanQosMapping { from: number; to: number }

/** vlan_dev_set_ingress_priority: FROM is the PCP (masked to 3 bits), TO the skb priority. */
function setIngress(p: VlanPriv, m: VlanQosMapping): void {
  p.ingressMap[m.from & 7] = m.to >>> 0;
}

/** vlan_dev_set_egress_priority: update the entry for this skb priority, else add one at its bucket's head. */
function setEgress(p: VlanPriv, m: VlanQosMapping): void {
  const pcp = m.to & 7;
  const e = p.egressMap.find((x) => x.prio === m.from);
  if (e) e.pcp = pcp;
  else p.egressMap.push({ prio: m.from >>> 0, pcp, seq: p.egressSeq++ });
}

function applyQos(p: VlanPriv, data: KindData): void {
  for (const m of (data['ingressQos'] as VlanQosMapping[] | undefined) ?? []) setIngress(p, m);
  for (const m of (data['egressQos'] as VlanQosMapping[] | undefined) ?? []) setEgress(p, m);
}

/** vlan_fill_info's IFLA_VLAN_INGRESS_QOS: only present when a PCP maps to a nonzero priority. */
function ingressInfo(p: VlanPriv): VlanQosMapping[] {
  const out: VlanQosMapping[] = [];
  p.ingressMap.forEach((to, from) => { if (to) out.push({ from, to }); });
  return out;
}

/** IFLA_VLAN_EGRESS_QOS: hash-bucket order, newest first within a bucket, PCP-0 entries skipped. */
function egressInfo(p: VlanPriv): VlanQosMapping[] {
  return p.egressMap.filter((e) => e.pcp !== 0)
    .sort((a, b) => (a.prio & 0xf) - (b.prio & 0xf) || b.seq - a.seq)
    .map((e) => ({ from: e.prio, to: e.pcp }));
}

function egressPcp(p: VlanPriv, prio: number): number {
  return p.egressMap.find((e) => e.prio === prio)?.pcp ?? 0;
}

export function vlanPriv(dev: NetDevice): VlanPriv { return dev.priv as VlanPriv; }

/** Per-parent VLAN group: (proto, vid) → device (vlan_group). */
function groupOf(lab: Lab): Map<NetDevice, Map<number, NetDevice>> {
  return lab.vlanGroups;
}
function key(proto: number, vid: number): number { return proto * 4096 + vid; }

function vlanXmit(dev: NetDevice, skb: SkBuff): void {
  const p = vlanPriv(dev);
  const d = skb.data;
  const prio = egressPcp(p, skb.priority);
  const tci = (prio << 13) | p.vid;
  if (p.flags & VLAN_FLAG_REORDER_HDR) {
    // __vlan_hwaccel_put_tag: the tag rides in metadata; dev_queue_xmit on the parent writes it
    // into the frame unless the parent offloads tagging (veth, bridge, bond), which counts it untagged.
    skb.vlanPresent = true;
    skb.vlanProto = p.proto;
    skb.vlanTci = tci;
  } else {
    const out = new Uint8Array(d.length + 4);
    out.set(d.subarray(0, 12), 0);
    out[12] = p.proto >> 8; out[13] = p.proto & 0xff;
    out[14] = tci >> 8; out[15] = tci & 0xff;
    out.set(d.subarray(12), 16);
    skb.data = out;
  }
  dev.stats.txPackets++; dev.stats.txBytes += d.length;
  if (dev.netns.lab.tracer) dev.netns.lab.trace(skb, dev, 'tx', 'vlan_dev_hard_start_xmit', 'forwarded', undefined, `tagged VID ${p.vid} on ${p.parent.name}`);
  skb.dev = p.parent;
  devQueueXmit(skb);
}

const vlanOps: DeviceOps = {
  kind: 'vlan',
  noQueue: true,
  open(dev) {
    const p = vlanPriv(dev);
    if (!(p.flags & VLAN_FLAG_LOOSE_BINDING) && !p.parent.isUp) return err(Errno.ENETDOWN);
    if (dev.macNum !== p.parent.macNum) devUcAdd(p.parent, dev.macNum);
    stackedTransferOperstate(p.parent, dev);
    return OK;
  },
  stop(dev) {
    const p = vlanPriv(dev);
    if (dev.macNum !== p.parent.macNum) devUcDel(p.parent, dev.macNum);
  },
  xmit: vlanXmit,
  changeMtu(dev, mtu) { return mtu > vlanPriv(dev).parent.mtu ? err(Errno.ERANGE) : OK; },
  setMac(dev, mac) {
    const p = vlanPriv(dev);
    const n = macToNum(mac, 0);
    if (dev.isUp) {
      if (dev.macNum !== p.parent.macNum) devUcDel(p.parent, dev.macNum);
      if (n !== p.parent.macNum) devUcAdd(p.parent, n);
    }
    dev.setMacBytes(mac);
    dev.addrAssign = 'set';
    p.macFollowsParent = false;
    return OK;
  },
  linkDev(dev) { return vlanPriv(dev).parent; },
  uninit(dev) {
    const p = vlanPriv(dev);
    const g = groupOf(dev.netns.lab).get(p.parent);
    g?.delete(key(p.proto, p.vid));
    if (g && g.size === 0) groupOf(dev.netns.lab).delete(p.parent);
    p.parent.uppers.delete(dev);
  },
};

function parseFlags(data: KindData, base: number): number {
  let f = base;
  const set = (bit: number, v: unknown) => { if (v === true) f |= bit; else if (v === false) f &= ~bit; };
  set(VLAN_FLAG_REORDER_HDR, data['reorderHdr']);
  set(VLAN_FLAG_GVRP, data['gvrp']);
  set(VLAN_FLAG_MVRP, data['mvrp']);
  set(VLAN_FLAG_LOOSE_BINDING, data['looseBinding']);
  set(VLAN_FLAG_BRIDGE_BINDING, data['bridgeBinding']);
  // IFLA_VLAN_FLAGS {flags, mask}: only the bits in the mask change (vlan_dev_change_flags)
  if (typeof data['flags'] === 'number') {
    const mask = typeof data['flagsMask'] === 'number' ? data['flagsMask'] as number : 0xffffffff;
    f = (f & ~mask) | ((data['flags'] as number) & mask);
  }
  return f;
}

export const vlanKind: LinkKind = {
  kind: 'vlan',
  setupMtu: { min: 0, max: 65535 },
  newLink(ctx) {
    // `type vlan` makes the kernel load 8021q (request_module "rtnl-link-vlan") before anything is checked
    loadModule(ctx.lab, '8021q');
    const data = ctx.attrs.data;
    if (!data) return err(Errno.EINVAL, '8021q: VLAN properties not specified');
    if (data['id'] === undefined) return err(Errno.EINVAL, '8021q: VLAN id not specified');
    const parent = ctx.lower;
    if (!parent) return err(Errno.EINVAL, '8021q: link not specified');
    const vid = data['id'] as number;
    const proto = (data['protocol'] as number | undefined) ?? ETH_P_8021Q;
    if (vid >= 4095) return err(Errno.ERANGE, '8021q: Invalid VLAN id');
    if (proto !== ETH_P_8021Q && proto !== ETH_P_8021AD) return err(Errno.EPROTONOSUPPORT, '8021q: Invalid VLAN protocol');
    if (parent.type !== ARPHRD_ETHER || (parent.flags & IFF_LOOPBACK)) return err(Errno.EOPNOTSUPP, '8021q: VLANs not supported on device');
    const groups = groupOf(ctx.lab);
    if (groups.get(parent)?.has(key(proto, vid))) return err(Errno.EEXIST, '8021q: VLAN device already exists');
    if (ctx.attrs.mtu !== undefined && ctx.attrs.mtu > parent.mtu) return err(Errno.EINVAL);
    const dev = new NetDevice(ctx.attrs.ifname ?? ctx.ns.allocName('vlan%d'), vlanOps, IFF_BROADCAST | IFF_MULTICAST);
    dev.mtu = parent.mtu;
    dev.minMtu = 0; dev.maxMtu = 65535;
    dev.setMacBytes(parent.mac);
    dev.addrAssign = 'stolen';
    const p: VlanPriv = { parent, proto, vid, flags: parseFlags(data, VLAN_FLAG_REORDER_HDR), macFollowsParent: true,
      ingressMap: [0, 0, 0, 0, 0, 0, 0, 0], egressMap: [], egressSeq: 0 };
    applyQos(p, data);
    dev.priv = p;
    const r = applyCreateAttrs(dev, ctx.attrs);
    if (!r.ok) return r;
    if (ctx.attrs.address) p.macFollowsParent = false;
    const reg = registerNew(ctx.ns, dev, ctx.attrs);
    if (!reg.ok) return reg;
    let g = groups.get(parent);
    if (!g) { g = new Map(); groups.set(parent, g); }
    g.set(key(proto, vid), dev);
    parent.uppers.add(dev);
    stackedTransferOperstate(parent, dev);
    linkwatchRun(dev);
    return ok(dev);
  },
  changeLink(dev, data) {
    const p = vlanPriv(dev);
    // vlan_changelink ignores IFLA_VLAN_ID and IFLA_VLAN_PROTOCOL: `type vlan id 11` on eth0.10 exits 0, changes nothing (6.1)
    p.flags = parseFlags(data, p.flags);
    applyQos(p, data);
    return OK;
  },
  delLink(dev) { unregisterNetdevice(dev); },
  fillInfo(dev) {
    const p = vlanPriv(dev);
    const info: KindData = { protocol: p.proto, id: p.vid };
    // IFLA_VLAN_FLAGS only when a flag is set (`reorder_hdr off` alone: no `<…>` at all, seen on 6.1)
    if (p.flags) info['flags'] = p.flags;
    const ing = ingressInfo(p), egr = egressInfo(p);
    if (ing.length) info['ingressQos'] = ing;
    if (egr.length) info['egressQos'] = egr;
    return info;
  },
};

/** vlan_do_receive: the frame becomes the VLAN device's; its own MAC makes it HOST. */
function vlanReceive(skb: SkBuff, vdev: NetDevice): void {
  const p = vlanPriv(vdev);
  skb.dev = vdev;
  if (skb.pktType === PacketType.OTHERHOST && macToNum(skb.data, 0) === vdev.macNum) skb.pktType = PacketType.HOST;
  skb.priority = p.ingressMap[(skb.vlanTci >> 13) & 7]!;
  skb.vlanPresent = false;
  skb.vlanTci = 0;
  skb.vlanProto = 0;
  // vlan_do_receive counts after eth_type_trans pulled the Ethernet header: rx_bytes is the L3 length
  // (seen on 6.1: an ARP request + an echo request are 28 + 84 = 112 bytes); multicast, not broadcast
  vdev.stats.rxPackets++; vdev.stats.rxBytes += Math.max(0, skb.len - 14);
  if (skb.pktType === PacketType.MULTICAST) vdev.stats.rxMulticast++;
}

function deviceEvent(event: string, dev: NetDevice, info: unknown): void {
  const lab = dev.netns.lab;
  const g = lab.vlanGroups.get(dev);
  if (!g) return;
  const vlans = [...g.values()];
  switch (event) {
    case 'UP':
      for (const v of vlans) {
        if (!(vlanPriv(v).flags & VLAN_FLAG_LOOSE_BINDING) && !v.isUp) devOpen(v);
        stackedTransferOperstate(dev, v);
      }
      break;
    case 'DOWN':
      for (const v of vlans) {
        if (!(vlanPriv(v).flags & VLAN_FLAG_LOOSE_BINDING)) devClose(v);
        stackedTransferOperstate(dev, v);
      }
      break;
    case 'CHANGE':
      for (const v of vlans) stackedTransferOperstate(dev, v);
      break;
    case 'CHANGEMTU':
      for (const v of vlans) if (v.mtu > dev.mtu) v.mtu = dev.mtu;
      break;
    case 'CHANGEADDR':
      for (const v of vlans) {
        const p = vlanPriv(v);
        if (p.macFollowsParent) v.setMacBytes(dev.mac);
      }
      break;
    case 'UNREGISTER':
      if ((info as { moving?: boolean } | undefined)?.moving) break;
      for (const v of vlans) unregisterNetdevice(v);
      break;
    default:
      break;
  }
}

export function installVlan(lab: Lab): void {
  registerKind(lab, vlanKind);
  lab.notifiers.push(deviceEvent);
  lab.vlanLookup = (dev, proto, vid) => lab.vlanGroups.get(dev)?.get(key(proto, vid)) ?? null;
  lab.vlanReceive = vlanReceive;
}

// ---------------------------------------------------------------------------------------------
// /proc/net/vlan (vlanproc.c): present in every namespace while 8021q is loaded. `config` lists the
// namespace's VLAN devices in ifindex order; a file per device shows its counters and QoS maps.

/** The entries of /proc/net/vlan, or null when 8021q is not loaded. */
export function vlanProcNames(lab: Lab, devices: Iterable<NetDevice>): string[] | null {
  if (!lab.modules.has('8021q')) return null;
  return ['config', ...vlanDevices(devices).map((d) => d.name)];
}

function vlanDevices(devices: Iterable<NetDevice>): NetDevice[] {
  return [...devices].filter((d) => d.kind === 'vlan').sort((a, b) => a.ifindex - b.ifindex);
}

/** vlan_seq_show. The name type is the kernel's (ioctl SET_VLAN_NAME_TYPE_CMD, which nothing here sends). */
export function vlanProcConfig(devices: Iterable<NetDevice>): string {
  let o = 'VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n';
  for (const d of vlanDevices(devices)) {
    const p = vlanPriv(d);
    o += `${d.name.padEnd(15)}| ${p.vid}  | ${p.parent.name}\n`;
  }
  return o;
}

/** dev->priv_flags as 6.1 has them for a VLAN device (IFF_802_1Q_VLAN|XMIT_DST_RELEASE|UNICAST_FLT|NO_QUEUE + port roles). */
function vlanPrivFlags(dev: NetDevice): number {
  let f = 0x81021;
  const m = dev.master?.kind;
  if (m === 'bridge') f |= 0x200; // IFF_BRIDGE_PORT
  else if (m === 'bond') f |= 0x4; // IFF_BONDING
  else if (m === 'team') f |= 0x2000; // IFF_TEAM_PORT
  return f;
}

/** vlandev_seq_show: `%30s %12llu` counters, the 8 ingress mappings, every egress entry (PCP-0 ones too). */
export function vlanProcDevice(dev: NetDevice): string | null {
  if (dev.kind !== 'vlan') return null;
  const p = vlanPriv(dev);
  const st = dev.stats;
  const row = (label: string, n: number) => `${label.padStart(30)} ${String(n).padStart(12)}\n`;
  let o = `${dev.name}  VID: ${p.vid}\t REORDER_HDR: ${p.flags & VLAN_FLAG_REORDER_HDR ? 1 : 0}  dev->priv_flags: ${vlanPrivFlags(dev).toString(16)}\n`;
  o += row('total frames received', st.rxPackets) + row('total bytes received', st.rxBytes) + row('Broadcast/Multicast Rcvd', st.rxMulticast);
  o += '\n' + row('total frames transmitted', st.txPackets) + row('total bytes transmitted', st.txBytes);
  o += `Device: ${p.parent.name}`;
  const m = p.ingressMap;
  o += `\nINGRESS priority mappings: 0:${m[0]}  1:${m[1]}  2:${m[2]}  3:${m[3]}  4:${m[4]}  5:${m[5]}  6:${m[6]} 7:${m[7]}\n`;
  o += ' EGRESS priority mappings: ';
  const buckets = [...p.egressMap].sort((a, b) => (a.prio & 0xf) - (b.prio & 0xf) || b.seq - a.seq);
  for (const e of buckets) o += `${e.prio}:${e.pcp} `;
  return o + '\n';
}
