/**
 * drivers/net/macvlan.c (and the macvtap glue of drivers/net/macvtap.c + tap.c).
 *
 * One port per lower device holds its macvlans: a hash of the UP ones by MAC (what unicast
 * receive looks up), the list of all of them in creation order, the source-mode MAC table and
 * the broadcast queue. The port owns the lower's rx_handler (macvlan_handle_frame).
 * Read top to bottom it follows the kernel file: port, receive, transmit, open/stop, MAC and MTU,
 * link ops (newlink/changelink/dellink/fill_info), lower-device events.
 */
import { Errno, OK, err, ok, type NlResult } from '../errno.ts';
import type { Lab } from '../lab.ts';
import {
  ARPHRD_ETHER, IFF_ALLMULTI, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_PROMISC, NetDevice, RxResult,
  macToNum, type DeviceOps,
} from '../netdev.ts';
import { PacketType, type SkBuff } from '../skb.ts';
import {
  devForwardSkb, devQueueXmit, devSetAllmulti, devSetPromiscuity, devUcAdd, devUcDel, drop, ethTypeTrans,
  linkwatchRun, netifRx, rxHandlerRegister, rxHandlerUnregister, setCarrier, stackedTransferOperstate,
  unregisterNetdevice,
} from '../dev.ts';
import {
  applyCreateAttrs, registerKind, registerNew, type KindData, type LinkKind, type NewLinkCtx,
} from '../rtnl.ts';

export const MACVLAN_MODE_PRIVATE = 1, MACVLAN_MODE_VEPA = 2, MACVLAN_MODE_BRIDGE = 4,
  MACVLAN_MODE_PASSTHRU = 8, MACVLAN_MODE_SOURCE = 16;
export const MACVLAN_FLAG_NOPROMISC = 1, MACVLAN_FLAG_NODST = 2;

export type MacvlanModeName = 'private' | 'vepa' | 'bridge' | 'passthru' | 'source';
const MODE_BY_NAME: Record<MacvlanModeName, number> = {
  private: MACVLAN_MODE_PRIVATE, vepa: MACVLAN_MODE_VEPA, bridge: MACVLAN_MODE_BRIDGE,
  passthru: MACVLAN_MODE_PASSTHRU, source: MACVLAN_MODE_SOURCE,
};
export function modeName(mode: number): MacvlanModeName {
  return (Object.keys(MODE_BY_NAME) as MacvlanModeName[]).find((k) => MODE_BY_NAME[k] === mode) ?? 'vepa';
}

const ETH_P_PAUSE = 0x8808;
const BC_QUEUE_DEFAULT = 1000;

export interface MacvlanPort {
  dev: NetDevice;
  /** All macvlans on this lower, in creation order (port->vlans). */
  vlans: Set<NetDevice>;
  /**
   * Who may want a group frame, so that one is not offered to every sibling: by group MAC the
   * macvlans whose multicast list has it, and the ones in promiscuous or allmulticast mode.
   * Kept in step by the driver's mcChanged/rxModeChanged hooks (the kernel's mc_filter bitmap).
   */
  mcIndex: Map<number, Set<NetDevice>>;
  allMulti: Set<NetDevice>;
  /** Creation stamps: candidates from the index are visited in port->vlans order. */
  nextSeq: number;
  /** How many macvlans use each bcqueuelen, so the largest is known without a walk. */
  bcLens: Map<number, number>;
  /** UP macvlans by MAC (port->vlan_hash). */
  hash: Map<number, NetDevice>;
  /** Source-mode entries: remote MAC → the source-mode macvlans listing it. */
  sourceHash: Map<number, NetDevice[]>;
  passthru: boolean;
  bcQueue: { skb: SkBuff; src: NetDevice | null }[];
  bcQueueLenUsed: number;
  bcCutoff: number;
  bcWorkScheduled: boolean;
  permAddr: Uint8Array;
  /** Set while a passthru macvlan changes the lower's MAC (MACVLAN_F_ADDRCHANGE). */
  addrChangeFromVlan: boolean;
}

export interface TapQueueState {
  frames: Uint8Array[];
  onFrame: ((frame: Uint8Array) => void) | null;
  vnetHdr: boolean;
  closed: boolean;
  /** The owner still holds the fd (a killed reader's queue closes at the next frame). */
  alive?: () => boolean;
}

export interface MacvlanPriv {
  lower: NetDevice;
  port: MacvlanPort;
  mode: number;
  flags: number;
  bcqueuelen: number;
  /** Source-mode remote MACs, in the order they were added. */
  macaddrs: number[];
  /** Position in the port's creation order (MacvlanPort.nextSeq). */
  seq: number;
  /** allmulti/promisc references this macvlan holds on its lower. */
  passedAllmulti: boolean;
  passedPromisc: boolean;
  /** macvtap only: open queues (file descriptors on /dev/tapN). */
  tapQueues: TapQueueState[] | null;
}

