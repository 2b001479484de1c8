/**
 * `ip link show` / `ip addr show` / `ip addr flush` (ip/ipaddress.c): print_linkinfo with its
 * -d, -s, -br, -o and -j forms, and print_addrinfo for IPv4 and IPv6 addresses.
 */
import {
  ARPHRD_ETHER, ARPHRD_LOOPBACK, ARPHRD_NONE, IFF_ALLMULTI, IFF_AUTOMEDIA, IFF_BROADCAST, IFF_DEBUG, IFF_DORMANT,
  IFF_DYNAMIC, IFF_ECHO, IFF_LOOPBACK, IFF_LOWER_UP, IFF_MASTER, IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS,
  IFF_POINTOPOINT, IFF_PORTSEL, IFF_PROMISC, IFF_RUNNING, IFF_SLAVE, IFF_UP, OPERSTATE_NAMES,
  type Inet6Addr, type InetAddr, type NetDevice,
} from '../../core/netdev.ts';
import type { NetNamespace } from '../../core/netns.ts';
import { removeIfa } from '../../core/ipv4/devinet.ts';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, maskOf } from '../../core/ipv4/fib.ts';
import type { IpCtx } from './common.ts';
import type { Printer } from './print.ts';
import {
  AF_INET, AF_INET6, AF_PACKET, AF_UNSPEC, Args, IpExit, duparg2, fail, getPrefix, groupA2n, groupN2a, invarg,
  ipv4Str, ipv6Str, llNameToIndex, macStr, matches, rtscopeA2n, rtscopeN2a, type InetPrefix,
} from './util.ts';
import { KIND_PRINTERS } from './kinds.ts';
import { linkwatchSync } from '../../core/linkwatch.ts';

// ---------------------------------------------------------------------------------------------
// What the kernel reports for a device (rtnl_fill_ifinfo), seen from the dumping namespace.

export function qdiscOf(dev: NetDevice): string {
  // dev->qdisc is attached on the first open (dev_activate) and stays after a down; a netns move
  // (dev_shutdown) takes it away again.
  if (!dev.qdiscAttached) return 'noop';
  return dev.ops.noQueue ? 'noqueue' : 'pfifo_fast';
}

/** IFLA_OPERSTATE as reported: always DOWN while the device is not running. */
export function reportedOperstate(dev: NetDevice): number {
  return dev.isUp ? dev.operstate : 2;
}

/** Devices with addr_len 0 (tun, nlmon): `link/TYPE` and no address. */
function noLlAddr(dev: NetDevice): boolean { return dev.type === ARPHRD_NONE || dev.type === 824 /* ARPHRD_NETLINK */; }

function linkTypeName(t: number): string {
  if (t === ARPHRD_ETHER) return 'ether';
  if (t === ARPHRD_LOOPBACK) return 'loopback';
  if (t === ARPHRD_NONE) return 'none';
  if (t === 824) return 'netlink';
  if (t === 768) return 'ipip';
  if (t === 778) return 'gre';
  if (t === 65534) return 'none';
  return `[${t}]`;
}

interface LinkInfo {
  /** IFLA_LINK present: the iflink index (0 = NONE). */
  link?: number;
  /** IFLA_LINK_NETNSID present. */
  linkNetnsid?: number;
}

function linkAttrs(src: NetNamespace, dev: NetDevice): LinkInfo {
  const l = dev.linkDevice();
  if (!l && dev.ops.iflinkNone) return { link: 0 };
  if (!l || l === dev) return {};
  const info: LinkInfo = { link: l.ifindex };
  if (l.netns && l.netns !== dev.netns) info.linkNetnsid = src.idOf(l.netns);
  return info;
}

/** get_name_from_nsid: a named namespace that already has this id here. */
function nameFromNsid(c: IpCtx, id: number): string | null {
  for (const [name, ns] of c.lab.named) if (c.ns.idOf(ns, false) === id) return name;
  return null;
}

/** print_name_and_link: returns the M-DOWN flag. */
function printNameAndLink(c: IpCtx, fmt: (s: string) => string, dev: NetDevice, li: LinkInfo): boolean {
  const p = c.p;
  let name = dev.name;
  let mdown = false;
  if (li.link !== undefined) {
    if (li.link) {
      if (li.linkNetnsid !== undefined) {
        if (p.isJson) p.num('json', 'link_index', '', li.link);
        else name = `${name}@if${li.link}`;
      } else {
        const ld = c.ns.byIndex.get(li.link);
        const lname = ld ? ld.name : `if${li.link}`;
        if (p.isJson) p.string('json', 'link', '', lname);
        else name = `${name}@${lname}`;
        mdown = ld ? !ld.isUp : true;
      }
    } else {
      if (p.isJson) p.null('json', 'link', '');
      else name = `${name}@NONE`;
    }
  }
  p.string('any', 'ifname', p.col('ifname', fmt(name)), dev.name);
  return mdown;
}

