/**
 * Kernel sockets joining IPv4 multicast groups (ip_mc_join_group / ip_mc_leave_group,
 * net/ipv4/igmp.c) as far as tunnels need them: the group's MAC goes into the device's multicast
 * list, ip_rcv accepts packets to a joined group on that device, and IGMPv3 reports announce the
 * change — CHANGE_TO_EXCLUDE ("to_ex") on join, CHANGE_TO_INCLUDE ("to_in") on leave, each sent
 * at once and repeated once within unsolicited_report_interval (1 s), as the kernel's
 * robustness count (2) has it. No querier logic: vnet has no multicast router.
 */
import type { NetNamespace } from '../netns.ts';
import type { NetDevice } from '../netdev.ts';
import { devMcAdd, devMcDel, newSkb } from '../dev.ts';
import { ETH_P_IP, inetChecksum, wr16, wr32 } from './bytes.ts';
import { selectSrc } from './devinet.ts';
import { ipFinishOutput } from './ip.ts';
import { RT_TABLE_LOCAL } from './fib.ts';

const IGMPV3_ALL_MCR = 0xe0000016;
const IGMPV3_CHANGE_TO_INCLUDE = 3, IGMPV3_CHANGE_TO_EXCLUDE = 4;

interface McState { groups: Map<string, number> }

function mcState(ns: NetNamespace): McState {
  const v4 = ns.ipv4 as typeof ns.ipv4 & { mc?: McState };
  if (!v4.mc) v4.mc = { groups: new Map() };
  return v4.mc;
}

const key = (dev: NetDevice, group: number) => `${dev.serial}/${group >>> 0}`;

function groupMac(group: number): number {
  return 0x01005e000000 + (group & 0x7fffff);
}

/** True when a socket of this namespace joined `group` on `dev` (ip_check_mc_rcu). */
export function mcJoined(ns: NetNamespace, dev: NetDevice, group: number): boolean {
  const v4 = ns.ipv4 as typeof ns.ipv4 & { mc?: McState };
  return !!v4.mc && (v4.mc.groups.get(key(dev, group)) ?? 0) > 0;
}

/** One IGMPv3 membership report for one group record, to 224.0.0.22 with Router Alert. */
function sendReport(dev: NetDevice, group: number, recType: number): void {
  if (!dev.isUp || !dev.inet.length || (dev.flags & 0x8 /* IFF_LOOPBACK */)) return;
  const ns = dev.netns;
  const f = new Uint8Array(14 + 24 + 16);
  f.set(dev.mac, 6);
  wr16(f, 12, ETH_P_IP);
  const o = 14;
  f[o] = 0x46; f[o + 1] = 0xc0;
  wr16(f, o + 2, 40);
  wr16(f, o + 6, 0x4000);
  f[o + 8] = 1; f[o + 9] = 2;
  wr32(f, o + 12, selectSrc(dev, IGMPV3_ALL_MCR));
  wr32(f, o + 16, IGMPV3_ALL_MCR);
  f[o + 20] = 0x94; f[o + 21] = 0x04; // Router Alert
  wr16(f, o + 10, inetChecksum(f, o, 24));
  const g = o + 24;
  f[g] = 0x22;
  wr16(f, g + 6, 1);
  f[g + 8] = recType;
  wr32(f, g + 12, group);
  wr16(f, g + 2, inetChecksum(f, g, 16));
  ipFinishOutput(newSkb(ns.lab, f, dev), { table: RT_TABLE_LOCAL, type: 'unicast', dst: IGMPV3_ALL_MCR, plen: 32,
    tos: 0, dev, gateway: 0, onlink: false, protocol: 0, scope: 253, prefsrc: 0, metric: 0, fromIfaddr: false }, IGMPV3_ALL_MCR);
}

function announce(dev: NetDevice, group: number, recType: number): void {
  sendReport(dev, group, recType);
  const lab = dev.netns.lab;
  const ms = dev.netns.sysctl.getInt(`net.ipv4.conf.${dev.name}.igmpv3_unsolicited_report_interval`, 1000);
  lab.clock.after(lab.rng.below(Math.max(1, ms)) * 1e6, () => { if (!dev.dying) sendReport(dev, group, recType); });
}

/** ip_mc_join_group */
export function mcJoin(ns: NetNamespace, dev: NetDevice, group: number): void {
  const st = mcState(ns);
  const k = key(dev, group);
  const n = st.groups.get(k) ?? 0;
  st.groups.set(k, n + 1);
  if (n) return;
  devMcAdd(dev, groupMac(group));
  announce(dev, group, IGMPV3_CHANGE_TO_EXCLUDE);
}

/** ip_mc_leave_group */
export function mcLeave(ns: NetNamespace, dev: NetDevice, group: number): void {
  const st = mcState(ns);
  const k = key(dev, group);
  const n = st.groups.get(k) ?? 0;
  if (!n) return;
  if (n > 1) { st.groups.set(k, n - 1); return; }
  st.groups.delete(k);
  devMcDel(dev, groupMac(group));
  if (!dev.dying) announce(dev, group, IGMPV3_CHANGE_TO_INCLUDE);
}