export function priv(dev: NetDevice): MacvlanPriv { return dev.priv as MacvlanPriv; }
export function isMacvlan(dev: NetDevice): boolean { return dev.kind === 'macvlan' || dev.kind === 'macvtap'; }
export function portOf(lower: NetDevice): MacvlanPort | null {
  return lower.rxHandler === macvlanHandleFrame ? (lower.rxHandlerData as MacvlanPort) : null;
}

// ---------------------------------------------------------------------------------------------
// Receive: macvlan_handle_frame on the lower device.

function isBroadcast(d: Uint8Array): boolean {
  return d[0] === 0xff && d[1] === 0xff && d[2] === 0xff && d[3] === 0xff && d[4] === 0xff && d[5] === 0xff;
}

function wantsAllMulti(vlan: NetDevice): boolean {
  return vlan.promiscuity > 0 || vlan.allmulti > 0 || (vlan.gflags & (IFF_PROMISC | IFF_ALLMULTI)) !== 0;
}

/** The receiver's multicast filter: broadcast always; other groups if subscribed or promisc/allmulti. */
function mcFilterAccepts(vlan: NetDevice, bc: boolean, group: number): boolean {
  return bc || wantsAllMulti(vlan) || vlan.mcList.has(group);
}

/** Index upkeep: `dev` (a macvlan of `port`) joined or left `group`. */
function mcIndexUpdate(port: MacvlanPort, dev: NetDevice, group: number, on: boolean): void {
  let set = port.mcIndex.get(group);
  if (on) {
    if (!set) { set = new Set(); port.mcIndex.set(group, set); }
    set.add(dev);
  } else if (set) {
    set.delete(dev);
    if (set.size === 0) port.mcIndex.delete(group);
  }
}

function indexAdd(port: MacvlanPort, dev: NetDevice): void {
  for (const g of dev.mcList.keys()) mcIndexUpdate(port, dev, g, true);
  if (wantsAllMulti(dev)) port.allMulti.add(dev);
}

function indexDel(port: MacvlanPort, dev: NetDevice): void {
  for (const g of dev.mcList.keys()) mcIndexUpdate(port, dev, g, false);
  port.allMulti.delete(dev);
}

function bySeq(a: NetDevice, b: NetDevice): number { return priv(a).seq - priv(b).seq; }

/**
 * The macvlans a group frame has to be offered to, in creation order: all of them for broadcast
 * (or when a trace is recorded, which reports the ones skipped by mode too), otherwise only the
 * subscribers and the promiscuous/allmulti ones (the rest would refuse it in their filter).
 */
function groupCandidates(port: MacvlanPort, bc: boolean, group: number, traced: boolean): Iterable<NetDevice> {
  if (bc || traced) return port.vlans;
  const subs = port.mcIndex.get(group);
  const all = port.allMulti;
  const n = (subs?.size ?? 0) + all.size;
  if (n === 0) return [];
  // Sorting a big candidate list costs more than walking the port.
  if (n * 4 > port.vlans.size) return port.vlans;
  const out: NetDevice[] = [];
  if (subs) for (const v of subs) out.push(v);
  for (const v of all) if (!subs?.has(v)) out.push(v);
  if (out.length > 1) out.sort(bySeq);
  return out;
}

/** macvlan_broadcast_one: a copy for one receiver; `local` = bridge-mode transmit (scrubbed). */
function broadcastOne(skb: SkBuff, vlan: NetDevice, local: boolean): void {
  const d = skb.data;
  if (local) {
    if (devForwardSkb(vlan, skb)) countRx(vlan, skb.len, true);
    return;
  }
  skb.dev = vlan;
  skb.pktType = isBroadcast(d) ? PacketType.BROADCAST : PacketType.MULTICAST;
  countRx(vlan, skb.len, true);
  netifRx(skb);
}

function countRx(vlan: NetDevice, len: number, multicast: boolean): void {
  vlan.stats.rxPackets++;
  vlan.stats.rxBytes += len;
  if (multicast) vlan.stats.rxMulticast++;
}

/** macvlan_broadcast: every UP macvlan whose mode is in `modeMask`, except `src`. */
function macvlanBroadcast(skb: SkBuff, port: MacvlanPort, src: NetDevice | null, modeMask: number): void {
  if (skb.ethertype === ETH_P_PAUSE) return;
  const lab = port.dev.netns.lab;
  const d = skb.data;
  const bc = isBroadcast(d);
  const group = macToNum(d, 0);
  for (const vlan of groupCandidates(port, bc, group, lab.tracer !== null)) {
    if (vlan === src || !vlan.isUp || port.hash.get(vlan.macNum) !== vlan && !priv(vlan).port.passthru) continue;
    const m = priv(vlan).mode;
    if (!(m & modeMask)) {
      if (lab.tracer) lab.trace(skb, vlan, 'rx', 'macvlan_broadcast', 'dropped', 'MACVLAN_MODE_EXCLUDED',
        `${vlan.name} is in ${modeName(m)} mode`);
      continue;
    }
    if (!mcFilterAccepts(vlan, bc, group)) continue;
    broadcastOne(skb.clone(), vlan, modeMask === MACVLAN_MODE_BRIDGE);
  }
}

