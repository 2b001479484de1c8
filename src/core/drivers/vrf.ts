/**
 * drivers/net/vrf.c: a VRF device is an L3 master bound to one FIB table (IFLA_VRF_TABLE). Devices
 * enslaved to it have their routes made in that table (fib_magic asks l3mdev_fib_table) and their
 * traffic looked up there through the l3mdev rule (pref 1000) the first VRF of a namespace adds.
 * Locally delivered traffic of the VRF loops through the VRF device (its "loopback"), as
 * __mkroute_output picks l3mdev_master_dev for RTN_LOCAL routes.
 *
 * Seen on Debian's 6.1 kernel: `<NOARP,MASTER>` with a random MAC, mtu 65575 (min 1280, max
 * 65575), one queue, tso_max_size 65536, state UP (carrier comes with open); several VRFs may share
 * a table (no strict mode); `ip link set VRF type vrf table N` is EOPNOTSUPP (no changelink); the
 * l3mdev rule stays when the last VRF goes.
 */
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import { IFF_LOOPBACK, IFF_MASTER, IFF_NOARP, NetDevice, type DeviceOps } from '../netdev.ts';
import {
  devClose, devOpen, drop, ethTypeTrans, netifRx, newSkb, setCarrier, unregisterNetdevice,
} from '../dev.ts';
import { applyCreateAttrs, registerNew, type LinkKind } from '../rtnl.ts';
import type { Lab } from '../lab.ts';
import type { NetNamespace } from '../netns.ts';
import type { SkBuff } from '../skb.ts';
import { PacketType } from '../skb.ts';
import { RULE_L3MDEV_PREF } from '../ipv4/fib.ts';
import { ipFinishOutput } from '../ipv4/ip.ts';
import { ETH_P_IP, rd16, rd32 } from '../ipv4/bytes.ts';
import { isL3Master, type L3mdevPriv } from '../l3mdev.ts';
import { loadModule } from '../modules.ts';

interface Vrf extends L3mdevPriv {
  dev: NetDevice;
  slaves: NetDevice[];
}

function vrfOf(dev: NetDevice): Vrf { return dev.priv as Vrf; }

/** IP6_MAX_MTU: the VRF's MTU and its upper bound; IPV6_MIN_MTU its lower one. */
const VRF_MTU = 65575, VRF_MIN_MTU = 1280;

/**
 * vrf_xmit: what the stack sends through the VRF device. Traffic for the VRF's own addresses
 * (local routes, or routes through the VRF device) comes back in as received on it
 * (vrf_local_xmit); anything else is routed in the VRF's table and leaves through the slave.
 */
function vrfXmit(dev: NetDevice, skb: SkBuff): void {
  const lab = dev.netns.lab;
  const d = skb.data;
  dev.stats.txPackets++; dev.stats.txBytes += skb.len;
  if (d.length < 34 || rd16(d, 12) !== ETH_P_IP) {
    dev.stats.txErrors++;
    drop(lab, skb, 'tx', 'UNKNOWN_PROTOCOL', 'vrf_xmit', 'only IPv4 is routed by a vnet VRF device');
    return;
  }
  const dst = rd32(d, 30);
  const ns = dev.netns;
  const table = vrfOf(dev).l3mdevTable;
  const rt = ns.fib.lookupTable(table, dst, null);
  if (!rt || rt.type === 'local' || rt.type === 'broadcast' || rt.dev === dev || !rt.dev) {
    // vrf_local_xmit: back in through the VRF device, as lo does for the main table; marked
    // PACKET_LOOPBACK so that packet taps, which saw it leave, do not see it again.
    dev.stats.rxPackets++; dev.stats.rxBytes += skb.len;
    ethTypeTrans(skb, dev);
    skb.pktType = PacketType.LOOPBACK;
    netifRx(skb);
    return;
  }
  // vrf_process_v4_outbound: out through the device the VRF's route names.
  const out = rt.dev;
  const f = new Uint8Array(d);
  f.set(out.mac, 6);
  const nskb = newSkb(lab, f, out);
  nskb.packetId = skb.packetId;
  ipFinishOutput(nskb, rt, dst);
}

/** dev_queue_xmit_nit on the VRF device: its packet taps see `frame` (as sent). */
function vrfTap(vrf: NetDevice, skb: SkBuff): void {
  const taps = vrf.netns.taps;
  for (let i = 0; i < taps.length; i++) {
    const t = taps[i]!;
    if (t.dev === null || t.dev === vrf) t.deliver(skb, vrf, true);
  }
}

/**
 * vrf_ip_rcv: an IPv4 packet arriving on a slave (not multicast) is counted as received by the
 * VRF (its IP length) and shown to the VRF's packet taps with the header it came with.
 */
export function vrfRcv(vrf: NetDevice, skb: SkBuff, ipLen: number): void {
  vrf.stats.rxPackets++; vrf.stats.rxBytes += ipLen;
  if (vrf.netns.taps.length) vrfTap(vrf, skb);
}

/**
 * vrf_output_direct: a packet the VRF's sockets send (not to a local address) passes the VRF
 * device's taps with a made-up Ethernet header (source the VRF's MAC, destination zero); it is
 * not counted.
 */
export function vrfOutputTap(vrf: NetDevice, frame: Uint8Array): void {
  if (!vrf.netns.taps.length) return;
  const f = new Uint8Array(frame);
  f.fill(0, 0, 6);
  f.set(vrf.mac, 6);
  const skb = newSkb(vrf.netns.lab, f, vrf);
  vrfTap(vrf, skb);
  vrf.netns.lab.counters.delivered++;
}

