/**
 * The ARP neighbour table (net/core/neighbour.c with arp_tbl): NUD states and their timers on
 * the virtual clock, the queue of packets waiting for resolution, and the error report when
 * resolution fails (which ping shows as "Destination Host Unreachable").
 */
import type { NetNamespace } from '../netns.ts';
import type { NetDevice } from '../netdev.ts';
import type { SkBuff } from '../skb.ts';
import type { Timer } from '../clock.ts';
import { NS_PER_MS, NS_PER_SEC } from '../clock.ts';
import { drop } from '../dev.ts';
import { neighAdmit } from './neigh-gc.ts';

export const NUD_INCOMPLETE = 0x01, NUD_REACHABLE = 0x02, NUD_STALE = 0x04, NUD_DELAY = 0x08,
  NUD_PROBE = 0x10, NUD_FAILED = 0x20, NUD_NOARP = 0x40, NUD_PERMANENT = 0x80, NUD_NONE = 0x00;
export const NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;
export const NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
export const NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

export const NTF_ROUTER = 0x80, NTF_PROXY = 0x08, NTF_EXT_LEARNED = 0x10;

export interface Neighbour {
  ip: number;
  dev: NetDevice;
  state: number;
  lladdr: Uint8Array | null;
  flags: number;
  /** Times in ns: last confirmed reachable, last state update, last used. */
  confirmed: number;
  updated: number;
  used: number;
  probes: number;
  timer: Timer | null;
  /** Packets waiting for resolution (arp_queue). */
  queue: SkBuff[];
  queueBytes: number;
  refcnt: number;
  /** Added by the user (`ip neigh add`) rather than learned. */
  admin: boolean;
}

export interface NeighHooks {
  /** Send an ARP request (broadcast when `target` is null) for `n`. */
  solicit(n: Neighbour, unicastTo: Uint8Array | null): void;
  /** Resolution done: send one queued packet with this link address. */
  output(n: Neighbour, skb: SkBuff): void;
  /** Resolution failed for a queued packet (arp_error_report → ICMP host unreachable). */
  errorReport(n: Neighbour, skb: SkBuff): void;
}

const QUEUE_LEN_BYTES = 212992;

export class NeighTable {
  /** Every entry; insertion order is the listing order. Made on first use. */
  get entries(): Set<Neighbour> { return this.all ??= new Set(); }
  private all: Set<Neighbour> | null = null;
  /** Lookup by device, then by IPv4 address (as an int32, a small integer for the Map). */
  private byDev: Map<NetDevice, Map<number, Neighbour>> | null = null;
  hooks: NeighHooks | null = null;

  constructor(readonly ns: NetNamespace) {}

  get(dev: NetDevice, ip: number): Neighbour | undefined { return this.byDev?.get(dev)?.get(ip | 0); }

  /** neigh_create; null when the table is full (neigh-gc.ts). `exempt`: a user's PERMANENT entry. */
  create(dev: NetDevice, ip: number, exempt = false): Neighbour | null {
    const byDev = this.byDev ??= new Map();
    let m = byDev.get(dev);
    let n = m?.get(ip | 0);
    if (n) return n;
    if (!neighAdmit(this, exempt)) return null;
    const now = this.ns.lab.clock.now;
    n = { ip, dev, state: NUD_NONE, lladdr: null, flags: 0, confirmed: now - 1, updated: now, used: now,
      probes: 0, timer: null, queue: [], queueBytes: 0, refcnt: 1, admin: false };
    if (!m) { m = new Map(); byDev.set(dev, m); }
    m.set(ip | 0, n);
    this.entries.add(n);
    return n;
  }

  remove(n: Neighbour): void {
    n.timer?.cancel();
    n.timer = null;
    // neigh_flush_dev purges the arp_queue (SKB_DROP_REASON_NEIGH_DEAD).
    for (const skb of n.queue) drop(this.ns.lab, skb, 'tx', 'NEIGH_DEAD', 'neigh_flush_dev');
    n.queue = [];
    n.queueBytes = 0;
    const m = this.byDev?.get(n.dev);
    if (m?.get(n.ip | 0) === n) {
      m.delete(n.ip | 0);
      if (m.size === 0) this.byDev!.delete(n.dev);
    }
    this.all?.delete(n);
  }

  private sysctlMs(n: Neighbour, knob: string, dflt: number): number {
    return this.ns.sysctl.neighConf(n.dev.name, knob, dflt);
  }

