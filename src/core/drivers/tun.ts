/**
 * drivers/net/tun.c: TUN (layer 3, ARPHRD_NONE) and TAP (Ethernet) devices whose "wire" is a file
 * descriptor a user-space program (a VM, a VPN daemon) holds on /dev/net/tun.
 *
 * - A device is made by TUNSETIFF on an open /dev/net/tun ({@link TunFile.setIff}); the file is
 *   then attached to it as a queue, and the device has carrier while at least one queue is
 *   attached (netif_carrier_on in tun_set_iff unless IFF_NO_CARRIER, netif_carrier_off when the last
 *   queue detaches). `ip tuntap add` is TUNSETIFF + TUNSETOWNER/TUNSETGROUP + TUNSETPERSIST(1) +
 *   close(): what it leaves behind is a persistent device with NO carrier (`NO-CARRIER … state
 *   DOWN` once up) until a program attaches.
 * - Closing the last queue of a device that is not persistent unregisters it (`ip tuntap del` is
 *   TUNSETIFF + TUNSETPERSIST(0) + close()). TUNSETIFF on a name that does not exist creates one,
 *   so `ip tuntap del dev nosuch mode tap` succeeds and burns an ifindex, as on Linux.
 * - Frames the kernel sends to the device (ndo_start_xmit) go to the attached file: its `onFrame`
 *   handler, else its queue for `read()` (a ring of tx_queue_len frames; beyond that, tx_dropped).
 *   Frames `write()`n to the file are received by the device's stack (netif_rx).
 * - rtnetlink cannot create them: `ip link add … type tun` answers "tun/tap creation via
 *   rtnetlink is not supported." (tun_validate). `ip link del` works (tun_net_uninit detaches
 *   every file).
 *
 * Seen on 6.18 (iproute2 6.1): tap = `<BROADCAST,MULTICAST>`, random MAC, qlen 1000, maxmtu 65521,
 * qdisc noop → pfifo_fast; tun = `<POINTOPOINT,MULTICAST,NOARP>`, `link/none`, qlen 500, maxmtu
 * 65535; both `tso_max_size 65536`, numtxqueues 1 (256 with multi_queue); `ip -d link`:
 * `tun type tap pi off vnet_hdr off persist on [user NAME] [group NAME]`.
 *
 * vnet's stack always works on Ethernet-framed buffers: a TUN device's frames get a 14-byte
 * pseudo header (zero MACs, ethertype from the IP version or the packet-information header) on
 * receive, which is stripped again on transmit, so what a reader sees is the bare IP packet.
 */
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import type { NetNamespace } from '../netns.ts';
import {
  ARPHRD_NONE, IFF_BROADCAST, IFF_MULTICAST, IFF_NOARP, IFF_POINTOPOINT, NetDevice, type DeviceOps,
} from '../netdev.ts';
import {
  drop, ethTypeTrans, netifRx, newSkb, registerNetdevice, setCarrier, unregisterNetdevice, validIfName,
} from '../dev.ts';
import { PacketType } from '../skb.ts';
import { registerKind, type KindData, type LinkKind } from '../rtnl.ts';

// include/uapi/linux/if_tun.h
export const IFF_TUN = 0x0001, IFF_TAP = 0x0002, IFF_NAPI = 0x0010, IFF_NAPI_FRAGS = 0x0020,
  IFF_NO_CARRIER = 0x0040, IFF_NO_PI = 0x1000, IFF_ONE_QUEUE = 0x2000, IFF_VNET_HDR = 0x4000,
  IFF_TUN_EXCL = 0x8000, IFF_MULTI_QUEUE = 0x0100, IFF_ATTACH_QUEUE = 0x0200, IFF_DETACH_QUEUE = 0x0400,
  IFF_PERSIST = 0x0800, IFF_NOFILTER = 0x1000;
