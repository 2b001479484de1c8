/**
 * net/bridge/br_vlan.c: per-port and per-bridge VLAN membership, and the ingress/egress checks
 * used when vlan_filtering is on. Only present when the lab's kernel is built with
 * CONFIG_BRIDGE_VLAN_FILTERING (the lab's `kernelConfig.BRIDGE_VLAN_FILTERING`, passed to
 * installBridge as `vlanFiltering`); the reference machine's kernel is not, so by default every
 * VLAN request answers EOPNOTSUPP as it does there. Judged against Debian's 6.1 under qemu.
 */
import { Errno, OK, err, type NlResult } from '../../errno.ts';
import type { SkBuff } from '../../skb.ts';
import { vlanInsertTag } from '../../dev.ts';
import type { BrVlan, BridgePort, NetBridge, VlanGroup, VlanStats } from './types.ts';
import { fdbAddLocal, fdbDeleteByPort, fdbDeleteLocal, fdbFind } from './fdb.ts';

export const BRIDGE_VLAN_INFO_MASTER = 0x1, BRIDGE_VLAN_INFO_PVID = 0x2, BRIDGE_VLAN_INFO_UNTAGGED = 0x4,
  BRIDGE_VLAN_INFO_RANGE_BEGIN = 0x8, BRIDGE_VLAN_INFO_RANGE_END = 0x10, BRIDGE_VLAN_INFO_BRENTRY = 0x20;
export const ETH_P_8021Q = 0x8100, ETH_P_8021AD = 0x88a8;
const VLAN_VID_MASK = 0xfff;

export function newVlanGroup(): VlanGroup { return { vlans: new Map(), pvid: 0 }; }

export function vlanFind(vg: VlanGroup, vid: number): BrVlan | undefined { return vg.vlans.get(vid); }

/** br_vlan_should_use: vnet keeps only real entries (no master contexts), so every one is used. */
export function vlanShouldUse(_v: BrVlan): boolean { return true; }

const ETH_HLEN = 14;

function newStats(refs: number): VlanStats { return { rxBytes: 0, rxPackets: 0, txBytes: 0, txPackets: 0, refs }; }

/** br_vlan_get_master's counters: one set per VID, held while the bridge or any port has the VID. */
function masterStats(br: NetBridge, vid: number): VlanStats {
  const m = (br.vlanMasterStats ??= new Map());
  let s = m.get(vid);
  if (!s) { s = newStats(0); m.set(vid, s); }
  s.refs++;
  return s;
}

function releaseStats(br: NetBridge, v: BrVlan): void {
  const s = v.stats;
  if (!s) return;
  s.refs--;
  if (s.refs <= 0 && br.vlanMasterStats?.get(v.vid) === s) br.vlanMasterStats.delete(v.vid);
}

/** The counters count skb->len with the Ethernet header pulled (the tag is metadata here). */
function countRx(br: NetBridge, v: BrVlan | undefined, skb: SkBuff): void {
  if (!br.vlanStatsEnabled || !v?.stats) return;
  v.stats.rxBytes += skb.len - ETH_HLEN;
  v.stats.rxPackets++;
}

/** br_vlan_set_stats_per_port: only while no port has a VLAN. */
export function setStatsPerPort(br: NetBridge, on: boolean): NlResult {
  if (br.ports.some((p) => p.vg.vlans.size > 0)) return err(Errno.EBUSY);
  br.vlanStatsPerPort = on;
  return OK;
}

function sortGroup(vg: VlanGroup): void {
  const sorted = [...vg.vlans.entries()].sort((a, b) => a[0] - b[0]);
  vg.vlans.clear();
  for (const [k, v] of sorted) vg.vlans.set(k, v);
}

/**
 * br_allowed_ingress: returns the VID the frame belongs to, or -1 when it must be dropped. An
 * untagged frame gets the port's PVID as its tag (in metadata), as __vlan_hwaccel_put_tag does.
 */
export function allowedIngress(br: NetBridge, vg: VlanGroup, skb: SkBuff): number {
  if (!br.vlanEnabled) return 0;
  let vid = 0;
  let tagged = false;
  if (skb.vlanPresent) {
    if (skb.vlanProto !== br.vlanProto) {
      // Protocol mismatch: the tag goes back into the payload and the frame counts as untagged.
      vlanInsertTag(skb);
    } else {
      vid = skb.vlanTci & VLAN_VID_MASK;
      tagged = true;
    }
  }
  if (!vid) {
    const pvid = vg.pvid;
    if (!pvid) return -1;
    if (!tagged) {
      skb.vlanPresent = true;
      skb.vlanProto = br.vlanProto;
      skb.vlanTci = pvid;
    } else {
      skb.vlanTci |= pvid;
    }
    countRx(br, vg.vlans.get(pvid), skb);
    return pvid;
  }
  const v = vg.vlans.get(vid);
  if (v === undefined || !vlanShouldUse(v)) return -1;
  countRx(br, v, skb);
  return vid;
}

