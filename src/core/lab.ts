/**
 * A Lab is one whole emulated machine: its namespaces, the virtual clock, the seeded random
 * generator, the tracer and the kernel-wide registries (link kinds, notifiers, protocol
 * handlers). All state lives here; no module keeps globals.
 */
import { Scheduler } from './clock.ts';
import { Rng } from './rng.ts';
import { newLinkwatchState } from './linkwatch.ts';
import { NetNamespace } from './netns.ts';
import type { NetDevice } from './netdev.ts';
import { SkBuff, SkBuff as SkBuffCtor } from './skb.ts';
import type { Tracer, TraceEvent, DropReason, Disposition } from './trace.ts';
import type { LinkKind } from './rtnl.ts';
import { makeLimits, newLimitState, type LabLimits, type LimitState } from './limits.ts';
import { makeKernelConfig, type KernelConfig } from './kconfig.ts';

export type NetdevEvent =
  | 'REGISTER' | 'UNREGISTER' | 'UP' | 'GOING_DOWN' | 'DOWN' | 'CHANGE' | 'CHANGEADDR'
  | 'CHANGEMTU' | 'CHANGENAME' | 'PRE_UP' | 'CHANGEUPPER';

export type NetdevNotifier = (event: NetdevEvent, dev: NetDevice, info?: unknown) => void;
export type ProtocolHandler = (skb: SkBuff) => void;

export interface LabOptions {
  seed?: number;
  /** Delay of the receive backlog (netif_rx → softirq), which gives believable RTTs. */
  backlogDelayNs?: number;
  /** Storm guard: the most frames one device may receive in one millisecond of virtual time. */
  maxFramesPerMs?: number;
  /** false = a kernel booted with ipv6.disable=1: no link-locals, no IPv6 frames (unit tests, benchmarks). */
  ipv6?: boolean;
  /** Resource limits (src/core/limits.ts); unset ones take the documented defaults. */
  limits?: Partial<LabLimits>;
  /** Build options of the lab's kernel (src/core/kconfig.ts); unset ones are the reference machine's. */
  kernelConfig?: Partial<KernelConfig>;
}

export class Lab {
  readonly clock = new Scheduler();
  readonly rng: Rng;
  /** The namespace the script starts in (the host's own). */
  readonly init: NetNamespace;
  /** Named namespaces (`ip netns add`), in creation order. */
  readonly named = new Map<string, NetNamespace>();
  /** Every live namespace, named or not. */
  readonly all = new Set<NetNamespace>();
  readonly linkKinds = new Map<string, LinkKind>();
  readonly notifiers: NetdevNotifier[] = [];
  readonly ptype = new Map<number, ProtocolHandler>();
  tracer: Tracer | null = null;
  /** Kernel modules `lsmod` lists; vnet's drivers are built in, modprobe just records them. */
  readonly modules = new Set<string>(['macvlan', 'veth', 'bridge', 'stp', 'llc']);
  readonly backlogDelayNs: number;
  readonly ipv6Enabled: boolean;
  /** The kernel's build options (fixed for the lab's life, like a booted kernel's). */
  readonly kernelConfig: KernelConfig;
  private nextPacketId = 1;
  /** Frames waiting in the receive backlog (netif_rx), processed in one scheduled softirq. */
  private backlog: SkBuff[] = [];
  private backlogScheduled = false;
  /** Set by the 8021q driver when loaded: VLAN sub-device lookup and receive (vlan_do_receive). */
  vlanLookup: ((dev: NetDevice, proto: number, vid: number) => NetDevice | null) | null = null;
  vlanReceive: ((skb: SkBuff, vdev: NetDevice) => void) | null = null;
  /** 8021q's per-parent groups: (proto*4096+vid) → VLAN device. */
  readonly vlanGroups = new Map<NetDevice, Map<number, NetDevice>>();
  /** IPv6 neighbour-discovery timers per device (DAD, MLD reports, router solicitations). */
  readonly linkwatch = newLinkwatchState();
  readonly ndisc = new Map<NetDevice, { timers: import('./clock.ts').Timer[] }>();
  /** Set by ipv4/arp.ts: the neighbour hooks every namespace's ARP table uses. */
  arpHooks: import('./ipv4/neighbour.ts').NeighHooks | null = null;
  /** inetaddr_validator_chain: asked by addInetAddr before an IPv4 address is added (ipvlan). */
  readonly inetAddrValidators: ((dev: NetDevice, addr: number) => import('./errno.ts').NlResult)[] = [];
  /** Set by dev.ts: the receive function the backlog feeds. */
  receive: ((skb: SkBuff) => void) | null = null;
  /**
   * Counters for invariant checks: every frame made (sent or cloned) ends delivered, dropped,
   * or consumed (it goes on as another skb: a forwarded copy, a broadcast queue's clones), or
   * still waits in a queue.
   */
  readonly counters = { framesCreated: 0, dropped: 0, delivered: 0, consumed: 0 };
  /** Storm guard: most frames one device may receive per millisecond of virtual time. */
  readonly maxFramesPerMs: number;
  /** Storms the guard stopped, by device (reported by the CLI and `dmesg`). */
  readonly storms = new Map<NetDevice, { netns: string; dropped: number; first: number }>();
  /** Kernel log lines (`dmesg`). */
  readonly kmsg: { time: number; text: string }[] = [];
  /** Resource limits; checked where each resource is made (see limits.ts). */
  readonly limits: LabLimits;
  readonly limitState: LimitState = newLimitState();
  /** Registered devices in the whole lab (limits.devices), kept by register/unregisterNetdevice. */
  deviceCount = 0;
  /**
   * An upper bound of the lab's IPv4 + IPv6 addresses (limits.addresses) that needs no walk of
   * every device: the last exact count plus every address added since (devinet.ts recounts when
   * the bound reaches the limit, so a decision is always the exact one).
   */
  readonly addrBound = { counted: 0, added: 0 };

