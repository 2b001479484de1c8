/**
 * drivers/net/team: the team device. The kernel part is small on purpose: it holds the ports, a
 * mode (how to transmit and receive) and per-port "enabled" flags; everything else — choosing
 * the active port, watching links, the port MACs of activebackup, the carrier — is teamd's
 * (src/tools/teamd/), which talks to the driver through the option calls exported here
 * (the team generic-netlink options: mode, activeport, enabled, lb_tx_hash…).
 *
 * Device: BROADCAST|MULTICAST (no MASTER flag), random MAC, mtu 68–65535, 16 tx/rx queues,
 * noqueue, carrier off until teamd turns it on. Ports: `ip link set X master team0` (team_port_add)
 * refuses loopback, a port of a team, the team itself, and a device that is up; it gives the port
 * the team's MTU and opens it; removal closes the port and restores its MAC and MTU.
 * `ip -d link` shows `team` and `team_slave` with no attributes. Checked against Debian 6.1.
 */
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import {
  IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, NetDevice, RxResult, macToNum, type DeviceOps,
} from '../netdev.ts';
import { PacketType, type SkBuff } from '../skb.ts';
import {
  devClose, devOpen, devQueueXmit, drop, rxHandlerRegister, rxHandlerUnregister, setCarrier, unregisterNetdevice,
} from '../dev.ts';
import { applyCreateAttrs, registerKind, registerNew, type LinkKind } from '../rtnl.ts';
import { setMtu } from '../rtnl-setlink.ts';
import { arpSend } from '../ipv4/arp.ts';
import { loadModule } from '../modules.ts';

export const TEAM_MODES = ['activebackup', 'loadbalance', 'roundrobin', 'broadcast', 'random'] as const;
export type TeamMode = (typeof TEAM_MODES)[number];

export interface TeamPort {
  dev: NetDevice;
  team: Team;
  /** Index among the enabled ports (team_port_enable), -1 when disabled. */
  index: number;
  /** port->state.linkup: the port is running with an operational link. */
  linkup: boolean;
  orig: { mac: Uint8Array; mtu: number };
}

/** What teamd hangs on a team it runs (src/tools/teamd): the driver tells it about port changes. */
export interface TeamListener {
  portChanged(port: TeamPort): void;
  portRemoved(port: TeamPort): void;
  teamGone(): void;
}

export interface Team {
  dev: NetDevice;
  /** In addition order (team->port_list). */
  ports: TeamPort[];
  /** null: no mode set ("none": team_dummy_transmit drops everything). */
  mode: TeamMode | null;
  activePort: TeamPort | null;
  /** Enabled ports by index. */
  enabled: TeamPort[];
  rrSent: number;
  /** loadbalance: the fields teamd's BPF hash covers (lb_tx_hash); null = no function (hash 0). */
  lbTxHash: readonly string[] | null;
  notifyPeersCount: number;
  listener: TeamListener | null;
  /** team->port_mtu_change_allowed: set while the team itself changes its ports' MTU. */
  portMtuChangeAllowed: boolean;
}

export function teamOf(dev: NetDevice): Team { return dev.priv as Team; }
export function teamPortOf(dev: NetDevice): TeamPort | null {
  return dev.rxHandler === teamHandleFrame ? (dev.rxHandlerData as TeamPort) : null;
}

function isLinkLocalEther(d: Uint8Array): boolean {
  return d[0] === 0x01 && d[1] === 0x80 && d[2] === 0xc2 && d[3] === 0 && d[4] === 0 && (d[5]! & 0xf0) === 0;
}

// ---------------------------------------------------------------------------------------------
// Options (team_options[] and the modes' options), as teamd sets them.

/** team_change_mode: only without ports; loads team_mode_NAME. */
export function teamSetMode(team: Team, mode: TeamMode): NlResult {
  if (team.mode === mode) return OK;
  if (team.ports.length) return err(Errno.EBUSY, 'No ports can be present during mode change');
  team.mode = mode;
  team.activePort = null;
  team.rrSent = 0;
  loadModule(team.dev.netns.lab, `team_mode_${mode}`);
  return OK;
}

/** activebackup's "activeport" option (ab_active_port_set). */
export function teamSetActivePort(team: Team, port: TeamPort | null): void { team.activePort = port; }

/** The "enabled" port option: team_port_enable / team_port_disable (enabled ports are reindexed). */
export function teamSetPortEnabled(port: TeamPort, on: boolean): void {
  const team = port.team;
  if (on === (port.index >= 0)) return;
  if (on) {
    port.index = team.enabled.length;
    team.enabled.push(port);
  } else {
    team.enabled.splice(port.index, 1);
    port.index = -1;
    team.enabled.forEach((p, i) => { p.index = i; });
  }
}

