/**
 * The IPv6 multicast groups a device has joined for kernel users (net/ipv6/mcast.c
 * ipv6_dev_mc_inc / ipv6_dev_mc_dec) that MLDv2 reports: the solicited-node group of the
 * link-local address (addrconf) and groups like ff02::6a a snooping bridge joins. ff02::1 is
 * joined too but never reported (MAF_NOREPORT), so it stays a plain MAC filter entry elsewhere.
 *
 * The kernel keeps the list newest first and every report lists the groups in that order; a
 * join or leave on a device with a link-local address triggers a change report (mld_ifc_event):
 * one two jiffies later, one more after a random part of the unsolicited report interval (robustness
 * 2), each carrying the changed group's record first and the other joined groups as to_ex.
 */
import type { NetDevice } from '../netdev.ts';
import { devMcAdd, devMcDel, devQueueXmit, newSkb } from '../dev.ts';
import { NS_PER_SEC } from '../clock.ts';
import { macFromBytes } from '../../wire/mac.ts';
import { ethernetFrame, ipv6Packet, setIcmpv6Checksum } from '../../wire/build.ts';

export const MLD2_CHANGE_TO_INCLUDE = 3, MLD2_CHANGE_TO_EXCLUDE = 4;

export interface MldRecord { type: number; group: Uint8Array }

interface Mc6State { groups: Uint8Array[] }

const states = new WeakMap<NetDevice, Mc6State>();

function mcastMac(a: Uint8Array): number {
  return macFromBytes([0x33, 0x33, a[12]!, a[13]!, a[14]!, a[15]!]);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The reported groups of `dev`, newest first. */
export function mc6Groups(dev: NetDevice): readonly Uint8Array[] {
  return states.get(dev)?.groups ?? [];
}

/** Records of a report listing every joined group as to_ex (changed group, if any, first). */
export function mc6Records(dev: NetDevice, changed?: MldRecord): MldRecord[] {
  const out: MldRecord[] = changed ? [changed] : [];
  for (const g of mc6Groups(dev)) {
    if (!changed || !same(g, changed.group)) out.push({ type: MLD2_CHANGE_TO_EXCLUDE, group: g });
  }
  return out;
}

const MLD_ALL_ROUTERS = new Uint8Array([0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16]);
const UNSPEC = new Uint8Array(16);

/** One MLDv2 report to ff02::16 with the hop-by-hop router alert, from `src`. */
export function mldReport(dev: NetDevice, src: Uint8Array, records: MldRecord[]): void {
  if (!dev.isUp || !dev.carrier || dev.dying || !records.length) return;
  const body = new Uint8Array(8 + 8 + 20 * records.length);
  body.set([58, 0, 5, 2, 0, 0, 1, 0], 0); // HBH: next ICMPv6, router alert 0, PadN
  body[8] = 143; // MLDv2 report
  body[14] = records.length >> 8; body[15] = records.length & 0xff;
  records.forEach((r, i) => { body[16 + 20 * i] = r.type; body.set(r.group, 20 + 20 * i); });
  const pkt = ipv6Packet(src, MLD_ALL_ROUTERS, 0, 1, body);
  setIcmpv6Checksum(pkt, 48);
  const frame = ethernetFrame(0x333300000016, macFromBytes(dev.mac), 0x86dd, pkt);
  devQueueXmit(newSkb(dev.netns.lab, frame, dev));
}

/** Change reports come from the link-local address, or :: while it is tentative. */
function send(dev: NetDevice, records: MldRecord[]): void {
  const ll = dev.inet6.find((a) => a.scope === 'link');
  if (!ll) return;
  mldReport(dev, ll.tentativeUntil > dev.netns.lab.clock.now ? UNSPEC : ll.addr, records);
}

function changeReport(dev: NetDevice, rec: MldRecord): void {
  if (!dev.isUp || dev.dying || !dev.inet6.some((a) => a.scope === 'link')) return;
  const lab = dev.netns.lab;
  const jiffy = NS_PER_SEC / 250;
  const ms = 1000; // net.ipv6.conf.DEV.mld_unsolicited_report_interval (not a vnet knob yet)
  // mld_ifc_start_work: a random part of the delay plus two jiffies.
  lab.clock.after(2 * jiffy, () => {
    if (dev.dying || !dev.isUp) return;
    send(dev, mc6Records(dev, rec));
    const again = (lab.rng.below(Math.round(ms * 1e6 / jiffy)) + 2) * jiffy;
    lab.clock.after(again, () => { if (!dev.dying && dev.isUp) send(dev, mc6Records(dev, rec)); });
  });
}

/** ipv6_dev_mc_inc. `quiet`: the caller sends the reports itself (addrconf's link-local). */
export function mc6Join(dev: NetDevice, group: Uint8Array, quiet = false): void {
  let st = states.get(dev);
  if (!st) { st = { groups: [] }; states.set(dev, st); }
  if (st.groups.some((g) => same(g, group))) return;
  st.groups.unshift(new Uint8Array(group));
  devMcAdd(dev, mcastMac(group));
  if (!quiet) changeReport(dev, { type: MLD2_CHANGE_TO_EXCLUDE, group });
}

/** ipv6_dev_mc_dec. `quiet`: the device is going down, its pending reports die with it. */
export function mc6Leave(dev: NetDevice, group: Uint8Array, quiet = false): void {
  const st = states.get(dev);
  const i = st ? st.groups.findIndex((g) => same(g, group)) : -1;
  if (!st || i < 0) return;
  st.groups.splice(i, 1);
  devMcDel(dev, mcastMac(group));
  if (!quiet) changeReport(dev, { type: MLD2_CHANGE_TO_INCLUDE, group });
}