  constructor(opts: LabOptions = {}) {
    this.rng = new Rng(opts.seed ?? 1);
    this.backlogDelayNs = opts.backlogDelayNs ?? 12_000;
    this.ipv6Enabled = opts.ipv6 ?? true;
    this.maxFramesPerMs = opts.maxFramesPerMs ?? 5_000;
    this.limits = makeLimits(opts.limits);
    this.kernelConfig = makeKernelConfig(opts.kernelConfig);
    this.init = new NetNamespace(this, '');
    this.all.add(this.init);
  }

  newPacketId(): number { return this.nextPacketId++; }

  log(text: string): void { this.kmsg.push({ time: this.clock.now, text }); }

  /** A frame a process or driver originates on `dev` (its trip starts here). */
  newSkbFor(data: Uint8Array, dev: NetDevice): SkBuff {
    this.counters.framesCreated++;
    return new SkBuffCtor(data, dev, 4 /* PACKET_OUTGOING */, this.newPacketId());
  }

  notify(event: NetdevEvent, dev: NetDevice, info?: unknown): void {
    for (const n of this.notifiers) n(event, dev, info);
  }

  /** netif_rx: queue for the softirq, which runs one backlog delay later. */
  enqueueBacklog(skb: SkBuff): void {
    if (this.backlog.length >= this.limits.backlog) { this.backlogFull(skb); return; }
    this.backlog.push(skb);
    if (!this.backlogScheduled) {
      this.backlogScheduled = true;
      this.clock.after(this.backlogDelayNs, () => this.drainBacklog());
    }
  }

  /** enqueue_to_backlog over netdev_max_backlog: the frame is dropped (CPU_BACKLOG), said once in dmesg. */
  private backlogFull(skb: SkBuff): void {
    this.counters.dropped++;
    skb.dev.stats.rxDropped++;
    if (this.limitState.backlogDropped++ === 0) {
      this.log(`vnet: receive backlog full (${this.limits.backlog} frames waiting): frames are dropped; raise it with vnet run --limit backlog=N`);
    }
    if (this.tracer) this.trace(skb, skb.dev, 'rx', 'enqueue_to_backlog', 'dropped', 'CPU_BACKLOG');
  }

  private drainBacklog(): void {
    this.backlogScheduled = false;
    // Frames queued while draining wait for the next softirq, so each hop costs one delay.
    const batch = this.backlog;
    this.backlog = [];
    const rcv = this.receive!;
    for (let i = 0; i < batch.length; i++) rcv(batch[i]!);
  }

  get backlogLength(): number { return this.backlog.length; }

  /** Namespace by user-visible name: '' is the script's own. */
  ns(name: string): NetNamespace | undefined {
    return name === '' ? this.init : this.named.get(name);
  }

  trace(skb: SkBuff, dev: NetDevice, dir: 'rx' | 'tx', where: string, disposition: Disposition,
    reason?: DropReason, detail?: string): void {
    const t = this.tracer;
    if (t === null) return;
    const ev: TraceEvent = { time: this.clock.now, netns: dev.netns.name, dev: dev.name, dir, where,
      disposition, frame: skb.data, packetId: skb.packetId };
    if (reason !== undefined) ev.reason = reason;
    if (detail !== undefined) ev.detail = detail;
    t(ev);
  }
}
