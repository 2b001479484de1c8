/**
 * drivers/net/nlmon.c: a netlink monitor device. While up it is a netlink tap: every netlink
 * message of its namespace is transmitted on it (core/netlink/tap.ts), so `tcpdump -i nlmon0`
 * captures them (link-type NETLINK). It counts them as received (nlmon_get_stats64).
 *
 * Seen on Debian's 6.1 kernel: ARPHRD_NETLINK (`link/netlink`, no address: a given one is
 * ignored), `<NOARP>`, mtu 3776 (NLMSG_GOODSIZE) with min 16 and no max, one queue,
 * tso_max_size 65536, no qdisc (noqueue), UNKNOWN when up (carrier never changes).
 */
import { ok } from '../errno.ts';
import { ARPHRD_NETLINK, IFF_NOARP, NetDevice, type DeviceOps } from '../netdev.ts';
import { devQueueXmit, newSkb, unregisterNetdevice } from '../dev.ts';
import { applyCreateAttrs, registerNew, type LinkKind } from '../rtnl.ts';
import type { Lab } from '../lab.ts';
import { loadModule } from '../modules.ts';
import type { NetlinkTapXmit } from '../netlink/tap.ts';

const NLMSG_GOODSIZE = 3776, NLMSG_HDRLEN = 16;

/** __netlink_deliver_tap_skb: a copy of the message goes out through the nlmon device. */
const xmitTap: NetlinkTapXmit = (dev, msg) => {
  const skb = newSkb(dev.netns.lab, new Uint8Array(msg), dev);
  devQueueXmit(skb);
};

const nlmonOps: DeviceOps = {
  kind: 'nlmon',
  noQueue: true,
  xmit(dev, skb) {
    // nlmon_xmit: counted (as received, in nlmon_get_stats64) and freed.
    dev.stats.rxPackets++; dev.stats.rxBytes += skb.len;
    dev.netns.lab.counters.delivered++;
  },
  // ndo_change_mtu is absent: only the generic bounds apply (min 16, no max).
};

export const nlmonKind: LinkKind = {
  kind: 'nlmon',
  setupMtu: { min: NLMSG_HDRLEN, max: 0 },
  newLink(ctx) {
    const dev = new NetDevice(ctx.attrs.ifname ?? ctx.ns.allocName('nlmon%d'), nlmonOps, IFF_NOARP);
    dev.type = ARPHRD_NETLINK;
    dev.priv = { xmitTap };
    dev.mtu = NLMSG_GOODSIZE; dev.minMtu = NLMSG_HDRLEN; dev.maxMtu = 0x7fffffff;
    dev.tsoMaxSize = 65536;
    dev.carrier = true;
    // addr_len is 0: an address in the request is accepted and dropped.
    const { address: _ignored, ...attrs } = ctx.attrs;
    void _ignored;
    const r = applyCreateAttrs(dev, attrs);
    if (!r.ok) return r;
    dev.maxMtu = 0; // "no maximum", as `ip -d link` shows it (dev_validate_mtu skips a 0 bound)
    const reg = registerNew(ctx.ns, dev, ctx.attrs);
    if (!reg.ok) return reg;
    loadModule(ctx.lab, 'nlmon'); // rtnl-link-nlmon: the kernel autoloads the driver
    return ok(dev);
  },
  delLink(dev) { unregisterNetdevice(dev); },
};

export function installNlmon(lab: Lab): void {
  lab.linkKinds.set(nlmonKind.kind, nlmonKind);
}
