/**
 * RTM_NEWLINK on an existing device (`ip link set`): rtnl_changelink → do_setlink in
 * net/core/rtnetlink.c. Kind data (changelink / slave_changelink) goes first, then the generic
 * attributes in the kernel's order: netns move, address, MTU, group, name, alias, broadcast,
 * flags, master, carrier, txqueuelen. As in the kernel, a step that fails leaves the earlier
 * steps applied.
 *
 * Also the id bookkeeping of RTM_NEWLINK notifications (rtnl_fill_link_netnsid allocates a
 * peer namespace id whenever a device whose link lives elsewhere is reported).
 */
import { Errno, OK, err, type NlResult } from './errno.ts';
import type { NetNamespace } from './netns.ts';
import { ARPHRD_ETHER, IFF_UP, type NetDevice } from './netdev.ts';
import { validIfName } from './dev.ts';
import { applyFlags, setMaster, setCarrierUser, validateEtherAddr, type LinkAttrs } from './rtnl.ts';
import { moveToNamespace } from './netns-ops.ts';

/** The namespace a device's link (veth peer, macvlan lower) lives in, when it has one. */
function linkNet(dev: NetDevice): NetNamespace | null {
  const l = dev.linkDevice();
  return l && l !== dev && l.netns ? l.netns : null;
}

/**
 * rtmsg_ifinfo → rtnl_fill_link_netnsid: reporting a device whose link is in another namespace
 * gives that namespace an id in the device's own namespace (peernet2id_alloc).
 */
export function notifyNewLink(dev: NetDevice): void {
  const ln = linkNet(dev);
  if (ln && dev.netns && ln !== dev.netns && ln.alive && dev.netns.alive) dev.netns.idOf(ln);
}

/** __dev_change_net_namespace also names the target in the old namespace (IFLA_NEW_NETNSID). */
function noteMove(from: NetNamespace, dev: NetDevice): void {
  if (from.alive && dev.netns !== from) from.idOf(dev.netns);
  notifyNewLink(dev);
  const peer = dev.linkDevice();
  if (peer && peer !== dev) notifyNewLink(peer);
}

export interface SetLinkOpts {
  /** IFLA_NEW_IFINDEX, only with a netns move. */
  newIfindex?: number;
}

/** RTM_NEWLINK without NLM_F_CREATE on `dev`. */
export function setLink(dev: NetDevice, attrs: LinkAttrs, opts: SetLinkOpts = {}): NlResult {
  const lab = dev.netns.lab;
  // validate_linkmsg
  if (attrs.address && attrs.address.length < 6 && dev.type === ARPHRD_ETHER) return err(Errno.EINVAL);
  if (attrs.broadcast && attrs.broadcast.length < 6 && dev.type === ARPHRD_ETHER) return err(Errno.EINVAL);
  if (attrs.ifname !== undefined && !validIfName(attrs.ifname)) {
    return err(Errno.EINVAL, 'Attribute failed policy validation');
  }

  // IFLA_LINKINFO: the kind's changelink, then the master's slave_changelink.
  if (attrs.data !== undefined) {
    const k = attrs.kind ? lab.linkKinds.get(attrs.kind) : undefined;
    if (!k || k.kind !== dev.kind || !k.changeLink) return err(Errno.EOPNOTSUPP);
    const r = k.changeLink(dev, attrs.data);
    if (!r.ok) return r;
  }
  if (attrs.slaveData !== undefined) {
    const master = dev.master;
    const mk = master ? lab.linkKinds.get(master.kind) : undefined;
    if (!master || !mk?.slaveChangeLink) return err(Errno.EOPNOTSUPP);
    const r = mk.slaveChangeLink(master, dev, attrs.slaveData);
    if (!r.ok) return r;
  }

  // do_setlink, in order.
  if (attrs.netns && attrs.netns !== dev.netns) {
    const from = dev.netns;
    const r = moveToNamespace(dev, attrs.netns, opts.newIfindex ?? 0);
    if (!r.ok) return r;
    noteMove(from, dev);
  }
  if (attrs.address) {
    if (!dev.ops.setMac) return err(Errno.EOPNOTSUPP);
    if (dev.type === ARPHRD_ETHER) {
      const v = validateEtherAddr(attrs.address.subarray(0, 6));
      if (!v.ok) return v;
    }
    const r = dev.ops.setMac(dev, attrs.address.subarray(0, 6));
    if (!r.ok) return r;
    lab.notify('CHANGEADDR', dev);
  }
  if (attrs.mtu !== undefined) {
    const r = setMtu(dev, attrs.mtu);
    if (!r.ok) return r;
  }
  if (attrs.group !== undefined) dev.group = attrs.group | 0;
  if (attrs.ifname !== undefined && attrs.ifname !== dev.name) {
    const r = changeName(dev, attrs.ifname);
    if (!r.ok) return r;
  }
  if (attrs.alias !== undefined) dev.alias = attrs.alias;
  if (attrs.broadcast) {
    dev.broadcast = new Uint8Array(attrs.broadcast.subarray(0, dev.broadcast.length || 6));
    lab.notify('CHANGEADDR', dev);
  }
  if (attrs.flagsMask) {
    const r = applyFlags(dev, attrs.flagsMask, attrs.flags ?? 0);
    if (!r.ok) return r;
  }
  if (attrs.master !== undefined) {
    const r = doSetMaster(dev, attrs.master);
    if (!r.ok) return r;
  }
  if (attrs.carrier !== undefined) {
    const canChange = dev.kind === 'dummy' ||
      typeof (dev.ops as { changeCarrier?: unknown }).changeCarrier === 'function';
    if (!canChange) return err(Errno.EOPNOTSUPP);
    setCarrierUser(dev, attrs.carrier);
  }
  if (attrs.txqueuelen !== undefined) dev.txqueuelen = attrs.txqueuelen >>> 0;
  return OK;
}

