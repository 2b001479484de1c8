/**
 * drivers/net/vxlan/vxlan_core.c: Ethernet over UDP (RFC 7348) with the kernel's own FDB.
 *
 * Transmit looks the destination MAC up in the device's FDB (miss → the all-zeros entry, whose
 * remotes all get a copy: head-end replication), wraps the frame in an 8-byte VXLAN header and
 * sends it as UDP from the namespace the device was created in (vxlan->net), through the
 * ordinary IPv4 output (routing, ARP, fragmentation). Receive is a UDP encap socket bound to the
 * destination port on INADDR_ANY, shared by every vxlan device with that port in that namespace
 * and opened while at least one of them is up; the VNI picks the device, the inner source MAC is
 * learned against the outer source IP, and the frame enters the device's receive path.
 *
 * A multicast `group` is joined on the `dev` lower device while the vxlan is up (ipv4/igmp.ts:
 * the group MAC, IGMPv3 reports) and is the default destination, sent with TTL 1.
 *
 * Not emulated: IPv6 underlays (`remote`/`local` IPv6 addresses are accepted and shown, but such
 * a device counts what it would send as tx_dropped), `proxy`/`l2miss`/`l3miss`/`rsc` (stored and
 * shown only), metadata mode (`external`), GBP/GPE and remote checksum offload.
 */
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import type { NetNamespace } from '../netns.ts';
import {
  IFF_BROADCAST, IFF_MULTICAST, NetDevice, isMulticastMac, isZeroMac, macStr, macToNum, numToMac,
  type DeviceOps,
} from '../netdev.ts';
import { PacketType, SkBuff } from '../skb.ts';
import { drop, ethTypeTrans, netifRx, unregisterNetdevice } from '../dev.ts';
import { applyCreateAttrs, registerKind, registerNew, type KindData, type LinkKind } from '../rtnl.ts';
import { ipStr, rd16, rd32 } from '../ipv4/bytes.ts';
import { routeOutput } from '../ipv4/ip.ts';
import type { Route } from '../ipv4/fib.ts';
import { mcJoin, mcLeave } from '../ipv4/igmp.ts';
import { udpEncapBind, udpEncapRelease, udpState, udpTunnelXmit, type UdpEncapSock } from '../ipv4/udp.ts';
import {
  NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NTF_SELF, NUD_NOARP, NUD_PERMANENT,
  NUD_REACHABLE, type FdbRequest,
} from './bridge/fdb.ts';
import type { FdbDumpEntry } from './bridge/netlink.ts';
import { HZ, KTimer, jiffies, jiffiesToClockT } from './bridge/types.ts';

/** IPv4 outer headers: 14 Ethernet + 20 IP + 8 UDP + 8 VXLAN (VXLAN_HEADROOM). */
export const VXLAN_HEADROOM = 50;
export const VXLAN_DEFAULT_PORT = 8472;
const FDB_AGE_INTERVAL = 10 * HZ;
const NTF_EXT_LEARNED = 0x10;

/** One destination of an FDB entry (struct vxlan_rdst). */
export interface VxlanRdst { ip: number; port: number; vni: number; ifindex: number }

/** struct vxlan_fdb; times in jiffies. */
export interface VxlanFdb {
  mac: number;
  state: number;
  flags: number;
  remotes: VxlanRdst[];
  used: number;
  updated: number;
}

export interface VxlanPriv {
  dev: NetDevice;
  /** vxlan->net: where the UDP socket lives and routes are looked up (the creating namespace). */
  net: NetNamespace;
  vni: number;
  /** default_dst.remote_ip (a unicast remote or a multicast group); 0 = none. */
  remote: number;
  remote6: Uint8Array | null;
  local: number;
  local6: Uint8Array | null;
  /** default_dst.remote_ifindex (`dev X`), in `net`. */
  link: number;
  port: number;
  portLow: number;
  portHigh: number;
  ttl: number;
  ttlInherit: boolean;
  /** 1 = inherit. */
  tos: number;
  /** 0 unset, 1 set, 2 inherit. */
  df: number;
  label: number;
  learning: boolean;
  proxy: boolean;
  rsc: boolean;
  l2miss: boolean;
  l3miss: boolean;
  /** Seconds; 0 = entries never age. */
  ageing: number;
  limit: number;
  udpCsum: boolean;
  zeroCsum6Tx: boolean;
  zeroCsum6Rx: boolean;
  remcsumTx: boolean;
  remcsumRx: boolean;
  metadata: boolean;
  vnifilter: boolean;
  gbp: boolean;
  gpe: boolean;
  /** The FDB, newest first (entries are added at the head of the list, as the kernel dumps them). */
  fdb: VxlanFdb[];
  sock: VxlanSock | null;
  ageTimer: KTimer;
}

/** struct vxlan_sock: the UDP socket shared by the vxlan devices of one port in one namespace. */
interface VxlanSock extends UdpEncapSock {
  kind: 'vxlan';
  devs: NetDevice[];
  net: NetNamespace;
}

export function vxlanPriv(dev: NetDevice): VxlanPriv { return dev.priv as VxlanPriv; }

// ---------------------------------------------------------------------------------------------
// FDB

