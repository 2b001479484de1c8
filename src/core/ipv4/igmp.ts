/**
 * Kernel sockets joining IPv4 multicast groups (ip_mc_join_group / ip_mc_leave_group,
 * net/ipv4/igmp.c) as far as tunnels and bridges need them: the group's MAC goes into the
 * device's multicast list, ip_rcv accepts packets to a joined group on that device, and IGMPv3
 * state-change reports announce the change — CHANGE_TO_EXCLUDE ("to_ex") on join,
 * CHANGE_TO_INCLUDE ("to_in") on leave. As in the kernel, changes of one device are merged in a
 * per-device report timer (mr_ifc_timer): the first report two jiffies after the change, one
 * more within igmpv3_unsolicited_report_interval (robustness 2), each listing every group whose
 * change is still being repeated (left groups first). A device coming up re-announces its
 * groups (ip_mc_up); going down cancels what is pending (ip_mc_down). A device without an IPv4
 * address reports from 0.0.0.0. No querier logic: vnet has no multicast router.
 */
import type { NetNamespace } from '../netns.ts';
import type { NetDevice } from '../netdev.ts';
import { devMcAdd, devMcDel, newSkb } from '../dev.ts';
import { ETH_P_IP, inetChecksum, wr16, wr32 } from './bytes.ts';
import { selectSrc } from './devinet.ts';
import { ipFinishOutput } from './ip.ts';
import { RT_TABLE_LOCAL } from './fib.ts';
import { NS_PER_SEC, type Timer } from '../clock.ts';
import type { Lab } from '../lab.ts';

const JIFFY = NS_PER_SEC / 250;
const QRV = 2;

const IGMPV3_ALL_MCR = 0xe0000016;
const IGMPV3_CHANGE_TO_INCLUDE = 3, IGMPV3_CHANGE_TO_EXCLUDE = 4;

/** One device's pending change records (group → type and repeats left) and report timer. */
interface IfcState { recs: Map<number, { type: number; cr: number; left: boolean }>; count: number; timer: Timer | null }

interface McState { groups: Map<string, number>; ifc: Map<NetDevice, IfcState> }

