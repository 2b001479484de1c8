/**
 * net/ipv4/ip_gre.c + ip_tunnel.c: GRE tunnels over IPv4 — `gre` (IP in GRE, ARPHRD_IPGRE, no
 * link-layer header: `link/gre LOCAL peer REMOTE`), `gretap` (Ethernet in GRE, protocol TEB
 * 0x6558) — and the fallback devices gre0, gretap0 and erspan0 that loading ip_gre puts in every
 * namespace (and every namespace made later), which catch GRE packets no other tunnel claims and
 * cannot be deleted.
 *
 * ip.ts hands IP protocol 47 here (greRcv); without the module loaded it stays an unknown protocol.
 * Judged against Debian's 6.1 kernel under qemu (test/scenarios/gre-*.sh).
 *
 * Not emulated: erspan and ip6gre traffic (erspan0 exists and prints as the kernel's), NBMA
 * tunnels without `remote` (they count what they would send as tx_dropped), PMTU discovery on the
 * inner path (ICMP "fragmentation needed" back to the sender), fou/gue encapsulation, external
 * (metadata) mode traffic, and the sequence-number check of `iseq`.
 */
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import type { NetNamespace } from '../netns.ts';
import { IFF_BROADCAST, IFF_MULTICAST, IFF_NOARP, IFF_POINTOPOINT, NetDevice, type DeviceOps } from '../netdev.ts';
import { PacketType, SkBuff } from '../skb.ts';
import { drop, ethTypeTrans, netifRx, registerNetdevice, unregisterNetdevice } from '../dev.ts';
import { applyCreateAttrs, registerKind, registerNew, type KindData, type LinkKind } from '../rtnl.ts';
import { inetChecksum, ipStr, rd16, wr16, wr32 } from '../ipv4/bytes.ts';
import {
  ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, icmpSend, ipSend, routeOutput, type IpPacket,
} from '../ipv4/ip.ts';
import { loadModule } from '../modules.ts';
import { ecnEncap, innerDsfield, tunnelRoute } from './vxlan.ts';

export const IPPROTO_GRE = 47;
export const ARPHRD_IPGRE = 778;
const ETH_P_TEB = 0x6558;
const GRE_CSUM = 0x8000, GRE_KEY = 0x2000, GRE_SEQ = 0x1000;

type GreKind = 'gre' | 'gretap' | 'erspan';

export interface GrePriv {
  dev: NetDevice;
  /** The namespace the tunnel was made in (its socket-less "net"): where it routes and receives. */
  net: NetNamespace;
  kind: GreKind;
  remote: number;
  local: number;
  link: number;
  ttl: number;
  /** 1 = inherit. */
  tos: number;
  pmtudisc: boolean;
  ignoreDf: boolean;
  iflags: number;
  oflags: number;
  ikey: number;
  okey: number;
  fwmark: number;
  metadata: boolean;
  fallback: boolean;
  oseq: number;
}

export function grePriv(dev: NetDevice): GrePriv { return dev.priv as GrePriv; }


/** gre_calc_hlen: 4 bytes, plus 4 each for checksum, key and sequence number. */
function greHlen(oflags: number): number {
  return 4 + (oflags & GRE_CSUM ? 4 : 0) + (oflags & GRE_KEY ? 4 : 0) + (oflags & GRE_SEQ ? 4 : 0);
}

/** ip_tunnel_bind_dev: the MTU from the device the route to `remote` (or `dev`) leaves by. */
function bindMtu(p: GrePriv, type: number): number {
  let base = 1500;
  const linkDev = p.link ? p.net.byIndex.get(p.link) ?? null : null;
  let tdev: NetDevice | null = null;
  if (p.remote) {
    const rt = routeOutput(p.net, p.remote, linkDev);
    if (rt && rt.type === 'unicast' && rt.dev) tdev = rt.dev;
  }
  if (!tdev && linkDev) tdev = linkDev;
  if (tdev) base = tdev.mtu;
  // erspan (v1): an 8-byte GRE header (with sequence number) and an 8-byte ERSPAN header.
  const hlen = p.kind === 'erspan' ? 16 : greHlen(p.oflags);
  const mtu = base - hlen - 20 - (type === ARPHRD_IPGRE ? 0 : 14);
  return Math.max(mtu, 68);
}