/** br_allowed_egress */
export function allowedEgress(br: NetBridge, vg: VlanGroup, skb: SkBuff): boolean {
  if (!br.vlanEnabled) return true;
  const vid = skb.vlanPresent ? skb.vlanTci & VLAN_VID_MASK : 0;
  const v = vg.vlans.get(vid);
  return v !== undefined && vlanShouldUse(v);
}

/** br_handle_vlan: on egress, drop the tag when the VLAN is untagged on that port (or bridge). */
export function handleVlanEgress(br: NetBridge, vg: VlanGroup, skb: SkBuff): boolean {
  if (!br.vlanEnabled) return true;
  const vid = skb.vlanPresent ? skb.vlanTci & VLAN_VID_MASK : 0;
  const v = vg.vlans.get(vid);
  if (!v) return false;
  if (br.vlanStatsEnabled && v.stats) { v.stats.txBytes += skb.len - ETH_HLEN; v.stats.txPackets++; }
  if (v.untagged) { skb.vlanPresent = false; skb.vlanTci = 0; }
  return true;
}

function flagsUpdate(vg: VlanGroup, v: BrVlan, flags: number): boolean {
  const changed = ((flags & BRIDGE_VLAN_INFO_PVID) !== 0) === (vg.pvid !== v.vid) ||
    ((flags & BRIDGE_VLAN_INFO_UNTAGGED) !== 0) !== v.untagged;
  if (flags & BRIDGE_VLAN_INFO_PVID) vg.pvid = v.vid;
  else if (vg.pvid === v.vid) vg.pvid = 0;
  v.untagged = (flags & BRIDGE_VLAN_INFO_UNTAGGED) !== 0;
  return changed;
}

function checkVid(vid: number): NlResult {
  if (vid <= 0 || vid >= VLAN_VID_MASK) return err(Errno.EINVAL);
  return OK;
}

/** nbp_vlan_add */
export function nbpVlanAdd(p: BridgePort, vid: number, flags: number): NlResult {
  const r = checkVid(vid);
  if (!r.ok) return r;
  const have = p.vg.vlans.get(vid);
  if (have) { flagsUpdate(p.vg, have, flags); return OK; }
  const v: BrVlan = { vid, untagged: false, brentry: false };
  v.stats = p.br.vlanStatsPerPort ? newStats(1) : masterStats(p.br, vid);
  p.vg.vlans.set(vid, v);
  sortGroup(p.vg);
  flagsUpdate(p.vg, v, flags);
  fdbAddLocal(p.br, p, p.dev.macNum, vid);
  return OK;
}

/** nbp_vlan_delete */
export function nbpVlanDelete(p: BridgePort, vid: number): NlResult {
  const v = p.vg.vlans.get(vid);
  if (!v) return err(Errno.ENOENT);
  const f = fdbFind(p.br, p.dev.macNum, vid);
  if (f && f.local && !f.addedByUser && f.dst === p) fdbDeleteLocal(p.br, p, f);
  fdbDeleteByPort(p.br, p, vid, false);
  releaseStats(p.br, v);
  p.vg.vlans.delete(vid);
  if (p.vg.pvid === vid) p.vg.pvid = 0;
  return OK;
}

/** br_vlan_add: a VLAN on the bridge device itself (`bridge vlan add dev br0 vid N self`). */
export function brVlanAdd(br: NetBridge, vid: number, flags: number): NlResult {
  const r = checkVid(vid);
  if (!r.ok) return r;
  const have = br.vg.vlans.get(vid);
  if (have) { flagsUpdate(br.vg, have, flags); have.brentry = true; return OK; }
  const v: BrVlan = { vid, untagged: false, brentry: true, stats: masterStats(br, vid) };
  br.vg.vlans.set(vid, v);
  sortGroup(br.vg);
  flagsUpdate(br.vg, v, flags);
  fdbAddLocal(br, null, br.dev.macNum, vid);
  return OK;
}

/** br_vlan_delete */
export function brVlanDelete(br: NetBridge, vid: number): NlResult {
  const v = br.vg.vlans.get(vid);
  if (!v) return err(Errno.ENOENT);
  const f = fdbFind(br, br.dev.macNum, vid);
  if (f && f.local && !f.addedByUser && f.dst === null) fdbDeleteLocal(br, null, f);
  fdbDeleteByPort(br, null, vid, false);
  releaseStats(br, v);
  br.vg.vlans.delete(vid);
  if (br.vg.pvid === vid) br.vg.pvid = 0;
  return OK;
}

/** nbp_vlan_flush: the port leaves; its VLANs go. */
export function nbpVlanFlush(p: BridgePort): void {
  for (const v of p.vg.vlans.values()) releaseStats(p.br, v);
  p.vg.vlans.clear();
  p.vg.pvid = 0;
}