/** macvlan_multicast_rx: who gets a group frame, by the sender's mode. */
function multicastRx(port: MacvlanPort, src: NetDevice | null, skb: SkBuff): void {
  if (!src) {
    macvlanBroadcast(skb, port, null, MACVLAN_MODE_PRIVATE | MACVLAN_MODE_VEPA | MACVLAN_MODE_PASSTHRU | MACVLAN_MODE_BRIDGE);
  } else if (priv(src).mode === MACVLAN_MODE_VEPA) {
    macvlanBroadcast(skb, port, src, MACVLAN_MODE_VEPA | MACVLAN_MODE_BRIDGE);
  } else {
    // Bridge-mode siblings already got it when it was sent.
    macvlanBroadcast(skb, port, src, MACVLAN_MODE_VEPA);
  }
}

/** macvlan_broadcast_enqueue: group frames from outside go to the macvlans a moment later. */
function broadcastEnqueue(port: MacvlanPort, src: NetDevice | null, skb: SkBuff): void {
  const lab = port.dev.netns.lab;
  if (port.bcQueue.length >= port.bcQueueLenUsed) {
    port.dev.stats.rxDropped++;
    drop(lab, skb, 'rx', 'MACVLAN_BC_QUEUE_FULL', 'macvlan_broadcast_enqueue');
    return;
  }
  port.bcQueue.push({ skb: skb.clone(), src });
  if (!port.bcWorkScheduled) {
    port.bcWorkScheduled = true;
    lab.clock.after(lab.backlogDelayNs, () => {
      port.bcWorkScheduled = false;
      const q = port.bcQueue;
      port.bcQueue = [];
      for (const e of q) {
        if (e.src && (e.src.dying || !e.src.isUp)) e.src = null;
        multicastRx(port, e.src, e.skb);
        // consume_skb: the queued copy ends here, once its clones are on their way.
        lab.counters.consumed++;
      }
    });
  }
}

/** macvlan_forward_source: copies to source-mode macvlans listing the sender. True = consumed (nodst). */
function forwardSource(skb: SkBuff, port: MacvlanPort, srcMac: number): boolean {
  const list = port.sourceHash.get(srcMac);
  if (!list) return false;
  let consume = false;
  for (const vlan of list) {
    if (!vlan.isUp) continue;
    const c = skb.clone();
    c.dev = vlan;
    if (macToNum(c.data, 0) === vlan.macNum) c.pktType = PacketType.HOST;
    countRx(vlan, c.len, c.pktType !== PacketType.HOST && (c.data[0]! & 1) === 1);
    netifRx(c);
    if (priv(vlan).flags & MACVLAN_FLAG_NODST) consume = true;
  }
  return consume;
}

export function macvlanHandleFrame(skb: SkBuff): RxResult {
  const lower = skb.dev;
  const port = lower.rxHandlerData as MacvlanPort;
  const lab = lower.netns.lab;
  if (skb.pktType === PacketType.LOOPBACK) return RxResult.PASS;
  const d = skb.data;
  const srcMac = macToNum(d, 6);
  if (d[0]! & 1) {
    if (forwardSource(skb, port, srcMac)) {
      drop(lab, skb, 'rx', 'MACVLAN_SOURCE_NODST', 'macvlan_handle_frame');
      return RxResult.CONSUMED;
    }
    const src = port.hash.get(srcMac) ?? null;
    if (src && priv(src).mode !== MACVLAN_MODE_VEPA && priv(src).mode !== MACVLAN_MODE_BRIDGE) {
      // A private/passthru/source sender's group frame came back: only the sender gets it.
      if (lab.tracer) lab.trace(skb, lower, 'rx', 'macvlan_handle_frame', 'forwarded', undefined,
        `group frame from ${src.name} (${modeName(priv(src).mode)}) returns to it alone; lower and siblings get nothing`);
      broadcastOne(skb, src, false);
      return RxResult.CONSUMED;
    }
    // bc_cutoff: broadcast (and groups with many listeners) are queued; others go at once.
    if (port.bcCutoff >= 0 && isBroadcast(d)) broadcastEnqueue(port, src, skb);
    else multicastRx(port, src, skb);
    return RxResult.PASS;
  }
  if (forwardSource(skb, port, srcMac)) {
    drop(lab, skb, 'rx', 'MACVLAN_SOURCE_NODST', 'macvlan_handle_frame');
    return RxResult.CONSUMED;
  }
  const dst = macToNum(d, 0);
  const vlan = port.passthru ? (port.vlans.values().next().value ?? null) : (port.hash.get(dst) ?? null);
  if (!vlan || priv(vlan).mode === MACVLAN_MODE_SOURCE) return RxResult.PASS;
  if (!vlan.isUp) {
    drop(lab, skb, 'rx', 'MACVLAN_PASSTHRU_DOWN', 'macvlan_handle_frame', vlan.name);
    return RxResult.CONSUMED;
  }
  countRx(vlan, skb.len, false);
  skb.dev = vlan;
  skb.pktType = PacketType.HOST;
  if (lab.tracer) lab.trace(skb, lower, 'rx', 'macvlan_handle_frame', 'forwarded', undefined, `unicast to ${vlan.name}`);
  return RxResult.ANOTHER;
}