function ipGreXmit(dev: NetDevice, skb: SkBuff): void {
  const p = grePriv(dev);
  const lab = dev.netns.lab;
  const frame = skb.data;
  if (p.kind === 'erspan' || p.metadata || !p.remote) {
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_ROUTE', 'ipgre_xmit', p.remote ? 'not emulated for this tunnel kind' : 'no remote (NBMA tunnels are not emulated)');
    return;
  }
  const tap = p.kind === 'gretap';
  // An IP-in-GRE device carries the network packet; a tap the whole frame.
  const inner = tap ? frame : frame.subarray(14);
  const innerProto = tap ? ETH_P_TEB : rd16(frame, 12);
  const innerIp4 = rd16(frame, 12) === 0x0800 && frame.length >= 34;
  const net = p.net;
  const oif = p.link ? net.byIndex.get(p.link) ?? null : null;
  const rt = tunnelRoute(dev, skb, net, p.remote, oif, 'ip_tunnel_xmit');
  if (!rt) return;
  let tos = p.tos === 1 ? innerDsfield(frame) : p.tos;
  tos = ecnEncap(tos, frame);
  let ttl = p.ttl;
  if (!ttl) ttl = innerIp4 ? frame[22]! : net.sysctl.getInt('net.ipv4.ip_default_ttl', 64);
  let df = p.pmtudisc;
  if (innerIp4 && !p.ignoreDf && (rd16(frame, 20) & 0x4000)) df = true;
  const hlen = greHlen(p.oflags);
  const g = new Uint8Array(hlen + inner.length);
  wr16(g, 0, p.oflags & (GRE_CSUM | GRE_KEY | GRE_SEQ));
  wr16(g, 2, innerProto);
  let o = 4;
  const csumAt = p.oflags & GRE_CSUM ? o : -1;
  if (p.oflags & GRE_CSUM) o += 4;
  if (p.oflags & GRE_KEY) { wr32(g, o, p.okey); o += 4; }
  if (p.oflags & GRE_SEQ) { wr32(g, o, p.oseq); p.oseq = (p.oseq + 1) >>> 0; o += 4; }
  g.set(inner, o);
  if (csumAt >= 0) wr16(g, csumAt, inetChecksum(g, 0, g.length));
  const len = Math.max(0, skb.len - 14);
  const r = ipSend(net, { src: p.local || undefined, dst: p.remote, proto: IPPROTO_GRE, payload: g, ttl, tos, df, oif, broadcast: true });
  if (!r.ok) {
    dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_ROUTE', 'ip_tunnel_xmit', `errno ${r.errno}`);
    return;
  }
  dev.stats.txPackets++; dev.stats.txBytes += len;
  if (lab.tracer) lab.trace(skb, dev, 'tx', 'ip_tunnel_xmit', 'forwarded', undefined, `GRE to ${ipStr(p.remote)}`);
}

const greOps: DeviceOps = {
  kind: 'gre',
  noQueue: true,
  xmit: ipGreXmit,
  changeMtu(dev, mtu) { return mtu < 68 || mtu > 65535 - 24 ? err(Errno.EINVAL) : OK; },
  linkDev(dev) { const p = grePriv(dev); return p.link ? p.net.byIndex.get(p.link) ?? null : null; },
  iflinkNone: true,
};
/** gre0 registers before its MTU is known, so it never gets IPv6 (no addrgenmode). */
const greFbOps: DeviceOps = { ...greOps, noInet6: true };
const gretapOps: DeviceOps = {
  kind: 'gretap',
  xmit: ipGreXmit,
  setMac(dev, mac) { dev.setMacBytes(mac); dev.addrAssign = 'set'; return OK; },
  linkDev: greOps.linkDev,
  iflinkNone: true,
};
const erspanOps: DeviceOps = { ...gretapOps, kind: 'erspan' };

function opsFor(kind: GreKind, fallback: boolean): DeviceOps {
  if (kind === 'gre') return fallback ? greFbOps : greOps;
  return kind === 'gretap' ? gretapOps : erspanOps;
}

