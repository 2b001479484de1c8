/**
 * IPv4 output, input and forwarding (net/ipv4/ip_output.c, ip_input.c, ip_forward.c, route.c)
 * and ICMP (net/ipv4/icmp.c) with raw ICMP sockets, which is what ping uses as root.
 */
import { Errno } from '../errno.ts';
import type { Lab } from '../lab.ts';
import type { NetNamespace } from '../netns.ts';
import { IFF_LOOPBACK, IFF_NOARP, type NetDevice } from '../netdev.ts';
import { PacketType, type SkBuff } from '../skb.ts';
import { devQueueXmit, drop, newSkb } from '../dev.ts';
import {
  ETH_P_IP, IPPROTO_ICMP, IPPROTO_UDP, allocFrame, buildIpFrame, inetChecksum, rd16, rd32, wr16,
} from './bytes.ts';
import { isLocalAddr, selectSrc } from './devinet.ts';
import { RT_TABLE_LOCAL, maskOf, type FlowKeys, type Route } from './fib.ts';
import { isL3Master, l3mdevFibTable, l3mdevMaster } from '../l3mdev.ts';
import { vrfOutputTap, vrfRcv } from '../drivers/vrf.ts';
import { installArp } from './arp.ts';
import type { Neighbour } from './neighbour.ts';
import { udpRcv } from './udp.ts'; // UDP demux to tunnel sockets (ipv4/udp.ts)
import { mcJoined } from './igmp.ts'; // groups joined by kernel sockets (vxlan `group`)
import { IPPROTO_GRE, greRcv } from '../drivers/gre.ts'; // GRE demux (drivers/gre.ts)

export const ICMP_ECHOREPLY = 0, ICMP_DEST_UNREACH = 3, ICMP_REDIRECT = 5, ICMP_ECHO = 8, ICMP_TIME_EXCEEDED = 11;
export const ICMP_NET_UNREACH = 0, ICMP_HOST_UNREACH = 1, ICMP_PORT_UNREACH = 3, ICMP_FRAG_NEEDED = 4;

/** A parsed IPv4 packet handed to raw sockets. */
export interface IpPacket {
  src: number;
  dst: number;
  ttl: number;
  proto: number;
  /** Full IP packet bytes (header first). */
  bytes: Uint8Array;
  hlen: number;
  dev: NetDevice;
}

/** A raw ICMP socket (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)). */
export interface RawIcmpSocket {
  deliver(pkt: IpPacket): void;
}

export interface SendOpts {
  src?: number;
  dst: number;
  proto: number;
  payload: Uint8Array;
  ttl?: number;
  tos?: number;
  df?: boolean;
  /** SO_BINDTODEVICE / ping -I DEV */
  oif?: NetDevice | null;
  /** Allow sending to a broadcast address (SO_BROADCAST). */
  broadcast?: boolean;
}

export type SendResult = { ok: true; src: number } | { ok: false; errno: number };

function stateOf(ns: NetNamespace): { rawSockets: Set<RawIcmpSocket>; ipId: number } { return ns.ipv4; }

/**
 * A sysctl's text as a number the way Sysctl.getInt reads it, remembering the last text parsed:
 * the data path reads the same few knobs for every packet and their text rarely changes. (A memo
 * of a pure function, not lab state: any lab may hit or miss it with the same result.)
 */
interface NumMemo { text: string | undefined; dflt: number; value: number }
const TTL_MEMO: NumMemo = { text: undefined, dflt: NaN, value: 0 };
const ECHO_IGNORE_MEMO: NumMemo = { text: undefined, dflt: NaN, value: 0 };
const ECHO_IGNORE_BC_MEMO: NumMemo = { text: undefined, dflt: NaN, value: 0 };

function sysctlNum(text: string | undefined, dflt: number, memo: NumMemo): number {
  if (text === memo.text && dflt === memo.dflt && text !== undefined) return memo.value;
  const n = text === undefined ? NaN : parseInt(text, 10);
  const value = Number.isFinite(n) ? n : dflt;
  memo.text = text; memo.dflt = dflt; memo.value = value;
  return value;
}