function findMac(p: VxlanPriv, mac: number, touch: boolean): VxlanFdb | null {
  for (const f of p.fdb) {
    if (f.mac === mac) {
      if (touch) f.used = jiffies(p.net.lab);
      return f;
    }
  }
  return null;
}

function fdbCreate(p: VxlanPriv, mac: number, rd: VxlanRdst, state: number, flags: number): NlResult<VxlanFdb> {
  // The limit counts only dynamic entries' siblings... the kernel counts every entry except the default.
  if (p.limit && p.fdb.filter((f) => f.mac !== 0).length >= p.limit) return err(Errno.ENOSPC);
  const now = jiffies(p.net.lab);
  const f: VxlanFdb = { mac, state, flags, remotes: [rd], used: now, updated: now };
  p.fdb.unshift(f);
  return ok(f);
}

function fdbDestroy(p: VxlanPriv, f: VxlanFdb): void {
  const i = p.fdb.indexOf(f);
  if (i >= 0) p.fdb.splice(i, 1);
}

function findRdst(f: VxlanFdb, rd: VxlanRdst): VxlanRdst | null {
  return f.remotes.find((r) => r.ip === rd.ip && r.port === rd.port && r.vni === rd.vni && r.ifindex === rd.ifindex) ?? null;
}

/** vxlan_fdb_update: create, replace, append, or update state/flags of an entry. */
function fdbUpdate(p: VxlanPriv, mac: number, rd: VxlanRdst, state: number, nlFlags: number, ndmFlags: number): NlResult {
  const macBytes = numToMac(mac);
  const group = isMulticastMac(macBytes) || isZeroMac(macBytes);
  const f = findMac(p, mac, false);
  if (f) {
    if (nlFlags & NLM_F_EXCL) return err(Errno.EEXIST);
    if (f.state !== state) { f.state = state; f.updated = jiffies(p.net.lab); }
    if (f.flags !== ndmFlags) { f.flags = ndmFlags; f.updated = jiffies(p.net.lab); }
    if (nlFlags & NLM_F_REPLACE) {
      // Only unicast entries can have their destination replaced.
      if (group) return err(Errno.EOPNOTSUPP, 'Cannot replace non-unicast fdb entries');
      if (!findRdst(f, rd)) f.remotes[0] = { ...rd };
      f.updated = jiffies(p.net.lab);
    }
    if ((nlFlags & NLM_F_APPEND) && group && !findRdst(f, rd)) {
      f.remotes.push({ ...rd });
      f.updated = jiffies(p.net.lab);
    }
    return OK;
  }
  if (!(nlFlags & NLM_F_CREATE)) return err(Errno.ENOENT);
  // Disallow replace to add a multicast entry.
  if ((nlFlags & NLM_F_REPLACE) && group) return err(Errno.EOPNOTSUPP, 'Cannot replace non-unicast fdb entries');
  const c = fdbCreate(p, mac, { ...rd }, state, ndmFlags);
  return c.ok ? OK : c;
}

/** vxlan_fdb_parse: the request's attributes with the device's defaults filled in. */
function fdbParse(p: VxlanPriv, req: FdbRequest): NlResult<{ rd: VxlanRdst; v6: boolean }> {
  let ip = 0;
  let v6 = false;
  if (req.dst instanceof Uint8Array) v6 = true;
  else if (typeof req.dst === 'number') ip = req.dst >>> 0;
  else v6 = p.remote6 !== null;
  let ifindex = 0;
  if (req.ifindex !== undefined) {
    if (!p.net.byIndex.has(req.ifindex)) return err(Errno.EADDRNOTAVAIL);
    ifindex = req.ifindex;
  }
  return ok({ rd: { ip, port: req.port ?? p.port, vni: req.vni ?? p.vni, ifindex }, v6 });
}

function fdbAdd(dev: NetDevice, req: FdbRequest): NlResult {
  const p = vxlanPriv(dev);
  if (!(req.state & (NUD_PERMANENT | NUD_REACHABLE))) return err(Errno.EINVAL);
  if (req.dst === undefined) return err(Errno.EINVAL);
  const r = fdbParse(p, req);
  if (!r.ok) return r;
  if (r.value.v6 !== (p.remote6 !== null)) return err(Errno.EAFNOSUPPORT);
  if (r.value.v6) return err(Errno.EAFNOSUPPORT);
  return fdbUpdate(p, req.mac, r.value.rd, req.state, req.nlFlags, req.flags & 0xff);
}

/** __vxlan_fdb_delete: a named destination goes alone unless it is the last one. */
function fdbDel(dev: NetDevice, req: FdbRequest): NlResult {
  const p = vxlanPriv(dev);
  const r = fdbParse(p, req);
  if (!r.ok) return r;
  const f = findMac(p, req.mac, true);
  if (!f) return err(Errno.ENOENT);
  let rd: VxlanRdst | null = null;
  if (r.value.rd.ip !== 0) {
    rd = findRdst(f, r.value.rd);
    if (!rd) return OK;
  }
  if (rd && f.remotes.length > 1) {
    f.remotes.splice(f.remotes.indexOf(rd), 1);
    return OK;
  }
  fdbDestroy(p, f);
  return OK;
}

