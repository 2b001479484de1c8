/**
 * The UDP pieces the tunnels need (net/ipv4/udp.c, net/ipv4/udp_tunnel_core.c): receive demux to
 * kernel "encap" sockets (udp_rcv → __udp4_lib_rcv → udp_queue_rcv_skb → encap_rcv) and the
 * transmit helper tunnels use (udp_tunnel_xmit_skb). There are no user-space UDP sockets in vnet,
 * so a datagram no encap socket claims is answered with ICMP port unreachable, as udp_rcv does
 * when __udp4_lib_lookup finds nothing.
 */
import type { NetNamespace } from '../netns.ts';
import type { SkBuff } from '../skb.ts';
import { drop } from '../dev.ts';
import { Errno } from '../errno.ts';
import { IPPROTO_UDP, rd16, wr16 } from './bytes.ts';
import {
  ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, icmpSend, ipSend, routeOutput, type IpPacket, type SendResult,
} from './ip.ts';
import { selectSrc } from './devinet.ts';

/** A kernel UDP socket with an encap_rcv hook (udp_tunnel_sock_cfg), bound to a port. */
export interface UdpEncapSock {
  port: number;
  /** Bound address; 0 = INADDR_ANY (what vxlan and geneve bind). */
  addr: number;
  /**
   * encap_rcv: the datagram (`pkt`, its UDP header at pkt.hlen) belongs to the socket now;
   * the tunnel decapsulates or drops it itself.
   */
  rcv(pkt: IpPacket, skb: SkBuff): void;
}

export interface UdpState { socks: UdpEncapSock[] }

/** Per-namespace UDP socket table (kept in the namespace's IPv4 state). */
export function udpState(ns: NetNamespace): UdpState {
  const v4 = ns.ipv4 as typeof ns.ipv4 & { udp?: UdpState };
  if (!v4.udp) v4.udp = { socks: [] };
  return v4.udp;
}

/** udp_sock_create + setup_udp_tunnel_sock. EADDRINUSE when the port is taken (no SO_REUSEPORT). */
export function udpEncapBind(ns: NetNamespace, sock: UdpEncapSock): number {
  const st = udpState(ns);
  for (const s of st.socks) {
    if (s.port === sock.port && (s.addr === 0 || sock.addr === 0 || s.addr === sock.addr)) return Errno.EADDRINUSE;
  }
  st.socks.push(sock);
  return 0;
}

/** udp_tunnel_sock_release */
export function udpEncapRelease(ns: NetNamespace, sock: UdpEncapSock): void {
  const st = udpState(ns);
  const i = st.socks.indexOf(sock);
  if (i >= 0) st.socks.splice(i, 1);
}

/** __udp4_lib_lookup: an exact address binding wins over a wildcard one. */
function lookup(ns: NetNamespace, dst: number, port: number): UdpEncapSock | null {
  let wild: UdpEncapSock | null = null;
  for (const s of udpState(ns).socks) {
    if (s.port !== port) continue;
    if (s.addr === dst) return s;
    if (s.addr === 0) wild = s;
  }
  return wild;
}