export function openRawIcmp(ns: NetNamespace, sock: RawIcmpSocket): () => void {
  const st = stateOf(ns);
  st.rawSockets.add(sock);
  return () => { st.rawSockets.delete(sock); };
}

/** ip_route_output_key: the route a locally generated packet takes. */
export function routeOutput(ns: NetNamespace, dst: number, oif: NetDevice | null, src = 0): Route | null {
  if (dst === 0xffffffff && oif) {
    return { table: RT_TABLE_LOCAL, type: 'broadcast', dst, plen: 32, tos: 0, dev: oif, gateway: 0, onlink: false,
      protocol: 2, scope: 253, prefsrc: 0, metric: 0, fromIfaddr: false };
  }
  if (oif !== null) {
    // l3mdev_update_flow: a VRF or one of its slaves as output device sends the lookup to the
    // VRF's table; the VRF itself then matches any next hop (flowi4_oif reset) and the
    // on-link fallback below does not apply.
    const l3 = l3mdevFibTable(oif);
    if (l3 !== 0) {
      const master = isL3Master(oif);
      const r = ns.fib.lookup(dst, master ? null : oif, { src, iif: null, l3Table: l3 });
      if (r || master) return r;
    }
  }
  // Policy rules may select on the source (a bound address); the default ones need no flow keys.
  const r = ns.fib.lookup(dst, oif, ns.fib.plainRules ? null : { src, iif: null, l3Table: 0 });
  if (r || !oif) return r;
  // "Apparently, routing tables are wrong. Assume, that the destination is on link." (route.c):
  // a socket bound to a device reaches any address there without a route.
  return { table: 254, type: 'unicast', dst, plen: 32, tos: 0, dev: oif, gateway: 0, onlink: true, protocol: 0,
    scope: 253, prefsrc: 0, metric: 0, fromIfaddr: false };
}

/** raw_sendmsg/ip_push_pending_frames → ip_output → ip_finish_output2 → neigh_output. */
export function ipSend(ns: NetNamespace, o: SendOpts): SendResult {
  const lab = ns.lab;
  const rt = routeOutput(ns, o.dst, o.oif ?? null, o.src ?? 0);
  if (!rt) return { ok: false, errno: Errno.ENETUNREACH };
  if (rt.type === 'unreachable') return { ok: false, errno: Errno.EHOSTUNREACH };
  if (rt.type === 'prohibit') return { ok: false, errno: Errno.EACCES };
  if (rt.type === 'blackhole') return { ok: false, errno: Errno.EINVAL };
  if (rt.type === 'broadcast' && !o.broadcast) return { ok: false, errno: Errno.EACCES };
  const isLocal = rt.type === 'local';
  // Local traffic loops through lo, or through the VRF device for a VRF's local routes.
  const outDev = isLocal ? (l3mdevMaster(rt.dev) ?? ns.devices.get('lo')!) : rt.dev!;
  let src = o.src ?? 0;
  if (!src) src = rt.prefsrc || (isLocal ? o.dst : selectSrc(rt.dev, o.dst));
  if (!src) src = selectSrc(outDev, o.dst);
  const st = stateOf(ns);
  st.ipId = (st.ipId + 1) & 0xffff;
  const ttl = o.ttl ?? sysctlNum(ns.sysctl.get('net.ipv4.ip_default_ttl'), 64, TTL_MEMO);
  const mtu = outDev.mtu;
  // IP_PMTUDISC_WANT: DF only on packets that fit; bigger ones are fragmented here (ip_fragment).
  const fits = 20 + o.payload.length <= mtu;
  const df = !!o.df && fits;
  // A VRF's own traffic (not to its local addresses) passes the VRF device's taps on the way out.
  const vrf = isLocal ? null : l3mdevMaster(rt.dev);
  if (fits) {
    const frame = buildIpFrame(src, o.dst, o.proto, ttl, o.tos ?? 0, df ? 0 : st.ipId, df, o.payload, outDev.mac);
    if (vrf !== null && vrf !== outDev) vrfOutputTap(vrf, frame);
    ipFinishOutput(newSkb(lab, frame, outDev), rt, o.dst);
    return { ok: true, src };
  }
  const chunk = Math.floor((mtu - 20) / 8) * 8;
  const packetId = lab.newPacketId();
  for (let off = 0; off < o.payload.length; off += chunk) {
    const part = o.payload.subarray(off, Math.min(off + chunk, o.payload.length));
    const more = off + chunk < o.payload.length;
    const frame = buildIpFrame(src, o.dst, o.proto, ttl, o.tos ?? 0, st.ipId, false, part, outDev.mac);
    wr16(frame, 20, (more ? 0x2000 : 0) | (off >> 3));
    wr16(frame, 24, 0);
    wr16(frame, 24, inetChecksum(frame, 14, 20));
    if (vrf !== null && vrf !== outDev) vrfOutputTap(vrf, frame);
    const skb = newSkb(lab, frame, outDev);
    skb.packetId = packetId;
    ipFinishOutput(skb, rt, o.dst);
  }
  return { ok: true, src };
}