function fdbDump(dev: NetDevice): FdbDumpEntry[] {
  const p = vxlanPriv(dev);
  const now = jiffies(p.net.lab);
  const out: FdbDumpEntry[] = [];
  for (const f of p.fdb) {
    for (const rd of f.remotes) {
      const e: FdbDumpEntry = { mac: f.mac, dev, master: null, vid: 0, flags: f.flags, state: f.state,
        used: jiffiesToClockT(now - f.used), updated: jiffiesToClockT(now - f.updated), dst: rd.ip, cacheinfo: true };
      if (rd.port && rd.port !== p.port) e.port = rd.port;
      if (rd.vni !== p.vni) e.vni = rd.vni;
      if (rd.ifindex) e.via = rd.ifindex;
      out.push(e);
    }
  }
  return out;
}

/** vxlan_cleanup: every FDB_AGE_INTERVAL, learned entries not refreshed for `ageing` seconds go. */
function cleanup(p: VxlanPriv): void {
  if (!p.dev.isUp) return;
  const now = jiffies(p.net.lab);
  let next = now + FDB_AGE_INTERVAL;
  for (const f of [...p.fdb]) {
    if (f.state & (NUD_PERMANENT | NUD_NOARP)) continue;
    if (f.flags & NTF_EXT_LEARNED) continue;
    const timeout = f.updated + p.ageing * HZ;
    if (timeout <= now) fdbDestroy(p, f);
    else if (timeout < next) next = timeout;
  }
  p.ageTimer.mod(next);
}

/** vxlan_flush: on stop, everything but permanent/static entries and the default entry. */
function flush(p: VxlanPriv, all: boolean): void {
  p.fdb = p.fdb.filter((f) => (!all && (f.state & (NUD_PERMANENT | NUD_NOARP)) !== 0) || (f.mac === 0 && !all));
}

/** vxlan_snoop: learn (or move) the inner source MAC behind the outer source address. True = drop. */
function snoop(p: VxlanPriv, src: number, mac: number): boolean {
  const lab = p.net.lab;
  const f = findMac(p, mac, true);
  if (f) {
    const rd = f.remotes[0]!;
    if (rd.ip === src && rd.ifindex === 0) {
      f.updated = jiffies(lab);
      return false;
    }
    // Static entries don't migrate: the packet is dropped instead.
    if (f.state & (NUD_PERMANENT | NUD_NOARP)) return true;
    // netdev_info: "<driver> <dev>: …"
    lab.log(`vxlan ${p.dev.name}: ${macStr(numToMac(mac))} migrated from ${ipStr(rd.ip)} to ${ipStr(src)}`);
    rd.ip = src;
    f.updated = jiffies(lab);
    return false;
  }
  if (p.dev.isUp) fdbCreate(p, mac, { ip: src, port: p.port, vni: p.vni, ifindex: 0 }, NUD_REACHABLE, NTF_SELF);
  return false;
}


// ---------------------------------------------------------------------------------------------
// Transmit

/** The per-boot flow hash seed (hashrnd): drawn once per lab from its generator. */
function hashSeed(lab: Lab): number {
  const st = udpState(lab.init) as ReturnType<typeof udpState> & { hashSeed?: number };
  if (st.hashSeed === undefined) st.hashSeed = lab.rng.nextU32();
  return st.hashSeed;
}

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * skb_get_hash of the inner frame as the flow dissector computes it: symmetric in the addresses
 * and ports (so a request and its reply hash alike), keyed by the boot's seed; non-IP frames
 * hash their ethertype only.
 */
function flowHash(lab: Lab, f: Uint8Array): number {
  let h = hashSeed(lab);
  const et = rd16(f, 12);
  if (et === 0x0800 && f.length >= 34) {
    const ihl = (f[14]! & 0xf) * 4;
    let a = rd32(f, 26), b = rd32(f, 30);
    const proto = f[23]!;
    let sp = 0, dp = 0;
    const frag = (rd16(f, 20) & 0x3fff) !== 0;
    if (!frag && (proto === 6 || proto === 17) && f.length >= 14 + ihl + 4) { sp = rd16(f, 14 + ihl); dp = rd16(f, 16 + ihl); }
    if (b < a || (a === b && dp < sp)) { [a, b] = [b, a]; [sp, dp] = [dp, sp]; }
    h = mix(mix(mix(mix(h, a), b), proto), (sp << 16) | dp);
  } else if (et === 0x86dd && f.length >= 54) {
    const a = f.subarray(22, 38), b = f.subarray(38, 54);
    let swap = false;
    for (let i = 0; i < 16; i++) { if (a[i] !== b[i]) { swap = b[i]! < a[i]!; break; } }
    const [x, y] = swap ? [b, a] : [a, b];
    for (let i = 0; i < 16; i += 4) h = mix(h, rd32(x, i));
    for (let i = 0; i < 16; i += 4) h = mix(h, rd32(y, i));
    h = mix(h, f[20]!);
  } else {
    // ARP and other non-IP frames: the dissector finds no addresses or ports to hash, only the
    // protocol, so they all share one hash (seen: an ARP request and its reply use one port).
    h = mix(h, et);
  }
  return h >>> 0 || 1;
}