function typeOf(kind: GreKind): number { return kind === 'gre' ? ARPHRD_IPGRE : 1; }

function allTunnels(net: NetNamespace): NetDevice[] {
  const out: NetDevice[] = [];
  for (const ns of net.lab.all) {
    for (const d of ns.devices.values()) {
      if ((d.kind === 'gre' || d.kind === 'gretap' || d.kind === 'erspan') && grePriv(d).net === net) out.push(d);
    }
  }
  return out;
}

/** ip_tunnel_key_match */
function keyMatch(p: GrePriv, flags: number, key: number): boolean {
  if (flags & GRE_KEY) return (p.iflags & GRE_KEY) !== 0 && p.ikey === key;
  return !(p.iflags & GRE_KEY);
}

/** ip_tunnel_find: the same endpoints, link, type and key. */
function tunnelFind(net: NetNamespace, kind: GreKind, q: Pick<GrePriv, 'remote' | 'local' | 'link' | 'iflags' | 'ikey'>): NetDevice | null {
  for (const d of allTunnels(net)) {
    const p = grePriv(d);
    if (p.kind !== kind) continue;
    if (p.local === q.local && p.remote === q.remote && p.link === q.link && keyMatch(p, q.iflags, q.ikey)) return d;
  }
  return null;
}

function setupDevice(dev: NetDevice, p: GrePriv): void {
  dev.type = typeOf(p.kind);
  if (p.kind === 'gre') {
    // dev_addr/broadcast are the tunnel's IPv4 endpoints.
    const a = new Uint8Array(6), b = new Uint8Array(6);
    wr32(a, 0, p.local); wr32(b, 0, p.remote);
    dev.setMacBytes(a);
    dev.broadcast = b;
    dev.minMtu = 0; dev.maxMtu = 0;
    if (p.remote) dev.flags |= IFF_POINTOPOINT;
  } else {
    dev.minMtu = 68; dev.maxMtu = 0;
  }
  dev.tsoMaxSize = 65536;
  dev.carrier = true;
  dev.mtu = bindMtu(p, dev.type);
}

function newPriv(dev: NetDevice, net: NetNamespace, kind: GreKind, fallback: boolean, d: KindData): GrePriv {
  const n = (k: string, dflt = 0): number => typeof d[k] === 'number' ? d[k] as number : dflt;
  const oflags = n('oflags', kind === 'erspan' ? GRE_KEY : 0);
  return {
    dev, net, kind, remote: n('remote') >>> 0, local: n('local') >>> 0, link: n('link'), ttl: n('ttl'), tos: n('tos'),
    pmtudisc: !fallback && n('pmtudisc', 1) !== 0, ignoreDf: n('ignoreDf') !== 0, iflags: n('iflags'), oflags,
    ikey: n('ikey') >>> 0, okey: n('okey') >>> 0, fwmark: n('fwmark'), metadata: d['collectMetadata'] === true,
    fallback, oseq: 0,
  };
}

/** ip_tunnel_init_net: the fallback device of one kind in one namespace. */
function createFallback(ns: NetNamespace, kind: GreKind): void {
  const name = kind === 'gre' ? 'gre0' : kind === 'gretap' ? 'gretap0' : 'erspan0';
  if (ns.devices.has(name)) return;
  const flags = kind === 'gre' ? IFF_NOARP : IFF_BROADCAST | IFF_MULTICAST;
  const dev = new NetDevice(name, opsFor(kind, true), flags);
  const p = newPriv(dev, ns, kind, true, {});
  dev.priv = p;
  setupDevice(dev, p);
  // The fallback taps keep an all-zero address (they are never given a random one).
  if (kind !== 'gre') dev.setMacBytes(new Uint8Array(6));
  registerNetdevice(ns, dev, 0);
}

function pernetInit(ns: NetNamespace): void {
  for (const k of ['gre', 'gretap', 'erspan'] as const) createFallback(ns, k);
}

/** Loading ip_gre: every namespace gets its fallback devices. Called by modules.ts. */
export function ipGreInit(lab: Lab): void {
  for (const ns of lab.all) if (ns.alive) pernetInit(ns);
}