export const TUN_TYPE_MASK = 0x000f;
/** Flags TUNSETIFF copies into the device (TUN_FEATURES). */
export const TUN_FEATURES = IFF_NO_PI | IFF_ONE_QUEUE | IFF_VNET_HDR | IFF_MULTI_QUEUE | IFF_NAPI | IFF_NAPI_FRAGS;
/** MAX_TAP_QUEUES: the queue count a multi_queue device is allocated with. */
export const MAX_TAP_QUEUES = 256;
/** sizeof(struct tun_pi) and the default vnet header size (sizeof(struct virtio_net_hdr)). */
export const TUN_PI_LEN = 4, VNET_HDR_LEN = 10;
/** The character device every tun/tap is opened through: misc major 10, TUN_MINOR 200. */
export const TUN_DEVNODE = { path: '/dev/net/tun', major: 10, minor: 200 } as const;

const ETH_HLEN = 14;
const ETH_P_IP = 0x0800, ETH_P_IPV6 = 0x86dd;

/** tun_struct: the device side. */
export interface TunPriv {
  /** IFF_TUN|IFF_TAP, TUN_FEATURES, IFF_PERSIST. */
  flags: number;
  /** -1 = not set (INVALID_UID). */
  owner: number;
  group: number;
  /** Attached queues, in attach order (tun->tfiles). */
  queues: TunFile[];
  numDisabled: number;
  /** tun_flow_update: flow hash → queue that last wrote a packet of that flow. */
  flows: Map<number, TunFile>;
}

export function tunPriv(dev: NetDevice): TunPriv | null {
  return dev.kind === 'tun' ? (dev.priv as TunPriv) : null;
}

/** The user a file was opened by, for `ip -d tuntap show` ("Attached to processes:NAME(PID)"). */
export interface TunProcess { comm: string; pid: number }

// ---------------------------------------------------------------------------------------------
// Device side: net_device_ops for both modes.

function isTunMode(dev: NetDevice): boolean { return ((dev.priv as TunPriv).flags & TUN_TYPE_MASK) === IFF_TUN; }

/** A symmetric flow hash (what __skb_get_hash_symmetric gives for a flow, deterministically). */
function flowHash(l3: Uint8Array, off: number, ethertype: number): number {
  let a = 0, b = 0;
  if (ethertype === ETH_P_IP && l3.length >= off + 20) {
    a = ((l3[off + 12]! << 24) | (l3[off + 13]! << 16) | (l3[off + 14]! << 8) | l3[off + 15]!) >>> 0;
    b = ((l3[off + 16]! << 24) | (l3[off + 17]! << 16) | (l3[off + 18]! << 8) | l3[off + 19]!) >>> 0;
  }
  const lo = Math.min(a, b), hi = Math.max(a, b);
  let h = 2166136261;
  for (const v of [lo, hi, ethertype]) {
    for (let i = 0; i < 4; i++) { h ^= (v >>> (i * 8)) & 0xff; h = Math.imul(h, 16777619) >>> 0; }
  }
  return h;
}

/** tun_select_queue: the flow's queue if one wrote it last, else the hash spread over the queues. */
function selectQueue(p: TunPriv, hash: number): TunFile | null {
  const n = p.queues.length;
  if (!n) return null;
  if (n === 1) return p.queues[0]!;
  const f = p.flows.get(hash);
  if (f && p.queues.includes(f)) return f;
  return p.queues[Math.floor((hash * n) / 0x100000000)]!;
}

function tunXmit(dev: NetDevice, skb: import('../skb.ts').SkBuff): void {
  const p = dev.priv as TunPriv;
  const lab = dev.netns.lab;
  const tunMode = (p.flags & TUN_TYPE_MASK) === IFF_TUN;
  const ethertype = skb.ethertype;
  // A TUN device carries bare IP packets: the stack's pseudo Ethernet header stays here.
  const payload = tunMode ? skb.data.subarray(ETH_HLEN) : skb.data;
  const q = selectQueue(p, flowHash(skb.data, ETH_HLEN, ethertype));
  if (!q) {
    // tun_net_xmit: no file on this queue.
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', 'NO_CARRIER', 'tun_net_xmit', 'no process has the device open');
    return;
  }
  if (!q.enqueue(payload, ethertype)) {
    dev.stats.txDropped++;
    drop(lab, skb, 'tx', 'TAP_RING_FULL', 'tun_net_xmit', 'the reading process\'s ring is full (tx_queue_len frames)');
    return;
  }
  if (lab.tracer) lab.trace(skb, dev, 'tx', 'tun_net_xmit', 'delivered', undefined, 'to the process holding the device');
  lab.counters.delivered++;
}

