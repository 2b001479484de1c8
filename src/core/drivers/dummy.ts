/**
 * drivers/net/dummy.c: a device that drops everything it sends (counting it), always has carrier
 * (so it stays UNKNOWN when up), has NOARP set and a random MAC; `tso_max_size 65536` (checked on
 * Debian 6.1 under qemu).
 */
import { ok } from '../errno.ts';
import { IFF_BROADCAST, IFF_NOARP, NetDevice, type DeviceOps } from '../netdev.ts';
import { drop, unregisterNetdevice } from '../dev.ts';
import { loadModule } from '../modules.ts';
import { applyCreateAttrs, registerNew, type LinkKind } from '../rtnl.ts';

const dummyOps: DeviceOps = {
  kind: 'dummy',
  noQueue: true,
  xmit(dev, skb) {
    dev.stats.txPackets++; dev.stats.txBytes += skb.len;
    drop(dev.netns.lab, skb, 'tx', 'DEV_DOWN', 'dummy_xmit', 'a dummy device discards what it sends');
  },
  setMac(dev, mac) { dev.setMacBytes(mac); dev.addrAssign = 'set'; return { ok: true, value: undefined }; },
};

export const dummyKind: LinkKind = {
  kind: 'dummy',
  setupMtu: { min: 0, max: 0 },
  newLink(ctx) {
    loadModule(ctx.lab, 'dummy');
    const dev = new NetDevice(ctx.attrs.ifname ?? ctx.ns.allocName('dummy%d'), dummyOps, IFF_BROADCAST | IFF_NOARP);
    dev.setMacBytes(ctx.lab.rng.randomMac());
    dev.minMtu = 0; dev.maxMtu = 0;
    dev.carrier = true;
    // dummy never raises its TSO limit: alloc_netdev's TSO_LEGACY_MAX_SIZE stays (6.1 and 6.18 alike;
    // veth, loopback and bridge ports raise it to GSO_MAX_SIZE, 524280)
    dev.tsoMaxSize = 65536;
    const r = applyCreateAttrs(dev, ctx.attrs);
    if (!r.ok) return r;
    const reg = registerNew(ctx.ns, dev, ctx.attrs);
    if (!reg.ok) return reg;
    return ok(dev);
  },
  delLink(dev) { unregisterNetdevice(dev); },
};
