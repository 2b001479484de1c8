/**
 * The kernel modules behind vnet's drivers, as Debian's 6.1 kernel has them (the only kernel here
 * that has modules: the host's is monolithic): the size lsmod prints and the modules each one needs.
 * vnet's drivers are built in; this table only lets `lsmod`, `modprobe` and /proc/net/vlan show
 * what a Debian machine would have loaded. Loading a module loads what it needs first, in
 * modprobe's order (the reverse of its modules.dep line), as `lsmod` lists newest first.
 *
 * Sizes and dependencies checked with `modprobe`/`lsmod` on linux-image-6.1.0-56-amd64 under qemu.
 */
import type { Lab } from './lab.ts';
import { ipGreInit } from './drivers/gre.ts';

/** vnet's `uname -r` (bond's /proc file and modprobe's messages print it; qemu/skew.ts masks it). */
export const KERNEL_RELEASE = '6.18.0-vnet';

export interface ModuleInfo {
  size: number;
  /** Modules loaded before this one, in modprobe's order (its whole modules.dep line, reversed). */
  needs: readonly string[];
  /** The ones it uses directly (it shows in their "Used by"); default: all of `needs`. */
  uses?: readonly string[];
}

export const MODULES: Readonly<Record<string, ModuleInfo>> = {
  llc: { size: 16384, needs: [] },
  stp: { size: 16384, needs: ['llc'] },
  bridge: { size: 319488, needs: ['llc', 'stp'] },
  veth: { size: 36864, needs: [] },
  macvlan: { size: 28672, needs: [] },
  tap: { size: 32768, needs: [] },
  macvtap: { size: 16384, needs: ['macvlan', 'tap'] },
  ipvlan: { size: 40960, needs: [] },
  ipvtap: { size: 16384, needs: ['ipvlan', 'tap'] },
  mrp: { size: 20480, needs: [] },
  garp: { size: 16384, needs: ['llc', 'stp'] },
  '8021q': { size: 40960, needs: ['llc', 'stp', 'mrp', 'garp'], uses: ['mrp', 'garp'] },
  dummy: { size: 16384, needs: [] },
  tls: { size: 135168, needs: [] },
  bonding: { size: 229376, needs: ['tls'] },
  udp_tunnel: { size: 28672, needs: [] },
  ip6_udp_tunnel: { size: 20480, needs: [] },
  vxlan: { size: 106496, needs: ['udp_tunnel', 'ip6_udp_tunnel'] },
  geneve: { size: 40960, needs: ['udp_tunnel', 'ip6_udp_tunnel'] },
  ip_tunnel: { size: 36864, needs: [] },
  gre: { size: 16384, needs: [] },
  ip_gre: { size: 32768, needs: ['ip_tunnel', 'gre'] },
  vrf: { size: 36864, needs: [] },
  team: { size: 57344, needs: [] },
  team_mode_activebackup: { size: 16384, needs: ['team'] },
  team_mode_loadbalance: { size: 20480, needs: ['team'] },
  team_mode_roundrobin: { size: 16384, needs: ['team'] },
  team_mode_broadcast: { size: 16384, needs: ['team'] },
  team_mode_random: { size: 16384, needs: ['team'] },
  nlmon: { size: 16384, needs: [] },
  // No netdevsim: Debian's 6.1 kernel is built without it (modprobe: "Module netdevsim not found").
};

/**
 * The order lsmod's "Used by" column lists a module's holders: /sys/module/M/holders is a kernfs
 * directory, read in name-hash order, the same whatever the load order (seen on 6.1: llc "bridge,stp,garp",
 * stp "bridge,garp", tap "macvtap,ipvtap", team "team_mode_roundrobin,team_mode_loadbalance,team_mode_random,
 * team_mode_broadcast"; team_mode_activebackup's place among them was not seen).
 */
const HOLDER_ORDER = ['bridge', 'stp', 'garp', 'macvtap', 'ipvtap', 'team_mode_roundrobin', 'team_mode_loadbalance',
  'team_mode_random', 'team_mode_broadcast'];

/** module_init work visible to users: ip_gre puts gre0/gretap0/erspan0 in every namespace. */
const MODULE_INIT: Readonly<Record<string, (lab: Lab) => void>> = { ip_gre: ipGreInit };

/** modprobe NAME: its dependencies, then itself (already loaded ones stay where they are). */
export function loadModule(lab: Lab, name: string): boolean {
  const m = MODULES[name];
  if (!m) return false;
  for (const d of m.needs) loadModule(lab, d);
  const fresh = !lab.modules.has(name);
  lab.modules.add(name);
  if (fresh) MODULE_INIT[name]?.(lab);
  return true;
}

/** The loaded modules that need `name` (lsmod's "Used by"). */
export function moduleHolders(lab: Lab, name: string): string[] {
  const rank = (n: string) => { const i = HOLDER_ORDER.indexOf(n); return i < 0 ? HOLDER_ORDER.length : i; };
  return [...lab.modules].filter((h) => { const m = MODULES[h]; return (m?.uses ?? m?.needs)?.includes(name); }).sort((a, b) => rank(a) - rank(b));
}

/** modprobe -r NAME: unloads it, then the dependencies nothing else uses any more; false when in use. */
export function unloadModule(lab: Lab, name: string): boolean {
  if (!lab.modules.has(name)) return true;
  if (moduleHolders(lab, name).length) return false;
  lab.modules.delete(name);
  for (const d of [...(MODULES[name]?.needs ?? [])].reverse()) {
    if (lab.modules.has(d) && moduleHolders(lab, d).length === 0) unloadModule(lab, d);
  }
  return true;
}