/** ndo_change_carrier (tun_net_change_carrier): `ip link set DEV carrier on` needs a queue. */
function tunChangeCarrier(dev: NetDevice, on: boolean): NlResult {
  if (on) {
    if (!(dev.priv as TunPriv).queues.length) return err(Errno.EPERM);
    setCarrier(dev, true);
  } else setCarrier(dev, false);
  return OK;
}

/** tun_net_uninit → tun_detach_all: every file loses its device. */
function tunUninit(dev: NetDevice): void {
  const p = dev.priv as TunPriv;
  for (const f of p.queues.splice(0)) f.lost();
  p.flows.clear();
}

type TunOps = DeviceOps & { changeCarrier(dev: NetDevice, on: boolean): NlResult };

/** tun_netdev_ops: no ndo_set_mac_address (`ip link set tun0 address …` → EOPNOTSUPP). */
export const tunOps: TunOps = {
  kind: 'tun',
  xmit: tunXmit,
  changeMtu() { return OK; },
  uninit: tunUninit,
  changeCarrier: tunChangeCarrier,
};

/** tap_netdev_ops: eth_mac_addr with IFF_LIVE_ADDR_CHANGE (the MAC may change while up). */
export const tapOps: TunOps = {
  kind: 'tun',
  xmit: tunXmit,
  changeMtu() { return OK; },
  setMac(dev, mac) { dev.setMacBytes(mac); dev.addrAssign = 'set'; return OK; },
  uninit: tunUninit,
  changeCarrier: tunChangeCarrier,
};

/** tun_flags() as sysfs `tun_flags` shows it. */
export function tunFlags(p: TunPriv): number {
  return p.flags & (TUN_FEATURES | IFF_PERSIST | IFF_TUN | IFF_TAP);
}

/** /sys/class/net/DEV/{tun_flags,owner,group}; null for other attributes or devices. */
export function tunSysfsRead(dev: NetDevice, attr: string): string | null {
  const p = tunPriv(dev);
  if (!p) return null;
  if (attr === 'tun_flags') return `0x${tunFlags(p).toString(16)}\n`;
  if (attr === 'owner') return `${p.owner}\n`;
  if (attr === 'group') return `${p.group}\n`;
  // tun sets no device type: its uevent has no DEVTYPE line.
  if (attr === 'uevent') return `INTERFACE=${dev.name}\nIFINDEX=${dev.ifindex}\n`;
  return null;
}

/** The extra sysfs attributes a tun device has (tun_attr_group). */
export const TUN_SYSFS_ATTRS = ['tun_flags', 'owner', 'group'] as const;

/** tun_net_initialize + tun_setup for a new device. */
function allocTunDev(lab: Lab, name: string, flags: number): NetDevice {
  const tun = (flags & TUN_TYPE_MASK) === IFF_TUN;
  const dev = new NetDevice(name, tun ? tunOps : tapOps,
    tun ? IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST : IFF_BROADCAST | IFF_MULTICAST);
  if (tun) {
    dev.type = ARPHRD_NONE;
    dev.mac = new Uint8Array(0);
    dev.macNum = -1;
    dev.broadcast = new Uint8Array(0);
    dev.txqueuelen = 500; // TUN_READQ_SIZE
    dev.maxMtu = 65535;
  } else {
    dev.setMacBytes(lab.rng.randomMac()); // eth_hw_addr_random
    dev.addrAssign = 'random';
    dev.maxMtu = 65535 - ETH_HLEN;
  }
  dev.minMtu = 68;
  dev.tsoMaxSize = 65536;
  const mq = (flags & IFF_MULTI_QUEUE) !== 0;
  dev.numTxQueues = dev.numRxQueues = mq ? MAX_TAP_QUEUES : 1;
  dev.carrier = true;
  dev.priv = {
    flags: flags & (TUN_FEATURES | TUN_TYPE_MASK), owner: -1, group: -1, queues: [], numDisabled: 0, flows: new Map(),
  } satisfies TunPriv;
  return dev;
}