  retransNs(n: Neighbour): number { return this.sysctlMs(n, 'retrans_time_ms', 1000) * NS_PER_MS; }
  /** neigh_rand_reach_time: uniform in [base/2, 3*base/2). */
  reachableNs(n: Neighbour): number {
    const base = this.sysctlMs(n, 'base_reachable_time_ms', 30000) * NS_PER_MS;
    return Math.floor(base / 2 + this.ns.lab.rng.below(base));
  }
  private maxProbes(n: Neighbour): number {
    const s = this.ns.sysctl;
    return s.neighConf(n.dev.name, n.state & NUD_INCOMPLETE ? 'mcast_solicit' : 'ucast_solicit', 3);
  }

  private arm(n: Neighbour, at: number): void {
    n.timer?.cancel();
    n.timer = this.ns.lab.clock.at(at, () => { n.timer = null; this.timerHandler(n); });
  }

  /**
   * __neigh_event_send: called when a packet must go to this neighbour. Returns true if the
   * packet can be sent now, false if it was queued (or dropped) waiting for resolution.
   */
  eventSend(n: Neighbour, skb: SkBuff | null): boolean {
    const now = this.ns.lab.clock.now;
    n.used = now;
    if (n.state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) return true;
    if (n.state === NUD_NONE || n.state === NUD_FAILED) {
      // Start resolving: the first probe goes out at once.
      n.state = NUD_INCOMPLETE;
      n.probes = 0;
      n.updated = now;
      this.enqueue(n, skb);
      n.probes++;
      this.hooks?.solicit(n, null);
      this.arm(n, now + this.retransNs(n));
      return false;
    }
    if (n.state === NUD_STALE) {
      n.state = NUD_DELAY;
      n.updated = now;
      const delay = this.ns.sysctl.neighConf(n.dev.name, 'delay_first_probe_time', 5) * NS_PER_SEC;
      this.arm(n, now + delay);
      return true;
    }
    // INCOMPLETE: queue behind the running resolution.
    this.enqueue(n, skb);
    return false;
  }

  private enqueue(n: Neighbour, skb: SkBuff | null): void {
    if (!skb) return;
    // Oldest packets are dropped first when the queue is over its byte budget.
    while (n.queue.length && n.queueBytes + skb.len > QUEUE_LEN_BYTES) {
      const old = n.queue.shift()!;
      n.queueBytes -= old.len;
      drop(this.ns.lab, old, 'tx', 'NEIGH_QUEUE_FULL', '__neigh_event_send');
    }
    n.queue.push(skb);
    n.queueBytes += skb.len;
  }

  /** neigh_timer_handler */
  private timerHandler(n: Neighbour): void {
    const now = this.ns.lab.clock.now;
    const st = n.state;
    if (st & NUD_REACHABLE) {
      if (now <= n.confirmed + this.reachableNs(n) / 2 + 1) {
        this.arm(n, n.confirmed + this.reachableNs(n));
      } else if (now <= n.used + this.ns.sysctl.neighConf(n.dev.name, 'delay_first_probe_time', 5) * NS_PER_SEC) {
        n.state = NUD_DELAY; n.updated = now;
        this.arm(n, now + this.ns.sysctl.neighConf(n.dev.name, 'delay_first_probe_time', 5) * NS_PER_SEC);
      } else {
        n.state = NUD_STALE; n.updated = now;
      }
      return;
    }
    if (st & NUD_DELAY) {
      if (now <= n.confirmed + this.ns.sysctl.neighConf(n.dev.name, 'delay_first_probe_time', 5) * NS_PER_SEC) {
        n.state = NUD_REACHABLE; n.updated = now;
        this.arm(n, n.confirmed + this.reachableNs(n));
      } else {
        n.state = NUD_PROBE; n.updated = now; n.probes = 0;
        n.probes++;
        this.hooks?.solicit(n, n.lladdr);
        this.arm(n, now + this.retransNs(n));
      }
      return;
    }
    if (st & (NUD_INCOMPLETE | NUD_PROBE)) {
      if (n.probes >= this.maxProbes(n)) {
        this.invalidate(n);
        return;
      }
      n.probes++;
      this.hooks?.solicit(n, st & NUD_PROBE ? n.lladdr : null);
      this.arm(n, now + this.retransNs(n));
    }
  }

  /** neigh_invalidate: FAILED, and every queued packet gets its error report. */
  private invalidate(n: Neighbour): void {
    n.state = NUD_FAILED;
    n.updated = this.ns.lab.clock.now;
    const q = n.queue;
    n.queue = [];
    n.queueBytes = 0;
    for (const skb of q) this.hooks?.errorReport(n, skb);
  }