function kindFor(kind: GreKind): LinkKind {
  return {
    kind,
    setupMtu: kind === 'gre' ? { min: 0, max: 0 } : { min: 68, max: 0 },
    newLink(ctx) {
      loadModule(ctx.lab, 'ip_gre'); // rtnl-link-gre: the kernel autoloads ip_gre first
      const d: KindData = ctx.attrs.data ?? {};
      const net = ctx.src;
      const link = typeof d['link'] === 'number' ? d['link'] as number : 0;
      if (link && !net.byIndex.get(link)) return err(Errno.ENODEV);
      const probe = newPriv(null!, net, kind, false, d);
      if (tunnelFind(net, kind, probe)) return err(Errno.EEXIST);
      const flags = kind === 'gre' ? IFF_NOARP : IFF_BROADCAST | IFF_MULTICAST;
      const dev = new NetDevice(ctx.attrs.ifname ?? ctx.ns.allocName(`${kind}%d`), opsFor(kind, false), flags);
      const p: GrePriv = { ...probe, dev };
      dev.priv = p;
      if (kind !== 'gre') dev.setMacBytes(ctx.lab.rng.randomMac());
      setupDevice(dev, p);
      const r = applyCreateAttrs(dev, ctx.attrs);
      if (!r.ok) return r;
      const reg = registerNew(ctx.ns, dev, ctx.attrs);
      if (!reg.ok) return reg;
      return ok(dev);
    },
    changeLink(dev, data): NlResult {
      const p = grePriv(dev);
      if (p.fallback) return err(Errno.EINVAL);
      const q = newPriv(dev, p.net, p.kind, false, { ...fillInfo(dev), ...data });
      const other = tunnelFind(p.net, p.kind, q);
      if (other && other !== dev) return err(Errno.EEXIST);
      Object.assign(p, { remote: q.remote, local: q.local, link: q.link, ttl: q.ttl, tos: q.tos, pmtudisc: q.pmtudisc,
        ignoreDf: q.ignoreDf, iflags: q.iflags, oflags: q.oflags, ikey: q.ikey, okey: q.okey, fwmark: q.fwmark });
      if (p.kind === 'gre') {
        const a = new Uint8Array(6), b = new Uint8Array(6);
        wr32(a, 0, p.local); wr32(b, 0, p.remote);
        dev.setMacBytes(a); dev.broadcast = b;
      }
      return OK;
    },
    // ip_tunnel_dellink: the fallback device is not deleted (and no error is reported).
    delLink(dev) { if (!grePriv(dev).fallback) unregisterNetdevice(dev); },
    fillInfo,
  };
}

function fillInfo(dev: NetDevice): KindData {
  const p = grePriv(dev);
  const d: KindData = { link: p.link, iflags: p.iflags, oflags: p.oflags, ikey: p.ikey, okey: p.okey,
    local: p.local, remote: p.remote, ttl: p.ttl, tos: p.tos, pmtudisc: p.pmtudisc ? 1 : 0, ignoreDf: p.ignoreDf ? 1 : 0,
    fwmark: p.fwmark };
  if (p.metadata) d['collectMetadata'] = 1;
  if (p.kind === 'erspan') { d['erspanIndex'] = 0; d['erspanVer'] = 1; }
  return d;
}

/** ip_tunnel_lookup: exact endpoints, then remote only, then local only, then key only, then the fallback. */
function tunnelLookup(net: NetNamespace, kind: GreKind, link: number, flags: number, remote: number, local: number, key: number): NetDevice | null {
  const tunnels = allTunnels(net).filter((d) => grePriv(d).kind === kind && !grePriv(d).fallback && d.isUp);
  const passes: ((p: GrePriv) => boolean)[] = [
    (p) => p.local === local && p.remote === remote,
    (p) => p.remote === remote && p.local === 0,
    (p) => (p.local === local || (local >>> 28) === 0xe) && p.remote === 0,
    (p) => p.local === 0 && p.remote === 0 && (flags & GRE_KEY) !== 0,
  ];
  for (const pass of passes) {
    let cand: NetDevice | null = null;
    for (const d of tunnels) {
      const p = grePriv(d);
      if (!pass(p) || !keyMatch(p, flags, key)) continue;
      if (p.link === link) return d;
      cand ??= d;
    }
    if (cand) return cand;
  }
  const fb = allTunnels(net).find((d) => grePriv(d).kind === kind && grePriv(d).fallback);
  return fb && fb.isUp ? fb : null;
}

