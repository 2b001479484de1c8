/**
 * net/bridge/br_fdb.c: the forwarding database. Entries are keyed by (MAC, VID), kept in one
 * list in creation order for dumps, learned on ingress, aged by a gc worker on the lab clock,
 * and added or removed by the user (RTM_NEWNEIGH / RTM_DELNEIGH through `bridge fdb`).
 */
import { limitReached } from '../../limits.ts';
import { Errno, OK, err, type NlResult } from '../../errno.ts';
import { isValidUnicastMac } from '../../netdev.ts';
import { numToMac } from '../../netdev.ts';
import {
  BR_STATE_FORWARDING, BR_STATE_LEARNING, jiffies, type BridgePort, type FdbEntry, type NetBridge,
} from './types.ts';
import { vlanFind, vlanShouldUse } from './vlan.ts';

// NUD_* states as iproute2 sends them (include/uapi/linux/neighbour.h).
export const NUD_REACHABLE = 0x02, NUD_STALE = 0x04, NUD_NOARP = 0x40, NUD_PERMANENT = 0x80;
// NTF_* flags.
export const NTF_USE = 0x01, NTF_SELF = 0x02, NTF_MASTER = 0x04, NTF_EXT_LEARNED = 0x10,
  NTF_OFFLOADED = 0x20, NTF_STICKY = 0x40, NTF_ROUTER = 0x80;
// nlmsg flags
export const NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400, NLM_F_APPEND = 0x800;

/** if topology_changing then use forward_delay, otherwise ageing_time */
export function holdTime(br: NetBridge): number {
  return br.topologyChange ? br.forwardDelay : br.ageingTime;
}

export function hasExpired(br: NetBridge, f: FdbEntry, now: number): boolean {
  return !f.isStatic && f.updated + holdTime(br) <= now;
}

/** fdb_to_nud */
export function fdbToNud(br: NetBridge, f: FdbEntry): number {
  if (f.local) return NUD_PERMANENT;
  if (f.isStatic) return NUD_NOARP;
  if (hasExpired(br, f, jiffies(br.lab))) return NUD_STALE;
  return NUD_REACHABLE;
}

/** br_fdb_find: the per-frame lookup; no allocation. */
export function fdbFind(br: NetBridge, mac: number, vid: number): FdbEntry | undefined {
  if (vid === 0) return br.fdb0.get(mac);
  const m = br.fdbVlan.get(vid);
  return m === undefined ? undefined : m.get(mac);
}

function fdbInsert(br: NetBridge, f: FdbEntry): void {
  if (f.vid === 0) br.fdb0.set(f.mac, f);
  else {
    let m = br.fdbVlan.get(f.vid);
    if (!m) { m = new Map(); br.fdbVlan.set(f.vid, m); }
    m.set(f.mac, f);
  }
  br.fdbList.add(f);
}

/** fdb_delete */
export function fdbDelete(br: NetBridge, f: FdbEntry): void {
  if (f.vid === 0) br.fdb0.delete(f.mac);
  else {
    const m = br.fdbVlan.get(f.vid);
    if (m) { m.delete(f.mac); if (m.size === 0) br.fdbVlan.delete(f.vid); }
  }
  br.fdbList.delete(f);
  if (f.learned) { f.learned = false; br.fdbNLearned--; }
}

interface CreateFlags { local?: boolean; isStatic?: boolean; addedByUser?: boolean }

/** fdb_create */
function fdbCreate(br: NetBridge, source: BridgePort | null, mac: number, vid: number,
  fl: CreateFlags): FdbEntry | null {
  const learned = !fl.addedByUser && !fl.local;
  if (learned && br.fdbMaxLearned && br.fdbNLearned >= br.fdbMaxLearned) return null;
  // vnet's per-bridge FDB limit (limits.ts); the bridge's own local entries are never refused.
  if (!fl.local && br.fdbList.size >= br.lab.limits.fdbEntries) { limitReached(br.lab, 'fdbEntries'); return null; }
  const now = jiffies(br.lab);
  const f: FdbEntry = { mac, vid, dst: source, local: !!fl.local, isStatic: !!fl.isStatic,
    addedByUser: !!fl.addedByUser, sticky: false, learned, updated: now, used: now };
  if (learned) br.fdbNLearned++;
  fdbInsert(br, f);
  return f;
}

/** fdb_add_local */
export function fdbAddLocal(br: NetBridge, source: BridgePort | null, mac: number, vid: number): NlResult {
  if (!isValidUnicastMac(numToMac(mac))) return err(Errno.EINVAL);
  const have = fdbFind(br, mac, vid);
  if (have) {
    // It is fine for several ports to have the same address: the first one keeps it.
    if (have.local) return OK;
    fdbDelete(br, have);
  }
  fdbCreate(br, source, mac, vid, { local: true, isStatic: true });
  return OK;
}