// ---------------------------------------------------------------------------------------------
// File side: one open /dev/net/tun (struct tun_file).

export interface TunFileOptions {
  /** Who holds the file (shown by `ip -d tuntap show`). */
  process?: TunProcess;
}

export class TunFile {
  /** The device this file is attached to (tfile->tun), null before TUNSETIFF or once it is gone. */
  dev: NetDevice | null = null;
  /** Called with each frame the kernel sends (headers as the flags ask); bypasses the queue. */
  onFrame: ((frame: Uint8Array) => void) | null = null;
  /** Called when the device goes away under the file (`ip link del`, namespace deleted). */
  onDetach: (() => void) | null = null;
  readonly process: TunProcess | null;
  private ring: Uint8Array[] = [];
  private closed = false;

  constructor(readonly lab: Lab, readonly ns: NetNamespace, opts: TunFileOptions = {}) {
    this.process = opts.process ?? null;
  }

  /** Frames waiting to be read. */
  get pending(): number { return this.ring.length; }

  /** TUNGETIFF: the device's name and flags, or EBADFD when not attached. */
  getIff(): NlResult<{ name: string; flags: number }> {
    const dev = this.dev;
    if (!dev) return err(77 /* EBADFD */);
    const p = dev.priv as TunPriv;
    return ok({ name: dev.name, flags: tunFlags(p) });
  }

  /**
   * TUNSETIFF (tun_set_iff): attach to the device `name` of the file's namespace, creating it when
   * it does not exist ('' or a `%d` pattern: tun%d / tap%d). Answers the device's name.
   */
  setIff(name: string, flags: number): NlResult<string> {
    if (this.closed) return err(Errno.EBADF);
    if (this.dev) return err(Errno.EEXIST);
    const ns = this.ns;
    if (!ns.alive) return err(Errno.ENODEV);
    const existing = name ? ns.devices.get(name) : undefined;
    let dev: NetDevice;
    if (existing) {
      if (flags & IFF_TUN_EXCL) return err(Errno.EBUSY);
      const p = tunPriv(existing);
      if (!p) return err(Errno.EINVAL);
      const type = p.flags & TUN_TYPE_MASK;
      if (!((flags & IFF_TUN) && type === IFF_TUN) && !((flags & IFF_TAP) && type === IFF_TAP)) return err(Errno.EINVAL);
      if (((flags & IFF_MULTI_QUEUE) !== 0) !== ((p.flags & IFF_MULTI_QUEUE) !== 0)) return err(Errno.EINVAL);
      const r = this.attach(existing);
      if (!r.ok) return r;
      dev = existing;
      // One or more queues were already attached: the device is not set up again (nor its carrier).
      if ((p.flags & IFF_MULTI_QUEUE) && p.queues.length + p.numDisabled > 1) return ok(dev.name);
      p.flags = (p.flags & ~TUN_FEATURES) | (flags & TUN_FEATURES);
    } else {
      const type = flags & TUN_TYPE_MASK;
      let pattern: string;
      if (type === IFF_TUN) pattern = 'tun%d';
      else if (type === IFF_TAP) pattern = 'tap%d';
      else return err(Errno.EINVAL);
      if (name) pattern = name;
      let devName = pattern;
      if (pattern.includes('%')) {
        // dev_alloc_name: exactly one %d.
        if (!/^[^%]*%d[^%]*$/.test(pattern)) return err(Errno.EINVAL);
        devName = ns.allocName(pattern);
      }
      if (!validIfName(devName)) return err(Errno.EINVAL);
      dev = allocTunDev(this.lab, devName, flags);
      const reg = registerNetdevice(ns, dev);
      if (!reg.ok) return reg;
      const r = this.attach(dev);
      if (!r.ok) { unregisterNetdevice(dev); return r; }
    }
    if (flags & IFF_NO_CARRIER) setCarrier(dev, false); else setCarrier(dev, true);
    return ok(dev.name);
  }