// ---------------------------------------------------------------------------------------------
// Transmit: macvlan_start_xmit → macvlan_queue_xmit.

function macvlanXmit(dev: NetDevice, skb: SkBuff): void {
  const p = priv(dev);
  const port = p.port;
  const lab = dev.netns.lab;
  const len = skb.len;
  if (p.mode === MACVLAN_MODE_BRIDGE && !port.passthru) {
    const d = skb.data;
    if (d[0]! & 1) {
      // Bridge-mode siblings get group frames straight away, then the frame goes out too.
      macvlanBroadcast(skb, port, dev, MACVLAN_MODE_BRIDGE);
    } else {
      const dest = port.hash.get(macToNum(d, 0));
      if (dest && priv(dest).mode === MACVLAN_MODE_BRIDGE) {
        // "send to lowerdev first for its network taps": the frame enters the lower's receive
        // path (tcpdump on the lower sees it inbound) and the rx_handler hands it to `dest`.
        if (lab.tracer) lab.trace(skb, dev, 'tx', 'macvlan_queue_xmit', 'forwarded', undefined,
          `to bridge-mode sibling ${dest.name} through ${p.lower.name}'s receive path`);
        if (devForwardSkb(p.lower, skb)) {
          dev.stats.txPackets++; dev.stats.txBytes += len;
        } else dev.stats.txDropped++;
        return;
      }
    }
  }
  // xmit_world: out through the lower device; its own stack never sees the frame.
  if (lab.tracer) lab.trace(skb, dev, 'tx', 'macvlan_queue_xmit', 'forwarded', undefined, `out through lower ${p.lower.name}`);
  skb.dev = p.lower;
  dev.stats.txPackets++; dev.stats.txBytes += len;
  devQueueXmit(skb);
}

// ---------------------------------------------------------------------------------------------
// Open/stop, MAC and MTU.

/** macvlan_addr_busy: the lower's MAC or an UP sibling's. */
function addrBusy(port: MacvlanPort, mac: number): boolean {
  return port.dev.macNum === mac || port.hash.has(mac);
}

function macvlanOpen(dev: NetDevice): NlResult {
  const p = priv(dev);
  const lower = p.lower;
  if (p.port.passthru) {
    if (!(p.flags & MACVLAN_FLAG_NOPROMISC)) devSetPromiscuity(lower, 1);
    p.port.hash.set(dev.macNum, dev);
    return OK;
  }
  if (addrBusy(p.port, dev.macNum)) return err(Errno.EADDRINUSE);
  devUcAdd(lower, dev.macNum);
  if (dev.allmulti > 0) { devSetAllmulti(lower, 1); p.passedAllmulti = true; }
  if (dev.promiscuity > 0) { devSetPromiscuity(lower, 1); p.passedPromisc = true; }
  p.port.hash.set(dev.macNum, dev);
  return OK;
}

function macvlanStop(dev: NetDevice): void {
  const p = priv(dev);
  const lower = p.lower;
  if (p.port.hash.get(dev.macNum) === dev) p.port.hash.delete(dev.macNum);
  if (p.port.passthru) {
    if (!(p.flags & MACVLAN_FLAG_NOPROMISC)) devSetPromiscuity(lower, -1);
    return;
  }
  if (p.passedAllmulti) { devSetAllmulti(lower, -1); p.passedAllmulti = false; }
  if (p.passedPromisc) { devSetPromiscuity(lower, -1); p.passedPromisc = false; }
  devUcDel(lower, dev.macNum);
}

