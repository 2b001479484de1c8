/**
 * Configurable limits of a lab, so that no script can exhaust memory or run forever. Each limit,
 * when hit, fails the one request that would cross it with an errno (the lab stays consistent:
 * the check comes before anything is made) and a message naming the limit and how to raise it.
 * Where the kernel has a limit of its own it is kept as well (the bridge's fdb_max_learned,
 * netdev_max_backlog); defaults are documented in docs/reliability.md.
 */
export interface LabLimits {
  /** Network namespaces, counting the script's own. */
  namespaces: number;
  /** Network devices in the whole lab (all namespaces, lo included). */
  devices: number;
  /** IPv4 + IPv6 addresses in the whole lab. */
  addresses: number;
  /**
   * ARP entries in the whole lab: the kernel's arp_tbl is one table for all namespaces and
   * refuses new entries above gc_thresh3 (1024) after a forced garbage collection.
   */
  neighbours: number;
  /** Entries in one bridge's FDB (all kinds; the kernel's own fdb_max_learned counts learned ones). */
  fdbEntries: number;
  /** Frames waiting in the receive backlog (netdev_max_backlog); more are dropped. */
  backlog: number;
  /** Virtual seconds one script (or one interactive line) may run. */
  runSeconds: number;
  /** Real seconds one script (or one interactive line) may run. */
  wallSeconds: number;
}

export const DEFAULT_LIMITS: Readonly<LabLimits> = {
  namespaces: 1024,
  devices: 16384,
  addresses: 65536,
  neighbours: 1024,
  fdbEntries: 65536,
  // The kernel's netdev_max_backlog is 1000 per CPU; vnet has one backlog for the whole lab and
  // batches a whole softirq delay into it, so its default is higher than one CPU's.
  backlog: 10000,
  runSeconds: 86400,
  wallSeconds: 600,
};

/** Command-line names (`--limit NAME=VALUE`) of each limit. */
export const LIMIT_NAMES: Readonly<Record<string, keyof LabLimits>> = {
  namespaces: 'namespaces', devices: 'devices', addresses: 'addresses', neighbours: 'neighbours',
  fdb: 'fdbEntries', backlog: 'backlog', 'run-time': 'runSeconds', 'wall-time': 'wallSeconds',
};

export function limitFlag(key: keyof LabLimits): string {
  for (const [flag, k] of Object.entries(LIMIT_NAMES)) if (k === key) return flag;
  return key;
}

/** `NAME=VALUE` → [key, value], or an error message. */
export function parseLimit(spec: string): [keyof LabLimits, number] | string {
  const m = /^([a-z-]+)=(\d+)$/.exec(spec);
  if (!m) return `bad limit "${spec}" (expected NAME=NUMBER; names: ${Object.keys(LIMIT_NAMES).join(', ')})`;
  const key = LIMIT_NAMES[m[1]!];
  if (!key) return `unknown limit "${m[1]}" (names: ${Object.keys(LIMIT_NAMES).join(', ')})`;
  const v = Number(m[2]);
  if (!Number.isSafeInteger(v) || v < 1) return `limit ${m[1]} must be a positive integer`;
  return [key, v];
}

export function makeLimits(over: Partial<LabLimits> = {}): LabLimits {
  return { ...DEFAULT_LIMITS, ...over };
}

/** The message logged (dmesg) and shown when a limit refuses a request. */
export function limitMessage(key: keyof LabLimits, value: number): string {
  return `vnet: limit reached: ${limitFlag(key)}=${value} (raise it with vnet run --limit ${limitFlag(key)}=N)`;
}

/**
 * Per-lab bookkeeping some limits need: the ARP table's last forced GC (ns) and size bound,
 * backlog drops, and the limit messages already logged in dmesg (each once).
 */
export interface LimitState {
  neighLastFlush: number;
  /** An upper bound of the ARP entries: the last exact count, plus the entries made since. */
  neighCounted: number;
  neighAdded: number;
  backlogDropped: number;
  reported: Set<string>;
}

export function newLimitState(): LimitState {
  return { neighLastFlush: -Infinity, neighCounted: 0, neighAdded: 0, backlogDropped: 0, reported: new Set() };
}

/**
 * A limit refused a request: logged once per limit in dmesg, and the errno + extack the request
 * fails with (ENOSPC: what the kernel answers when its own counters, e.g. max_net_namespaces, run out).
 */
export function limitReached(lab: { limits: LabLimits; limitState: LimitState; log(text: string): void }, key: keyof LabLimits):
  { ok: false; errno: number; extack: string } {
  const msg = limitMessage(key, lab.limits[key]);
  if (!lab.limitState.reported.has(msg)) { lab.limitState.reported.add(msg); lab.log(msg); }
  return { ok: false, errno: 28 /* ENOSPC */, extack: msg };
}

/** Addresses (IPv4 and IPv6) in the whole lab. */
export function countAddresses(all: Iterable<{ devices: Map<string, { inet: unknown[]; inet6: unknown[] }> }>): number {
  let n = 0;
  for (const ns of all) for (const d of ns.devices.values()) n += d.inet.length + d.inet6.length;
  return n;
}
