/**
 * drivers/net/veth.c: a pair of devices, each the other's peer. The peer is registered first (so
 * it gets the lower ifindex); carrier is on for both only while both are UP; transmit hands the
 * frame to the peer's receive path (veth_forward_skb → __dev_forward_skb); deleting one end
 * deletes both.
 */
import { Errno, err, ok, OK, type NlResult } from '../errno.ts';
import { IFF_BROADCAST, IFF_MULTICAST, NetDevice, type DeviceOps } from '../netdev.ts';
import { devForwardSkb, drop, setCarrier, unregisterNetdevice } from '../dev.ts';
import {
  applyCreateAttrs, applyFlags, registerNew, type LinkAttrs, type LinkKind, type NewLinkCtx,
} from '../rtnl.ts';

export interface VethPriv { peer: NetDevice | null }

function peerOf(dev: NetDevice): NetDevice | null { return (dev.priv as VethPriv).peer; }

export const vethOps: DeviceOps = {
  kind: 'veth',
  noQueue: true,
  // VETH_FEATURES include NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX
  vlanTxOffload: true,
  open(dev) {
    const peer = peerOf(dev);
    if (!peer) return OK;
    // veth_open: carrier comes only when the peer is already up.
    if (peer.isUp) { setCarrier(dev, true); setCarrier(peer, true); }
    return OK;
  },
  stop(dev) {
    const peer = peerOf(dev);
    setCarrier(dev, false);
    if (peer) setCarrier(peer, false);
  },
  xmit(dev, skb) {
    const peer = peerOf(dev);
    const lab = dev.netns.lab;
    if (!peer) { dev.stats.txDropped++; drop(lab, skb, 'tx', 'NO_CARRIER', 'veth_xmit', 'no peer'); return; }
    const len = skb.len;
    if (devForwardSkb(peer, skb)) {
      dev.stats.txPackets++; dev.stats.txBytes += len;
      peer.stats.rxPackets++; peer.stats.rxBytes += len;
      if (lab.tracer) lab.trace(skb, dev, 'tx', 'veth_xmit', 'forwarded', undefined, `to peer ${peer.name}`);
    } else {
      dev.stats.txDropped++;
    }
  },
  changeMtu(_dev, _mtu) { return OK; },
  setMac(dev, mac) { dev.setMacBytes(mac); dev.addrAssign = 'set'; return OK; },
  linkDev(dev) { return peerOf(dev); },
  uninit(dev) {
    const peer = peerOf(dev);
    (dev.priv as VethPriv).peer = null;
    if (peer) {
      (peer.priv as VethPriv).peer = null;
      unregisterNetdevice(peer);
    }
  },
};

function allocVeth(ctx: NewLinkCtx, name: string, attrs: LinkAttrs): NlResult<NetDevice> {
  const dev = new NetDevice(name, vethOps, IFF_BROADCAST | IFF_MULTICAST);
  dev.priv = { peer: null } satisfies VethPriv;
  dev.setMacBytes(ctx.lab.rng.randomMac());
  dev.numTxQueues = 2; dev.numRxQueues = 2;
  const r = applyCreateAttrs(dev, attrs);
  if (!r.ok) return r;
  return ok(dev);
}

export const vethKind: LinkKind = {
  kind: 'veth',
  newLink(ctx) {
    const a = ctx.attrs;
    const peerAttrs: LinkAttrs = (a.data?.['peer'] as LinkAttrs | undefined) ?? {};
    const peerNs = peerAttrs.netns ?? ctx.ns;
    // Names: the peer is named (and registered) first, both from veth%d when not given.
    if (peerAttrs.ifname !== undefined && peerNs.devices.has(peerAttrs.ifname)) return err(Errno.EEXIST);
    if (peerAttrs.address) {
      const m = peerAttrs.address;
      if ((m[0]! & 1) || m.every((b) => b === 0)) return err(Errno.EADDRNOTAVAIL);
    }
    const peerName = peerAttrs.ifname ?? peerNs.allocName('veth%d');
    const p = allocVeth(ctx, peerName, peerAttrs);
    if (!p.ok) return p;
    const peer = p.value;
    const r1 = registerNew(peerNs, peer, peerAttrs);
    if (!r1.ok) return r1;
    const name = a.ifname ?? ctx.ns.allocName('veth%d');
    const d = allocVeth(ctx, name, a);
    if (!d.ok) { unregisterNetdevice(peer); return d; }
    const dev = d.value;
    const r2 = registerNew(ctx.ns, dev, a);
    if (!r2.ok) { unregisterNetdevice(peer); return r2; }
    (dev.priv as VethPriv).peer = peer;
    (peer.priv as VethPriv).peer = dev;
    // Both ends start without carrier (netif_carrier_off in veth_newlink).
    dev.carrier = true; peer.carrier = true;
    setCarrier(peer, false);
    setCarrier(dev, false);
    // The peer's own flags (peer ... up) are applied like a second configure_link.
    if (peerAttrs.flagsMask) {
      const r = applyFlags(peer, peerAttrs.flagsMask, peerAttrs.flags ?? 0);
      if (!r.ok) { unregisterNetdevice(dev); return r; }
    }
    return ok(dev);
  },
  delLink(dev) { unregisterNetdevice(dev); },
};
