/**
 * drivers/net/loopback.c: lo is made with every namespace (ifindex 1), never changes carrier
 * (so it shows UNKNOWN when up), cannot move, and sends every frame back into its own receive path.
 */
import type { NetNamespace } from '../netns.ts';
import { ARPHRD_LOOPBACK, IFF_LOOPBACK, NetDevice, type DeviceOps } from '../netdev.ts';
import { registerNetdevice, ethTypeTrans, netifRx } from '../dev.ts';
import { PacketType } from '../skb.ts';

export const loopbackOps: DeviceOps = {
  kind: '',
  netnsImmutable: true,
  noQueue: true,
  xmit(dev, skb) {
    // loopback_xmit counts after eth_type_trans pulled the 14-byte header.
    const len = skb.len - 14;
    dev.stats.txPackets++; dev.stats.txBytes += len;
    dev.stats.rxPackets++; dev.stats.rxBytes += len;
    ethTypeTrans(skb, dev);
    // Frames sent to ourselves are always for this host.
    if (skb.pktType === PacketType.OTHERHOST) skb.pktType = PacketType.HOST;
    netifRx(skb);
  },
};

export function createLoopback(ns: NetNamespace): NetDevice {
  const lo = new NetDevice('lo', loopbackOps, IFF_LOOPBACK);
  lo.type = ARPHRD_LOOPBACK;
  lo.mtu = 65536;
  lo.minMtu = 0;
  lo.maxMtu = 0;
  lo.carrier = true;
  lo.addrAssign = 'perm';
  lo.broadcast = lo.mac; // all-zero, like its MAC (shared: MACs are replaced, never written)
  registerNetdevice(ns, lo, 0);
  return lo;
}