/** ip_defrag: fragments wait here (per namespace) until the datagram is whole. */
interface FragQueue { parts: Map<number, Uint8Array>; total: number; hdr: Uint8Array; timer: import('../clock.ts').Timer }

function reassemble(ns: NetNamespace, pkt: IpPacket): IpPacket | null {
  const b = pkt.bytes;
  const fo = rd16(b, 6);
  const off = (fo & 0x1fff) * 8;
  const more = (fo & 0x2000) !== 0;
  const key = `${pkt.src}/${pkt.dst}/${rd16(b, 4)}/${pkt.proto}`;
  const frags = ns.ipv4.frags as Map<string, FragQueue>;
  let q = frags.get(key);
  if (!q) {
    q = { parts: new Map(), total: -1, hdr: new Uint8Array(b.subarray(0, pkt.hlen)),
      timer: ns.lab.clock.after(30e9, () => frags.delete(key)) };
    frags.set(key, q);
  }
  const data = b.subarray(pkt.hlen);
  q.parts.set(off, new Uint8Array(data));
  if (off === 0) q.hdr = new Uint8Array(b.subarray(0, pkt.hlen));
  if (!more) q.total = off + data.length;
  if (q.total < 0) return null;
  let have = 0;
  for (const [o, d] of q.parts) if (o < q.total) have += Math.min(d.length, q.total - o);
  if (have < q.total) return null;
  q.timer.cancel();
  frags.delete(key);
  const whole = new Uint8Array(q.hdr.length + q.total);
  whole.set(q.hdr, 0);
  for (const [o, d] of q.parts) whole.set(d.subarray(0, Math.max(0, q.total - o)), q.hdr.length + o);
  wr16(whole, 2, whole.length);
  wr16(whole, 6, 0);
  return { ...pkt, bytes: whole };
}

/** Resolves the next hop's MAC and sends (neigh_resolve_output), or queues behind ARP. */
export function ipFinishOutput(skb: SkBuff, rt: Route, dst: number): void {
  const dev = skb.dev;
  const ns = dev.netns;
  const f = skb.data;
  if (dev.flags & IFF_LOOPBACK) {
    f.fill(0, 0, 6);
    devQueueXmit(skb);
    return;
  }
  if (rt.type === 'broadcast' || dst === 0xffffffff || (dst >>> 28) === 0xe) {
    if ((dst >>> 28) === 0xe) { f[0] = 0x01; f[1] = 0x00; f[2] = 0x5e; f[3] = (dst >>> 16) & 0x7f; f[4] = (dst >>> 8) & 0xff; f[5] = dst & 0xff; }
    else f.fill(0xff, 0, 6);
    devQueueXmit(skb);
    return;
  }
  if (dev.flags & IFF_NOARP) {
    // arp_constructor: a NOARP device's neighbours resolve to its own address (NUD_NOARP).
    f.set(dev.mac, 0);
    devQueueXmit(skb);
    return;
  }
  const nh = rt.gateway || dst;
  const n = ns.arp.create(dev, nh);
  if (n === null) { drop(ns.lab, skb, 'tx', 'NEIGH_CREATEFAIL', 'ip_finish_output2'); return; }
  if (ns.arp.eventSend(n, skb)) {
    f.set(n.lladdr!, 0);
    devQueueXmit(skb);
  } else if (ns.lab.tracer) {
    ns.lab.trace(skb, dev, 'tx', 'neigh_resolve_output', 'queued', undefined, 'waiting for ARP');
  }
}

