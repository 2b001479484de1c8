/**
 * net/bridge/br_vlan.c: per-port and per-bridge VLAN membership, and the ingress/egress checks
 * used when vlan_filtering is on. Only present when the lab's kernel is built with
 * CONFIG_BRIDGE_VLAN_FILTERING (installBridge option `vlanFiltering`); the reference machine's
 * kernel is not, so by default every VLAN request answers EOPNOTSUPP as it does there.
 */
import { Errno, OK, err, type NlResult } from '../../errno.ts';
import type { SkBuff } from '../../skb.ts';
import { vlanInsertTag } from '../../dev.ts';
import type { BrVlan, BridgePort, NetBridge, VlanGroup } from './types.ts';
import { fdbAddLocal, fdbDeleteByPort, fdbDeleteLocal, fdbFind } from './fdb.ts';

export const BRIDGE_VLAN_INFO_MASTER = 0x1, BRIDGE_VLAN_INFO_PVID = 0x2, BRIDGE_VLAN_INFO_UNTAGGED = 0x4,
  BRIDGE_VLAN_INFO_RANGE_BEGIN = 0x8, BRIDGE_VLAN_INFO_RANGE_END = 0x10, BRIDGE_VLAN_INFO_BRENTRY = 0x20;
export const ETH_P_8021Q = 0x8100, ETH_P_8021AD = 0x88a8;
const VLAN_VID_MASK = 0xfff;

export function newVlanGroup(): VlanGroup { return { vlans: new Map(), pvid: 0 }; }

export function vlanFind(vg: VlanGroup, vid: number): BrVlan | undefined { return vg.vlans.get(vid); }

/** br_vlan_should_use: vnet keeps only real entries (no master contexts), so every one is used. */
export function vlanShouldUse(_v: BrVlan): boolean { return true; }

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
    return pvid;
  }
  const v = vg.vlans.get(vid);
  if (v === undefined || !vlanShouldUse(v)) return -1;
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
  const v: BrVlan = { vid, untagged: false, brentry: true };
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
  br.vg.vlans.delete(vid);
  if (br.vg.pvid === vid) br.vg.pvid = 0;
  return OK;
}

/** nbp_vlan_flush: the port leaves; its VLANs go. */
export function nbpVlanFlush(p: BridgePort): void {
  p.vg.vlans.clear();
  p.vg.pvid = 0;
}
