/**
 * struct net_device: what every driver shares. Driver-specific state hangs off `priv`, typed by
 * the driver; behaviour comes from the `ops` table (ndo_* and rtnl_link_ops in the kernel).
 */
import type { NetNamespace } from './netns.ts';
import type { SkBuff } from './skb.ts';
import type { NlResult } from './errno.ts';

// IFF_* flags, as in include/uapi/linux/if.h: `ip link` prints them in this bit order.
export const IFF_UP = 0x1, IFF_BROADCAST = 0x2, IFF_DEBUG = 0x4, IFF_LOOPBACK = 0x8,
  IFF_POINTOPOINT = 0x10, IFF_NOTRAILERS = 0x20, IFF_RUNNING = 0x40, IFF_NOARP = 0x80,
  IFF_PROMISC = 0x100, IFF_ALLMULTI = 0x200, IFF_MASTER = 0x400, IFF_SLAVE = 0x800,
  IFF_MULTICAST = 0x1000, IFF_PORTSEL = 0x2000, IFF_AUTOMEDIA = 0x4000, IFF_DYNAMIC = 0x8000,
  IFF_LOWER_UP = 0x10000, IFF_DORMANT = 0x20000, IFF_ECHO = 0x40000;

export const enum OperState {
  UNKNOWN = 0, NOTPRESENT = 1, DOWN = 2, LOWERLAYERDOWN = 3, TESTING = 4, DORMANT = 5, UP = 6,
}
export const OPERSTATE_NAMES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'] as const;

export const ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772, ARPHRD_NETLINK = 824, ARPHRD_NONE = 0xfffe;

/** What an rx_handler answers (enum rx_handler_result). */
export const enum RxResult { CONSUMED = 0, ANOTHER = 1, EXACT = 2, PASS = 3 }

export type RxHandler = (skb: SkBuff) => RxResult;

/** How the MAC was assigned (NET_ADDR_*): decides e.g. whether a bridge recomputes its MAC. */
export type AddrAssign = 'perm' | 'random' | 'stolen' | 'set';

export interface DevStats {
  rxPackets: number; rxBytes: number; rxErrors: number; rxDropped: number; rxMulticast: number;
  txPackets: number; txBytes: number; txErrors: number; txDropped: number; collisions: number;
  rxNohandler: number;
}

export function newStats(): DevStats {
  return { rxPackets: 0, rxBytes: 0, rxErrors: 0, rxDropped: 0, rxMulticast: 0, txPackets: 0,
    txBytes: 0, txErrors: 0, txDropped: 0, collisions: 0, rxNohandler: 0 };
}

/** IPv4 address on a device (struct in_ifaddr). */
export interface InetAddr {
  local: number;         // uint32
  address: number;       // peer address; equals local unless point-to-point
  prefixlen: number;
  broadcast: number;     // 0 = none given
  scope: number;         // RT_SCOPE_*: 0 universe(global), 200 site, 253 link, 254 host
  label: string;
  secondary: boolean;
  noprefixroute: boolean;
  /** Order key: when it was added, for stable primary/secondary listing. */
  seq: number;
}

/** IPv6 address, only what `ip addr` shows (link-local from EUI-64, ::1 on lo). */
export interface Inet6Addr {
  addr: Uint8Array;      // 16 bytes
  prefixlen: number;
  scope: 'link' | 'host' | 'global';
  proto: string;         // 'kernel_ll', 'kernel_lo' or ''
  /** Virtual time until which duplicate address detection runs (`tentative`); 0 = done. */
  tentativeUntil: number;
}

