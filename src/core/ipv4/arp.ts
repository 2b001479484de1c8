/**
 * net/ipv4/arp.c: arp_rcv/arp_process (answer for any local address — weak host — with the
 * receiving device's MAC, learn the sender), arp_solicit (requests, with arp_announce choosing the
 * sender IP) and the neighbour hooks that send queued packets once an address is resolved.
 */
import type { Lab } from '../lab.ts';
import type { NetNamespace } from '../netns.ts';
import { IFF_LOOPBACK, IFF_NOARP, type NetDevice } from '../netdev.ts';
import { PacketType, type SkBuff } from '../skb.ts';
import { devQueueXmit, drop, newSkb } from '../dev.ts';
import { ETH_P_ARP, ETH_P_IP, rd16, rd32, wr16, wr32 } from './bytes.ts';
import { isLocalAddr, selectSrc, netOf } from './devinet.ts';
import { NUD_REACHABLE, NUD_STALE, sameMac, type Neighbour } from './neighbour.ts';
import { JIFFY_NS } from '../drivers/bridge/types.ts';
import { RT_SCOPE_LINK, RT_TABLE_LOCAL } from './fib.ts';
import { l3mdevFibTable } from '../l3mdev.ts';

export const ARPOP_REQUEST = 1, ARPOP_REPLY = 2;
const ZERO_MAC = new Uint8Array(6);
const BCAST_MAC = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
/** The kernel's tick (HZ=250): ARP's lock time is compared in whole jiffies (time_after). */
const jiffiesOf = (ns: number): number => Math.floor(ns / JIFFY_NS);

/** arp_create + arp_xmit */
export function arpSend(dev: NetDevice, op: number, dstIp: number, srcIp: number, dstHw: Uint8Array | null,
  targetHw: Uint8Array | null): void {
  const lab = dev.netns.lab;
  const f = new Uint8Array(42);
  f.set(dstHw ?? BCAST_MAC, 0);
  f.set(dev.mac, 6);
  wr16(f, 12, ETH_P_ARP);
  wr16(f, 14, 1); wr16(f, 16, ETH_P_IP); f[18] = 6; f[19] = 4; wr16(f, 20, op);
  f.set(dev.mac, 22); wr32(f, 28, srcIp);
  f.set(targetHw ?? ZERO_MAC, 32); wr32(f, 38, dstIp);
  devQueueXmit(newSkb(lab, f, dev));
}

function arpIgnore(ns: NetNamespace, dev: NetDevice, sip: number, tip: number): boolean {
  const mode = ns.sysctl.devMax(dev.name, 'arp_ignore');
  switch (mode) {
    case 0: return false;
    case 1: return !dev.inet.some((a) => a.local === tip);
    case 2: return !dev.inet.some((a) => a.local === tip && netOf(a.local, a.prefixlen) === netOf(sip, a.prefixlen));
    case 3: return !dev.inet.some((a) => a.local === tip && a.scope < RT_SCOPE_LINK) && false;
    case 8: return true;
    default: return false;
  }
}

