/**
 * drivers/net/geneve.c: Ethernet over UDP with the Geneve header (RFC 8926), point to point.
 *
 * Unlike vxlan there is no FDB: every frame goes to the one `remote`. Receive is a UDP encap
 * socket on the destination port (6081 by default) shared by the geneve devices of that port in
 * the namespace; a packet belongs to the device whose VNI and remote match the outer source
 * address (geneve_lookup). The outer UDP checksum is off by default for IPv4 (`udpcsum` turns it
 * on), DF is unset unless `df set|inherit`. Judged against Debian's 6.1 kernel under qemu
 * (test/scenarios/geneve-*.sh).
 *
 * Not emulated: IPv6 remotes (accepted and shown; what such a device sends is counted as
 * tx_dropped), metadata mode (`external`: created, sends nothing) and Geneve options.
 */
import { Errno, OK, err, ok } from '../errno.ts';
import type { Lab } from '../lab.ts';
import type { NetNamespace } from '../netns.ts';
import { IFF_BROADCAST, IFF_MULTICAST, NetDevice, isMulticastMac, isZeroMac, macToNum, type DeviceOps } from '../netdev.ts';
import { PacketType, SkBuff } from '../skb.ts';
import { drop, ethTypeTrans, netifRx, unregisterNetdevice } from '../dev.ts';
import { applyCreateAttrs, registerKind, registerNew, type KindData, type LinkKind } from '../rtnl.ts';
import { ipStr, rd16 } from '../ipv4/bytes.ts';
import type { IpPacket } from '../ipv4/ip.ts';
import { udpEncapBind, udpEncapRelease, udpState, udpTunnelXmit, type UdpEncapSock } from '../ipv4/udp.ts';
import { ecnEncap, innerDsfield, tunnelRoute, udpFlowSrcPort } from './vxlan.ts';
import { loadModule } from '../modules.ts';

export const GENEVE_UDP_PORT = 6081;
/** 14 Ethernet + 20 IPv4 + 8 UDP + 8 Geneve. */
const GENEVE_IPV4_HLEN = 50;
const ETH_P_TEB = 0x6558;

export interface GenevePriv {
  dev: NetDevice;
  net: NetNamespace;
  vni: number;
  remote: number;
  remote6: Uint8Array | null;
  port: number;
  ttl: number;
  ttlInherit: boolean;
  tos: number;
  /** 0 unset, 1 set, 2 inherit. */
  df: number;
  label: number;
  udpCsum: boolean;
  zeroCsum6Tx: boolean;
  zeroCsum6Rx: boolean;
  metadata: boolean;
  innerProtoInherit: boolean;
  sock: GeneveSock | null;
}

interface GeneveSock extends UdpEncapSock {
  kind: 'geneve';
  devs: NetDevice[];
  net: NetNamespace;
}

export function genevePriv(dev: NetDevice): GenevePriv { return dev.priv as GenevePriv; }


function geneveXmit(dev: NetDevice, skb: SkBuff): void {
  const p = genevePriv(dev);
  const lab = dev.netns.lab;
  const frame = skb.data;
  if (p.metadata || p.remote6 || !p.remote) {
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_ROUTE', 'geneve_xmit', p.metadata ? 'external device without tunnel info'
      : 'vnet does not emulate IPv6 underlays');
    return;
  }
  const net = p.net;
  const rt = tunnelRoute(dev, skb, net, p.remote, null, 'geneve_get_v4_rt');
  if (!rt) return;
  let tos = p.tos === 1 ? innerDsfield(frame) : p.tos;
  tos = ecnEncap(tos, frame);
  let ttl = p.ttl;
  if (p.ttlInherit) ttl = rd16(frame, 12) === 0x0800 && frame.length >= 34 ? frame[22]! : 0;
  if (!ttl) ttl = net.sysctl.getInt('net.ipv4.ip_default_ttl', 64);
  let df = p.df === 1;
  if (p.df === 2) df = rd16(frame, 12) === 0x0800 && frame.length >= 34 && (rd16(frame, 20) & 0x4000) !== 0;
  // geneve_xmit_skb: udp_flow_src_port(net, skb, 1, USHRT_MAX, true).
  const sport = udpFlowSrcPort(net, frame, 1, 65535);
  const payload = new Uint8Array(8 + frame.length);
  payload[2] = ETH_P_TEB >> 8; payload[3] = ETH_P_TEB & 0xff;
  payload[4] = (p.vni >>> 16) & 0xff; payload[5] = (p.vni >>> 8) & 0xff; payload[6] = p.vni & 0xff;
  payload.set(frame, 8);
  const len = Math.max(0, skb.len - 14);
  const r = udpTunnelXmit(net, { src: 0, dst: p.remote, sport, dport: p.port, payload, ttl, tos, df, csum: p.udpCsum, oif: null });
  if (!r.ok) {
    dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_ROUTE', 'udp_tunnel_xmit_skb', `errno ${r.errno}`);
    return;
  }
  dev.stats.txPackets++; dev.stats.txBytes += len;
  if (lab.tracer) lab.trace(skb, dev, 'tx', 'geneve_xmit_skb', 'forwarded', undefined, `VNI ${p.vni} to ${ipStr(p.remote)}:${p.port}`);
}

