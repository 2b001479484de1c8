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
  ingressQos: [number, number][];
  egressQos: [number, number][];
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
  const out = new Uint8Array(d.length + 4);
  out.set(d.subarray(0, 12), 0);
  out[12] = p.proto >> 8; out[13] = p.proto & 0xff;
  const prio = p.egressQos.find(([from]) => from === skb.priority)?.[1] ?? 0;
  const tci = (prio << 13) | p.vid;
  out[14] = tci >> 8; out[15] = tci & 0xff;
  out.set(d.subarray(12), 16);
  skb.data = out;
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
  if (typeof data['flags'] === 'number') f = data['flags'] as number;
  return f;
}

export const vlanKind: LinkKind = {
  kind: 'vlan',
  setupMtu: { min: 0, max: 65535 },
  newLink(ctx) {
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
      ingressQos: (data['ingressQos'] as [number, number][] | undefined) ?? [],
      egressQos: (data['egressQos'] as [number, number][] | undefined) ?? [] };
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
    if (data['id'] !== undefined && data['id'] !== p.vid) return err(Errno.EOPNOTSUPP);
    p.flags = parseFlags(data, p.flags);
    if (data['ingressQos']) p.ingressQos = data['ingressQos'] as [number, number][];
    if (data['egressQos']) p.egressQos = data['egressQos'] as [number, number][];
    return OK;
  },
  delLink(dev) { unregisterNetdevice(dev); },
  fillInfo(dev) {
    const p = vlanPriv(dev);
    return { protocol: p.proto, id: p.vid, flags: p.flags, ingressQos: p.ingressQos, egressQos: p.egressQos };
  },
};

/** vlan_do_receive: the frame becomes the VLAN device's; its own MAC makes it HOST. */
function vlanReceive(skb: SkBuff, vdev: NetDevice): void {
  const p = vlanPriv(vdev);
  skb.dev = vdev;
  if (skb.pktType === PacketType.OTHERHOST && macToNum(skb.data, 0) === vdev.macNum) skb.pktType = PacketType.HOST;
  skb.priority = p.ingressQos.find(([from]) => from === (skb.vlanTci >> 13))?.[1] ?? 0;
  skb.vlanPresent = false;
  skb.vlanTci = 0;
  skb.vlanProto = 0;
  vdev.stats.rxPackets++; vdev.stats.rxBytes += skb.len;
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