/** arp_rcv + arp_process */
export function arpRcv(skb: SkBuff): void {
  const dev = skb.dev;
  const ns = dev.netns;
  const lab = ns.lab;
  const d = skb.data;
  if (dev.flags & IFF_NOARP) { drop(lab, skb, 'rx', 'ARP_NOARP', 'arp_rcv'); return; }
  if (skb.pktType === PacketType.OTHERHOST || skb.pktType === PacketType.LOOPBACK) {
    drop(lab, skb, 'rx', 'NOT_OUR_MAC', 'arp_rcv');
    return;
  }
  if (d.length < 42 || rd16(d, 16) !== ETH_P_IP || d[18] !== 6 || d[19] !== 4 ||
    (rd16(d, 14) !== 1 && rd16(d, 14) !== 6)) {
    drop(lab, skb, 'rx', 'ARP_MALFORMED', 'arp_rcv');
    return;
  }
  const op = rd16(d, 20);
  const sha = d.subarray(22, 28);
  const sip = rd32(d, 28);
  const tip = rd32(d, 38);
  if (op !== ARPOP_REQUEST && op !== ARPOP_REPLY) { drop(lab, skb, 'rx', 'ARP_MALFORMED', 'arp_process'); return; }
  if ((tip >>> 28) === 0xe || ((tip >>> 24) === 127 && !ns.sysctl.devOr(dev.name, 'route_localnet'))) {
    drop(lab, skb, 'rx', 'ARP_NOT_FOR_US', 'arp_process', 'target is multicast or loopback');
    return;
  }
  if (sha[0]! & 1) { drop(lab, skb, 'rx', 'ARP_MALFORMED', 'arp_process', 'sender MAC is multicast'); return; }
  if (sip === tip && ns.sysctl.devOr(dev.name, 'drop_gratuitous_arp')) {
    drop(lab, skb, 'rx', 'ARP_NOT_FOR_US', 'arp_process', 'gratuitous ARP dropped (drop_gratuitous_arp)');
    return;
  }
  if (op === ARPOP_REQUEST && sip === 0) {
    // Duplicate address detection probe: answer if the address is ours.
    if (isLocalAddr(ns, tip, l3mdevFibTable(dev) || RT_TABLE_LOCAL) && !arpIgnore(ns, dev, sip, tip)) arpSend(dev, ARPOP_REPLY, sip, tip, sha, sha);
    lab.counters.delivered++;
    return;
  }
  // ip_route_input_noref(tip, sip) must succeed for a request to be answered: a martian sender
  // (e.g. our own address, as in a gratuitous ARP for an address we share) gets no reply.
  if (op === ARPOP_REQUEST && !martianSource(dev, sip)) {
    // inet_addr_type_dev_table: a device in a VRF answers for the addresses of its VRF's table.
    if (isLocalAddr(ns, tip, l3mdevFibTable(dev) || RT_TABLE_LOCAL)) {
      // A request for us: cache the asker (neigh_event_ns: STALE, always overriding) and answer;
      // the table update below is not reached.
      if (arpIgnore(ns, dev, sip, tip)) { drop(lab, skb, 'rx', 'ARP_NOT_FOR_US', 'arp_process', 'arp_ignore'); return; }
      if (ns.arp.eventNs(dev, sip, sha)) {
        arpSend(dev, ARPOP_REPLY, sip, tip, sha, sha);
        if (lab.tracer) lab.trace(skb, dev, 'rx', 'arp_process', 'delivered', undefined, 'request for a local address: replied');
      }
      lab.counters.delivered++;
      return;
    }
  }
  // Update an existing entry (arp_accept=0: unsolicited ARP never creates one).
  const n = ns.arp.get(dev, sip);
  if (n) {
    const isGarp = arpIsGarp(dev, op, sip, tip, sha, d.subarray(32, 38));
    // Several different replies back to back (proxies): the first one wins for `locktime`.
    const lockNs = ns.sysctl.neighConf(dev.name, 'locktime', 100) * JIFFY_NS;
    const override = jiffiesOf(lab.clock.now) > jiffiesOf(n.updated + lockNs) || isGarp;
    // Broadcast replies and requests do not assert reachability.
    const state = op !== ARPOP_REPLY || skb.pktType !== PacketType.HOST ? NUD_STALE : NUD_REACHABLE;
    ns.arp.update(n, sha, state, { override });
    lab.counters.delivered++;
    return;
  }
  // Nothing learned from it (the kernel consumes it; the trace says why it had no effect).
  drop(lab, skb, 'rx', 'ARP_NOT_FOR_US', 'arp_process');
}

/** fib_validate_source's verdict on an ARP sender: only a unicast (or, with accept_local, local) source. */
function martianSource(dev: NetDevice, sip: number): boolean {
  if ((sip >>> 28) === 0xe || sip === 0xffffffff) return true;
  const ns = dev.netns;
  const table = l3mdevFibTable(dev);
  const r = table ? ns.fib.lookupTable(table, sip, null) : ns.fib.lookup(sip);
  if (!r || r.type === 'unicast') return false;
  return !(r.type === 'local' && ns.sysctl.devOr(dev.name, 'accept_local'));
}

/** arp_is_garp: sender = target (for a reply also tha = sha), and the sender a unicast address. */
function arpIsGarp(dev: NetDevice, op: number, sip: number, tip: number, sha: Uint8Array, tha: Uint8Array): boolean {
  if (sip !== tip) return false;
  if (op === ARPOP_REPLY && !sameMac(sha, tha)) return false;
  const ns = dev.netns;
  const table = l3mdevFibTable(dev);
  const r = table ? ns.fib.lookupTable(table, sip, null) : ns.fib.lookup(sip);
  return !r || r.type === 'unicast';
}

/** arp_solicit: the sender IP follows arp_announce; the request is broadcast unless probing. */
function solicit(n: Neighbour, unicastTo: Uint8Array | null): void {
  const dev = n.dev;
  const ns = dev.netns;
  const announce = ns.sysctl.devMax(dev.name, 'arp_announce');
  let saddr = 0;
  const q = n.queue[0];
  if (q && announce < 2 && q.data.length >= 34) {
    const s = rd32(q.data, 26);
    if (isLocalAddr(ns, s, l3mdevFibTable(dev) || RT_TABLE_LOCAL) && (announce === 0 || dev.inet.some((a) => netOf(a.local, a.prefixlen) === netOf(n.ip, a.prefixlen)))) saddr = s;
  }
  if (!saddr) saddr = selectSrc(dev, n.ip, RT_SCOPE_LINK);
  arpSend(dev, ARPOP_REQUEST, n.ip, saddr, unicastTo, null);
}

function neighOutput(n: Neighbour, skb: SkBuff): void {
  const f = skb.data;
  if (n.lladdr) f.set(n.lladdr, 0);
  devQueueXmit(skb);
}

export function installArp(lab: Lab, errorReport: (n: Neighbour, skb: SkBuff) => void): void {
  lab.ptype.set(ETH_P_ARP, arpRcv);
  const hooks = { solicit, output: neighOutput, errorReport };
  // Every namespace's table uses the same hooks; new namespaces pick them up on first use.
  lab.arpHooks = hooks;
  for (const ns of lab.all) ns.arp.hooks = hooks;
  lab.notifiers.push((event, dev, info) => {
    if (event === 'REGISTER' && !dev.netns.arp.hooks) dev.netns.arp.hooks = hooks;
    void info;
  });
}

export { IFF_LOOPBACK };