/** fdb_delete_local: another port (or the bridge) with the same address inherits the entry. */
export function fdbDeleteLocal(br: NetBridge, p: BridgePort | null, f: FdbEntry): void {
  for (const op of br.ports) {
    if (op !== p && op.dev.macNum === f.mac && (!f.vid || op.vg.vlans.has(f.vid))) {
      f.dst = op;
      f.addedByUser = false;
      return;
    }
  }
  const v = vlanFind(br.vg, f.vid);
  if (p && br.dev.macNum === f.mac && (!f.vid || (v && vlanShouldUse(v)))) {
    f.dst = null;
    f.addedByUser = false;
    return;
  }
  fdbDelete(br, f);
}

/** br_fdb_changeaddr: a port's MAC changed. */
export function fdbChangeAddr(p: BridgePort, newMac: number): void {
  const br = p.br;
  for (const f of [...br.fdbList]) {
    if (f.dst === p && f.local && !f.addedByUser) {
      fdbDeleteLocal(br, p, f);
      if (p.vg.vlans.size === 0) break;
    }
  }
  fdbAddLocal(br, p, newMac, 0);
  for (const v of p.vg.vlans.values()) fdbAddLocal(br, p, newMac, v.vid);
}

/** br_fdb_change_mac_address: the bridge's own MAC changed. */
export function fdbChangeMacAddress(br: NetBridge, newMac: number): void {
  let f = fdbFind(br, br.dev.macNum, 0);
  if (f && f.local && !f.dst && !f.addedByUser) fdbDeleteLocal(br, null, f);
  fdbAddLocal(br, null, newMac, 0);
  for (const v of br.vg.vlans.values()) {
    if (!vlanShouldUse(v)) continue;
    f = fdbFind(br, br.dev.macNum, v.vid);
    if (f && f.local && !f.dst && !f.addedByUser) fdbDeleteLocal(br, null, f);
    fdbAddLocal(br, null, newMac, v.vid);
  }
}

/** br_fdb_delete_by_port: do_all also removes static and local entries. */
export function fdbDeleteByPort(br: NetBridge, p: BridgePort | null, vid: number, doAll: boolean): void {
  for (const f of [...br.fdbList]) {
    if (f.dst !== p) continue;
    if (!doAll && (f.isStatic || (vid && f.vid !== vid))) continue;
    if (f.local) fdbDeleteLocal(br, p, f);
    else fdbDelete(br, f);
  }
}

/** br_fdb_flush with a flags mask of "static": removes every non-static entry. */
export function fdbFlushDynamic(br: NetBridge): void {
  for (const f of [...br.fdbList]) if (!f.isStatic) fdbDelete(br, f);
}

/**
 * br_fdb_update: learning on ingress. Runs per frame: a Map lookup and two field writes in the
 * common case of a known source.
 */
export function fdbUpdate(br: NetBridge, source: BridgePort, mac: number, vid: number, addedByUser = false): void {
  // Some users want to always flood (ageing_time 0).
  if (holdTime(br) === 0) return;
  const f = fdbFind(br, mac, vid);
  if (f !== undefined) {
    if (f.local) return; // "received packet on X with own address as source address"
    const now = jiffies(br.lab);
    if (now !== f.updated) f.updated = now;
    if (source !== f.dst && !f.sticky) f.dst = source;
    if (addedByUser) {
      f.addedByUser = true;
      if (f.learned) { f.learned = false; br.fdbNLearned--; }
    }
    return;
  }
  fdbCreate(br, source, mac, vid, { addedByUser });
}

/** br_fdb_cleanup: the gc worker. Deletes expired entries and re-arms itself at the next expiry. */
export function fdbCleanup(br: NetBridge): void {
  const delay = holdTime(br);
  let workDelay = delay;
  const now = jiffies(br.lab);
  for (const f of [...br.fdbList]) {
    if (f.isStatic) continue;
    const t = f.updated + delay;
    if (t > now) workDelay = Math.min(workDelay, t - now);
    else fdbDelete(br, f);
  }
  // Cleanup minimum 10 milliseconds apart (msecs_to_jiffies(10) = 3 jiffies at HZ=250).
  workDelay = Math.max(workDelay, 3);
  br.gcTimer.mod(now + workDelay);
}

/** The state bits iproute2 sends (ndm_state) for `bridge fdb add/replace`. */
export interface FdbRequest {
  mac: number;
  /** VID, or undefined when `vlan` was not given. */
  vid: number | undefined;
  state: number;
  /** NTF_* */
  flags: number;
  /** NLM_F_* */
  nlFlags: number;
  /** vxlan attributes (NDA_DST as IPv4 or 16 bytes of IPv6, NDA_PORT, NDA_VNI, NDA_SRC_VNI, NDA_IFINDEX); bridges ignore them. */
  dst?: number | Uint8Array;
  port?: number;
  vni?: number;
  srcVni?: number;
  ifindex?: number;
}