function macvlanSetMac(dev: NetDevice, mac: Uint8Array): NlResult {
  const p = priv(dev);
  const n = macToNum(mac, 0);
  if (n === dev.macNum) return OK;
  if (p.port.passthru) {
    // Setting a passthru macvlan's MAC sets the lower's; the macvlan follows via CHANGEADDR.
    const lower = p.lower;
    if (!lower.ops.setMac) return err(Errno.EOPNOTSUPP);
    // MACVLAN_F_ADDRCHANGE: the change starts here, so the port keeps the lower's original MAC
    // to put back when the passthru device goes away.
    p.port.addrChangeFromVlan = true;
    const r = lower.ops.setMac(lower, mac);
    if (r.ok) lower.netns.lab.notify('CHANGEADDR', lower);
    p.port.addrChangeFromVlan = false;
    return r;
  }
  if (addrBusy(p.port, n)) return err(Errno.EADDRINUSE);
  if (dev.isUp) {
    p.port.hash.delete(dev.macNum);
    devUcDel(p.lower, dev.macNum);
    devUcAdd(p.lower, n);
    dev.setMacBytes(mac);
    p.port.hash.set(n, dev);
  } else dev.setMacBytes(mac);
  dev.addrAssign = 'set';
  return OK;
}

function makeOps(kind: 'macvlan' | 'macvtap'): DeviceOps {
  return {
    kind,
    noQueue: kind === 'macvlan',
    open: macvlanOpen,
    stop: macvlanStop,
    xmit: macvlanXmit,
    setMac: macvlanSetMac,
    changeMtu(dev, mtu) { return mtu > priv(dev).lower.mtu ? err(Errno.EINVAL) : OK; },
    linkDev(dev) { return priv(dev).lower; },
    rxModeChanged(dev) {
      const p = priv(dev);
      if (p.port.vlans.has(dev)) {
        if (wantsAllMulti(dev)) p.port.allMulti.add(dev); else p.port.allMulti.delete(dev);
      }
      // macvlan_change_rx_flags: an UP macvlan passes its allmulti/promisc changes down.
      if (!dev.isUp) return;
      const am = dev.allmulti > 0, pr = dev.promiscuity > 0;
      if (am !== p.passedAllmulti) { devSetAllmulti(p.lower, am ? 1 : -1); p.passedAllmulti = am; }
      if (!p.port.passthru && pr !== p.passedPromisc) { devSetPromiscuity(p.lower, pr ? 1 : -1); p.passedPromisc = pr; }
    },
    mcChanged(dev, group, on) {
      const port = priv(dev).port;
      if (port.vlans.has(dev)) mcIndexUpdate(port, dev, group, on);
    },
    uninit(dev) { macvlanUninit(dev); },
  };
}

const macvlanOps = makeOps('macvlan');
const macvtapOps = makeOps('macvtap');

function macvlanUninit(dev: NetDevice): void {
  const p = priv(dev);
  const port = p.port;
  for (const m of p.macaddrs) sourceDel(port, dev, m);
  p.macaddrs = [];
  if (port.vlans.delete(dev)) {
    indexDel(port, dev);
    bcLenChange(port, p.bcqueuelen, -1);
  }
  p.lower.uppers.delete(dev);
  if (p.tapQueues) for (const q of p.tapQueues) q.closed = true;
  if (port.vlans.size === 0) portDestroy(port);
}

// ---------------------------------------------------------------------------------------------
// Port life.

function portCreate(lower: NetDevice): NlResult<MacvlanPort> {
  const port: MacvlanPort = {
    dev: lower, vlans: new Set(), mcIndex: new Map(), allMulti: new Set(), nextSeq: 0, bcLens: new Map(),
    hash: new Map(), sourceHash: new Map(), passthru: false, bcQueue: [],
    bcQueueLenUsed: 0, bcCutoff: 1, bcWorkScheduled: false, permAddr: new Uint8Array(lower.mac),
    addrChangeFromVlan: false,
  };
  const r = rxHandlerRegister(lower, macvlanHandleFrame, port);
  if (!r.ok) return r;
  return ok(port);
}

function portDestroy(port: MacvlanPort): void {
  const lower = port.dev;
  if (lower.rxHandlerData === port) rxHandlerUnregister(lower);
  // A passthru port gives the lower its original MAC back.
  if (port.passthru && macToNum(port.permAddr, 0) !== lower.macNum && lower.ops.setMac && !lower.dying) {
    lower.ops.setMac(lower, port.permAddr);
    lower.netns.lab.notify('CHANGEADDR', lower);
  }
}

/** update_port_bc_queue_len: the port's queue is as long as its macvlans' largest bcqueuelen. */
function bcLenChange(port: MacvlanPort, len: number, inc: number): void {
  const n = (port.bcLens.get(len) ?? 0) + inc;
  if (n > 0) port.bcLens.set(len, n); else port.bcLens.delete(len);
  if (inc > 0) { if (len > port.bcQueueLenUsed) port.bcQueueLenUsed = len; return; }
  if (n > 0 || len < port.bcQueueLenUsed) return;
  let max = 0;
  for (const l of port.bcLens.keys()) if (l > max) max = l;
  port.bcQueueLenUsed = max;
}

