/**
 * Sending an IPv4 packet that arrived without a usable link-layer header "as if the stack had
 * made it" in a given namespace: what ipvlan's l3/l3s transmit does in ipvlan_process_v4_outbound
 * (drivers/net/ipvlan/ipvlan_core.c): ip_route_output_flow with flowi4_oif = the master and
 * FLOWI_FLAG_ANYSRC, only RTN_UNICAST or RTN_LOCAL accepted, then ip_local_out — so the neighbour
 * resolution, the source MAC and the output device are the master's.
 */
import type { NetDevice } from '../netdev.ts';
import { newSkb } from '../dev.ts';
import { ETH_P_IP, allocFrame, rd32, wr16 } from './bytes.ts';
import { RT_SCOPE_LINK, RT_TABLE_MAIN, type Route } from './fib.ts';
import { ipFinishOutput, routeOutput } from './ip.ts';

/**
 * Routes `pkt` (an IPv4 packet, header first) in `oif`'s namespace with oif as the output device
 * and sends it. False when there is no usable route (the caller counts tx_errors and drops).
 */
export function ipOutputOif(oif: NetDevice, pkt: Uint8Array, packetId: number): boolean {
  const ns = oif.netns;
  if (pkt.length < 20) return false;
  const dst = rd32(pkt, 16);
  // ip_route_output_key_hash_rcu: an output device that is down gives ENETUNREACH; broadcast and
  // multicast destinations make RTN_BROADCAST/RTN_MULTICAST routes, which ipvlan refuses.
  if (!oif.isUp || dst === 0xffffffff || (dst >>> 28) === 0xe) return false;
  let rt = routeOutput(ns, dst, oif);
  if (!rt) {
    // No route, but the output device was given: "assume that the destination is on link".
    rt = { table: RT_TABLE_MAIN, type: 'unicast', dst, plen: 32, tos: 0, dev: oif, gateway: 0, onlink: false,
      protocol: 0, scope: RT_SCOPE_LINK, prefsrc: 0, metric: 0, fromIfaddr: false } satisfies Route;
  }
  if (rt.type !== 'unicast' && rt.type !== 'local') return false;
  const out = rt.type === 'local' ? ns.devices.get('lo') : rt.dev;
  if (!out) return false;
  const f = allocFrame(14 + pkt.length);
  f.set(out.mac, 6);
  wr16(f, 12, ETH_P_IP);
  f.set(pkt, 14);
  const skb = newSkb(ns.lab, f, out);
  skb.packetId = packetId;
  ipFinishOutput(skb, rt, dst);
  return true;
}
