/**
 * The netlink-like interface between user-space tools and the core: typed requests that mirror
 * RTM_NEWLINK/SETLINK/DELLINK attributes, answered with errno + extack. Every request is
 * validated before anything changes, so a refused request leaves the lab as it was.
 */
import { limitReached } from './limits.ts';
import { Errno, OK, err, ok, type NlResult } from './errno.ts';
import type { Lab } from './lab.ts';
import type { NetNamespace } from './netns.ts';
import {
  IFF_NOARP, IFF_MULTICAST, IFF_PROMISC, IFF_UP, NetDevice, isMulticastMac, isZeroMac,
} from './netdev.ts';
import {
  devClose, devOpen, devSetUserAllmulti, devSetUserPromisc, linkwatchRun, registerNetdevice,
  setCarrier, unregisterNetdevice, validIfName,
} from './dev.ts';

/** Kind-specific attributes (IFLA_INFO_DATA) are a plain record the kind's parser filled. */
export type KindData = Record<string, unknown>;

/** IFLA_* attributes of a link request. Undefined = not sent. */
export interface LinkAttrs {
  ifname?: string;
  address?: Uint8Array;
  broadcast?: Uint8Array;
  mtu?: number;
  txqueuelen?: number;
  numTxQueues?: number;
  numRxQueues?: number;
  /** ifindex to ask for (`index N`). */
  index?: number;
  group?: number;
  /** IFLA_NET_NS_*: the namespace to create the device in, or move it to. */
  netns?: NetNamespace;
  /** IFLA_LINK: ifindex of the lower device, in `linkNetns` or else the requesting namespace. */
  link?: number;
  linkNetns?: NetNamespace;
  /** IFLA_MASTER: 0 = nomaster. */
  master?: number;
  alias?: string;
  /** ifinfomsg flags change: which flags the user set, and to what. */
  flagsMask?: number;
  flags?: number;
  carrier?: boolean;
  kind?: string;
  data?: KindData;
  /** IFLA_INFO_SLAVE_KIND/DATA (`type bridge_slave hairpin on`). */
  slaveKind?: string;
  slaveData?: KindData;
}

export interface NewLinkCtx {
  lab: Lab;
  /** Namespace of the process that asked. */
  src: NetNamespace;
  /** Namespace the device is created in. */
  ns: NetNamespace;
  attrs: LinkAttrs;
  /** The lower device resolved from IFLA_LINK, if any. */
  lower: NetDevice | null;
}

/** rtnl_link_ops: how a kind creates and changes its devices. */
export interface LinkKind {
  readonly kind: string;
  /** Validate and create (and register) the device; all-or-nothing. */
  newLink(ctx: NewLinkCtx): NlResult<NetDevice>;
  /** `ip link set DEV type KIND …` */
  changeLink?(dev: NetDevice, data: KindData): NlResult;
  /** `ip link set PORT type KIND_slave …` where this kind is the master's. */
  slaveChangeLink?(master: NetDevice, port: NetDevice, data: KindData): NlResult;
  /** ndo_add_slave / ndo_del_slave */
  addSlave?(master: NetDevice, port: NetDevice): NlResult;
  delSlave?(master: NetDevice, port: NetDevice): NlResult;
  /** dellink: may take other devices with it (veth peer). */
  delLink?(dev: NetDevice): void;
  /**
   * fill_info: IFLA_INFO_DATA as a record, keys named after the kernel's IFLA_<KIND>_* attributes
   * in camelCase (macvlan: mode, flags, bcqueuelen, usedbcqueuelen, bclim, macaddrs). `ip -d`
   * formats it exactly as iproute2's print_opt does.
   */
  fillInfo?(dev: NetDevice): KindData;
  /** NETDEV_PRECHANGEMTU as the master's driver sees it for one of its ports (team: EPERM). */
  portPreChangeMtu?(master: NetDevice, port: NetDevice, mtu: number): NlResult;
  /** fill_slave_info for ports of a master of this kind (bridge_slave: state, priority, cost…). */
  fillSlaveInfo?(master: NetDevice, port: NetDevice): KindData;
  /**
   * min_mtu/max_mtu the kind's setup() gives a fresh device; rtnl_create_link checks a requested
   * MTU against them before the driver's newlink runs. max 0 = no upper bound.
   */
  readonly setupMtu?: { min: number; max: number };
  /** The slave kind name `ip -d` prints for ports (bridge → bridge_slave). */
  readonly slaveKind?: string;
}

export function registerKind(lab: Lab, kind: LinkKind): void { lab.linkKinds.set(kind.kind, kind); }

/** Checks common to creation and change (dev_validate_mtu, address validity). */
export function validateMtu(dev: NetDevice, mtu: number): NlResult {
  if (mtu < dev.minMtu) return err(Errno.EINVAL, 'mtu less than device minimum');
  if (mtu > dev.maxMtu) return err(Errno.EINVAL, 'mtu greater than device maximum');
  return OK;
}

export function validateEtherAddr(mac: Uint8Array): NlResult {
  if (mac.length !== 6 || isZeroMac(mac) || isMulticastMac(mac)) return err(Errno.EADDRNOTAVAIL);
  return OK;
}

function resolveLower(ctx: { src: NetNamespace }, attrs: LinkAttrs): NlResult<NetDevice | null> {
  if (attrs.link === undefined) return ok(null);
  const where = attrs.linkNetns ?? ctx.src;
  const d = where.byIndex.get(attrs.link);
  if (!d) return err(Errno.ENODEV);
  return ok(d);
}

/** RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL: `ip link add`. */
export function newLink(lab: Lab, src: NetNamespace, attrs: LinkAttrs): NlResult<NetDevice> {
  if (!attrs.kind) return err(Errno.EOPNOTSUPP);
  const kind = lab.linkKinds.get(attrs.kind);
  if (!kind) return err(Errno.EOPNOTSUPP, 'Unknown device type');
  const ns = attrs.netns ?? src;
  if (attrs.ifname !== undefined) {
    if (!validIfName(attrs.ifname)) return err(Errno.EINVAL, 'Attribute failed policy validation');
    if (ns.devices.has(attrs.ifname)) return err(Errno.EEXIST);
  }
  if (attrs.index !== undefined && attrs.index > 0 && ns.byIndex.has(attrs.index)) return err(Errno.EBUSY);
  if (attrs.address) {
    const r = validateEtherAddr(attrs.address);
    if (!r.ok) return r;
  }
  if (attrs.mtu !== undefined) {
    const lim = kind.setupMtu ?? { min: 68, max: 65535 };
    if (attrs.mtu < lim.min) return err(Errno.EINVAL, 'mtu less than device minimum');
    if (lim.max > 0 && attrs.mtu > lim.max) return err(Errno.EINVAL, 'mtu greater than device maximum');
  }
  const lower = resolveLower({ src }, attrs);
  if (!lower.ok) return lower;
  let master: NetDevice | null = null;
  if (attrs.master !== undefined && attrs.master !== 0) {
    master = ns.byIndex.get(attrs.master) ?? null;
    if (!master) return err(Errno.EINVAL);
  }
  // vnet's device limit (limits.ts), checked before anything is made; a veth makes its peer too.
  if (lab.deviceCount + (attrs.kind === 'veth' ? 2 : 1) > lab.limits.devices) return limitReached(lab, 'devices');
  const created = kind.newLink({ lab, src, ns, attrs, lower: lower.value });
  if (!created.ok) return created;
  const dev = created.value;
  // rtnl_configure_link: flags, then master; undo the whole device if any step fails.
  const r = configureNew(dev, attrs, master);
  if (!r.ok) {
    deleteLink(dev);
    return r;
  }
  return ok(dev);
}

function configureNew(dev: NetDevice, attrs: LinkAttrs, master: NetDevice | null): NlResult {
  if (attrs.flagsMask) {
    const r = applyFlags(dev, attrs.flagsMask, attrs.flags ?? 0);
    if (!r.ok) return r;
  }
  if (master) {
    const r = setMaster(dev, master);
    if (!r.ok) return r;
  }
  return OK;
}

/** Applied by drivers to a freshly allocated device: the generic IFLA attributes. */
export function applyCreateAttrs(dev: NetDevice, attrs: LinkAttrs): NlResult {
  if (attrs.mtu !== undefined) {
    const r = validateMtu(dev, attrs.mtu);
    if (!r.ok) return r;
    dev.mtu = attrs.mtu;
  }
  if (attrs.address) { dev.setMacBytes(attrs.address); dev.addrAssign = 'set'; }
  if (attrs.broadcast) dev.broadcast = new Uint8Array(attrs.broadcast);
  if (attrs.txqueuelen !== undefined) dev.txqueuelen = attrs.txqueuelen;
  if (attrs.numTxQueues !== undefined) dev.numTxQueues = attrs.numTxQueues;
  if (attrs.numRxQueues !== undefined) dev.numRxQueues = attrs.numRxQueues;
  if (attrs.group !== undefined) dev.group = attrs.group;
  if (attrs.alias !== undefined) dev.alias = attrs.alias;
  return OK;
}

/** Registers a device made by a driver: the index the user asked for, then a linkwatch pass. */
export function registerNew(ns: NetNamespace, dev: NetDevice, attrs: LinkAttrs): NlResult {
  return registerNetdevice(ns, dev, attrs.index ?? 0);
}

/** __dev_change_flags for the bits `ip link set` can change. */
export function applyFlags(dev: NetDevice, mask: number, value: number): NlResult {
  if (mask & IFF_PROMISC) devSetUserPromisc(dev, (value & IFF_PROMISC) !== 0);
  if (mask & 0x200 /* IFF_ALLMULTI */) devSetUserAllmulti(dev, (value & 0x200) !== 0);
  if (mask & IFF_NOARP) {
    if (value & IFF_NOARP) dev.flags |= IFF_NOARP; else dev.flags &= ~IFF_NOARP;
  }
  if (mask & IFF_MULTICAST) {
    if (value & IFF_MULTICAST) dev.flags |= IFF_MULTICAST; else dev.flags &= ~IFF_MULTICAST;
  }
  if (mask & IFF_UP) {
    if (value & IFF_UP) {
      const r = devOpen(dev);
      if (!r.ok) return r;
    } else devClose(dev);
  }
  return OK;
}

/** do_set_master: leave the old master, join the new one (ndo_add_slave). */
export function setMaster(dev: NetDevice, master: NetDevice | null): NlResult {
  if (dev.master === master) return OK;
  if (dev.master) {
    const k = dev.netns.lab.linkKinds.get(dev.master.kind);
    const r = k?.delSlave ? k.delSlave(dev.master, dev) : err(Errno.EOPNOTSUPP);
    if (!r.ok) return r;
  }
  if (master) {
    const k = dev.netns.lab.linkKinds.get(master.kind);
    if (!k?.addSlave) return err(Errno.EOPNOTSUPP);
    return k.addSlave(master, dev);
  }
  return OK;
}

/** RTM_DELLINK */
export function deleteLink(dev: NetDevice): NlResult {
  const k = dev.netns.lab.linkKinds.get(dev.kind);
  if (!k) return err(Errno.EOPNOTSUPP);
  if (k.delLink) k.delLink(dev); else unregisterNetdevice(dev);
  return OK;
}

export function setCarrierUser(dev: NetDevice, on: boolean): void {
  setCarrier(dev, on);
}
