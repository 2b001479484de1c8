/**
 * Creating, moving into and destroying namespaces (net/core/net_namespace.c and
 * __dev_change_net_namespace in net/core/dev.c).
 */
import { limitReached } from './limits.ts';
import { Errno, OK, err, type NlResult } from './errno.ts';
import type { Lab } from './lab.ts';
import { NetNamespace } from './netns.ts';
import type { NetDevice } from './netdev.ts';
import { createLoopback } from './drivers/loopback.ts';
import { devClose, detachFromNamespace, unregisterNetdevice } from './dev.ts';
import { linkwatchSync } from './linkwatch.ts';

/** A new namespace holds only lo, down, without addresses. */
export function newNamespace(lab: Lab, name: string): NetNamespace {
  const ns = new NetNamespace(lab, name);
  lab.all.add(ns);
  createLoopback(ns);
  lab.notify('REGISTER', ns.devices.get('lo')!, { nsCreated: true });
  return ns;
}

/** `ip netns add NAME` */
export function addNamedNamespace(lab: Lab, name: string): NlResult<NetNamespace> {
  if (lab.named.has(name)) return err(Errno.EEXIST);
  // vnet's namespace limit, like the kernel's user.max_net_namespaces (unshare: ENOSPC).
  if (lab.all.size >= lab.limits.namespaces) return limitReached(lab, 'namespaces');
  const ns = newNamespace(lab, name);
  lab.named.set(name, ns);
  return { ok: true, value: ns };
}

/**
 * The namespace dies (last reference gone): virtual devices are unregistered (taking veth peers
 * and macvlans on them along), lo last, as default_device_exit does.
 */
export function destroyNamespace(lab: Lab, ns: NetNamespace): void {
  if (!ns.alive) return;
  for (const dev of [...ns.devices.values()]) {
    if (dev.name === 'lo') continue;
    if (ns.devices.get(dev.name) === dev) unregisterNetdevice(dev);
  }
  const lo = ns.devices.get('lo');
  if (lo) unregisterNetdevice(lo);
  ns.alive = false;
  lab.all.delete(ns);
  if (ns.name && lab.named.get(ns.name) === ns) lab.named.delete(ns.name);
  ns.forgetIds();
}

/**
 * __dev_change_net_namespace: the device goes down, loses its addresses, routes and
 * neighbours (UNREGISTER notifiers), keeps its ifindex if free in the target, and leaves a
 * bridge it was a port of.
 */
export function moveToNamespace(dev: NetDevice, target: NetNamespace, wantIndex = 0): NlResult {
  if (dev.netns === target) return OK;
  if (dev.ops.netnsImmutable) return err(Errno.EINVAL, 'The interface netns is immutable');
  if (target.devices.has(dev.name)) return err(Errno.EEXIST, 'An interface with the same name exists in the target netns');
  if (wantIndex && target.byIndex.has(wantIndex)) return err(Errno.EBUSY);
  const lab = dev.netns.lab;
  if (dev.isUp) devClose(dev);
  // A pending link event is settled in the old namespace; afterwards the state may be stale.
  linkwatchSync(dev);
  lab.notify('UNREGISTER', dev, { moving: true });
  detachFromNamespace(dev);
  dev.qdiscAttached = false;
  const idx = target.allocIfindex(wantIndex || dev.ifindex) || target.allocIfindex(0);
  dev.ifindex = idx;
  dev.netns = target;
  target.devices.set(dev.name, dev);
  target.byIndex.set(idx, dev);
  target.sysctl.addDevice(dev.name);
  lab.notify('REGISTER', dev, { moved: true });
  // Operstate is re-evaluated only by a later linkwatch event, as on Linux; keep what it was.
  return OK;
}