const FLAG_NAMES: [number, string][] = [
  [IFF_LOOPBACK, 'LOOPBACK'], [IFF_BROADCAST, 'BROADCAST'], [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_MULTICAST, 'MULTICAST'], [IFF_NOARP, 'NOARP'], [IFF_ALLMULTI, 'ALLMULTI'], [IFF_PROMISC, 'PROMISC'],
  [IFF_MASTER, 'MASTER'], [IFF_SLAVE, 'SLAVE'], [IFF_DEBUG, 'DEBUG'], [IFF_DYNAMIC, 'DYNAMIC'],
  [IFF_AUTOMEDIA, 'AUTOMEDIA'], [IFF_PORTSEL, 'PORTSEL'], [IFF_NOTRAILERS, 'NOTRAILERS'], [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'], [IFF_DORMANT, 'DORMANT'], [IFF_ECHO, 'ECHO'],
];

function operCol(p: Printer, oper: number, text: string): string {
  return oper === 6 ? p.col('up', text) : oper === 2 ? p.col('down', text) : text;
}

export function printLinkFlags(p: Printer, flags0: number, mdown: boolean): void {
  let flags = flags0 >>> 0;
  p.openArray('any', p.isJson ? 'flags' : '<');
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) p.string('any', null, flags ? 'NO-CARRIER,' : 'NO-CARRIER', 'NO-CARRIER');
  flags &= ~IFF_RUNNING;
  for (const [bit, name] of FLAG_NAMES) {
    if (!(flags & bit)) continue;
    flags = (flags & ~bit) >>> 0;
    p.string('any', null, flags ? `${name},` : name, name);
  }
  if (flags) p.string('any', null, flags.toString(16), flags.toString(16));
  if (mdown) p.string('any', null, ',M-DOWN', 'M-DOWN');
  p.closeArray('any', '> ');
}

export interface LinkFilter {
  ifindex: number;
  up: boolean;
  group: number;
  master: number;
  kind?: string;
  slaveKind?: string;
  family: number;
  oneline: boolean;
  showqueue: boolean;
  label?: string;
  scope: number;
  scopemask: number;
  flags: number;
  flagmask: number;
  pfx?: InetPrefix;
}

export function newFilter(c: IpCtx): LinkFilter {
  return { ifindex: 0, up: false, group: -1, master: 0, family: c.opts.family, oneline: c.opts.oneline > 0,
    showqueue: true, scope: 0, scopemask: 0, flags: 0, flagmask: 0 };
}

function statsOf(dev: NetDevice): Record<string, number> {
  const s = dev.stats;
  const x = s as unknown as Record<string, number | undefined>;
  return {
    rx_packets: s.rxPackets, rx_bytes: s.rxBytes, rx_errors: s.rxErrors, rx_dropped: s.rxDropped,
    multicast: s.rxMulticast, tx_packets: s.txPackets, tx_bytes: s.txBytes, tx_errors: s.txErrors,
    tx_dropped: s.txDropped, collisions: s.collisions, rx_nohandler: s.rxNohandler,
    rx_missed_errors: x['rxMissedErrors'] ?? 0, rx_over_errors: x['rxOverErrors'] ?? 0,
    rx_length_errors: x['rxLengthErrors'] ?? 0, rx_crc_errors: x['rxCrcErrors'] ?? 0,
    rx_frame_errors: x['rxFrameErrors'] ?? 0, rx_fifo_errors: x['rxFifoErrors'] ?? 0,
    tx_carrier_errors: x['txCarrierErrors'] ?? 0, tx_aborted_errors: x['txAbortedErrors'] ?? 0,
    tx_fifo_errors: x['txFifoErrors'] ?? 0, tx_window_errors: x['txWindowErrors'] ?? 0,
    tx_heartbeat_errors: x['txHeartbeatErrors'] ?? 0, rx_otherhost_dropped: x['rxOtherhostDropped'] ?? 0,
    rx_compressed: 0, tx_compressed: 0,
  };
}

function carrierChanges(dev: NetDevice): number {
  const v = (dev as unknown as { carrierChanges?: number }).carrierChanges;
  return typeof v === 'number' ? v : 0;
}

function digits(v: number): number { let n = 1; while (v > 9) { n++; v = Math.floor(v / 10); } return n; }