/** udp_flow_src_port: a port in [min, max) picked by the flow hash; no range = ip_local_port_range. */
export function udpFlowSrcPort(net: NetNamespace, frame: Uint8Array, min: number, max: number): number {
  if (min >= max) {
    const range = String(net.sysctl.get('net.ipv4.ip_local_port_range') ?? '32768\t60999').split(/\s+/).map(Number);
    min = range[0] ?? 32768; max = range[1] ?? 60999;
  }
  let h = flowHash(net.lab, frame);
  h = (h ^ (h << 16)) >>> 0;
  return Math.floor((h * (max - min)) / 0x100000000) + min;
}

/**
 * The route a tunnel's outer packet takes (vxlan_get_route, geneve_get_v4_rt, ip_tunnel_xmit's
 * lookup), or null after counting and dropping as they do: no usable route, or a route back out
 * through the tunnel itself (a circular route, counted as a collision).
 */
export function tunnelRoute(dev: NetDevice, skb: SkBuff, net: NetNamespace, dst: number, oif: NetDevice | null, fn: string): Route | null {
  const lab = dev.netns.lab;
  const rt = routeOutput(net, dst, oif);
  if (!rt || rt.type === 'unreachable' || rt.type === 'prohibit' || rt.type === 'blackhole' || rt.type === 'throw') {
    // The kernel also counts tx_carrier_errors here; vnet's stats have no such counter.
    dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_ROUTE', fn, `no route to ${ipStr(dst)}`);
    return null;
  }
  if (rt.dev === dev) {
    dev.stats.collisions++;
    dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'TUNNEL_LOOP', fn, `circular route to ${ipStr(dst)}`);
    return null;
  }
  return rt;
}

/** ip_tunnel_ecn_encap: the outer TOS takes the inner packet's ECN bits (CE becomes ECT(0)). */
export function ecnEncap(tos: number, frame: Uint8Array): number {
  let inner = 0;
  if (rd16(frame, 12) === 0x0800 && frame.length >= 34) inner = frame[15]!;
  else if (rd16(frame, 12) === 0x86dd && frame.length >= 54) inner = ((frame[14]! << 4) | (frame[15]! >> 4)) & 0xff;
  const ecn = inner & 3;
  return (tos & ~3) | (ecn === 3 ? 2 : ecn);
}

export function innerDsfield(frame: Uint8Array): number {
  if (rd16(frame, 12) === 0x0800 && frame.length >= 34) return frame[15]!;
  if (rd16(frame, 12) === 0x86dd && frame.length >= 54) return ((frame[14]! << 4) | (frame[15]! >> 4)) & 0xff;
  return 0;
}

/** Counts what iptunnel_xmit_stats / dev_sw_netstats_rx_add count: the frame without its Ethernet header. */
function payloadLen(skb: SkBuff): number { return Math.max(0, skb.len - 14); }

/** vxlan_xmit_one: encapsulate towards one remote. */
function xmitOne(dev: NetDevice, skb: SkBuff, rd: VxlanRdst): void {
  const p = vxlanPriv(dev);
  const lab = dev.netns.lab;
  const frame = skb.data;
  if (rd.ip === 0) {
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_FDB', 'vxlan_xmit_one', 'the FDB entry has no remote address');
    return;
  }
  if (p.remote6 || p.local6) {
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_ROUTE', 'vxlan_xmit_one', 'vnet does not emulate IPv6 underlays');
    return;
  }
  const net = p.net;
  const dport = rd.port || p.port;
  const vni = rd.vni;
  const multicast = (rd.ip >>> 28) === 0xe;
  let ttl: number;
  if (p.ttlInherit) ttl = rd16(frame, 12) === 0x0800 && frame.length >= 34 ? frame[22]! : 0;
  else ttl = p.ttl || (multicast ? 1 : 0);
  let tos = p.tos === 1 ? innerDsfield(frame) : p.tos;
  const sport = udpFlowSrcPort(p.net, frame, p.portLow, p.portHigh);
  const oifDev = rd.ifindex ? net.byIndex.get(rd.ifindex) ?? null : null;
  const rt = tunnelRoute(dev, skb, net, rd.ip, oifDev, 'vxlan_get_route');
  if (!rt) return;
  if (rt.type === 'local') {
    encapBypass(dev, skb, net, vni, dport);
    return;
  }
  let df = p.df === 1;
  if (p.df === 2) {
    const et = rd16(frame, 12);
    df = et === 0x86dd || (et === 0x0800 && frame.length >= 34 && (rd16(frame, 20) & 0x4000) !== 0);
  }
  tos = ecnEncap(tos, frame);
  if (!ttl) ttl = net.sysctl.getInt('net.ipv4.ip_default_ttl', 64);
  const payload = new Uint8Array(8 + frame.length);
  payload[0] = 0x08;
  payload[4] = (vni >>> 16) & 0xff; payload[5] = (vni >>> 8) & 0xff; payload[6] = vni & 0xff;
  payload.set(frame, 8);
  const len = payloadLen(skb);
  const r = udpTunnelXmit(net, { src: p.local, dst: rd.ip, sport, dport, payload, ttl, tos, df, csum: p.udpCsum,
    oif: oifDev });
  if (!r.ok) {
    dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_ROUTE', 'udp_tunnel_xmit_skb', `errno ${r.errno}`);
    return;
  }
  dev.stats.txPackets++; dev.stats.txBytes += len;
  if (lab.tracer) lab.trace(skb, dev, 'tx', 'vxlan_xmit_one', 'forwarded', undefined, `VNI ${vni} to ${ipStr(rd.ip)}:${dport}`);
}

