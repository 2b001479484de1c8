/**
 * L3 master devices (net/l3mdev/l3mdev.c): a VRF device owns a FIB table, and the devices enslaved
 * to it (L3 slaves) have their routes made in that table and their traffic looked up there. Kept
 * apart from the VRF driver so that the IPv4 code can ask without importing the driver.
 */
import type { NetDevice } from './netdev.ts';

/** What a VRF device keeps in `priv` that the stack needs to see. */
export interface L3mdevPriv {
  /** The FIB table of the VRF (IFLA_VRF_TABLE). */
  l3mdevTable: number;
}

/** netif_is_l3_master */
export function isL3Master(dev: NetDevice): boolean {
  return dev.ops.kind === 'vrf';
}

/** l3mdev_master_dev_rcu: the VRF device itself for a VRF, its VRF for a slave, else null. */
export function l3mdevMaster(dev: NetDevice | null): NetDevice | null {
  if (!dev) return null;
  if (dev.ops.kind === 'vrf') return dev;
  const m = dev.master;
  return m !== null && m.ops.kind === 'vrf' ? m : null;
}

/** l3mdev_fib_table: the table of the device's VRF, 0 outside any VRF. */
export function l3mdevFibTable(dev: NetDevice | null): number {
  const m = l3mdevMaster(dev);
  return m ? (m.priv as L3mdevPriv).l3mdevTable : 0;
}