/** fdb_add_entry */
function fdbAddEntry(br: NetBridge, source: BridgePort | null, req: FdbRequest, vid: number): NlResult {
  const state = req.state;
  const isSticky = (req.flags & NTF_STICKY) !== 0;
  if (source && !(state & NUD_PERMANENT) && !(state & NUD_NOARP) &&
    !(source.state === BR_STATE_LEARNING || source.state === BR_STATE_FORWARDING)) return err(Errno.EPERM);
  if (!source && !(state & NUD_PERMANENT)) return err(Errno.EINVAL);
  if (isSticky && (state & NUD_PERMANENT)) return err(Errno.EINVAL);
  let f = fdbFind(br, req.mac, vid);
  let modified = false;
  if (!f) {
    if (!(req.nlFlags & NLM_F_CREATE)) return err(Errno.ENOENT);
    const nf = fdbCreate(br, source, req.mac, vid, { addedByUser: true });
    if (!nf) return err(Errno.ENOMEM);
    f = nf;
    modified = true;
  } else {
    if (req.nlFlags & NLM_F_EXCL) return err(Errno.EEXIST);
    if (f.dst !== source) { f.dst = source; modified = true; }
    f.addedByUser = true;
    if (f.learned) { f.learned = false; br.fdbNLearned--; }
  }
  if (fdbToNud(br, f) !== state) {
    if (state & NUD_PERMANENT) { f.local = true; f.isStatic = true; }
    else if (state & NUD_NOARP) { f.local = false; f.isStatic = true; }
    else { f.local = false; f.isStatic = false; }
    modified = true;
  }
  if (isSticky !== f.sticky) { f.sticky = isSticky; modified = true; }
  const now = jiffies(br.lab);
  f.used = now;
  if (modified) f.updated = now;
  return OK;
}

function brFdbAddOne(br: NetBridge, p: BridgePort | null, req: FdbRequest, vid: number): NlResult {
  if (req.flags & NTF_USE) {
    if (!p) return err(Errno.EINVAL);
    if (p.state !== BR_STATE_LEARNING && p.state !== BR_STATE_FORWARDING) return OK;
    fdbUpdate(br, p, req.mac, vid, true);
    return OK;
  }
  return fdbAddEntry(br, p, req, vid);
}

/** br_fdb_add: `dev` is the bridge itself (p = null) or one of its ports. */
export function brFdbAdd(br: NetBridge, p: BridgePort | null, req: FdbRequest): NlResult {
  if (!(req.state & (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE))) return err(Errno.EINVAL);
  if (req.mac === 0) return err(Errno.EINVAL);
  const vg = p ? p.vg : br.vg;
  if (req.vid) {
    const v = vlanFind(vg, req.vid);
    if (!v || !vlanShouldUse(v)) return err(Errno.EINVAL);
    return brFdbAddOne(br, p, req, req.vid);
  }
  const r = brFdbAddOne(br, p, req, 0);
  if (!r.ok) return r;
  for (const v of vg.vlans.values()) {
    if (!vlanShouldUse(v)) continue;
    const r2 = brFdbAddOne(br, p, req, v.vid);
    if (!r2.ok) return r2;
  }
  return OK;
}

function deleteByAddrAndPort(br: NetBridge, p: BridgePort | null, mac: number, vid: number): boolean {
  const f = fdbFind(br, mac, vid);
  if (!f || f.dst !== p) return false;
  fdbDelete(br, f);
  return true;
}

/** br_fdb_delete */
export function brFdbDelete(br: NetBridge, p: BridgePort | null, mac: number, vid: number | undefined): NlResult {
  const vg = p ? p.vg : br.vg;
  if (vid) return deleteByAddrAndPort(br, p, mac, vid) ? OK : err(Errno.ENOENT);
  let any = deleteByAddrAndPort(br, p, mac, 0);
  for (const v of vg.vlans.values()) {
    if (!vlanShouldUse(v)) continue;
    if (deleteByAddrAndPort(br, p, mac, v.vid)) any = true;
  }
  return any ? OK : err(Errno.ENOENT);
}

/** The entries `bridge fdb show` lists for one device, newest first (br_fdb_dump). */
export function fdbDump(br: NetBridge, filterPort: BridgePort | null): FdbEntry[] {
  const out: FdbEntry[] = [];
  const all = [...br.fdbList];
  for (let i = all.length - 1; i >= 0; i--) {
    const f = all[i]!;
    if (filterPort ? f.dst === filterPort : f.dst === null) out.push(f);
  }
  return out;
}