/** vxlan_encap_bypass: a remote that is a local address skips the wire and enters that device directly. */
function encapBypass(dev: NetDevice, skb: SkBuff, net: NetNamespace, vni: number, port: number): void {
  const lab = dev.netns.lab;
  const target = findVni(net, vni, port);
  if (!target) {
    dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'TUNNEL_NO_DEVICE', 'encap_bypass_if_local', `no local vxlan device with VNI ${vni}`);
    return;
  }
  const len = payloadLen(skb);
  const copy = new SkBuff(new Uint8Array(skb.data), target, PacketType.HOST, skb.packetId);
  if (!target.isUp) { target.stats.rxDropped++; drop(lab, copy, 'rx', 'DEV_DOWN', 'vxlan_encap_bypass'); return; }
  const tp = vxlanPriv(target);
  if (tp.learning) snoop(tp, 0x7f000001, macToNum(copy.data, 6));
  dev.stats.txPackets++; dev.stats.txBytes += len;
  ethTypeTrans(copy, target);
  copy.pktType = PacketType.HOST;
  target.stats.rxPackets++; target.stats.rxBytes += len;
  netifRx(copy);
}

function vxlanXmit(dev: NetDevice, skb: SkBuff): void {
  const p = vxlanPriv(dev);
  const lab = dev.netns.lab;
  if (p.metadata) {
    // Flow-based devices send only what carries tunnel metadata (tc/BPF/OVS); nothing here does.
    drop(lab, skb, 'tx', 'TUNNEL_NO_FDB', 'vxlan_xmit', 'external (metadata) device without tunnel info');
    return;
  }
  let f = findMac(p, macToNum(skb.data, 0), true);
  if (!f) {
    f = findMac(p, 0, true);
    if (!f) {
      dev.stats.txDropped++;
      drop(lab, skb, 'tx', 'TUNNEL_NO_FDB', 'vxlan_xmit', 'no FDB entry and no default (00:00:00:00:00:00) entry');
      return;
    }
  }
  // Head-end replication: every remote but the first gets a clone, the first gets the frame.
  const remotes = [...f.remotes];
  for (let i = 1; i < remotes.length; i++) xmitOne(dev, skb.clone(), remotes[i]!);
  xmitOne(dev, skb, remotes[0]!);
}

// ---------------------------------------------------------------------------------------------
// Receive

/** vxlan_vs_find_vni over every socket of this port in `net`. */
function findVni(net: NetNamespace, vni: number, port: number): NetDevice | null {
  for (const s of udpState(net).socks) {
    if ((s as VxlanSock).kind !== 'vxlan' || s.port !== port) continue;
    for (const d of (s as VxlanSock).devs) if (vxlanPriv(d).vni === vni) return d;
  }
  return null;
}

/** vxlan_rcv (encap_rcv of the shared socket). */
function vxlanRcv(sock: VxlanSock, pkt: import('../ipv4/ip.ts').IpPacket, skb: SkBuff): void {
  const lab = sock.net.lab;
  const b = pkt.bytes;
  const vx = pkt.hlen + 8;
  if (b.length < vx + 8) { drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'vxlan_rcv', 'truncated VXLAN header'); return; }
  // The I flag is required; other flag bits and the reserved bytes must be zero (no GBP/GPE here).
  if (!(b[vx]! & 0x08) || (b[vx]! & ~0x08) || b[vx + 1] || b[vx + 2] || b[vx + 3] || b[vx + 7]) {
    drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'vxlan_rcv', 'invalid VXLAN flags or reserved bits');
    return;
  }
  const vni = (b[vx + 4]! << 16) | (b[vx + 5]! << 8) | b[vx + 6]!;
  const vdev = sock.devs.find((d) => vxlanPriv(d).vni === vni);
  if (!vdev) { drop(lab, skb, 'rx', 'TUNNEL_NO_DEVICE', 'vxlan_rcv', `no vxlan device with VNI ${vni}`); return; }
  const inner = b.subarray(vx + 8);
  if (inner.length < 14) { drop(lab, skb, 'rx', 'TUNNEL_BAD_HEADER', 'vxlan_rcv', 'inner frame too short'); return; }
  const nskb = new SkBuff(new Uint8Array(inner), vdev, PacketType.HOST, skb.packetId);
  nskb.hops = skb.hops;
  ethTypeTrans(nskb, vdev);
  const srcMac = macToNum(inner, 6);
  const p = vxlanPriv(vdev);
  // Ignore packet loops (and multicast echo), and invalid source addresses.
  if (srcMac === vdev.macNum) { drop(lab, nskb, 'rx', 'TUNNEL_OWN_SRC_MAC', 'vxlan_set_mac'); return; }
  if (isMulticastMac(inner, 6) || isZeroMac(inner, 6)) {
    drop(lab, nskb, 'rx', 'TUNNEL_BAD_HEADER', 'vxlan_set_mac', 'invalid inner source MAC');
    return;
  }
  if (p.learning && snoop(p, pkt.src, srcMac)) {
    drop(lab, nskb, 'rx', 'TUNNEL_BAD_HEADER', 'vxlan_snoop', 'source MAC belongs to a static entry elsewhere');
    return;
  }
  if (!vdev.isUp) { vdev.stats.rxDropped++; drop(lab, nskb, 'rx', 'DEV_DOWN', 'vxlan_rcv'); return; }
  vdev.stats.rxPackets++; vdev.stats.rxBytes += inner.length - 14;
  if (lab.tracer) lab.trace(skb, pkt.dev, 'rx', 'vxlan_rcv', 'forwarded', undefined, `decapsulated VNI ${vni} into ${vdev.name}`);
  netifRx(nskb);
}