/** print_stats64 (text and JSON). */
export function printStats64(c: IpCtx, dev: NetDevice): void {
  const p = c.p;
  const s = statsOf(dev);
  const cc = carrierChanges(dev);
  const show = c.opts.stats;
  if (p.isJson) {
    p.openObject('stats64');
    p.openObject('rx');
    for (const k of ['bytes', 'packets', 'errors', 'dropped']) p.num('json', k, '', s[`rx_${k}`]!);
    p.num('json', 'over_errors', '', s['rx_over_errors']!);
    p.num('json', 'multicast', '', s['multicast']!);
    if (show > 1) {
      for (const k of ['length_errors', 'crc_errors', 'frame_errors', 'fifo_errors', 'missed_errors']) {
        p.num('json', k, '', s[`rx_${k}`]!);
      }
      if (s['rx_nohandler']) p.num('json', 'nohandler', '', s['rx_nohandler']!);
      if (s['rx_otherhost_dropped']) p.num('json', 'otherhost', '', s['rx_otherhost_dropped']!);
    }
    p.closeObject();
    p.openObject('tx');
    for (const k of ['bytes', 'packets', 'errors', 'dropped']) p.num('json', k, '', s[`tx_${k}`]!);
    p.num('json', 'carrier_errors', '', s['tx_carrier_errors']!);
    p.num('json', 'collisions', '', s['collisions']!);
    if (show > 1) {
      for (const k of ['aborted_errors', 'fifo_errors', 'window_errors', 'heartbeat_errors']) {
        p.num('json', k, '', s[`tx_${k}`]!);
      }
      p.num('json', 'carrier_changes', '', cc);
    }
    p.closeObject();
    p.closeObject();
    return;
  }
  const cols = ['*X errors:'.length, 'packets'.length, 'errors'.length, 'dropped'.length, 'heartbt'.length,
    'overrun'.length, 'compressed'.length, 'otherhost'.length];
  const size = (...vals: number[]): void => {
    vals.forEach((v, i) => { const l = digits(v); if (l > cols[i]!) cols[i] = l; });
  };
  size(s['rx_bytes']!, s['rx_packets']!, s['rx_errors']!, s['rx_dropped']!, s['rx_missed_errors']!, s['multicast']!,
    s['rx_compressed']!, 0);
  if (show > 1) {
    size(0, s['rx_length_errors']!, s['rx_crc_errors']!, s['rx_frame_errors']!, s['rx_fifo_errors']!,
      s['rx_over_errors']!, s['rx_nohandler']!, s['rx_otherhost_dropped']!);
  }
  size(s['tx_bytes']!, s['tx_packets']!, s['tx_errors']!, s['tx_dropped']!, s['tx_carrier_errors']!, s['collisions']!,
    s['tx_compressed']!, 0);
  if (show > 1) {
    size(0, 0, s['tx_aborted_errors']!, s['tx_fifo_errors']!, s['tx_window_errors']!, s['tx_heartbeat_errors']!, cc, 0);
  }
  const pad = (w: number, t: string): string => t.padStart(w, ' ');
  const numf = (w: number, v: number): string => `${pad(w, String(v))} `;
  const sl = p.sl;
  let o = `    RX: ${pad(cols[0]! - 4, 'bytes')} ${pad(cols[1]!, 'packets')} ${pad(cols[2]!, 'errors')} ` +
    `${pad(cols[3]!, 'dropped')} ${pad(cols[4]!, 'missed')} ${pad(cols[5]!, 'mcast')} ${pad(cols[6]!, '')}${sl}`;
  o += '    ' + numf(cols[0]!, s['rx_bytes']!) + numf(cols[1]!, s['rx_packets']!) + numf(cols[2]!, s['rx_errors']!) +
    numf(cols[3]!, s['rx_dropped']!) + numf(cols[4]!, s['rx_missed_errors']!) + numf(cols[5]!, s['multicast']!);
  if (show > 1) {
    o += sl;
    const nh = s['rx_nohandler']!, oh = s['rx_otherhost_dropped']!;
    o += `    RX errors:${pad(cols[0]! - 10, '')} ${pad(cols[1]!, 'length')} ${pad(cols[2]!, 'crc')} ` +
      `${pad(cols[3]!, 'frame')} ${pad(cols[4]!, 'fifo')} ${pad(cols[5]!, 'overrun')}` +
      `${nh ? pad(cols[6]! + 1, ' nohandler') : ''}${oh ? pad(cols[7]! + 1, ' otherhost') : ''}${sl}`;
    o += ' '.repeat(cols[0]! + 5) + numf(cols[1]!, s['rx_length_errors']!) + numf(cols[2]!, s['rx_crc_errors']!) +
      numf(cols[3]!, s['rx_frame_errors']!) + numf(cols[4]!, s['rx_fifo_errors']!) + numf(cols[5]!, s['rx_over_errors']!);
    if (nh) o += numf(cols[6]!, nh);
    if (oh) o += numf(cols[7]!, oh);
  }
  o += sl;
  o += `    TX: ${pad(cols[0]! - 4, 'bytes')} ${pad(cols[1]!, 'packets')} ${pad(cols[2]!, 'errors')} ` +
    `${pad(cols[3]!, 'dropped')} ${pad(cols[4]!, 'carrier')} ${pad(cols[5]!, 'collsns')} ${pad(cols[6]!, '')}${sl}`;
  o += '    ' + numf(cols[0]!, s['tx_bytes']!) + numf(cols[1]!, s['tx_packets']!) + numf(cols[2]!, s['tx_errors']!) +
    numf(cols[3]!, s['tx_dropped']!) + numf(cols[4]!, s['tx_carrier_errors']!) + numf(cols[5]!, s['collisions']!);
  if (show > 1) {
    o += sl;
    o += `    TX errors:${pad(cols[0]! - 10, '')} ${pad(cols[1]!, 'aborted')} ${pad(cols[2]!, 'fifo')} ` +
      `${pad(cols[3]!, 'window')} ${pad(cols[4]!, 'heartbt')} ${pad(cols[5]!, 'transns')}${sl}`;
    o += ' '.repeat(cols[0]! + 5) + numf(cols[1]!, s['tx_aborted_errors']!) + numf(cols[2]!, s['tx_fifo_errors']!) +
      numf(cols[3]!, s['tx_window_errors']!) + numf(cols[4]!, s['tx_heartbeat_errors']!) + numf(cols[5]!, cc);
  }
  p.fp(o);
}