/** gre_rcv → gre_parse_header → ipgre_rcv: true when the packet was taken (or rejected with ICMP). */
export function greRcv(ns: NetNamespace, pkt: IpPacket, skb: SkBuff): boolean {
  const lab = ns.lab;
  if (!lab.modules.has('ip_gre')) return false;
  const b = pkt.bytes;
  let o = pkt.hlen;
  if (b.length < o + 4) { drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'gre_parse_header', 'truncated GRE header'); return true; }
  const flags = rd16(b, o);
  const proto = rd16(b, o + 2);
  // Version 0 only; routing (and version 1, PPTP) belong to other handlers.
  if ((flags & 7) !== 0 || (flags & 0x4000)) {
    drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'gre_rcv', `GRE version ${flags & 7}`);
    return true;
  }
  const start = o;
  o += 4;
  if (flags & GRE_CSUM) {
    if (b.length < o + 4 || inetChecksum(b, start, b.length - start) !== 0) {
      drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'gre_parse_header', 'bad GRE checksum');
      return true;
    }
    o += 4;
  }
  let key = 0;
  if (flags & GRE_KEY) { if (b.length < o + 4) return badHdr(lab, skb); key = ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0; o += 4; }
  if (flags & GRE_SEQ) { if (b.length < o + 4) return badHdr(lab, skb); o += 4; }
  const kind: GreKind = proto === ETH_P_TEB ? 'gretap' : 'gre';
  const tdev = tunnelLookup(ns, kind, pkt.dev.ifindex, flags, pkt.src, pkt.dst, key);
  if (!tdev) {
    drop(lab, skb, 'rx', 'TUNNEL_NO_DEVICE', 'ipgre_rcv', `no ${kind} tunnel from ${ipStr(pkt.src)}`);
    icmpSend(ns, pkt, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
    return true;
  }
  const p = grePriv(tdev);
  // A tunnel that wants checksums drops packets without one (ip_tunnel_rcv).
  if ((p.iflags & GRE_CSUM) && !(flags & GRE_CSUM)) {
    tdev.stats.rxErrors++;
    drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'ip_tunnel_rcv', 'checksum required');
    return true;
  }
  const payload = b.subarray(o);
  let frame: Uint8Array;
  if (kind === 'gretap') {
    if (payload.length < 14) return badHdr(lab, skb);
    frame = new Uint8Array(payload);
  } else {
    frame = new Uint8Array(14 + payload.length);
    wr16(frame, 12, proto);
    frame.set(payload, 14);
  }
  const nskb = new SkBuff(frame, tdev, PacketType.HOST, skb.packetId);
  nskb.hops = skb.hops;
  // ip_tunnel_rcv counts the packet as it comes out of the tunnel (a tap's with its Ethernet header).
  tdev.stats.rxPackets++; tdev.stats.rxBytes += payload.length;
  if (kind === 'gretap') ethTypeTrans(nskb, tdev);
  if (lab.tracer) lab.trace(skb, pkt.dev, 'rx', 'ipgre_rcv', 'forwarded', undefined, `decapsulated into ${tdev.name}`);
  netifRx(nskb);
  return true;
}

function badHdr(lab: Lab, skb: SkBuff): true {
  drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'gre_parse_header', 'truncated GRE header');
  return true;
}

/** New namespaces get the fallback devices while ip_gre is loaded (ipgre_init_net). */
function nsEvent(event: string, dev: NetDevice, info: unknown): void {
  if (event !== 'REGISTER' || !(info as { nsCreated?: boolean } | undefined)?.nsCreated) return;
  if (dev.netns.lab.modules.has('ip_gre')) pernetInit(dev.netns);
}

export function installGre(lab: Lab): void {
  registerKind(lab, kindFor('gre'));
  registerKind(lab, kindFor('gretap'));
  registerKind(lab, kindFor('erspan'));
  lab.notifiers.push(nsEvent);
}