export function teamSetLbTxHash(team: Team, fields: readonly string[] | null): void { team.lbTxHash = fields; }

/** The team's carrier is teamd's to set (team_carrier_set through IFLA_CARRIER). */
export function teamSetCarrier(team: Team, on: boolean): void { setCarrier(team.dev, on); }

/** notify_peers: NETDEV_NOTIFY_PEERS on the running team → a gratuitous ARP per IPv4 address. */
export function teamNotifyPeers(team: Team): void {
  const dev = team.dev;
  if (!team.notifyPeersCount || !dev.isUp) return;
  for (let i = 0; i < team.notifyPeersCount; i++) for (const a of [...dev.inet]) arpSend(dev, 1, a.local, a.local, null, null);
}

export function teamSetNotifyPeersCount(team: Team, n: number): void { team.notifyPeersCount = n; }

// ---------------------------------------------------------------------------------------------
// Ports (team_port_add / team_port_del).

function setPortMac(dev: NetDevice, mac: Uint8Array): void {
  if (macToNum(mac, 0) === dev.macNum || !dev.ops.setMac) return;
  if (dev.ops.setMac(dev, mac).ok) dev.netns.lab.notify('CHANGEADDR', dev);
}

/** The modes other than activebackup give each port the team's address (team_modeop_port_enter). */
function modeSetsPortMac(team: Team): boolean { return team.mode !== null && team.mode !== 'activebackup'; }

export function teamPortAdd(team: Team, portDev: NetDevice): NlResult {
  const dev = team.dev;
  if (portDev.flags & IFF_LOOPBACK) return err(Errno.EINVAL, "Loopback device can't be added as a team port");
  if (teamPortOf(portDev)) return err(Errno.EBUSY, 'Device is already a port of a team device');
  if (portDev === dev) return err(Errno.EINVAL, 'Cannot enslave team device to itself');
  if (dev.master === portDev || dev.uppers.has(portDev)) {
    return err(Errno.EBUSY, 'Device is already an upper device of the team interface');
  }
  if (portDev.type !== dev.type && team.ports.length) return err(Errno.EBUSY);
  if (portDev.isUp) return err(Errno.EBUSY, 'Device is up. Set it down before adding it as a team port');
  const port: TeamPort = { dev: portDev, team, index: -1, linkup: false, orig: { mac: new Uint8Array(portDev.mac), mtu: portDev.mtu } };
  const rm = setMtu(portDev, dev.mtu);
  if (!rm.ok) return rm;
  if (modeSetsPortMac(team)) setPortMac(portDev, dev.mac);
  const ro = devOpen(portDev);
  if (!ro.ok) {
    setPortMac(portDev, port.orig.mac);
    setMtu(portDev, port.orig.mtu);
    return ro;
  }
  const rr = rxHandlerRegister(portDev, teamHandleFrame, port);
  if (!rr.ok) {
    devClose(portDev);
    setPortMac(portDev, port.orig.mac);
    setMtu(portDev, port.orig.mtu);
    return rr;
  }
  portDev.master = dev;
  team.ports.push(port);
  port.linkup = portLinkUp(portDev);
  team.listener?.portChanged(port);
  return OK;
}

export function teamPortDel(team: Team, portDev: NetDevice): NlResult {
  const port = teamPortOf(portDev);
  if (!port || port.team !== team) return err(Errno.ENOENT, 'Device is not a port of the team device');
  teamSetPortEnabled(port, false);
  if (team.activePort === port) team.activePort = null;
  rxHandlerUnregister(portDev);
  team.ports.splice(team.ports.indexOf(port), 1);
  if (portDev.master === team.dev) portDev.master = null;
  devClose(portDev);
  setPortMac(portDev, port.orig.mac);
  if (portDev.mtu !== port.orig.mtu) setMtu(portDev, port.orig.mtu);
  team.listener?.portRemoved(port);
  return OK;
}

/** netif_running && netif_oper_up (UP or UNKNOWN): what team_device_event feeds team_port_change_check. */
function portLinkUp(dev: NetDevice): boolean { return dev.isUp && dev.carrier; }

// ---------------------------------------------------------------------------------------------
// Receive (team_handle_frame) and transmit (team_xmit and the modes' transmit).