function kindOf(dev: NetDevice): string { return dev.kind; }

function slaveKindOf(c: IpCtx, dev: NetDevice): string | null {
  const m = dev.master;
  if (!m) return null;
  const k = c.lab.linkKinds.get(m.kind);
  if (!k) return null;
  return m.kind;
}

function printLinktype(c: IpCtx, dev: NetDevice): void {
  const p = c.p;
  const kind = kindOf(dev);
  const slave = slaveKindOf(c, dev);
  if (!kind && !slave) return;
  p.openObject('linkinfo');
  if (kind) {
    p.nl();
    p.string('any', 'info_kind', `    ${kind} `, kind);
    const printer = KIND_PRINTERS[kind];
    const lk = c.lab.linkKinds.get(kind);
    if (printer) {
      p.openObject('info_data');
      const data = lk?.fillInfo ? lk.fillInfo(dev) : null;
      if (data) printer(p, data, c);
      p.closeObject();
    }
  }
  if (slave) {
    p.nl();
    p.string('any', 'info_slave_kind', `    ${slave}_slave `, slave);
    const printer = KIND_PRINTERS[`${slave}_slave`];
    const mk = c.lab.linkKinds.get(slave);
    if (printer) {
      p.openObject('info_slave_data');
      const data = mk?.fillSlaveInfo ? mk.fillSlaveInfo(dev.master!, dev) : null;
      if (data) printer(p, data, c);
      p.closeObject();
    }
  }
  p.closeObject();
}

function llAddr(dev: NetDevice, b: Uint8Array): string {
  // IPv4 tunnels (ipip, gre) have 4-byte addresses, which ll_addr_n2a prints dotted.
  if (dev.type === 768 || dev.type === 778) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  return macStr(b.subarray(0, noLlAddr(dev) ? 0 : 6));
}

function matchKind(dev: NetDevice, kind: string): boolean { return dev.kind === kind; }