const vrfOps: DeviceOps = {
  kind: 'vrf',
  noQueue: true,
  // NETIF_F_NETNS_LOCAL: a VRF cannot change namespaces.
  netnsImmutable: true,
  // vrf_dev_open → netif_carrier_on: the VRF is UP (not UNKNOWN) as soon as it is opened.
  open(dev) { setCarrier(dev, true); return OK; },
  stop(dev) { setCarrier(dev, false); },
  xmit: vrfXmit,
  setMac(dev, mac) { dev.setMacBytes(mac); dev.addrAssign = 'set'; return OK; },
  uninit(dev) {
    // vrf_dellink: every slave is released first (its routes go back to main/local).
    for (const s of [...vrfOf(dev).slaves]) releaseSlave(vrfOf(dev), s);
  },
};

/** vrf_add_fib_rules: once per namespace, `1000: from all lookup [l3mdev-table]`. */
function addL3mdevRule(ns: NetNamespace): void {
  if (ns.fib.rules.some((r) => r.l3mdev)) return;
  ns.fib.addRule({ pref: RULE_L3MDEV_PREF, table: 0, l3mdev: true, action: 'to_tbl', invert: false, src: 0, srcLen: 0,
    dst: 0, dstLen: 0, iifname: '', oifname: '', tos: 0, fwmark: 0, fwmask: 0 });
}

/**
 * The FIB side of linking a device to or from an L3 master (fib_netdev_event NETDEV_CHANGEUPPER →
 * fib_disable_ip with force: every route of the device goes, local ones too), then cycle_netdev:
 * an up device is closed and opened again, so its address routes are remade in the new table.
 */
function moveRoutes(port: NetDevice): void {
  const ns = port.netns;
  ns.fib.removeWhere((r) => r.dev === port);
  ns.arp.flushDev(port, false);
  if (port.isUp) {
    devClose(port);
    devOpen(port);
  }
}

function releaseSlave(vrf: Vrf, port: NetDevice): void {
  const i = vrf.slaves.indexOf(port);
  if (i >= 0) vrf.slaves.splice(i, 1);
  if (port.master === vrf.dev) port.master = null;
  vrf.dev.netns.lab.notify('CHANGEUPPER', port, { upper: vrf.dev, linking: false });
  moveRoutes(port);
}

/** vrf_add_slave → do_vrf_add_slave */
function addSlave(master: NetDevice, port: NetDevice): NlResult {
  if (port.flags & IFF_LOOPBACK) return err(Errno.EOPNOTSUPP, 'Can not enslave loopback device to a VRF');
  if (isL3Master(port)) return err(Errno.EINVAL, 'Can not enslave an L3 master device to a VRF');
  if (port.master) return err(Errno.EBUSY);
  const vrf = vrfOf(master);
  port.master = master;
  vrf.slaves.push(port);
  master.netns.lab.notify('CHANGEUPPER', port, { upper: master, linking: true });
  moveRoutes(port);
  return OK;
}

function delSlave(master: NetDevice, port: NetDevice): NlResult {
  const vrf = vrfOf(master);
  if (!vrf.slaves.includes(port)) return err(Errno.EINVAL);
  releaseSlave(vrf, port);
  return OK;
}

export const vrfKind: LinkKind = {
  kind: 'vrf',
  setupMtu: { min: VRF_MIN_MTU, max: VRF_MTU },
  slaveKind: 'vrf_slave',
  newLink(ctx) {
    const data = ctx.attrs.data ?? {};
    const table = data['table'];
    if (typeof table !== 'number') return err(Errno.EINVAL, 'VRF table id is missing');
    if (table === 0) return err(Errno.EINVAL, 'Invalid VRF table id');
    const dev = new NetDevice(ctx.attrs.ifname ?? ctx.ns.allocName('vrf%d'), vrfOps, IFF_NOARP | IFF_MASTER);
    dev.setMacBytes(ctx.lab.rng.randomMac());
    dev.mtu = VRF_MTU; dev.minMtu = VRF_MIN_MTU; dev.maxMtu = VRF_MTU;
    dev.tsoMaxSize = 65536;
    const vrf: Vrf = { dev, l3mdevTable: table >>> 0, slaves: [] };
    dev.priv = vrf;
    const r = applyCreateAttrs(dev, ctx.attrs);
    if (!r.ok) return r;
    const reg = registerNew(ctx.ns, dev, ctx.attrs);
    if (!reg.ok) return reg;
    // vrf_newlink: the table exists from now on (`ip route show table N` answers, empty).
    ctx.ns.fib.table(vrf.l3mdevTable, true);
    addL3mdevRule(ctx.ns);
    loadModule(ctx.lab, 'vrf'); // rtnl-link-vrf: the kernel autoloads the driver
    return ok(dev);
  },
  // No changelink in vrf_link_ops: `ip link set VRF type vrf table N` is EOPNOTSUPP.
  addSlave,
  delSlave,
  delLink(dev) { unregisterNetdevice(dev); },
  fillInfo(dev) { return { table: vrfOf(dev).l3mdevTable }; },
  fillSlaveInfo(master) { return { table: vrfOf(master).l3mdevTable }; },
};

export function installVrf(lab: Lab): void {
  lab.linkKinds.set(vrfKind.kind, vrfKind);
  // vrf_device_event: a slave that is deleted or leaves the namespace is released (its routes go
  // with devinet's NETDEV_UNREGISTER handling).
  lab.notifiers.push((event, dev) => {
    if (event !== 'UNREGISTER') return;
    const m = dev.master;
    if (m === null || m === dev || m.ops.kind !== 'vrf') return;
    const vrf = vrfOf(m);
    const i = vrf.slaves.indexOf(dev);
    if (i >= 0) vrf.slaves.splice(i, 1);
    dev.master = null;
  });
}