function mcState(ns: NetNamespace): McState {
  const v4 = ns.ipv4 as typeof ns.ipv4 & { mc?: McState };
  if (!v4.mc) v4.mc = { groups: new Map(), ifc: new Map() };
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

/** One IGMPv3 membership report listing `recs` (type, group), to 224.0.0.22 with Router Alert. */
function sendReport(dev: NetDevice, recs: [number, number][]): void {
  if (!dev.isUp || (dev.flags & 0x8 /* IFF_LOOPBACK */) || !recs.length) return;
  const ns = dev.netns;
  const f = new Uint8Array(14 + 24 + 8 + 8 * recs.length);
  f.set(dev.mac, 6);
  wr16(f, 12, ETH_P_IP);
  const o = 14;
  f[o] = 0x46; f[o + 1] = 0xc0;
  wr16(f, o + 2, 24 + 8 + 8 * recs.length);
  wr16(f, o + 6, 0x4000);
  f[o + 8] = 1; f[o + 9] = 2;
  wr32(f, o + 12, dev.inet.length ? selectSrc(dev, IGMPV3_ALL_MCR) : 0);
  wr32(f, o + 16, IGMPV3_ALL_MCR);
  f[o + 20] = 0x94; f[o + 21] = 0x04; // Router Alert
  wr16(f, o + 10, inetChecksum(f, o, 24));
  const g = o + 24;
  f[g] = 0x22;
  wr16(f, g + 6, recs.length);
  recs.forEach(([type, group], i) => { f[g + 8 + 8 * i] = type; wr32(f, g + 12 + 8 * i, group); });
  wr16(f, g + 2, inetChecksum(f, g, 8 + 8 * recs.length));
  ipFinishOutput(newSkb(ns.lab, f, dev), { table: RT_TABLE_LOCAL, type: 'unicast', dst: IGMPV3_ALL_MCR, plen: 32,
    tos: 0, dev, gateway: 0, onlink: false, protocol: 0, scope: 253, prefsrc: 0, metric: 0, fromIfaddr: false }, IGMPV3_ALL_MCR);
}

/** igmp_ifc_start_timer: a random part of `delayNs`, plus two jiffies. */
function startIfcTimer(dev: NetDevice, st: IfcState, delayNs: number): void {
  st.timer?.cancel();
  const lab = dev.netns.lab;
  const jiffies = Math.max(1, Math.round(delayNs / JIFFY));
  st.timer = lab.clock.after((lab.rng.below(jiffies) + 2) * JIFFY, () => ifcExpire(dev, st));
}

/** igmp_ifc_timer_expire: one report of the records still repeating, then maybe another. */
function ifcExpire(dev: NetDevice, st: IfcState): void {
  st.timer = null;
  if (dev.dying) return;
  const recs: [number, number][] = [];
  // igmpv3_send_cr: left groups (the tomb list) first, then the current list, newest first.
  for (const left of [true, false]) {
    for (const [group, r] of [...st.recs].reverse()) {
      if (r.left !== left || r.cr <= 0) continue;
      recs.push([r.type, group]);
      if (--r.cr <= 0) st.recs.delete(group);
    }
  }
  sendReport(dev, recs);
  if (st.count > 0) {
    st.count--;
    const ms = dev.netns.sysctl.devConf(dev.name, 'igmpv3_unsolicited_report_interval');
    startIfcTimer(dev, st, ms * 1e6);
  }
}

/** igmp_ifc_event for one group's change on `dev`. */
function changed(dev: NetDevice, group: number, type: number): void {
  group >>>= 0;
  const mc = mcState(dev.netns);
  let st = mc.ifc.get(dev);
  if (!st) { st = { recs: new Map(), count: 0, timer: null }; mc.ifc.set(dev, st); }
  st.recs.delete(group); // re-inserted as the newest
  st.recs.set(group, { type, cr: QRV, left: type === IGMPV3_CHANGE_TO_INCLUDE });
  st.count = QRV;
  startIfcTimer(dev, st, JIFFY);
}

/** The groups of this namespace joined on `dev`, oldest first. */
function groupsOn(ns: NetNamespace, dev: NetDevice): number[] {
  const out: number[] = [];
  const pre = `${dev.serial}/`;
  for (const [k, n] of mcState(ns).groups) if (n > 0 && k.startsWith(pre)) out.push(Number(k.slice(pre.length)));
  return out;
}

/** ip_mc_up / ip_mc_down / device gone: re-announce on up, drop pending reports otherwise. */
export function installIgmp(lab: Lab): void {
  lab.notifiers.push((event, dev) => {
    if (event !== 'UP' && event !== 'DOWN' && event !== 'UNREGISTER') return;
    const mc = (dev.netns.ipv4 as typeof dev.netns.ipv4 & { mc?: McState }).mc;
    if (!mc) return;
    const st = mc.ifc.get(dev);
    if (st) { st.timer?.cancel(); mc.ifc.delete(dev); }
    if (event === 'UP') for (const g of groupsOn(dev.netns, dev)) changed(dev, g, IGMPV3_CHANGE_TO_EXCLUDE);
  });
}

/** ip_mc_join_group */
export function mcJoin(ns: NetNamespace, dev: NetDevice, group: number): void {
  const st = mcState(ns);
  const k = key(dev, group);
  const n = st.groups.get(k) ?? 0;
  st.groups.set(k, n + 1);
  if (n) return;
  devMcAdd(dev, groupMac(group));
  changed(dev, group, IGMPV3_CHANGE_TO_EXCLUDE);
}

/** ip_mc_leave_group. `quiet`: the device is closing (ip_mc_down will drop the report). */
export function mcLeave(ns: NetNamespace, dev: NetDevice, group: number, quiet = false): void {
  const st = mcState(ns);
  const k = key(dev, group);
  const n = st.groups.get(k) ?? 0;
  if (!n) return;
  if (n > 1) { st.groups.set(k, n - 1); return; }
  st.groups.delete(k);
  devMcDel(dev, groupMac(group));
  if (!dev.dying && !quiet) changed(dev, group, IGMPV3_CHANGE_TO_INCLUDE);
}