/** Driver hooks: net_device_ops + the rtnl_link_ops pieces the core calls. */
export interface DeviceOps {
  /** rtnl kind: 'veth', 'macvlan', 'bridge' …; '' for devices without one (lo). */
  readonly kind: string;
  /** ndo_open; may refuse (macvlan: EADDRINUSE). */
  open?(dev: NetDevice): NlResult;
  /** ndo_stop */
  stop?(dev: NetDevice): void;
  /** ndo_start_xmit: the frame now belongs to the driver. */
  xmit(dev: NetDevice, skb: SkBuff): void;
  /** ndo_change_mtu; absent = generic checks only. */
  changeMtu?(dev: NetDevice, mtu: number): NlResult;
  /** ndo_set_mac_address; absent = EOPNOTSUPP. */
  setMac?(dev: NetDevice, mac: Uint8Array): NlResult;
  /** The device iflink refers to (veth peer, macvlan lower); absent = none (iflink == ifindex). */
  linkDev?(dev: NetDevice): NetDevice | null;
  /** ndo_uninit / dellink side effects, called while unregistering. */
  uninit?(dev: NetDevice): void;
  /** ndo_change_rx_flags / set_rx_mode: promiscuity or allmulti changed. */
  rxModeChanged?(dev: NetDevice): void;
  /** A multicast group entered (on) or left the device's list (dev_mc_add/dev_mc_del, 0↔1). */
  mcChanged?(dev: NetDevice, group: number, on: boolean): void;
  /** ndo_fdb_add / ndo_fdb_del / ndo_fdb_dump of devices with their own FDB (vxlan); absent = the default lists. */
  fdbAdd?(dev: NetDevice, req: import('./drivers/bridge/fdb.ts').FdbRequest): NlResult;
  fdbDel?(dev: NetDevice, req: import('./drivers/bridge/fdb.ts').FdbRequest): NlResult;
  fdbDump?(dev: NetDevice): import('./drivers/bridge/netlink.ts').FdbDumpEntry[];
  /** ndo_get_iflink may be 0 (ip_tunnel: no `dev`): `ip link` shows NAME@NONE. */
  readonly iflinkNone?: boolean;
  /** The device never gets an inet6_dev (gre0: registered before it had an MTU): no addrgenmode. */
  readonly noInet6?: boolean;
  /** Devices with IFF_UNICAST_FLT don't turn promiscuous when secondary unicast MACs are added. */
  readonly unicastFilter?: boolean;
  /** Bridge, bond, lo: `ip link set netns` refuses with "The interface netns is immutable." */
  readonly netnsImmutable?: boolean;
  /** Device uses no qdisc (IFF_NO_QUEUE): `qdisc noqueue` when up. */
  readonly noQueue?: boolean;
  /**
   * NETIF_F_HW_VLAN_CTAG_TX/STAG_TX (veth, bridge, bond): a VLAN tag held in skb metadata stays
   * there through dev_queue_xmit, so the driver counts the frame without it; other devices get it
   * written in.
   */
  readonly vlanTxOffload?: boolean;
}

let nextDevSerial = 1;

/**
 * Initial MAC values shared by every device until it gets its own: device MACs and broadcast
 * addresses are always replaced by a new array (setMacBytes, rtnl), never written in place, so
 * an idle device need not carry two 6-byte buffers of its own.
 */
const NO_MAC = new Uint8Array(6);
const ETH_BROADCAST = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