  /**
   * __neigh_update: a new state and maybe a link address (ARP reply or request, `ip neigh
   * add/replace`). Flags as the kernel's NEIGH_UPDATE_F_*: without `override` a valid entry keeps
   * a different cached address (with `weakOverride` a CONNECTED one only turns STALE); `admin` may
   * touch PERMANENT/NOARP entries. `updated` moves only when the state or address really changes,
   * so no-op updates do not extend the ARP lock time. Sends queued packets once the entry is valid.
   */
  update(n: Neighbour, lladdr: Uint8Array | null, state: number,
    opts: { admin?: boolean; override?: boolean; weakOverride?: boolean } = {}): void {
    const now = this.ns.lab.clock.now;
    const old = n.state;
    if (!opts.admin && (old & (NUD_NOARP | NUD_PERMANENT))) return;
    if (!(state & NUD_VALID)) {
      n.timer?.cancel(); n.timer = null;
      n.state = state;
      if ((old & (NUD_INCOMPLETE | NUD_PROBE)) && (state & NUD_FAILED)) this.invalidate(n);
      return;
    }
    // Is the proposed address the cached one (then "no change")?
    let addr: Uint8Array;
    if (lladdr) {
      addr = (old & NUD_VALID) && n.lladdr && sameMac(n.lladdr, lladdr) ? n.lladdr : lladdr;
    } else {
      // No address given: keep what we know, or refuse.
      if (!(old & NUD_VALID) || !n.lladdr) return;
      addr = n.lladdr;
    }
    // Any ARP packet confirms reachability, even one that changes nothing.
    if (state & NUD_CONNECTED) n.confirmed = now;
    if (old & NUD_VALID) {
      if (addr !== n.lladdr && !opts.override) {
        if (!(opts.weakOverride && (old & NUD_CONNECTED))) return;
        addr = n.lladdr!;
        state = NUD_STALE;
      } else if (addr === n.lladdr && state === NUD_STALE && !opts.admin) {
        state = old;
      }
    }
    if (opts.admin) n.admin = true;
    const addrChanged = addr !== n.lladdr;
    if (state !== old || addrChanged) n.updated = now;
    if (state !== old) {
      n.timer?.cancel(); n.timer = null;
      if (state & NUD_PROBE) n.probes = 0;
      // neigh_add_timer: REACHABLE runs reachable_time; DELAY/PROBE/INCOMPLETE fire at once.
      if (state & NUD_IN_TIMER) this.arm(n, state & NUD_REACHABLE ? now + this.reachableNs(n) : now);
      n.state = state;
    }
    if (addrChanged) {
      n.lladdr = new Uint8Array(addr);
      // A new address not known to be reachable counts as confirmed long ago.
      if (!(state & NUD_CONNECTED)) n.confirmed = now - 2 * this.sysctlMs(n, 'base_reachable_time_ms', 30000) * NS_PER_MS;
    }
    if (state === old) return;
    if (!(old & NUD_VALID)) {
      const q = n.queue;
      n.queue = [];
      n.queueBytes = 0;
      // Queued packets go out through the normal output path: a STALE entry turns DELAY.
      if (q.length) this.eventSend(n, null);
      for (const skb of q) this.hooks?.output(n, skb);
    }
  }

  /** neigh_event_ns: we heard from this host (an ARP request to us): create it, update as STALE with override. */
  eventNs(dev: NetDevice, ip: number, lladdr: Uint8Array): Neighbour | null {
    const n = this.create(dev, ip);
    if (n === null) return null; // table full: the request is not answered either (arp_process)
    this.update(n, lladdr, NUD_STALE, { override: true });
    return n;
  }

  /** neigh_ifdown / neigh_carrier_down: flush a device's entries. */
  flushDev(dev: NetDevice, keepPermanent: boolean): void {
    const m = this.byDev?.get(dev);
    if (!m) return;
    // The device's entries in the order they were made, as a walk of the whole table finds them.
    for (const n of [...m.values()]) {
      // neigh_carrier_down keeps PERMANENT entries only (NOARP ones go too).
      if (keepPermanent && (n.state & NUD_PERMANENT)) continue;
      this.remove(n);
    }
  }
}

export function sameMac(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const NUD_NAMES: [number, string][] = [
  [NUD_INCOMPLETE, 'INCOMPLETE'], [NUD_REACHABLE, 'REACHABLE'], [NUD_STALE, 'STALE'], [NUD_DELAY, 'DELAY'],
  [NUD_PROBE, 'PROBE'], [NUD_FAILED, 'FAILED'], [NUD_NOARP, 'NOARP'], [NUD_PERMANENT, 'PERMANENT'],
];
