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

export class NetNamespace {
  readonly serial = nextNsSerial++;
  readonly devices = new Map<string, NetDevice>();
  readonly byIndex = new Map<number, NetDevice>();
  /** xa_alloc_cyclic cursor: the next index tried. */
  ifindexCursor = 1;
  readonly sysctl = new Sysctl();
  readonly fib: Fib;
  readonly arp: NeighTable;
  readonly taps: PacketTap[] = [];
  /** Namespace ids this namespace has given to others (peernet2id). */
  readonly nsids = new Map<NetNamespace, number>();
  alive = true;
  /** IPv4 socket-side state: raw ICMP sockets (ping) and the IP id counter. */
  readonly ipv4 = { rawSockets: new Set<import('./ipv4/ip.ts').RawIcmpSocket>(), ipId: 0, frags: new Map<string, unknown>() };

  constructor(public readonly lab: Lab, public name: string) {
    this.fib = new Fib(this);
    this.arp = new NeighTable(this);
    this.arp.hooks = lab.arpHooks;
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