/** geneve_udp_encap_recv + geneve_rx */
function geneveRcv(sock: GeneveSock, pkt: IpPacket, skb: SkBuff): void {
  const lab = sock.net.lab;
  const b = pkt.bytes;
  const g = pkt.hlen + 8;
  if (b.length < g + 8) { drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'geneve_udp_encap_recv', 'truncated Geneve header'); return; }
  const ver = b[g]! >> 6;
  const optLen = (b[g]! & 0x3f) * 4;
  const proto = rd16(b, g + 2);
  if (ver !== 0 || proto !== ETH_P_TEB) {
    drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'geneve_udp_encap_recv', ver ? `version ${ver}` : `inner protocol 0x${proto.toString(16)}`);
    return;
  }
  const vni = (b[g + 4]! << 16) | (b[g + 5]! << 8) | b[g + 6]!;
  // geneve_lookup: the VNI and the remote (the outer source) pick the device.
  const gdev = sock.devs.find((d) => { const q = genevePriv(d); return q.vni === vni && (q.remote === pkt.src || q.metadata); });
  if (!gdev) { drop(lab, skb, 'rx', 'TUNNEL_NO_DEVICE', 'geneve_lookup', `no geneve device with VNI ${vni} and remote ${ipStr(pkt.src)}`); return; }
  const inner = b.subarray(g + 8 + optLen);
  if (inner.length < 14) { drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'geneve_rx', 'inner frame too short'); return; }
  const nskb = new SkBuff(new Uint8Array(inner), gdev, PacketType.HOST, skb.packetId);
  nskb.hops = skb.hops;
  ethTypeTrans(nskb, gdev);
  // Ignore packet loops (and multicast echo).
  if (macToNum(inner, 6) === gdev.macNum) { gdev.stats.rxErrors++; drop(lab, nskb, 'rx', 'TUNNEL_OWN_SRC_MAC', 'geneve_rx'); return; }
  if (isMulticastMac(inner, 6) || isZeroMac(inner, 6)) { drop(lab, nskb, 'rx', 'TUNNEL_BAD_HEADER', 'geneve_rx', 'invalid inner source MAC'); return; }
  if (!gdev.isUp) { gdev.stats.rxDropped++; drop(lab, nskb, 'rx', 'DEV_DOWN', 'geneve_rx'); return; }
  gdev.stats.rxPackets++; gdev.stats.rxBytes += inner.length - 14;
  if (lab.tracer) lab.trace(skb, pkt.dev, 'rx', 'geneve_rx', 'forwarded', undefined, `decapsulated VNI ${vni} into ${gdev.name}`);
  netifRx(nskb);
}

const geneveOps: DeviceOps = {
  kind: 'geneve',
  noQueue: true,
  open(dev) {
    const p = genevePriv(dev);
    for (const s of udpState(p.net).socks) {
      if ((s as GeneveSock).kind === 'geneve' && s.port === p.port) {
        (s as GeneveSock).devs.unshift(dev);
        p.sock = s as GeneveSock;
        return OK;
      }
    }
    const gs: GeneveSock = { kind: 'geneve', port: p.port, addr: 0, devs: [dev], net: p.net, rcv: (pkt, skb) => geneveRcv(gs, pkt, skb) };
    const e = udpEncapBind(p.net, gs);
    if (e) return err(e);
    p.sock = gs;
    return OK;
  },
  stop(dev) { release(dev); },
  xmit: geneveXmit,
  setMac(dev, mac) { dev.setMacBytes(mac); dev.addrAssign = 'set'; return OK; },
  uninit(dev) { release(dev); },
};

function release(dev: NetDevice): void {
  const p = genevePriv(dev);
  const gs = p.sock;
  if (!gs) return;
  p.sock = null;
  const i = gs.devs.indexOf(dev);
  if (i >= 0) gs.devs.splice(i, 1);
  if (!gs.devs.length) udpEncapRelease(gs.net, gs);
}

function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  return v === true || (typeof v === 'number' && v !== 0);
}