export function teamHandleFrame(skb: SkBuff): RxResult {
  const port = skb.dev.rxHandlerData as TeamPort;
  const team = port.team;
  const lab = team.dev.netns.lab;
  let res: RxResult;
  if (port.index < 0) {
    // link-local frames stay on the port; others only reach exact-match handlers (none here)
    if (isLinkLocalEther(skb.data)) return RxResult.PASS;
    res = RxResult.EXACT;
  } else if (team.mode === 'activebackup') {
    res = team.activePort === port ? RxResult.ANOTHER : RxResult.EXACT;
  } else if (team.mode === 'loadbalance' && skb.ethertype === 0x8809 && isLinkLocalEther(skb.data) && skb.data[5] === 0x02) {
    res = RxResult.EXACT; // LACPDUs go to exact delivery (teamd's lacp runner reads them on the port)
  } else res = RxResult.ANOTHER;
  if (res === RxResult.ANOTHER) {
    const st = team.dev.stats;
    st.rxPackets++; st.rxBytes += skb.len;
    if (skb.pktType === PacketType.MULTICAST) st.rxMulticast++;
    if (lab.tracer) lab.trace(skb, skb.dev, 'rx', 'team_handle_frame', 'forwarded', undefined, `to ${team.dev.name}`);
    skb.dev = team.dev;
    return RxResult.ANOTHER;
  }
  // counted on the team (team_handle_frame) and, as nothing takes it by exact match, on the port
  team.dev.stats.rxNohandler++;
  skb.dev.stats.rxNohandler++;
  drop(lab, skb, 'rx', 'TEAM_PORT_NOT_RX', 'team_handle_frame', `${skb.dev.name} does not pass frames to ${team.dev.name}`);
  return RxResult.CONSUMED;
}

function txable(p: TeamPort): boolean { return p.linkup && p.index >= 0; }

/** team_get_first_port_txable_rcu: this port if it can send, else the next one that can, wrapping. */
function firstTxable(team: Team, from: TeamPort): TeamPort | null {
  if (txable(from)) return from;
  const i = team.ports.indexOf(from);
  for (let k = 1; k < team.ports.length; k++) {
    const p = team.ports[(i + k) % team.ports.length]!;
    if (txable(p)) return p;
  }
  return null;
}

/** teamd's BPF hash over the lb_tx_hash fields, folded to a byte (lb_get_skb_hash). */
function lbHash(team: Team, d: Uint8Array): number {
  const f = team.lbTxHash;
  if (!f) return 0;
  let x = 0;
  const word = (o: number) => (o + 4 <= d.length ? ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0 : 0);
  const half = (o: number) => (o + 2 <= d.length ? (d[o]! << 8) | d[o + 1]! : 0);
  const et = half(12);
  if (f.includes('eth')) x ^= word(2) ^ half(0) ^ word(8) ^ half(6);
  if (f.includes('ipv4') && et === 0x0800) x ^= word(26) ^ word(30);
  if (f.includes('ipv6') && et === 0x86dd) for (let o = 22; o <= 50; o += 4) x ^= word(o);
  x >>>= 0;
  return (x & 0xff) ^ ((x >>> 8) & 0xff) ^ ((x >>> 16) & 0xff) ^ (x >>> 24);
}

function sendOn(port: TeamPort, skb: SkBuff): void {
  skb.dev = port.dev;
  devQueueXmit(skb);
}

function selectPort(team: Team, skb: SkBuff): TeamPort | null {
  const en = team.enabled;
  switch (team.mode) {
    case 'activebackup': return team.activePort;
    case 'roundrobin': {
      if (!en.length) return null;
      const p = en[team.rrSent++ % en.length]!;
      return firstTxable(team, p);
    }
    case 'random': {
      if (!en.length) return null;
      return firstTxable(team, en[team.dev.netns.lab.rng.below(en.length)]!);
    }
    case 'loadbalance': return en.length ? en[lbHash(team, skb.data) % en.length] ?? null : null;
    default: return null;
  }
}

function teamXmit(dev: NetDevice, skb: SkBuff): void {
  const team = teamOf(dev);
  const lab = dev.netns.lab;
  const len = skb.len;
  let sent = false;
  if (team.mode === 'broadcast') {
    const ports = team.ports.filter(txable);
    ports.forEach((p, i) => {
      const c = i === ports.length - 1 ? skb : skb.clone();
      sendOn(p, c);
    });
    sent = ports.length > 0;
  } else {
    const p = selectPort(team, skb);
    if (p) {
      if (lab.tracer) lab.trace(skb, dev, 'tx', 'team_xmit', 'forwarded', undefined, `via port ${p.dev.name}`);
      sendOn(p, skb);
      sent = true;
    }
  }
  if (sent) { dev.stats.txPackets++; dev.stats.txBytes += len; return; }
  dev.stats.txDropped++;
  drop(lab, skb, 'tx', 'TEAM_NO_PORT', 'team_xmit', team.mode ? `no ${team.mode} port can send` : 'no mode is set (teamd not running)');
}