function sourceAdd(port: MacvlanPort, dev: NetDevice, mac: number): void {
  const p = priv(dev);
  if (p.macaddrs.includes(mac)) return;
  p.macaddrs.push(mac);
  const l = port.sourceHash.get(mac) ?? [];
  l.push(dev);
  port.sourceHash.set(mac, l);
}

function sourceDel(port: MacvlanPort, dev: NetDevice, mac: number): void {
  const p = priv(dev);
  const i = p.macaddrs.indexOf(mac);
  if (i >= 0) p.macaddrs.splice(i, 1);
  const l = port.sourceHash.get(mac);
  if (!l) return;
  const j = l.indexOf(dev);
  if (j >= 0) l.splice(j, 1);
  if (!l.length) port.sourceHash.delete(mac);
}

/** macvlan_changelink_sources */
function applyMacaddr(port: MacvlanPort, dev: NetDevice, data: KindData): void {
  const op = data['macaddrMode'] as string | undefined;
  const macs = ((data['macaddrs'] as Uint8Array[] | undefined) ?? []).map((m) => macToNum(m, 0));
  if (!op) return;
  if (op === 'add') for (const m of macs) sourceAdd(port, dev, m);
  else if (op === 'del') for (const m of macs) sourceDel(port, dev, m);
  else if (op === 'flush' || op === 'set') {
    for (const m of [...priv(dev).macaddrs]) sourceDel(port, dev, m);
    if (op === 'set') for (const m of macs) sourceAdd(port, dev, m);
  }
}

// ---------------------------------------------------------------------------------------------
// Link ops.

function modeFromData(data: KindData | undefined): number | undefined {
  const m = data?.['mode'];
  if (m === undefined) return undefined;
  return typeof m === 'number' ? m : MODE_BY_NAME[m as MacvlanModeName];
}