export const geneveKind: LinkKind = {
  kind: 'geneve',
  setupMtu: { min: 68, max: 65535 - GENEVE_IPV4_HLEN },
  newLink(ctx) {
    const d: KindData = ctx.attrs.data ?? {};
    const net = ctx.src;
    const vni = typeof d['id'] === 'number' ? d['id'] as number : 0;
    if (vni >= 1 << 24) return err(Errno.ERANGE, 'Geneve ID must be lower than 16777216');
    const remote = typeof d['remote'] === 'number' ? (d['remote'] as number) >>> 0 : 0;
    const remote6 = d['remote6'] instanceof Uint8Array ? d['remote6'] as Uint8Array : null;
    if (remote && (remote >>> 28) === 0xe) return err(Errno.EINVAL, 'Remote IPv4 address cannot be Multicast');
    const metadata = bool(d['collectMetadata'], false);
    const port = typeof d['port'] === 'number' ? d['port'] as number : GENEVE_UDP_PORT;
    // geneve_configure: one device per (VNI, remote, port) in a namespace.
    for (const ns of ctx.lab.all) {
      for (const o of ns.devices.values()) {
        if (o.kind !== 'geneve') continue;
        const q = genevePriv(o);
        if (q.net !== net || q.port !== port) continue;
        if (metadata ? q.metadata : (!q.metadata && q.vni === vni && q.remote === remote)) return err(Errno.EBUSY);
      }
    }
    const dev = new NetDevice(ctx.attrs.ifname ?? ctx.ns.allocName('geneve%d'), geneveOps, IFF_BROADCAST | IFF_MULTICAST);
    dev.setMacBytes(ctx.lab.rng.randomMac());
    dev.minMtu = 68; dev.maxMtu = 65535 - GENEVE_IPV4_HLEN;
    dev.mtu = 1500 - GENEVE_IPV4_HLEN;
    dev.tsoMaxSize = 65536;
    dev.carrier = true;
    const p: GenevePriv = {
      dev, net, vni, remote, remote6, port,
      ttl: typeof d['ttl'] === 'number' ? d['ttl'] as number : 0, ttlInherit: bool(d['ttlInherit'], false),
      tos: typeof d['tos'] === 'number' ? d['tos'] as number : 0, df: typeof d['df'] === 'number' ? d['df'] as number : 0,
      label: typeof d['label'] === 'number' ? d['label'] as number : 0,
      udpCsum: bool(d['udpCsum'], false), zeroCsum6Tx: bool(d['udpZeroCsum6Tx'], false),
      zeroCsum6Rx: bool(d['udpZeroCsum6Rx'], true), metadata, innerProtoInherit: bool(d['innerProtoInherit'], false),
      sock: null,
    };
    dev.priv = p;
    const r = applyCreateAttrs(dev, ctx.attrs);
    if (!r.ok) return r;
    const reg = registerNew(ctx.ns, dev, ctx.attrs);
    if (!reg.ok) return reg;
    loadModule(ctx.lab, 'geneve'); // rtnl-link-geneve: the kernel autoloads the driver
    return ok(dev);
  },
  changeLink(dev, data) {
    const p = genevePriv(dev);
    // geneve_changelink: the VNI, port and remote identify the tunnel; other knobs may change.
    if (data['id'] !== undefined && data['id'] !== p.vni) return err(Errno.EOPNOTSUPP, 'Cannot change VNI');
    if (typeof data['ttl'] === 'number') { p.ttl = data['ttl'] as number; p.ttlInherit = false; }
    if (data['ttlInherit'] !== undefined) p.ttlInherit = bool(data['ttlInherit'], false);
    if (typeof data['tos'] === 'number') p.tos = data['tos'] as number;
    if (typeof data['df'] === 'number') p.df = data['df'] as number;
    if (data['udpCsum'] !== undefined) p.udpCsum = bool(data['udpCsum'], false);
    return OK;
  },
  delLink(dev) { unregisterNetdevice(dev); },
  fillInfo(dev) {
    const p = genevePriv(dev);
    const d: KindData = { id: p.vni };
    if (p.remote) d['remote'] = p.remote;
    else if (p.remote6) d['remote6'] = p.remote6;
    d['ttl'] = p.ttl;
    d['tos'] = p.tos;
    d['df'] = p.df;
    d['label'] = p.label;
    d['port'] = p.port;
    if (p.metadata) d['collectMetadata'] = 1;
    d['udpCsum'] = p.udpCsum ? 1 : 0;
    d['udpZeroCsum6Tx'] = p.zeroCsum6Tx ? 1 : 0;
    d['udpZeroCsum6Rx'] = p.zeroCsum6Rx ? 1 : 0;
    d['ttlInherit'] = p.ttlInherit ? 1 : 0;
    if (p.innerProtoInherit) d['innerProtoInherit'] = 1;
    return d;
  },
};

export function installGeneve(lab: Lab): void {
  registerKind(lab, geneveKind);
}