// ---------------------------------------------------------------------------------------------
// Input.

/** ip_rcv + ip_rcv_finish + ip_route_input */
export function ipRcv(skb: SkBuff): void {
  const dev = skb.dev;
  const ns = dev.netns;
  const lab = ns.lab;
  if (skb.pktType === PacketType.OTHERHOST) {
    drop(lab, skb, 'rx', 'NOT_OUR_MAC', 'ip_rcv_core',
      `destination MAC is not ${dev.name}'s own`);
    return;
  }
  const d = skb.data;
  if (d.length < 34 || (d[14]! >> 4) !== 4) { drop(lab, skb, 'rx', 'IP_HDR_ERROR', 'ip_rcv_core'); return; }
  const hlen = (d[14]! & 0xf) * 4;
  const tot = rd16(d, 16);
  if (hlen < 20 || tot < hlen || d.length < 14 + tot || inetChecksum(d, 14, hlen) !== 0) {
    drop(lab, skb, 'rx', 'IP_HDR_ERROR', 'ip_rcv_core');
    return;
  }
  const src = rd32(d, 26), dst = rd32(d, 30);
  const pkt: IpPacket = { src, dst, ttl: d[22]!, proto: d[23]!, bytes: d.subarray(14, 14 + tot), hlen, dev };
  // Martian sources are dropped on input.
  if ((src >>> 28) === 0xe || src === 0xffffffff) { drop(lab, skb, 'rx', 'IP_HDR_ERROR', 'ip_route_input_slow', 'martian source'); return; }
  // 127.0.0.0/8 never arrives from a wire (martian) unless route_localnet allows it.
  if (!(dev.flags & IFF_LOOPBACK) && ((dst >>> 24) === 127 || (src >>> 24) === 127) &&
    !ns.sysctl.devOr(dev.name, 'route_localnet')) {
    drop(lab, skb, 'rx', 'IP_HDR_ERROR', 'ip_route_input_slow', 'martian: loopback address on a non-loopback device');
    return;
  }
  // vrf_l3_rcv: traffic of a VRF's devices is looked up in the VRF's table (after the local one).
  const l3 = dev.master !== null || isL3Master(dev) ? l3mdevFibTable(dev) : 0;
  if (l3 !== 0 && dev.master !== null && (dst >>> 28) !== 0xe) vrfRcv(dev.master, skb, tot);
  const bcast = dst === 0xffffffff || isBroadcastRoute(ns, dst, l3);
  if (bcast || isLocalAddr(ns, dst) || (l3 !== 0 && isLocalAddr(ns, dst, l3))) {
    let whole: IpPacket | null = pkt;
    if (rd16(pkt.bytes, 6) & 0x3fff) {
      whole = reassemble(ns, pkt);
      if (!whole) { lab.counters.delivered++; return; }
    }
    localDeliver(ns, whole, skb, bcast);
    return;
  }
  if ((dst >>> 28) === 0xe) {
    // Every IPv4 device is a member of 224.0.0.1 (ip_mc_up); other groups need a socket to join.
    if ((dst === 0xe0000001 && dev.inet.length) || mcJoined(ns, dev, dst)) { localDeliver(ns, pkt, skb, true); return; }
    drop(lab, skb, 'rx', 'ICMP_NO_SOCKET', 'ip_route_input_mc', 'multicast group not joined');
    return;
  }
  if (ns.sysctl.devConf(dev.name, 'forwarding') === 0) {
    drop(lab, skb, 'rx', 'NOT_FORWARDING', 'ip_route_input_slow',
      `would be forwarded with: sysctl -w net.ipv4.ip_forward=1`);
    return;
  }
  ipForward(ns, pkt, skb);
}

function isBroadcastRoute(ns: NetNamespace, dst: number, l3 = 0): boolean {
  return hasBroadcastRoute(ns.fib.table(RT_TABLE_LOCAL), dst) || (l3 !== 0 && hasBroadcastRoute(ns.fib.table(l3), dst));
}

function hasBroadcastRoute(t: Route[] | undefined, dst: number): boolean {
  if (t === undefined) return false;
  for (let i = 0; i < t.length; i++) if (t[i]!.type === 'broadcast' && t[i]!.dst === dst) return true;
  return false;
}