  /** tun_attach */
  private attach(dev: NetDevice): NlResult {
    const p = dev.priv as TunPriv;
    if (!(p.flags & IFF_MULTI_QUEUE) && p.queues.length === 1) return err(Errno.EBUSY);
    if (p.queues.length + p.numDisabled >= MAX_TAP_QUEUES) return err(Errno.E2BIG);
    p.queues.push(this);
    this.dev = dev;
    return OK;
  }

  /** __tun_detach: the last queue gone takes the carrier, and a non-persistent device, with it. */
  private detach(): void {
    const dev = this.dev;
    if (!dev) return;
    this.dev = null;
    this.ring = [];
    const p = dev.priv as TunPriv;
    const i = p.queues.indexOf(this);
    if (i >= 0) p.queues.splice(i, 1);
    for (const [h, f] of p.flows) if (f === this) p.flows.delete(h);
    if (p.queues.length === 0 && p.numDisabled === 0 && !dev.dying) {
      setCarrier(dev, false);
      if (!(p.flags & IFF_PERSIST)) unregisterNetdevice(dev);
    }
  }

  /** Called by the device when it is unregistered under the file. */
  lost(): void {
    this.dev = null;
    this.ring = [];
    this.onDetach?.();
  }

  /** TUNSETPERSIST */
  setPersist(on: boolean): NlResult {
    const p = this.priv();
    if (!p) return err(77 /* EBADFD */);
    if (on) p.flags |= IFF_PERSIST; else p.flags &= ~IFF_PERSIST;
    return OK;
  }

  /** TUNSETOWNER (-1 is refused: it is no valid uid). */
  setOwner(uid: number): NlResult {
    const p = this.priv();
    if (!p) return err(77);
    if (uid === -1 || uid === 0xffffffff) return err(Errno.EINVAL);
    p.owner = uid >>> 0;
    return OK;
  }

  /** TUNSETGROUP */
  setGroup(gid: number): NlResult {
    const p = this.priv();
    if (!p) return err(77);
    if (gid === -1 || gid === 0xffffffff) return err(Errno.EINVAL);
    p.group = gid >>> 0;
    return OK;
  }

  /** TUNSETCARRIER (tun_net_change_carrier). */
  setCarrier(on: boolean): NlResult {
    const dev = this.dev;
    if (!dev) return err(77);
    return tunChangeCarrier(dev, on);
  }

  private priv(): TunPriv | null { return this.dev ? (this.dev.priv as TunPriv) : null; }

  /** tun_net_xmit → ptr_ring_produce; false when the ring is full. */
  enqueue(payload: Uint8Array, ethertype: number): boolean {
    const dev = this.dev!;
    const p = dev.priv as TunPriv;
    let hdr = 0;
    if (!(p.flags & IFF_NO_PI)) hdr += TUN_PI_LEN;
    if (p.flags & IFF_VNET_HDR) hdr += VNET_HDR_LEN;
    let frame: Uint8Array;
    if (hdr) {
      frame = new Uint8Array(hdr + payload.length);
      if (!(p.flags & IFF_NO_PI)) { frame[2] = ethertype >> 8; frame[3] = ethertype & 0xff; }
      frame.set(payload, hdr);
    } else frame = new Uint8Array(payload);
    if (this.onFrame) {
      // tun_put_user: counted when the program takes the frame.
      dev.stats.txPackets++; dev.stats.txBytes += payload.length;
      this.onFrame(frame);
      return true;
    }
    if (this.ring.length >= Math.max(1, dev.txqueuelen)) return false;
    this.ring.push(frame);
    return true;
  }

