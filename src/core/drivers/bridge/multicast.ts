/**
 * net/bridge/br_multicast.c, the part a bridge does on its own: with snooping on (the default),
 * an open bridge joins the multicast-router-discovery groups 224.0.0.106 and ff02::6a on its own
 * device (br_multicast_join_snoopers), which makes it send IGMPv3/MLDv2 reports out of its ports
 * like any host joining a group. Leaving happens on close (silently: the device is going down)
 * or when snooping is turned off on an open bridge (to_in reports). mcast_querier is 0 by
 * default, so no queries are sent.
 */
import { mcJoin, mcLeave } from '../../ipv4/igmp.ts';
import { mc6Join, mc6Leave } from '../../ipv6/mcast.ts';
import type { NetBridge } from './types.ts';

const SNOOPERS_V4 = 0xe000006a; // 224.0.0.106
const SNOOPERS_V6 = new Uint8Array([0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x6a]);
const MAC_V4 = 0x01005e00006a, MAC_V6 = 0x33330000006a;

/** br_multicast_join_snoopers; br.snooperMacs records what was joined. */
export function joinSnoopers(br: NetBridge): void {
  if (br.snooperMacs.length) return;
  const dev = br.dev;
  mcJoin(dev.netns, dev, SNOOPERS_V4);
  br.snooperMacs.push(MAC_V4);
  // ipv6_dev_mc_inc fails on a device whose IPv6 is disabled; the MAC filter entry is kept as
  // vnet always had it (ip maddr shows 33:33:00:00:00:6a on such bridges too).
  mc6Join(dev, SNOOPERS_V6);
  br.snooperMacs.push(MAC_V6);
}

/** br_multicast_leave_snoopers; `closing`: from ndo_stop, where no report leaves any more. */
export function leaveSnoopers(br: NetBridge, closing: boolean): void {
  if (!br.snooperMacs.length) return;
  const dev = br.dev;
  mcLeave(dev.netns, dev, SNOOPERS_V4, closing);
  mc6Leave(dev, SNOOPERS_V6, closing);
  br.snooperMacs = [];
}
