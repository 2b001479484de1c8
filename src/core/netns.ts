/**
 * struct net: a network namespace. Devices by name and by index, the per-namespace ifindex
 * allocator, sysctls, the IPv4 FIB and neighbour table, packet taps and sockets.
 */
import type { Lab } from './lab.ts';
import type { NetDevice } from './netdev.ts';
import type { SkBuff } from './skb.ts';
import { Sysctl } from './sysctl.ts';
import { Fib } from './ipv4/fib.ts';
import { NeighTable } from './ipv4/neighbour.ts';

/** A packet socket (AF_PACKET) bound to a device or to all devices: what tcpdump opens. */
export interface PacketTap {
  /** null = any device in this namespace (tcpdump -i any). */
  dev: NetDevice | null;
  /** Called for each frame seen; `outgoing` for transmit (PACKET_OUTGOING). */
  deliver(skb: SkBuff, dev: NetDevice, outgoing: boolean): void;
}

let nextNsSerial = 1;

/** peernet2id's table; every entry is mirrored in the peer's idHolders, however it is made. */
class NsIdMap extends Map<NetNamespace, number> {
  constructor(private readonly owner: NetNamespace) { super(); }
  override set(peer: NetNamespace, id: number): this {
    super.set(peer, id);
    (peer.idHolders ??= new Set()).add(this.owner);
    return this;
  }
  override delete(peer: NetNamespace): boolean {
    const had = super.delete(peer);
    if (had) peer.idHolders?.delete(this.owner);
    return had;
  }
  override clear(): void {
    for (const peer of this.keys()) peer.idHolders?.delete(this.owner);
    super.clear();
  }
}

/** Raw ICMP sockets (ping), the IP id counter and fragment queues; the containers made on first use. */
export class Ipv4SocketState {
  ipId = 0;
  private raw: Set<import('./ipv4/ip.ts').RawIcmpSocket> | null = null;
  private fragQueues: Map<string, unknown> | null = null;
  get rawSockets(): Set<import('./ipv4/ip.ts').RawIcmpSocket> { return this.raw ??= new Set(); }
  get frags(): Map<string, unknown> { return this.fragQueues ??= new Map(); }
}

export class NetNamespace {
  readonly serial = nextNsSerial++;
  readonly devices = new Map<string, NetDevice>();
  readonly byIndex = new Map<number, NetDevice>();
  /** xa_alloc_cyclic cursor: the next index tried. */
  ifindexCursor = 1;
  readonly sysctl = new Sysctl();
  /** The IPv4 FIB and ARP table, made on first use: an idle namespace (lo down) needs neither. */
  get fib(): Fib { return this.fibTables ??= new Fib(this); }
  get arp(): NeighTable {
    if (this.arpTable) return this.arpTable;
    const t = new NeighTable(this);
    t.hooks = this.lab.arpHooks;
    return this.arpTable = t;
  }
  private fibTables: Fib | null = null;
  private arpTable: NeighTable | null = null;
  readonly taps: PacketTap[] = [];
  /** Namespace ids this namespace has given to others (peernet2id); made on first use. */
  get nsids(): Map<NetNamespace, number> { return this.nsidMap ??= new NsIdMap(this); }
  private nsidMap: NsIdMap | null = null;
  /** The namespaces whose nsids hold an id for this one, so that its death is O(those). */
  idHolders: Set<NetNamespace> | null = null;

  /**
   * A dying namespace's ids vanish from every namespace that gave it one; the ids it gave others
   * go with it (nothing can ask a dead namespace), so that no live namespace keeps it reachable.
   */
  forgetIds(): void {
    if (this.idHolders) for (const holder of [...this.idHolders]) holder.nsids.delete(this);
    this.idHolders = null;
    this.nsidMap?.clear();
  }
  alive = true;
  /** IPv4 socket-side state: raw ICMP sockets (ping) and the IP id counter. */
  get ipv4(): Ipv4SocketState { return this.ipv4State ??= new Ipv4SocketState(); }
  private ipv4State: Ipv4SocketState | null = null;

  constructor(public readonly lab: Lab, public name: string) {
  }

  /** The name users see; the script's own namespace has none. */
  get label(): string { return this.name || '(init)'; }

  dev(name: string): NetDevice | undefined { return this.devices.get(name); }

  /** Allocates an ifindex as dev_index_reserve does; `want` > 0 asks for that one (EBUSY → 0). */
  allocIfindex(want = 0): number {
    if (want > 0) return this.byIndex.has(want) ? 0 : want;
    let i = this.ifindexCursor;
    for (let tries = 0; tries < 0x7fffffff; tries++) {
      if (i > 0x7fffffff) i = 1;
      if (!this.byIndex.has(i)) { this.ifindexCursor = i + 1; return i; }
      i++;
    }
    return 0;
  }

  /** peernet2id_alloc: the id under which `other` is known here, made on first use. */
  idOf(other: NetNamespace, alloc = true): number {
    const have = this.nsids.get(other);
    if (have !== undefined) return have;
    if (!alloc) return -1;
    let id = 0;
    const used = new Set(this.nsids.values());
    while (used.has(id)) id++;
    this.nsids.set(other, id);
    return id;
  }

  /** The first free `prefix%d` name (dev_alloc_name). */
  allocName(pattern: string): string {
    for (let i = 0; ; i++) {
      const n = pattern.replace('%d', String(i));
      if (!this.devices.has(n)) return n;
    }
  }
}