/** print_linkinfo: -1 when filtered out, 1 when printed. */
export function printLinkinfo(c: IpCtx, dev: NetDevice, f: LinkFilter, doLink: boolean): number {
  const p = c.p;
  const flags = dev.displayFlags;
  if (f.ifindex && dev.ifindex !== f.ifindex) return -1;
  if (f.up && !(flags & IFF_UP)) return -1;
  if (f.label) return 0;
  if (f.group !== -1 && dev.group !== f.group) return -1;
  if (dev.master) {
    if (f.master > 0 && dev.master.ifindex !== f.master) return -1;
  } else if (f.master > 0) return -1;
  if (f.master === -1 && dev.master) return -1;
  if (f.kind && !matchKind(dev, f.kind)) return -1;
  if (f.slaveKind && slaveKindOf(c, dev) !== f.slaveKind) return -1;
  const li = linkAttrs(c.ns, dev);
  const oper = reportedOperstate(dev);
  if (c.opts.brief) {
    const mdown = printNameAndLink(c, (s) => `${s.padEnd(16, ' ')} `, dev, li);
    p.string('any', 'operstate', operCol(p, oper, `${OPERSTATE_NAMES[oper]!.padEnd(14, ' ')} `), OPERSTATE_NAMES[oper]!);
    if (f.family === AF_PACKET) {
      if (!noLlAddr(dev)) p.string('any', 'address', p.col('mac', `${llAddr(dev, dev.mac)} `), llAddr(dev, dev.mac));
      printLinkFlags(p, flags, mdown);
      p.fp('\n');
    }
    return 0;
  }
  p.num('any', 'ifindex', `${dev.ifindex}: `, dev.ifindex);
  const mdown = printNameAndLink(c, (s) => `${s}: `, dev, li);
  printLinkFlags(p, flags, mdown);
  p.num('any', 'mtu', `mtu ${dev.mtu >>> 0} `, dev.mtu >>> 0);
  const q = qdiscOf(dev);
  p.string('any', 'qdisc', `qdisc ${q} `, q);
  if (dev.master) p.string('any', 'master', `master ${dev.master.name} `, dev.master.name);
  if (p.isJson) p.string('json', 'operstate', '', OPERSTATE_NAMES[oper]!);
  else p.fp(`state ${operCol(p, oper, `${OPERSTATE_NAMES[oper]} `)}`);
  if (doLink) p.string('any', 'linkmode', 'mode DEFAULT ', 'DEFAULT');
  const g = groupN2a(dev.group);
  p.string('any', 'group', `group ${g} `, g);
  if (f.showqueue && dev.txqueuelen) {
    const ql = dev.txqueuelen | 0;
    p.num('any', 'txqlen', `qlen ${ql}`, ql);
  }
  if (!f.family || f.family === AF_PACKET || c.opts.details) {
    p.nl();
    const lt = linkTypeName(dev.type);
    p.string('any', 'link_type', `    link/${lt} `, lt);
    if (!noLlAddr(dev)) {
      p.string('any', 'address', p.col('mac', llAddr(dev, dev.mac)), llAddr(dev, dev.mac));
      if (flags & IFF_POINTOPOINT) { p.fp(' peer '); p.bool('json', 'link_pointtopoint', '', true); } else p.fp(' brd ');
      p.string('any', 'broadcast', p.col('mac', llAddr(dev, dev.broadcast)), llAddr(dev, dev.broadcast));
      if (dev.permAddr && dev.permAddr.some((x) => x) && macStr(dev.permAddr) !== macStr(dev.mac)) {
        p.fp(' permaddr ');
        p.string('any', 'permaddr', macStr(dev.permAddr), macStr(dev.permAddr));
      }
    }
  }
  if (li.linkNetnsid !== undefined) {
    const id = li.linkNetnsid;
    if (p.isJson) p.num('json', 'link_netnsid', '', id);
    else {
      const name = nameFromNsid(c, id);
      p.fp(name !== null ? ` link-netns ${name}` : ` link-netnsid ${id}`);
    }
  }
  if (c.opts.details) {
    p.num('any', 'promiscuity', ` promiscuity ${dev.promiscuity} `, dev.promiscuity);
    p.num('any', 'allmulti', ` allmulti ${dev.allmulti} `, dev.allmulti);
    p.num('any', 'min_mtu', `minmtu ${dev.minMtu} `, dev.minMtu);
    p.num('any', 'max_mtu', `maxmtu ${dev.maxMtu} `, dev.maxMtu);
    printLinktype(c, dev);
    if (doLink && !dev.ops.noInet6) p.string('any', 'inet6_addr_gen_mode', 'addrgenmode eui64 ', 'eui64');
    p.num('any', 'num_tx_queues', `numtxqueues ${dev.numTxQueues} `, dev.numTxQueues);
    p.num('any', 'num_rx_queues', `numrxqueues ${dev.numRxQueues} `, dev.numRxQueues);
    p.num('any', 'gso_max_size', `gso_max_size ${dev.gsoMaxSize} `, dev.gsoMaxSize);
    p.num('any', 'gso_max_segs', `gso_max_segs ${dev.gsoMaxSegs} `, dev.gsoMaxSegs);
    p.num('any', 'tso_max_size', `tso_max_size ${dev.tsoMaxSize} `, dev.tsoMaxSize);
    p.num('any', 'tso_max_segs', `tso_max_segs ${dev.tsoMaxSegs} `, dev.tsoMaxSegs);
    p.num('any', 'gro_max_size', `gro_max_size ${dev.groMaxSize} `, dev.groMaxSize);
  }
  if ((doLink || c.opts.details) && dev.alias) {
    p.fp(`${p.sl}    `);
    p.string('any', 'ifalias', `alias ${dev.alias}`, dev.alias);
  }
  if (doLink && c.opts.stats) {
    p.nl();
    printStats64(c, dev);
  }
  if (dev.altnames.length) {
    p.openArray('json', 'altnames');
    for (const n of dev.altnames) {
      p.fp(`${p.sl}    altname `);
      p.string('any', null, n, n);
    }
    p.closeArray('json', null);
  }
  p.fp('\n');
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Addresses.

const IFA_F_SECONDARY = 0x01, IFA_F_NODAD = 0x02, IFA_F_OPTIMISTIC = 0x04, IFA_F_DADFAILED = 0x08,
  IFA_F_HOMEADDRESS = 0x10, IFA_F_DEPRECATED = 0x20, IFA_F_TENTATIVE = 0x40, IFA_F_PERMANENT = 0x80,
  IFA_F_MANAGETEMPADDR = 0x100, IFA_F_NOPREFIXROUTE = 0x200, IFA_F_MCAUTOJOIN = 0x400, IFA_F_STABLE_PRIVACY = 0x800;

export const IFA_FLAG_DATA: { name: string; mask: number; readonly: boolean; v6only: boolean }[] = [
  { name: 'secondary', mask: IFA_F_SECONDARY, readonly: true, v6only: false },
  { name: 'temporary', mask: IFA_F_SECONDARY, readonly: true, v6only: false },
  { name: 'nodad', mask: IFA_F_NODAD, readonly: false, v6only: true },
  { name: 'optimistic', mask: IFA_F_OPTIMISTIC, readonly: false, v6only: true },
  { name: 'dadfailed', mask: IFA_F_DADFAILED, readonly: true, v6only: true },
  { name: 'home', mask: IFA_F_HOMEADDRESS, readonly: false, v6only: true },
  { name: 'deprecated', mask: IFA_F_DEPRECATED, readonly: true, v6only: true },
  { name: 'tentative', mask: IFA_F_TENTATIVE, readonly: true, v6only: true },
  { name: 'permanent', mask: IFA_F_PERMANENT, readonly: true, v6only: true },
  { name: 'mngtmpaddr', mask: IFA_F_MANAGETEMPADDR, readonly: false, v6only: true },
  { name: 'noprefixroute', mask: IFA_F_NOPREFIXROUTE, readonly: false, v6only: false },
  { name: 'autojoin', mask: IFA_F_MCAUTOJOIN, readonly: false, v6only: false },
  { name: 'stable-privacy', mask: IFA_F_STABLE_PRIVACY, readonly: true, v6only: true },
];

/** One address as the kernel dumps it. */
export interface AddrMsg {
  family: number;
  dev: NetDevice;
  prefixlen: number;
  scope: number;
  flags: number;
  local: string;
  /** IFA_ADDRESS when it differs from local (peer). */
  peer?: string;
  broadcast?: string;
  label?: string;
  /** For matching prefixes. */
  v4?: InetAddr;
  v6?: Inet6Addr;
}

function v6Scope(a: Inet6Addr): number {
  return a.scope === 'link' ? RT_SCOPE_LINK : a.scope === 'host' ? RT_SCOPE_HOST : 0;
}

/** IPv6 addresses in the kernel's list order: global scope first, newest first within a scope. */
export function inet6InOrder(dev: NetDevice): Inet6Addr[] {
  const rank = (a: Inet6Addr): number => (a.scope === 'global' ? 0 : a.scope === 'link' ? 1 : 2);
  const idx = new Map(dev.inet6.map((a, i) => [a, i]));
  return [...dev.inet6].sort((x, y) => rank(x) - rank(y) || idx.get(y)! - idx.get(x)!);
}

export function addrMsgs(c: IpCtx, dev: NetDevice): AddrMsg[] {
  const out: AddrMsg[] = [];
  for (const a of dev.inet) {
    let flags = IFA_F_PERMANENT;
    if (a.secondary) flags |= IFA_F_SECONDARY;
    if (a.noprefixroute) flags |= IFA_F_NOPREFIXROUTE;
    const m: AddrMsg = { family: AF_INET, dev, prefixlen: a.prefixlen, scope: a.scope, flags, local: ipv4Str(a.local),
      label: a.label, v4: a };
    if (a.address !== a.local) m.peer = ipv4Str(a.address);
    if (a.broadcast) m.broadcast = ipv4Str(a.broadcast);
    out.push(m);
  }
  const now = c.lab.clock.now;
  for (const a of inet6InOrder(dev)) {
    let flags = IFA_F_PERMANENT;
    if (a.tentativeUntil && a.tentativeUntil > now) flags |= IFA_F_TENTATIVE;
    out.push({ family: AF_INET6, dev, prefixlen: a.prefixlen, scope: v6Scope(a), flags, local: ipv6Str(a.addr), v6: a });
  }
  return out;
}

function prefixMatch(pfx: InetPrefix | undefined, m: AddrMsg): boolean {
  if (!pfx || !pfx.family) return true;
  if (pfx.family !== m.family) return false;
  const bits = pfx.bitlen;
  if (m.family === AF_INET) {
    const a = m.v4!.local;
    return ((a ^ pfx.v4) & maskOf(Math.max(0, Math.min(32, bits)))) === 0;
  }
  const a = m.v6!.addr;
  for (let i = 0; i < bits; i++) {
    const bit = (x: Uint8Array): number => (x[i >> 3]! >> (7 - (i & 7))) & 1;
    if (bit(a) !== bit(pfx.v6)) return false;
  }
  return true;
}

function fnmatch(pattern: string, s: string): boolean {
  let re = '^';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$').test(s);
}

export function addrPasses(f: LinkFilter, m: AddrMsg): boolean {
  if (f.ifindex && f.ifindex !== m.dev.ifindex) return false;
  if ((f.scope ^ m.scope) & f.scopemask) return false;
  if ((f.flags ^ m.flags) & f.flagmask) return false;
  if (f.family && f.family !== m.family) return false;
  if (f.label && !fnmatch(f.label, m.label ?? m.dev.name)) return false;
  if (!prefixMatch(f.pfx, m)) return false;
  return true;
}

/** print_addrinfo for one address (already filtered). */
export function printAddrinfo(c: IpCtx, m: AddrMsg, f: LinkFilter): void {
  const p = c.p;
  if (!c.opts.brief) {
    if (f.oneline) {
      if (p.isJson) { p.num('json', 'index', '', m.dev.ifindex); p.string('json', 'dev', '', m.dev.name); }
      else p.fp(`${m.dev.ifindex}: ${m.dev.name}`);
    }
    const fam = m.family === AF_INET ? 'inet' : 'inet6';
    p.string('any', 'family', `    ${fam} `, fam);
  }
  const fc = m.family === AF_INET ? 'inet' : 'inet6';
  p.string('any', 'local', p.col(fc, m.local), m.local);
  if (m.peer !== undefined) {
    p.fp(' peer ');
    p.string('any', 'address', p.col(fc, m.peer), m.peer);
  }
  p.num('any', 'prefixlen', `/${m.prefixlen} `, m.prefixlen);
  if (c.opts.brief) return;
  if (m.broadcast !== undefined) {
    p.fp('brd ');
    p.string('any', 'broadcast', p.col(fc, `${m.broadcast} `), m.broadcast);
  }
  const sc = rtscopeN2a(m.scope);
  p.string('any', 'scope', `scope ${sc} `, sc);
  let flags = m.flags;
  for (const fd of IFA_FLAG_DATA) {
    if (fd.mask === IFA_F_PERMANENT) {
      if (!(flags & fd.mask)) p.bool('any', 'dynamic', 'dynamic ', true);
    } else if (flags & fd.mask) {
      if (fd.mask === IFA_F_SECONDARY && m.family === AF_INET6) p.bool('any', 'temporary', 'temporary ', true);
      else { p.fp(`${fd.name} `); p.bool('json', fd.name, '', true); }
    }
    flags &= ~fd.mask;
  }
  if (flags) {
    const h = flags.toString(16).padStart(2, '0');
    if (p.isJson) p.string('json', 'ifa_flags', '', h); else p.fp(`flags ${h} `);
  }
  if (m.label !== undefined) p.string('any', 'label', m.label, m.label);
  p.nl();
  p.fp('       valid_lft ');
  p.num('json', 'valid_life_time', '', 4294967295);
  p.fp('forever');
  p.fp(' preferred_lft ');
  p.num('json', 'preferred_life_time', '', 4294967295);
  p.fp('forever');
  p.fp('\n');
}

// ---------------------------------------------------------------------------------------------
// ipaddr_list_flush_or_save

function getFilterFlag(f: LinkFilter, arg0: string): boolean {
  let inv = false;
  let arg = arg0;
  if (arg[0] === '-') { inv = true; arg = arg.slice(1); }
  if (arg === 'dynamic') { inv = !inv; arg = 'permanent'; }
  else if (arg === 'primary') { inv = !inv; arg = 'secondary'; }
  const fd = IFA_FLAG_DATA.find((x) => x.name === arg);
  if (!fd) return false;
  if (inv) f.flags &= ~fd.mask; else f.flags |= fd.mask;
  f.flagmask |= fd.mask;
  return true;
}

export function addrUsage(c: IpCtx, doLink: boolean): never {
  if (doLink) {
    // ipaddress.c's usage() prints the link usage first when called from ip link.
  }
  c.err(
    'Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n' +
    '                                                      [ CONFFLAG-LIST ]\n' +
    '       ip address del IFADDR dev IFNAME [mngtmpaddr]\n' +
    '       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n' +
    '                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n' +
    '       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]\n' +
    '                         [ nomaster ]\n' +
    '                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]\n' +
    '                         [ label LABEL ] [up] [ vrf NAME ] ]\n' +
    '       ip address {showdump|restore}\n' +
    'IFADDR := PREFIX | ADDR peer PREFIX\n' +
    '          [ broadcast ADDR ] [ anycast ADDR ]\n' +
    '          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]\n' +
    'SCOPE-ID := [ host | link | global | NUMBER ]\n' +
    'FLAG-LIST := [ FLAG-LIST ] FLAG\n' +
    'FLAG  := [ permanent | dynamic | secondary | primary |\n' +
    '           [-]tentative | [-]deprecated | [-]dadfailed | temporary |\n' +
    '           CONFFLAG-LIST ]\n' +
    'CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG\n' +
    'CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]\n' +
    'LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]\n' +
    'LFT := forever | SECONDS\n' +
    'TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n' +
    '          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n' +
    '          ip6erspan | ip6gre | ip6gretap | ip6tnl |\n' +
    '          ipip | ipoib | ipvlan | ipvtap |\n' +
    '          macsec | macvlan | macvtap |\n' +
    '          netdevsim | nlmon | rmnet | sit | team | team_slave |\n' +
    '          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n' +
    '          xfrm | virt_wifi }\n');
  throw new IpExit(255);
}

import { iplinkUsage } from './link.ts';

export type AddrAction = 'list' | 'flush' | 'save';

export function ipaddrListFlushOrSave(c: IpCtx, argv: string[], action: AddrAction, doLink: boolean): number {
  const f = newFilter(c);
  const a = new Args(argv, c);
  if (action === 'flush') {
    if (!argv.length) fail(c, 'Flush requires arguments.\n', 1);
    if (f.family === AF_PACKET) fail(c, 'Cannot flush link addresses.\n', 1);
  }
  let filterDev: string | undefined;
  while (a.more) {
    const w = a.cur;
    if (w === 'to') {
      const v = a.next();
      f.pfx = getPrefix(c, v, f.family);
      if (f.family === AF_UNSPEC) f.family = f.pfx.family;
    } else if (w === 'scope') {
      const v = a.next();
      f.scopemask = -1;
      let sc = rtscopeA2n(v);
      if (sc === null) {
        if (v !== 'all') invarg(c, 'invalid "scope"\n', v);
        sc = 255;
        f.scopemask = 0;
      }
      f.scope = sc;
    } else if (w === 'up') {
      f.up = true;
    } else if (getFilterFlag(f, w)) {
      // flag filter
    } else if (w === 'label') {
      f.label = a.next();
    } else if (w === 'group') {
      const v = a.next();
      const g = groupA2n(v);
      if (g === null) invarg(c, 'Invalid "group" value\n', v);
      f.group = g;
    } else if (w === 'master') {
      const v = a.next();
      const idx = llNameToIndex(c.ns, v);
      if (!idx) invarg(c, 'Device does not exist\n', v);
      f.master = idx;
    } else if (w === 'vrf') {
      const v = a.next();
      const d = c.ns.devices.get(v);
      if (!d || d.kind !== 'vrf') invarg(c, 'Not a valid VRF name\n', v);
      f.master = d.ifindex;
    } else if (w === 'nomaster') {
      f.master = -1;
    } else if (w === 'type') {
      const v = a.next();
      if (v.endsWith('_slave')) f.slaveKind = v.slice(0, -6);
      else f.kind = v;
    } else {
      let v = w;
      if (w === 'dev') v = a.next();
      else if (matches(w, 'help')) { if (doLink) iplinkUsage(c); addrUsage(c, doLink); }
      if (filterDev !== undefined) duparg2(c, 'dev', v);
      filterDev = v;
    }
    a.step();
  }
  if (filterDev !== undefined) {
    f.ifindex = llNameToIndex(c.ns, filterDev);
    if (f.ifindex <= 0 || !c.ns.byIndex.get(f.ifindex)) {
      if (f.ifindex > 0) {
        // The index exists only as "ifN": the kernel has no such device.
        fail(c, 'RTNETLINK answers: No such device\n', 1);
      }
      fail(c, `Device "${filterDev}" does not exist.\n`, 1);
    }
  }
  if (action === 'flush') return ipaddrFlush(c, f);
  if (action === 'save') fail(c, 'Not sending a binary stream to stdout\n', 255);

  const p = c.p;
  p.newJsonObj();
  let links: NetDevice[];
  if (f.ifindex) {
    // A single-device RTM_GETLINK: rtnl_getlink syncs the device's pending linkwatch event first.
    linkwatchSync(c.ns.byIndex.get(f.ifindex)!);
    links = [c.ns.byIndex.get(f.ifindex)!];
  }
  else links = devicesInDumpOrder(c.ns, f);
  const msgs = new Map<NetDevice, AddrMsg[]>();
  let noLink = false;
  if (f.family !== AF_PACKET) {
    if (f.oneline) noLink = true;
    for (const d of links) msgs.set(d, addrMsgs(c, d));
    // ipaddr_filter: keep links with a matching address (or with none at all, unless -4/-6).
    links = links.filter((d) => {
      const list = msgs.get(d)!;
      if (!list.length) return f.family === AF_UNSPEC || f.family === AF_PACKET;
      return list.some((m) => addrPasses(f, m));
    });
  }
  for (const d of links) {
    p.openObject(null);
    let res = 0;
    if (c.opts.brief || !noLink) res = printLinkinfo(c, d, f, doLink);
    if (res >= 0 && f.family !== AF_PACKET) {
      p.openArray('json', 'addr_info');
      for (const m of msgs.get(d)!) {
        if (f.family && f.family !== m.family) continue;
        if (f.up && !d.isUp) continue;
        if (!addrPasses(f, m)) continue;
        p.openObject(null);
        printAddrinfo(c, m, f);
        p.closeObject();
      }
      p.closeArray('json', null);
      if (c.opts.brief) p.fp('\n');
    }
    if (res > 0 && !doLink && c.opts.stats) {
      printStats64(c, d);
      p.nl();
    }
    p.closeObject();
  }
  p.deleteJsonObj();
  return 0;
}

/** The link dump: every device in index order, with the kernel-side master/kind filters. */
function devicesInDumpOrder(ns: NetNamespace, f: LinkFilter): NetDevice[] {
  const all = [...ns.byIndex.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]);
  return all.filter((d) => {
    if (f.master > 0 && d.master?.ifindex !== f.master) return false;
    if (f.kind && d.kind !== f.kind) return false;
    return true;
  });
}