// ---------------------------------------------------------------------------------------------
// Device

const teamOps: DeviceOps & { changeCarrier(dev: NetDevice, on: boolean): void } = {
  // NETIF_F_HW_VLAN_CTAG_TX, as team_setup sets: a VLAN tag stays out of band, uncounted.
  vlanTxOffload: true,
  kind: 'team',
  noQueue: true,
  xmit: teamXmit,
  // ndo_change_carrier: `ip link set team0 carrier on|off`, which is how teamd sets it
  changeCarrier(dev, on) { setCarrier(dev, on); },
  changeMtu(dev, mtu) {
    // team_change_mtu: every port takes it, or none does
    const team = teamOf(dev);
    const done: TeamPort[] = [];
    team.portMtuChangeAllowed = true;
    try {
      for (const p of team.ports) {
        const r = setMtu(p.dev, mtu);
        if (!r.ok) { for (const q of done) setMtu(q.dev, dev.mtu); return r; }
        done.push(p);
      }
    } finally {
      team.portMtuChangeAllowed = false;
    }
    return OK;
  },
  setMac(dev, mac) {
    dev.setMacBytes(mac);
    dev.addrAssign = 'set';
    const team = teamOf(dev);
    if (modeSetsPortMac(team)) for (const p of team.ports) setPortMac(p.dev, mac);
    return OK;
  },
  uninit(dev) {
    const team = teamOf(dev);
    for (const p of [...team.ports]) teamPortDel(team, p.dev);
    const l = team.listener;
    team.listener = null;
    l?.teamGone();
  },
};

export const teamKind: LinkKind = {
  kind: 'team',
  slaveKind: 'team',
  setupMtu: { min: 68, max: 65535 },
  newLink(ctx) {
    loadModule(ctx.lab, 'team');
    const a = ctx.attrs;
    const dev = new NetDevice(a.ifname ?? ctx.ns.allocName('team%d'), teamOps, IFF_BROADCAST | IFF_MULTICAST);
    dev.setMacBytes(ctx.lab.rng.randomMac());
    dev.addrAssign = 'random';
    dev.minMtu = 68; dev.maxMtu = 65535;
    // the tx_queues/rx_queues module parameters (16); alloc_netdev's TSO_LEGACY_MAX_SIZE
    dev.numTxQueues = 16; dev.numRxQueues = 16;
    dev.tsoMaxSize = 65536;
    const team: Team = { dev, ports: [], mode: null, activePort: null, enabled: [], rrSent: 0, lbTxHash: null,
      notifyPeersCount: 0, listener: null, portMtuChangeAllowed: false };
    dev.priv = team;
    const r = applyCreateAttrs(dev, a);
    if (!r.ok) return r;
    const reg = registerNew(ctx.ns, dev, a);
    if (!reg.ok) return reg;
    return ok(dev);
  },
  addSlave(master, port) { return teamPortAdd(teamOf(master), port); },
  // team_device_event NETDEV_PRECHANGEMTU: "Forbid to change mtu of underlaying device" (NOTIFY_BAD → EPERM)
  portPreChangeMtu(master) { return teamOf(master).portMtuChangeAllowed ? OK : err(Errno.EPERM); },
  delSlave(master, port) { return teamPortDel(teamOf(master), port); },
  delLink(dev) { unregisterNetdevice(dev); },
  fillInfo() { return {}; },
  fillSlaveInfo() { return {}; },
};

/** team_device_event: a port's link follows its running/operational state; a vanishing port leaves. */
function netdevEvent(event: string, dev: NetDevice): void {
  const port = teamPortOf(dev);
  if (!port) return;
  switch (event) {
    case 'UNREGISTER':
      teamPortDel(port.team, dev);
      break;
    case 'UP': case 'DOWN': case 'CHANGE': {
      const up = portLinkUp(dev);
      if (up !== port.linkup) {
        port.linkup = up;
        port.team.listener?.portChanged(port);
      }
      break;
    }
    default:
      break;
  }
}

export function installTeam(lab: Lab): void {
  registerKind(lab, teamKind);
  lab.notifiers.push(netdevEvent);
}