  /** read(2): the next frame, or null (EAGAIN) when none is queued. */
  read(): Uint8Array | null {
    const dev = this.dev;
    const f = this.ring.shift();
    if (!f || !dev) return null;
    const p = dev.priv as TunPriv;
    let hdr = 0;
    if (!(p.flags & IFF_NO_PI)) hdr += TUN_PI_LEN;
    if (p.flags & IFF_VNET_HDR) hdr += VNET_HDR_LEN;
    dev.stats.txPackets++; dev.stats.txBytes += f.length - hdr;
    return f;
  }

  /**
   * write(2) (tun_get_user): one frame (TAP) or IP packet (TUN), after the packet-information and
   * vnet headers the flags ask for. Answers the byte count, or an errno as the syscall would.
   */
  write(buf: Uint8Array): NlResult<number> {
    const dev = this.dev;
    if (!dev) return err(77 /* EBADFD */);
    const p = dev.priv as TunPriv;
    const lab = dev.netns.lab;
    let off = 0;
    let proto = ETH_P_IP;
    if (!(p.flags & IFF_NO_PI)) {
      if (buf.length < TUN_PI_LEN) return err(Errno.EINVAL);
      proto = (buf[2]! << 8) | buf[3]!;
      off += TUN_PI_LEN;
    }
    if (p.flags & IFF_VNET_HDR) {
      if (buf.length - off < VNET_HDR_LEN) return err(Errno.EINVAL);
      const hdrLen = buf[off + 2]! | (buf[off + 3]! << 8);
      off += VNET_HDR_LEN;
      if (hdrLen > buf.length - off) return err(Errno.EINVAL);
    }
    const len = buf.length - off;
    const tunMode = isTunMode(dev);
    if (!tunMode && len < ETH_HLEN) return err(Errno.EINVAL);
    let frame: Uint8Array;
    if (tunMode) {
      if (p.flags & IFF_NO_PI) {
        const v = len ? buf[off]! & 0xf0 : 0;
        if (v === 0x40) proto = ETH_P_IP;
        else if (v === 0x60) proto = ETH_P_IPV6;
        else { dev.stats.rxDropped++; return err(Errno.EINVAL); }
      }
      frame = new Uint8Array(ETH_HLEN + len);
      frame[12] = proto >> 8; frame[13] = proto & 0xff;
      frame.set(buf.subarray(off), ETH_HLEN);
    } else frame = buf.slice(off);
    if (!dev.isUp) {
      dev.stats.rxDropped++;
      return err(Errno.EIO);
    }
    const skb = newSkb(lab, frame, dev);
    if (tunMode) { skb.dev = dev; skb.pktType = PacketType.HOST; } else ethTypeTrans(skb, dev);
    // tun_flow_update: replies to this flow leave through this queue.
    if (p.queues.length > 1) p.flows.set(flowHash(frame, ETH_HLEN, (frame[12]! << 8) | frame[13]!), this);
    dev.stats.rxPackets++; dev.stats.rxBytes += len;
    if (lab.tracer) lab.trace(skb, dev, 'rx', 'tun_get_user', 'received', undefined, 'written by the process holding the device');
    netifRx(skb);
    return ok(buf.length);
  }