function makeKind(kind: 'macvlan' | 'macvtap'): LinkKind {
  return {
    kind,
    newLink(ctx: NewLinkCtx) {
      const a = ctx.attrs;
      const data = a.data;
      let lower = ctx.lower;
      if (!lower) return err(Errno.EINVAL);
      // A macvlan on a macvlan lands on the real lower.
      if (isMacvlan(lower)) lower = priv(lower).lower;
      if (lower.type !== ARPHRD_ETHER || (lower.flags & IFF_LOOPBACK)) return err(Errno.EINVAL);
      const existing = portOf(lower);
      if (!existing) {
        if (lower.noRxHandler) return err(Errno.EINVAL);
        if (lower.rxHandler) return err(Errno.EBUSY);
      }
      const mode = modeFromData(data) ?? MACVLAN_MODE_VEPA;
      if (existing?.passthru) return err(Errno.EINVAL);
      if (mode === MACVLAN_MODE_PASSTHRU && existing && existing.vlans.size > 0) return err(Errno.EINVAL);
      if (data?.['macaddrMode'] !== undefined && mode !== MACVLAN_MODE_SOURCE) return err(Errno.EINVAL);
      if (a.mtu !== undefined && a.mtu > lower.mtu) return err(Errno.EINVAL);
      const name = a.ifname ?? ctx.ns.allocName(kind + '%d');
      const dev = new NetDevice(name, kind === 'macvtap' ? macvtapOps : macvlanOps, IFF_BROADCAST | IFF_MULTICAST);
      dev.mtu = lower.mtu;
      dev.minMtu = 68;
      dev.maxMtu = lower.maxMtu;
      if (kind === 'macvtap') dev.txqueuelen = 500;
      if (mode === MACVLAN_MODE_PASSTHRU) { dev.setMacBytes(lower.mac); dev.addrAssign = 'stolen'; }
      else dev.setMacBytes(ctx.lab.rng.randomMac());
      const r = applyCreateAttrs(dev, a);
      if (!r.ok) return r;
      let port = existing;
      let madePort = false;
      if (!port) {
        const pr = portCreate(lower);
        if (!pr.ok) return pr;
        port = pr.value;
        madePort = true;
      }
      const p: MacvlanPriv = {
        lower, port, mode, flags: (data?.['flags'] as number | undefined) ?? 0,
        bcqueuelen: (data?.['bcqueuelen'] as number | undefined) ?? BC_QUEUE_DEFAULT, macaddrs: [], seq: port.nextSeq++,
        tapQueues: kind === 'macvtap' ? [] : null, passedAllmulti: false, passedPromisc: false,
      };
      dev.priv = p;
      // The lower's carrier is known before registration, so the operstate is right at once.
      dev.carrier = lower.carrier;
      const reg = registerNew(ctx.ns, dev, a);
      if (!reg.ok) {
        if (madePort) rxHandlerUnregister(lower);
        return reg;
      }
      if (mode === MACVLAN_MODE_PASSTHRU) port.passthru = true;
      if (data?.['bclim'] !== undefined) port.bcCutoff = data['bclim'] as number;
      port.vlans.add(dev);
      indexAdd(port, dev);
      lower.uppers.add(dev);
      bcLenChange(port, p.bcqueuelen, 1);
      if (mode === MACVLAN_MODE_SOURCE) applyMacaddr(port, dev, data ?? {});
      if (kind === 'macvtap') {
        // tap_handle_frame: with a queue open, frames go to the reader instead of the stack.
        dev.rxHandler = tapHandleFrame;
        dev.rxHandlerData = p;
      }
      stackedTransferOperstate(lower, dev);
      linkwatchRun(dev);
      return ok(dev);
    },
    changeLink(dev, data) {
      const p = priv(dev);
      const port = p.port;
      const mode = modeFromData(data);
      if (mode !== undefined && mode !== p.mode &&
        (mode === MACVLAN_MODE_PASSTHRU || p.mode === MACVLAN_MODE_PASSTHRU)) return err(Errno.EINVAL);
      const newMode = mode ?? p.mode;
      if (data['macaddrMode'] !== undefined && newMode !== MACVLAN_MODE_SOURCE) return err(Errno.EINVAL);
      if (data['flags'] !== undefined) {
        const nf = data['flags'] as number;
        if (port.passthru && dev.isUp && ((nf ^ p.flags) & MACVLAN_FLAG_NOPROMISC)) {
          devSetPromiscuity(p.lower, nf & MACVLAN_FLAG_NOPROMISC ? -1 : 1);
        }
        p.flags = nf;
      }
      if (mode !== undefined) {
        if (p.mode === MACVLAN_MODE_SOURCE && mode !== MACVLAN_MODE_SOURCE) {
          for (const m of [...p.macaddrs]) sourceDel(port, dev, m);
        }
        p.mode = mode;
      }
      if (data['bcqueuelen'] !== undefined) {
        bcLenChange(port, p.bcqueuelen, -1);
        p.bcqueuelen = data['bcqueuelen'] as number;
        bcLenChange(port, p.bcqueuelen, 1);
      }
      if (data['bclim'] !== undefined) port.bcCutoff = data['bclim'] as number;
      if (data['macaddrMode'] !== undefined) applyMacaddr(port, dev, data);
      return OK;
    },
    delLink(dev) { unregisterNetdevice(dev); },
    fillInfo(dev) {
      const p = priv(dev);
      return {
        mode: modeName(p.mode), flags: p.flags, bcqueuelen: p.bcqueuelen, usedbcqueuelen: p.port.bcQueueLenUsed,
        bclim: p.port.bcCutoff, macaddrCount: p.macaddrs.length,
        macaddrs: sourceDumpOrder(p.macaddrs).map((m) => numToBytes(m)),
      };
    },
  };
}

/**
 * The order the kernel dumps source entries in: by bucket of the port's source hash
 * (macvlan_eth_hash: hash_64 of the MAC read as a little-endian u64 shifted left 16, 8 bits),
 * newest first within a bucket.
 */
function sourceDumpOrder(macs: number[]): number[] {
  const bucket = (m: number): number => {
    const b = numToBytes(m);
    let v = 0n;
    for (let i = 0; i < 6; i++) v |= BigInt(b[i]!) << BigInt(16 + 8 * i);
    return Number(((v * 0x61c8864680b583ebn) & 0xffffffffffffffffn) >> 56n);
  };
  return macs.map((m, i) => ({ m, i, b: bucket(m) }))
    .sort((x, y) => x.b - y.b || y.i - x.i)
    .map((e) => e.m);
}

function numToBytes(n: number): Uint8Array {
  const b = new Uint8Array(6);
  let x = n;
  for (let i = 5; i >= 0; i--) { b[i] = x % 256; x = Math.floor(x / 256); }
  return b;
}

// ---------------------------------------------------------------------------------------------
// macvtap: /dev/tapN queues.