/** The UDP checksum over the pseudo-header (0 when the datagram's checksum is right). */
function udpCsum(pkt: IpPacket, off: number, len: number): number {
  const b = pkt.bytes;
  let sum = (pkt.src >>> 16) + (pkt.src & 0xffff) + (pkt.dst >>> 16) + (pkt.dst & 0xffff) + IPPROTO_UDP + len;
  for (let i = off; i + 1 < off + len; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (len & 1) sum += b[off + len - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return (~sum) & 0xffff;
}

/** ~udp_v4_check(len, saddr, daddr, 0): what udp_set_csum leaves in a CHECKSUM_PARTIAL header. */
export function udpPseudoPartial(src: number, dst: number, len: number): number {
  let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + IPPROTO_UDP + len;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** udp_rcv for a datagram addressed to this host (after reassembly). */
export function udpRcv(ns: NetNamespace, pkt: IpPacket, skb: SkBuff, broadcast: boolean): void {
  const lab = ns.lab;
  const b = pkt.bytes;
  const h = pkt.hlen;
  if (b.length < h + 8) { drop(lab, skb, 'rx', 'UDP_MALFORMED', 'udp_rcv', 'truncated UDP header'); return; }
  const ulen = rd16(b, h + 4);
  if (ulen < 8 || ulen > b.length - h) { drop(lab, skb, 'rx', 'UDP_MALFORMED', 'udp_rcv', 'bad UDP length'); return; }
  // Tunnels send with CHECKSUM_PARTIAL: on virtual links the checksum field holds only the folded
  // pseudo-header sum (what tcpdump calls "bad udp cksum"), and the receiver, still seeing a
  // partial checksum, does not verify it. vnet frames carry no ip_summed, so that exact value
  // stands for "partial" and is accepted.
  const sum = rd16(b, h + 6);
  if (sum !== 0 && udpCsum(pkt, h, ulen) !== 0 && sum !== udpPseudoPartial(pkt.src, pkt.dst, ulen)) {
    drop(lab, skb, 'rx', 'UDP_MALFORMED', 'udp_rcv', 'bad UDP checksum');
    return;
  }
  const dport = rd16(b, h + 2);
  // __udp4_lib_mcast_deliver: a joined group's datagrams go to the sockets bound to the port;
  // broadcasts reach no tunnel socket.
  const mcast = (pkt.dst >>> 28) === 0xe;
  const sock = broadcast && !mcast ? null : lookup(ns, pkt.dst, dport);
  if (sock) {
    sock.rcv(ulen === b.length - h ? pkt : { ...pkt, bytes: b.subarray(0, h + ulen) }, skb);
    return;
  }
  if (broadcast) { drop(lab, skb, 'rx', 'ICMP_NO_SOCKET', 'udp_rcv', 'no socket on that port'); return; }
  drop(lab, skb, 'rx', 'ICMP_NO_SOCKET', 'udp_rcv', `no socket on port ${dport}`);
  icmpSend(ns, pkt, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
}

export interface UdpTunnelXmit {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  payload: Uint8Array;
  ttl: number;
  tos: number;
  df: boolean;
  /** Compute the UDP checksum (udpcsum) or send 0 (noudpcsum). */
  csum: boolean;
  oif: import('../netdev.ts').NetDevice | null;
}

/** udp_tunnel_xmit_skb → udp_set_csum → iptunnel_xmit: the UDP header, then IP output. */
export function udpTunnelXmit(ns: NetNamespace, o: UdpTunnelXmit): SendResult {
  // The checksum covers the source address, so pick it now as the route lookup would (fl4.saddr).
  let src = o.src;
  if (!src) {
    const rt = routeOutput(ns, o.dst, o.oif);
    if (!rt) return { ok: false, errno: Errno.ENETUNREACH };
    src = rt.prefsrc || (rt.type === 'local' ? o.dst : selectSrc(rt.dev, o.dst));
    if (!src && rt.dev) src = selectSrc(rt.dev, o.dst);
  }
  o = { ...o, src };
  const len = 8 + o.payload.length;
  const u = new Uint8Array(len);
  wr16(u, 0, o.sport); wr16(u, 2, o.dport); wr16(u, 4, len);
  u.set(o.payload, 8);
  // udp_set_csum with a device that offloads checksums (every virtual device does): the header
  // keeps the partial pseudo-header sum and nobody completes it on the way (see udpRcv).
  if (o.csum) wr16(u, 6, udpPseudoPartial(o.src, o.dst, len));
  return ipSend(ns, { src: o.src, dst: o.dst, proto: IPPROTO_UDP, payload: u, ttl: o.ttl, tos: o.tos, df: o.df,
    oif: o.oif, broadcast: true });
}