function ipaddrFlush(c: IpCtx, f: LinkFilter): number {
  let round = 0;
  for (;;) {
    const victims: AddrMsg[] = [];
    for (const d of [...c.ns.byIndex.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1])) {
      for (const m of addrMsgs(c, d)) if (addrPasses(f, m)) victims.push(m);
    }
    if (!victims.length) {
      if (c.opts.stats) {
        if (round === 0) c.print('Nothing to flush.\n');
        else c.print(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      }
      return 0;
    }
    round++;
    for (const m of victims) {
      if (m.v4 && m.dev.inet.includes(m.v4)) removeIfa(m.dev, m.v4);
      if (m.v6 && m.dev.inet6.includes(m.v6)) m.dev.inet6.splice(m.dev.inet6.indexOf(m.v6), 1);
    }
    if (c.opts.stats) c.print(`\n*** Round ${round}, deleting ${victims.length} addresses ***\n`);
    if (!(f.flags & IFA_F_SECONDARY) && (f.flagmask & IFA_F_SECONDARY)) {
      if (c.opts.stats) c.print(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    if (round >= 10) {
      c.err(`*** Flush remains incomplete after ${round} rounds. ***\n`);
      return 1;
    }
  }
}

export function ipaddrListLink(c: IpCtx, argv: string[]): number {
  const saved = c.opts.family;
  c.opts.family = AF_PACKET;
  try {
    return ipaddrListFlushOrSave(c, argv, 'list', true);
  } finally {
    c.opts.family = saved;
  }
}