export function tapHandleFrame(skb: SkBuff): RxResult {
  const p = skb.dev.rxHandlerData as MacvlanPriv;
  // A queue whose process has died is released (its fd closed) before it can take a frame.
  const all = p.tapQueues;
  if (all) for (let i = all.length - 1; i >= 0; i--) { const q = all[i]!; if (q.alive && !q.alive()) closeQueue(all, q); }
  const queues = p.tapQueues?.filter((q) => !q.closed) ?? [];
  if (!queues.length) return RxResult.PASS;
  const q = queues[0]!;
  const dev = skb.dev;
  if (q.frames.length >= dev.txqueuelen && !q.onFrame) {
    dev.stats.rxDropped++;
    drop(dev.netns.lab, skb, 'rx', 'TAP_RING_FULL', 'tap_handle_frame');
    return RxResult.CONSUMED;
  }
  let frame = skb.data;
  if (skb.vlanPresent) {
    frame = new Uint8Array(skb.data.length + 4);
    frame.set(skb.data.subarray(0, 12));
    frame[12] = skb.vlanProto >> 8; frame[13] = skb.vlanProto & 0xff;
    frame[14] = skb.vlanTci >> 8; frame[15] = skb.vlanTci & 0xff;
    frame.set(skb.data.subarray(12), 16);
  }
  const out = q.vnetHdr ? withVnetHdr(frame) : new Uint8Array(frame);
  if (q.onFrame) q.onFrame(out); else q.frames.push(out);
  dev.netns.lab.counters.delivered++;
  dev.netns.lab.trace(skb, dev, 'rx', 'tap_handle_frame', 'delivered', undefined, 'queued to /dev/tap reader');
  return RxResult.CONSUMED;
}

function withVnetHdr(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 10);
  out.set(frame, 10);
  return out;
}

/** A reader/writer on /dev/tapN: what a VM's virtio backend does with the fd. */
export interface TapQueue {
  /** Next frame (with a 10-byte virtio_net_hdr first unless vnetHdr is off), or null. */
  read(): Uint8Array | null;
  /** Sends a frame (header included when vnetHdr is on) out through the macvtap. */
  write(frame: Uint8Array): number;
  /** Push delivery instead of polling. */
  onFrame(cb: ((frame: Uint8Array) => void) | null): void;
  close(): void;
}

function closeQueue(queues: TapQueueState[], st: TapQueueState): void {
  st.closed = true;
  const i = queues.indexOf(st);
  if (i >= 0) queues.splice(i, 1);
}

export function openTap(dev: NetDevice, opts: { vnetHdr?: boolean; alive?: () => boolean } = {}): NlResult<TapQueue> {
  if (dev.kind !== 'macvtap' && dev.kind !== 'ipvtap') return err(Errno.ENXIO);
  const p = dev.priv as { tapQueues: TapQueueState[] | null }; // macvtap or ipvtap (ipvlan.ts)
  const st: TapQueueState = { frames: [], onFrame: null, vnetHdr: opts.vnetHdr ?? true, closed: false, alive: opts.alive };
  if ((p.tapQueues?.length ?? 0) >= 256) return err(Errno.EBUSY);
  p.tapQueues!.push(st);
  return ok({
    read: () => st.frames.shift() ?? null,
    write: (frame) => {
      if (st.closed || dev.dying) return -Errno.EBADF;
      const off = st.vnetHdr ? 10 : 0;
      if (frame.length < off + 14) return -Errno.EINVAL;
      const lab = dev.netns.lab;
      const skb = (lab as Lab).newSkbFor(new Uint8Array(frame.subarray(off)), dev);
      devQueueXmit(skb);
      return frame.length;
    },
    onFrame: (cb) => { st.onFrame = cb; if (cb) { for (const f of st.frames) cb(f); st.frames = []; } },
    close: () => { if (p.tapQueues) closeQueue(p.tapQueues, st); else st.closed = true; },
  });
}

// ---------------------------------------------------------------------------------------------
// Lower device events (macvlan_device_event).

function deviceEvent(event: string, dev: NetDevice, info: unknown): void {
  const port = portOf(dev);
  if (!port) return;
  switch (event) {
    case 'UP': case 'DOWN': case 'CHANGE':
      for (const v of port.vlans) stackedTransferOperstate(dev, v);
      break;
    case 'CHANGEMTU':
      for (const v of port.vlans) if (v.mtu > dev.mtu) { v.mtu = dev.mtu; dev.netns.lab.notify('CHANGEMTU', v); }
      break;
    case 'CHANGEADDR':
      if (port.passthru) {
        for (const v of port.vlans) { v.setMacBytes(dev.mac); v.netns.lab.notify('CHANGEADDR', v); }
        if (!port.addrChangeFromVlan) port.permAddr = new Uint8Array(dev.mac);
      }
      break;
    case 'UNREGISTER':
      // A netns move keeps the macvlans ("twiddle thumbs"); a real unregister takes them along.
      if ((info as { moving?: boolean } | undefined)?.moving) break;
      for (const v of [...port.vlans]) unregisterNetdevice(v);
      break;
    default:
      break;
  }
}

export function installMacvlan(lab: Lab): void {
  registerKind(lab, makeKind('macvlan'));
  registerKind(lab, makeKind('macvtap'));
  lab.notifiers.push(deviceEvent);
  void setCarrier; void ethTypeTrans;
}