/** The flow keys of an input route lookup, when rules beyond the default ones may select on them. */
function inputFlow(ns: NetNamespace, pkt: IpPacket): FlowKeys | null {
  const l3 = pkt.dev.master !== null || isL3Master(pkt.dev) ? l3mdevFibTable(pkt.dev) : 0;
  if (l3 === 0 && ns.fib.plainRules) return null;
  return { src: pkt.src, iif: pkt.dev, l3Table: l3 };
}

/** ip_forward */
function ipForward(ns: NetNamespace, pkt: IpPacket, skb: SkBuff): void {
  const lab = ns.lab;
  if (pkt.ttl <= 1) {
    drop(lab, skb, 'rx', 'TTL_EXCEEDED', 'ip_forward');
    icmpSend(ns, pkt, ICMP_TIME_EXCEEDED, 0);
    return;
  }
  const rt = ns.fib.lookup(pkt.dst, null, inputFlow(ns, pkt));
  if (!rt || rt.type !== 'unicast' || !rt.dev) {
    drop(lab, skb, 'rx', 'NO_ROUTE', 'ip_route_input_slow', rt ? `route type ${rt.type}` : undefined);
    // ip_error: the route's error decides the ICMP code; a blackhole says nothing.
    if (!rt || rt.type === 'throw') icmpSend(ns, pkt, ICMP_DEST_UNREACH, ICMP_NET_UNREACH);
    else if (rt.type === 'unreachable') icmpSend(ns, pkt, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
    else if (rt.type === 'prohibit') icmpSend(ns, pkt, ICMP_DEST_UNREACH, 13 /* ICMP_PKT_FILTERED */);
    return;
  }
  const out = rt.dev;
  const tot = pkt.bytes.length;
  const f = allocFrame(14 + tot);
  f.set(out.mac, 6);
  wr16(f, 12, ETH_P_IP);
  f.set(pkt.bytes, 14);
  f[22] = pkt.ttl - 1;
  wr16(f, 24, 0);
  wr16(f, 24, inetChecksum(f, 14, pkt.hlen));
  const nskb = newSkb(lab, f, out);
  nskb.packetId = skb.packetId;
  // The received frame goes on as nskb (the kernel rewrites the same skb).
  lab.counters.consumed++;
  if (lab.tracer) lab.trace(skb, pkt.dev, 'rx', 'ip_forward', 'forwarded', undefined, `routed out ${out.name}`);
  ipFinishOutput(nskb, rt, pkt.dst);
}

/** ip_local_deliver: raw sockets first, then the protocol. */
function localDeliver(ns: NetNamespace, pkt: IpPacket, skb: SkBuff, broadcast: boolean): void {
  const lab = ns.lab;
  const st = stateOf(ns);
  if (pkt.proto === IPPROTO_ICMP) {
    // Delivery to a snapshot of the sockets (one may close or open another meanwhile); a single
    // socket, the usual case, needs no copy for that.
    const socks = st.rawSockets;
    if (socks.size === 1) socks.values().next().value!.deliver(pkt);
    else if (socks.size > 1) for (const s of [...socks]) s.deliver(pkt);
    icmpRcv(ns, pkt, skb, broadcast);
    return;
  }
  if (pkt.proto === IPPROTO_UDP) { udpRcv(ns, pkt, skb, broadcast); return; }
  if (pkt.proto === IPPROTO_GRE && !broadcast && greRcv(ns, pkt, skb)) return;
  drop(lab, skb, 'rx', 'ICMP_NO_SOCKET', 'ip_local_deliver', `no handler for IP protocol ${pkt.proto}`);
}

/** icmp_rcv: echo requests get replies; everything else was for the raw sockets. */
function icmpRcv(ns: NetNamespace, pkt: IpPacket, skb: SkBuff, broadcast: boolean): void {
  const lab = ns.lab;
  const b = pkt.bytes;
  const h = pkt.hlen;
  if (b.length < h + 8 || inetChecksum(b, h, b.length - h) !== 0) { drop(lab, skb, 'rx', 'IP_HDR_ERROR', 'icmp_rcv'); return; }
  const type = b[h]!;
  if (type !== ICMP_ECHO) { lab.counters.delivered++; return; }
  if (sysctlNum(ns.sysctl.get('net.ipv4.icmp_echo_ignore_all'), 0, ECHO_IGNORE_MEMO) ||
    (broadcast && sysctlNum(ns.sysctl.get('net.ipv4.icmp_echo_ignore_broadcasts'), 1, ECHO_IGNORE_BC_MEMO))) {
    drop(lab, skb, 'rx', 'ICMP_IGNORED', 'icmp_echo');
    return;
  }
  lab.counters.delivered++;
  if (lab.tracer) lab.trace(skb, pkt.dev, 'rx', 'icmp_echo', 'delivered', undefined, 'echo request answered');
  const payload = allocFrame(b.length - h);
  payload.set(b.subarray(h));
  payload[0] = ICMP_ECHOREPLY;
  wr16(payload, 2, 0);
  wr16(payload, 2, inetChecksum(payload, 0, payload.length));
  // icmp_reply: from the address the request was sent to (or the receiving device's for broadcast).
  const src = broadcast ? selectSrc(pkt.dev, pkt.src) : pkt.dst;
  // icmp_reply: routed in the VRF the request came in on (ipc.oif = l3mdev_master_ifindex).
  ipSend(ns, { src, dst: pkt.src, proto: IPPROTO_ICMP, payload, tos: b[1]!, oif: l3mdevMaster(pkt.dev) });
}

/** icmp_send: an error about `pkt` back to its sender, quoting its header and 8 bytes. */
export function icmpSend(ns: NetNamespace, pkt: IpPacket, type: number, code: number): void {
  // Never answer an ICMP error with an error, nor a broadcast.
  if (pkt.proto === IPPROTO_ICMP && pkt.bytes.length > pkt.hlen) {
    const t = pkt.bytes[pkt.hlen]!;
    if (t !== ICMP_ECHO && t !== ICMP_ECHOREPLY && t !== 13 && t !== 15 && t !== 17) return;
  }
  // icmp_send quotes as much of the original as fits in 576 bytes (548 after the headers).
  const quoteLen = Math.min(pkt.bytes.length, 548);
  const payload = new Uint8Array(8 + quoteLen);
  payload[0] = type; payload[1] = code;
  payload.set(pkt.bytes.subarray(0, quoteLen), 8);
  wr16(payload, 2, inetChecksum(payload, 0, payload.length));
  // The source is the address of the device the offending packet came in on (or was sent from).
  // icmp_route_lookup: in the VRF of the device the offending packet came in on.
  const vrf = l3mdevMaster(pkt.dev);
  const rt = vrf ? routeOutput(ns, pkt.src, vrf) : ns.fib.lookup(pkt.src, null);
  let src = 0;
  if (isLocalAddr(ns, pkt.src) || (vrf && isLocalAddr(ns, pkt.src, l3mdevFibTable(vrf)))) src = pkt.src;
  else src = selectSrc(pkt.dev, pkt.src) || (rt ? selectSrc(rt.dev, pkt.src) : 0);
  ipSend(ns, { src, dst: pkt.src, proto: IPPROTO_ICMP, payload, tos: 0xc0, oif: vrf });
}

/** arp_error_report: a packet that waited for ARP in vain gets "host unreachable" back to its sender. */
function neighErrorReport(n: Neighbour, skb: SkBuff): void {
  const ns = n.dev.netns;
  const d = skb.data;
  drop(ns.lab, skb, 'tx', 'NEIGH_FAILED', 'neigh_invalidate', `no ARP reply from ${ipFromBytes(n.ip)}`);
  if (d.length < 34) return;
  const hlen = (d[14]! & 0xf) * 4;
  const pkt: IpPacket = { src: rd32(d, 26), dst: rd32(d, 30), ttl: d[22]!, proto: d[23]!, bytes: d.subarray(14), hlen, dev: n.dev };
  icmpSend(ns, pkt, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
}

function ipFromBytes(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

export function installIpv4(lab: Lab): void {
  lab.ptype.set(ETH_P_IP, ipRcv);
  installArp(lab, neighErrorReport);
  void maskOf;
}