export class NetDevice {
  /** Unique across the lab, stable across moves; used as a hash key. */
  readonly serial = nextDevSerial++;
  ifindex = 0;
  name: string;
  netns!: NetNamespace;
  type = ARPHRD_ETHER;
  /** IFF_* flags the device has by nature (BROADCAST|MULTICAST, LOOPBACK, NOARP…). */
  flags: number;
  /** Flags set by the user (`promisc on`, `allmulticast on`), shown by ip link. */
  gflags = 0;
  promiscuity = 0;
  /** Promiscuity taken because secondary unicast MACs exist without a filter (uc_promisc). */
  ucPromisc = false;
  allmulti = 0;
  carrier = false;
  dormant = false;
  /** IF_OPER_UNKNOWN until the first linkwatch event, as in the kernel. */
  operstate: OperState = OperState.UNKNOWN;
  /** True once the device has ever had a linkwatch event; devices that never do stay UNKNOWN. */
  linkwatchSeen = false;
  mac: Uint8Array = NO_MAC;
  /** MAC as a number (48-bit, exact in a double) for hash lookups on the hot path. */
  macNum = 0;
  permAddr: Uint8Array | null = null;
  addrAssign: AddrAssign = 'random';
  broadcast: Uint8Array = ETH_BROADCAST;
  mtu = 1500;
  minMtu = 68;
  maxMtu = 65535;
  txqueuelen = 1000;
  numTxQueues = 1;
  numRxQueues = 1;
  group = 0;
  alias = '';
  gsoMaxSize = 65536;
  gsoMaxSegs = 65535;
  tsoMaxSize = 524280;
  tsoMaxSegs = 65535;
  groMaxSize = 65536;
  /** Upper device that owns this one (bridge, bond): `master X`. */
  master: NetDevice | null = null;
  /** Devices stacked on this one (macvlans on a lower, vlans on a parent). */
  get uppers(): Set<NetDevice> { return this.uppersSet ??= new Set(); }
  private uppersSet: Set<NetDevice> | null = null;
  rxHandler: RxHandler | null = null;
  /** Data of the rx_handler owner (bridge port, macvlan port…). */
  rxHandlerData: unknown = null;
  /** IFF_NO_RX_HANDLER (ipvlan slaves): refuse to take an rx_handler. */
  noRxHandler = false;
  /** dev_id: tells apart devices sharing one MAC (ipvlan slaves); used for their EUI-64 link-locals. */
  devId = 0;
  /** Secondary unicast and multicast MAC lists with reference counts (dev_uc_add / dev_mc_add). */
  get ucList(): Map<number, number> { return this.ucMap ??= new Map(); }
  get mcList(): Map<number, number> { return this.mcMap ??= new Map(); }
  /** Made on first use: most devices never have a secondary unicast MAC, lo no multicast group. */
  private ucMap: Map<number, number> | null = null;
  private mcMap: Map<number, number> | null = null;
  /** Interface counters (rtnl_link_stats64); made when first counted or read, as most idle devices never are. */
  get stats(): DevStats { return this.counters ??= newStats(); }
  private counters: DevStats | null = null;
  inet: InetAddr[] = [];
  inet6: Inet6Addr[] = [];
  /** Alternative names (`ip link property add altname`). */
  altnames: string[] = [];
  /** Driver-private state, typed by the driver that owns `ops`. */
  priv: unknown = null;
  /** carrier_up_count + carrier_down_count (ip -s -s "transns", sysfs carrier_changes). */
  carrierChanges = 0;
  /** Storm guard window: frames received since `rxWindowStart` (virtual ms). */
  rxWindowStart = -1;
  rxWindowCount = 0;
  /** A root qdisc was attached (first dev_open); `ip link` shows noop until then. */
  qdiscAttached = false;
  /** Set while the device is being unregistered, to stop re-entrant work. */
  dying = false;

  constructor(name: string, public ops: DeviceOps, flags: number) {
    this.name = name;
    this.flags = flags;
  }

  get kind(): string { return this.ops.kind; }
  get isUp(): boolean { return (this.flags & IFF_UP) !== 0; }

  /** dev_get_flags(): what `ip link` shows. */
  get displayFlags(): number {
    let f = (this.flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT)) |
      (this.gflags & (IFF_PROMISC | IFF_ALLMULTI));
    if (this.isUp) {
      if (this.operstate === OperState.UP || this.operstate === OperState.UNKNOWN) f |= IFF_RUNNING;
      if (this.carrier) f |= IFF_LOWER_UP;
      if (this.dormant) f |= IFF_DORMANT;
    }
    return f;
  }

  setMacBytes(mac: Uint8Array): void {
    this.mac = new Uint8Array(mac);
    this.macNum = macToNum(this.mac, 0);
  }

  /** iflink: the ifindex `ip link` shows after '@' (own index when there is no link). */
  linkDevice(): NetDevice | null { return this.ops.linkDev ? this.ops.linkDev(this) : null; }
}

export function macToNum(b: Uint8Array, off: number): number {
  return (b[off]! * 0x10000 + (b[off + 1]! << 8) + b[off + 2]!) * 0x1000000 +
    ((b[off + 3]! << 16) | (b[off + 4]! << 8) | b[off + 5]!);
}

export function numToMac(n: number): Uint8Array {
  const b = new Uint8Array(6);
  const hi = Math.floor(n / 0x1000000), lo = n % 0x1000000;
  b[0] = (hi >>> 16) & 0xff; b[1] = (hi >>> 8) & 0xff; b[2] = hi & 0xff;
  b[3] = (lo >>> 16) & 0xff; b[4] = (lo >>> 8) & 0xff; b[5] = lo & 0xff;
  return b;
}

export function macStr(b: Uint8Array, off = 0): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[off + i]!.toString(16).padStart(2, '0');
  return s;
}

export const BROADCAST_MAC_NUM = 0xffffffffffff;
export function isMulticastMac(b: Uint8Array, off = 0): boolean { return (b[off]! & 1) === 1; }
export function isZeroMac(b: Uint8Array, off = 0): boolean {
  for (let i = 0; i < 6; i++) if (b[off + i]) return false;
  return true;
}
export function isValidUnicastMac(b: Uint8Array, off = 0): boolean {
  return !isMulticastMac(b, off) && !isZeroMac(b, off);
}
