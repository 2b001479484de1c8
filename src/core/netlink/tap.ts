/**
 * netlink_deliver_tap (net/netlink/af_netlink.c): every netlink message delivered in a namespace
 * is also handed to the namespace's netlink taps, which nlmon devices register while up. A tap
 * transmits it on the nlmon device (dev_queue_xmit), so packet sockets there see it as outgoing.
 */
import type { NetNamespace } from '../netns.ts';
import type { NetDevice } from '../netdev.ts';

/** Set by the nlmon driver: how one of its devices takes a message. */
export type NetlinkTapXmit = (dev: NetDevice, msg: Uint8Array) => void;

const NLMON = 'nlmon';

/** True when some nlmon device of the namespace is up, i.e. messages are worth encoding. */
export function netlinkTapped(ns: NetNamespace): boolean {
  for (const d of ns.devices.values()) if (d.ops.kind === NLMON && d.isUp) return true;
  return false;
}

/** Hands one netlink message (nlmsghdr first) to every nlmon device of the namespace that is up. */
export function netlinkDeliverTap(ns: NetNamespace, msg: Uint8Array): void {
  for (const d of ns.devices.values()) {
    if (d.ops.kind !== NLMON || !d.isUp) continue;
    (d.priv as { xmitTap: NetlinkTapXmit }).xmitTap(d, msg);
  }
}