  /** close(2): detach (tun_chr_close → tun_detach). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
  }
}

// ---------------------------------------------------------------------------------------------
// Library API: what a VM process does.

/** open("/dev/net/tun") from a process in `ns`. */
export function tunOpen(lab: Lab, ns: NetNamespace, opts: TunFileOptions = {}): TunFile {
  return new TunFile(lab, ns, opts);
}

export interface TapAttachOptions extends TunFileOptions {
  /**
   * TUNSETIFF flags (they replace the device's pi/vnet_hdr/one_queue settings, as TUNSETIFF does).
   * Default: an existing device's own mode and settings; IFF_TAP|IFF_NO_PI for a new one.
   */
  flags?: number;
  onFrame?: (frame: Uint8Array) => void;
}

/**
 * Opens /dev/net/tun and attaches to the tun/tap device `name` (creating a non-persistent one if
 * it does not exist), as a VM does at start: the device gets carrier. `close()` the file to detach.
 */
export function tapAttach(lab: Lab, ns: NetNamespace, name: string, opts: TapAttachOptions = {}): NlResult<TunFile> {
  let flags = opts.flags;
  if (flags === undefined) {
    const dev = ns.devices.get(name);
    const p = dev ? tunPriv(dev) : null;
    flags = p ? p.flags & (TUN_TYPE_MASK | TUN_FEATURES) : IFF_TAP | IFF_NO_PI;
  }
  const f = new TunFile(lab, ns, opts);
  if (opts.onFrame) f.onFrame = opts.onFrame;
  const r = f.setIff(name, flags);
  if (!r.ok) { f.close(); return r; }
  return ok(f);
}

// ---------------------------------------------------------------------------------------------
// rtnl_link_ops "tun": dump and delete only.

/** tun_fill_info, keys after IFLA_TUN_*. */
function fillInfo(dev: NetDevice): KindData {
  const p = dev.priv as TunPriv;
  const d: KindData = {
    type: p.flags & TUN_TYPE_MASK,
    pi: !(p.flags & IFF_NO_PI),
    vnetHdr: (p.flags & IFF_VNET_HDR) !== 0,
    persist: (p.flags & IFF_PERSIST) !== 0,
    multiQueue: (p.flags & IFF_MULTI_QUEUE) !== 0,
  };
  if (p.owner !== -1) d['owner'] = p.owner;
  if (p.group !== -1) d['group'] = p.group;
  if (p.flags & IFF_MULTI_QUEUE) {
    d['numQueues'] = p.queues.length;
    d['numDisabledQueues'] = p.numDisabled;
  }
  return d;
}

const NOT_VIA_RTNL = 'tun/tap creation via rtnetlink is not supported.';

export const tunKind: LinkKind = {
  kind: 'tun',
  newLink() { return err(Errno.EOPNOTSUPP, NOT_VIA_RTNL); },
  changeLink() { return err(Errno.EOPNOTSUPP, NOT_VIA_RTNL); },
  delLink(dev) { unregisterNetdevice(dev); },
  fillInfo,
};

// ---------------------------------------------------------------------------------------------
// devtmpfs bookkeeping for `ls -l /dev/…`: when each device registered, and the minor number of
// the /dev/tapN node of a macvtap/ipvtap (tap_get_minor: lowest free, from 1, per driver).

interface DevNodeInfo { registeredAt: number; minor: number }
const nodeInfo = new WeakMap<NetDevice, DevNodeInfo>();

/** Major numbers of the macvtap/ipvtap character devices as this machine's 6.18 kernel allocated them. */
export const TAP_CDEV_MAJOR: Record<string, number> = { macvtap: 246, ipvtap: 245 };

/** Virtual time (ns) the device registered at, and its /dev/tapN minor (0 = none). */
export function devNodeInfo(dev: NetDevice): DevNodeInfo {
  return nodeInfo.get(dev) ?? { registeredAt: 0, minor: 0 };
}

function trackDevNodes(lab: Lab): void {
  lab.notifiers.push((event, dev) => {
    if (event !== 'REGISTER' || nodeInfo.has(dev)) return;
    let minor = 0;
    if (dev.kind === 'macvtap' || dev.kind === 'ipvtap') {
      const used = new Set<number>();
      for (const ns of lab.all) {
        for (const d of ns.devices.values()) {
          if (d !== dev && d.kind === dev.kind && !d.dying) used.add(nodeInfo.get(d)?.minor ?? 0);
        }
      }
      minor = 1;
      while (used.has(minor)) minor++;
    }
    nodeInfo.set(dev, { registeredAt: lab.clock.now, minor });
  });
}

/** Registers the "tun" link kind (built in: CONFIG_TUN=y). */
export function installTun(lab: Lab): void {
  registerKind(lab, tunKind);
  trackDevNodes(lab);
}