/** do_set_master: 0 = nomaster; an index that does not exist is EINVAL. */
function doSetMaster(dev: NetDevice, ifindex: number): NlResult {
  if (dev.master && dev.master.ifindex === ifindex) return OK;
  if (ifindex === 0) return setMaster(dev, null);
  const upper = dev.netns.byIndex.get(ifindex);
  if (!upper) return err(Errno.EINVAL);
  return setMaster(dev, upper);
}

/** dev_set_mtu_ext: dev_validate_mtu (with its extack texts), ndo_change_mtu, NETDEV_CHANGEMTU. */
export function setMtu(dev: NetDevice, mtu: number): NlResult {
  const m = mtu | 0;
  if (m === dev.mtu) return OK;
  if (m < 0 || m < dev.minMtu) return err(Errno.EINVAL, 'mtu less than device minimum');
  if (dev.maxMtu > 0 && m > dev.maxMtu) return err(Errno.EINVAL, 'mtu greater than device maximum');
  if (dev.master) { // NETDEV_PRECHANGEMTU: the master may veto (team)
    const veto = dev.netns.lab.linkKinds.get(dev.master.kind)?.portPreChangeMtu?.(dev.master, dev, m);
    if (veto && !veto.ok) return veto;
  }
  if (dev.ops.changeMtu) {
    const r = dev.ops.changeMtu(dev, m);
    if (!r.ok) return r;
  }
  dev.mtu = m;
  dev.netns.lab.notify('CHANGEMTU', dev);
  return OK;
}

/** dev_change_name: refused when the name is taken (6.18 renames UP devices too, as seen live). */
export function changeName(dev: NetDevice, name: string): NlResult {
  if (name === dev.name) return OK;
  if (!validIfName(name)) return err(Errno.EINVAL);
  const ns = dev.netns;
  if (ns.devices.has(name)) return err(Errno.EEXIST);
  const old = dev.name;
  ns.devices.delete(old);
  dev.name = name;
  ns.devices.set(name, dev);
  ns.sysctl.renameDevice(old, name);
  // inetdev_changename: the first address takes the new name; the others keep their ":suffix"
  // (or get ":N", N being their position) after it.
  let named = 0;
  for (const a of dev.inet) {
    const oldLabel = a.label;
    if (named++ === 0) { a.label = name; continue; }
    const c = oldLabel.indexOf(':');
    const dot = c >= 0 ? oldLabel.slice(c) : `:${named}`;
    a.label = dot.length + name.length < 16 ? name + dot : name.slice(0, 16 - dot.length - 1) + dot;
  }
  ns.lab.notify('CHANGENAME', dev);
  return OK;
}