/** vxlan_sock_add: join (or open) the socket of this port. */
function sockAdd(dev: NetDevice): NlResult {
  const p = vxlanPriv(dev);
  for (const s of udpState(p.net).socks) {
    if ((s as VxlanSock).kind === 'vxlan' && s.port === p.port) {
      const vs = s as VxlanSock;
      vs.devs.unshift(dev);
      p.sock = vs;
      return OK;
    }
  }
  const vs: VxlanSock = { kind: 'vxlan', port: p.port, addr: 0, devs: [dev], net: p.net,
    rcv: (pkt, skb) => vxlanRcv(vs, pkt, skb) };
  const e = udpEncapBind(p.net, vs);
  if (e) return err(e);
  p.sock = vs;
  return OK;
}

/** The device a multicast group is joined on (none for a unicast remote). */
function mcLower(p: VxlanPriv): NetDevice | null {
  if ((p.remote >>> 28) !== 0xe || !p.link) return null;
  return p.net.byIndex.get(p.link) ?? null;
}

function sockRelease(dev: NetDevice): void {
  const p = vxlanPriv(dev);
  const vs = p.sock;
  if (!vs) return;
  p.sock = null;
  const i = vs.devs.indexOf(dev);
  if (i >= 0) vs.devs.splice(i, 1);
  if (!vs.devs.length) udpEncapRelease(vs.net, vs);
}

// ---------------------------------------------------------------------------------------------
// Device

const vxlanOps: DeviceOps = {
  kind: 'vxlan',
  noQueue: true,
  open(dev) {
    const p = vxlanPriv(dev);
    const r = sockAdd(dev);
    if (!r.ok) return r;
    // vxlan_multicast_join: a group is joined on the `dev` lower device.
    const lower = mcLower(p);
    if (lower) mcJoin(p.net, lower, p.remote);
    if (p.ageing) p.ageTimer.mod(jiffies(p.net.lab) + FDB_AGE_INTERVAL);
    return OK;
  },
  stop(dev) {
    const p = vxlanPriv(dev);
    const lower = mcLower(p);
    if (lower) mcLeave(p.net, lower, p.remote);
    p.ageTimer.del();
    flush(p, false);
    sockRelease(dev);
  },
  xmit: vxlanXmit,
  changeMtu(dev, mtu) {
    const p = vxlanPriv(dev);
    const lower = p.link ? p.net.byIndex.get(p.link) : undefined;
    if (lower && mtu > lower.mtu - VXLAN_HEADROOM) return err(Errno.EINVAL);
    return OK;
  },
  setMac(dev, mac) { dev.setMacBytes(mac); dev.addrAssign = 'set'; return OK; },
  uninit(dev) {
    const p = vxlanPriv(dev);
    sockRelease(dev);
    p.ageTimer.del();
    const f = findMac(p, 0, false);
    if (f) fdbDestroy(p, f);
  },
  fdbAdd,
  fdbDel,
  fdbDump,
};

function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  return v === true || (typeof v === 'number' && v !== 0);
}

/** The lab's vxlan devices (vxlan_net's list, but lab-wide): kept so that checks and lower-device
 *  events cost nothing in labs without vxlan, instead of a scan of every device. */
const registries = new WeakMap<Lab, Set<NetDevice>>();
function vxlanRegistry(lab: Lab): Set<NetDevice> {
  let r = registries.get(lab);
  if (!r) registries.set(lab, (r = new Set()));
  return r;
}
function allVxlans(lab: Lab): NetDevice[] {
  const r = registries.get(lab);
  return r && r.size ? [...r] : [];
}

/** vxlan_vni_in_use: one VNI per (namespace, port, address family) unless vnifilter. */
function vniInUse(lab: Lab, net: NetNamespace, vni: number, port: number, v6: boolean, metadata: boolean, self: NetDevice | null): boolean {
  for (const d of allVxlans(lab)) {
    if (d === self) continue;
    const q = vxlanPriv(d);
    if (q.net !== net || q.port !== port) continue;
    if ((q.remote6 !== null || q.local6 !== null) !== v6) continue;
    if (q.metadata !== metadata) continue;
    if (!metadata && q.vni !== vni) continue;
    return true;
  }
  return false;
}

export const vxlanKind: LinkKind = {
  kind: 'vxlan',
  setupMtu: { min: 68, max: 65535 },
  newLink(ctx) {
    const d: KindData = ctx.attrs.data ?? {};
    const net = ctx.src;
    const vni = typeof d['id'] === 'number' ? d['id'] as number : 0;
    if (vni >= 1 << 24) return err(Errno.ERANGE, 'VXLAN ID must be lower than 16777216');
    const group = typeof d['group'] === 'number' ? (d['group'] as number) >>> 0 : 0;
    const group6 = d['group6'] instanceof Uint8Array ? d['group6'] as Uint8Array : null;
    const local = typeof d['local'] === 'number' ? (d['local'] as number) >>> 0 : 0;
    const local6 = d['local6'] instanceof Uint8Array ? d['local6'] as Uint8Array : null;
    if ((group && local6) || (group6 && local)) return err(Errno.EINVAL, 'Local and remote address must be from the same family');
    const metadata = bool(d['collectMetadata'], false);
    const range = d['portRange'] as { low: number; high: number } | undefined;
    if (range && range.high < range.low) return err(Errno.EINVAL, 'Invalid source port range');
    if (typeof d['label'] === 'number' && d['label'] && !group6 && !local6) {
      return err(Errno.EINVAL, 'Label attribute only applies to IPv6 VXLAN devices');
    }
    if (bool(d['gbp'], false) && bool(d['gpe'], false)) return err(Errno.EINVAL, 'VXLAN GBP and GPE are mutually exclusive');
    const link = typeof d['link'] === 'number' ? d['link'] as number : 0;
    let lower: NetDevice | null = null;
    if (link) {
      lower = net.byIndex.get(link) ?? null;
      if (!lower) return err(Errno.ENODEV, 'Invalid local interface, device not found');
    }
    const multicast = (group >>> 28) === 0xe || (group6 !== null && group6[0] === 0xff);
    if (multicast && !lower) return err(Errno.EINVAL, 'Local interface required for multicast remote destination');
    const port = typeof d['port'] === 'number' && d['port'] ? d['port'] as number : VXLAN_DEFAULT_PORT;
    const v6 = group6 !== null || local6 !== null;
    if (vniInUse(ctx.lab, net, vni, port, v6, metadata, null)) {
      return err(Errno.EEXIST, 'A VXLAN device with the specified VNI already exists');
    }
    if (lower && ctx.attrs.mtu !== undefined && ctx.attrs.mtu > lower.mtu - VXLAN_HEADROOM) return err(Errno.EINVAL);
    const dev = new NetDevice(ctx.attrs.ifname ?? ctx.ns.allocName('vxlan%d'), vxlanOps, IFF_BROADCAST | IFF_MULTICAST);
    dev.setMacBytes(ctx.lab.rng.randomMac());
    dev.minMtu = 68; dev.maxMtu = 65535;
    dev.carrier = true;
    if (lower) {
      dev.mtu = lower.mtu - VXLAN_HEADROOM;
      // netif_inherit_tso_max: TSO limits come from the lower device.
      dev.tsoMaxSize = lower.tsoMaxSize; dev.tsoMaxSegs = lower.tsoMaxSegs;
    } else {
      dev.tsoMaxSize = 65536;
    }
    const p: VxlanPriv = {
      dev, net, vni, remote: group, remote6: group6, local, local6, link, port,
      portLow: range?.low ?? 0, portHigh: range?.high ?? 0,
      ttl: typeof d['ttl'] === 'number' ? d['ttl'] as number : 0, ttlInherit: bool(d['ttlInherit'], false),
      tos: typeof d['tos'] === 'number' ? d['tos'] as number : 0, df: typeof d['df'] === 'number' ? d['df'] as number : 0,
      label: typeof d['label'] === 'number' ? d['label'] as number : 0,
      learning: bool(d['learning'], true), proxy: bool(d['proxy'], false), rsc: bool(d['rsc'], false),
      l2miss: bool(d['l2miss'], false), l3miss: bool(d['l3miss'], false),
      // An ageing of 0 at creation means the default (vxlan_config_apply).
      ageing: typeof d['ageing'] === 'number' && d['ageing'] ? d['ageing'] as number : 300,
      limit: typeof d['limit'] === 'number' ? d['limit'] as number : 0,
      udpCsum: bool(d['udpCsum'], true), zeroCsum6Tx: bool(d['udpZeroCsum6Tx'], false),
      zeroCsum6Rx: bool(d['udpZeroCsum6Rx'], false), remcsumTx: bool(d['remcsumTx'], false),
      remcsumRx: bool(d['remcsumRx'], false), metadata, vnifilter: bool(d['vnifilter'], false),
      gbp: bool(d['gbp'], false), gpe: bool(d['gpe'], false),
      fdb: [], sock: null, ageTimer: null!,
    };
    p.ageTimer = new KTimer(ctx.lab, () => cleanup(p));
    dev.priv = p;
    const r = applyCreateAttrs(dev, ctx.attrs);
    if (!r.ok) return r;
    // The default destination is the all-zeros entry (only for an IPv4 remote or group).
    if (group) {
      fdbCreate(p, 0, { ip: group, port, vni, ifindex: link }, NUD_REACHABLE | NUD_PERMANENT, NTF_SELF);
    }
    const reg = registerNew(ctx.ns, dev, ctx.attrs);
    if (!reg.ok) return reg;
    vxlanRegistry(ctx.lab).add(dev);
    return ok(dev);
  },
  changeLink(dev, data) {
    const p = vxlanPriv(dev);
    // vxlan_changelink: the VNI, port and addressing family are fixed; the rest can change.
    if (data['id'] !== undefined && data['id'] !== p.vni) return err(Errno.EOPNOTSUPP, 'Cannot change VNI');
    if (data['port'] !== undefined && data['port'] !== p.port) return err(Errno.EOPNOTSUPP, 'Cannot change dst port');
    if (typeof data['group'] === 'number') {
      const g = (data['group'] as number) >>> 0;
      if (g !== p.remote) {
        const def = findMac(p, 0, false);
        if (def) fdbDestroy(p, def);
        if (g) fdbCreate(p, 0, { ip: g, port: p.port, vni: p.vni, ifindex: p.link }, NUD_REACHABLE | NUD_PERMANENT, NTF_SELF);
        p.remote = g;
      }
    }
    if (typeof data['local'] === 'number') p.local = (data['local'] as number) >>> 0;
    if (typeof data['ttl'] === 'number') { p.ttl = data['ttl'] as number; p.ttlInherit = false; }
    if (data['ttlInherit'] !== undefined) p.ttlInherit = bool(data['ttlInherit'], false);
    if (typeof data['tos'] === 'number') p.tos = data['tos'] as number;
    if (typeof data['df'] === 'number') p.df = data['df'] as number;
    if (typeof data['ageing'] === 'number') p.ageing = data['ageing'] as number;
    if (typeof data['limit'] === 'number') p.limit = data['limit'] as number;
    if (data['learning'] !== undefined) p.learning = bool(data['learning'], true);
    if (data['proxy'] !== undefined) p.proxy = bool(data['proxy'], false);
    if (data['rsc'] !== undefined) p.rsc = bool(data['rsc'], false);
    if (data['l2miss'] !== undefined) p.l2miss = bool(data['l2miss'], false);
    if (data['l3miss'] !== undefined) p.l3miss = bool(data['l3miss'], false);
    if (data['udpCsum'] !== undefined) p.udpCsum = bool(data['udpCsum'], true);
    return OK;
  },
  delLink(dev) { unregisterNetdevice(dev); },
  fillInfo(dev) {
    const p = vxlanPriv(dev);
    const d: KindData = { id: p.vni };
    if (p.remote) d['group'] = p.remote;
    else if (p.remote6) d['group6'] = p.remote6;
    if (p.link) d['link'] = p.link;
    if (p.local) d['local'] = p.local;
    else if (p.local6) d['local6'] = p.local6;
    d['ttl'] = p.ttl;
    if (p.ttlInherit) d['ttlInherit'] = 1;
    d['tos'] = p.tos;
    d['df'] = p.df;
    d['label'] = p.label;
    d['learning'] = p.learning ? 1 : 0;
    d['proxy'] = p.proxy ? 1 : 0;
    d['rsc'] = p.rsc ? 1 : 0;
    d['l2miss'] = p.l2miss ? 1 : 0;
    d['l3miss'] = p.l3miss ? 1 : 0;
    d['collectMetadata'] = p.metadata ? 1 : 0;
    d['ageing'] = p.ageing;
    d['limit'] = p.limit;
    d['portRange'] = { low: p.portLow, high: p.portHigh };
    d['port'] = p.port;
    d['udpCsum'] = p.udpCsum ? 1 : 0;
    d['udpZeroCsum6Tx'] = p.zeroCsum6Tx ? 1 : 0;
    d['udpZeroCsum6Rx'] = p.zeroCsum6Rx ? 1 : 0;
    d['remcsumTx'] = p.remcsumTx ? 1 : 0;
    d['remcsumRx'] = p.remcsumRx ? 1 : 0;
    if (p.gbp) d['gbp'] = true;
    if (p.gpe) d['gpe'] = true;
    if (p.vnifilter) d['vnifilter'] = true;
    return d;
  },
};

/** vxlan_netdevice_event: a lower device going away takes the vxlan devices using it along. */
function deviceEvent(event: string, dev: NetDevice, info: unknown): void {
  if (event !== 'UNREGISTER') return;
  if ((info as { moving?: boolean } | undefined)?.moving) return;
  if (dev.kind === 'vxlan') { registries.get(dev.netns.lab)?.delete(dev); return; }
  const lab = dev.netns.lab;
  for (const v of allVxlans(lab)) {
    const p = vxlanPriv(v);
    if (p.link === dev.ifindex && p.net === dev.netns && !v.dying) unregisterNetdevice(v);
  }
}

export function installVxlan(lab: Lab): void {
  registerKind(lab, vxlanKind);
  lab.notifiers.push(deviceEvent);
}
