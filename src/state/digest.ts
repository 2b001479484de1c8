/**
 * The structural summary of a lab that a state file carries: namespaces, devices (ifindex, MAC,
 * flags, addresses), routes, neighbours, bridge FDBs, sysctls, files, the clock and the random
 * generator. `vnet load` rebuilds the lab by replaying its journal and refuses the file unless the
 * rebuilt lab has exactly this summary, so a vnet that behaves differently from the one that wrote
 * the file can never silently load something else.
 *
 * Only lab-local values are used: device and namespace `serial`s and address `seq`s come from
 * counters shared by every lab in the process, so they are left out.
 */
import type { Lab } from '../core/lab.ts';
import type { NetDevice } from '../core/netdev.ts';
import type { NetNamespace } from '../core/netns.ts';
import type { NetBridge } from '../core/drivers/bridge/types.ts';
import type { LabFs } from '../tools/fs.ts';
import { sha256Hex } from './sha256.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const hex = (b: Uint8Array | null): string => (b ? Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':') : '');
const ip4 = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const mac48 = (n: number): string => hex(new Uint8Array([n / 2 ** 40, n / 2 ** 32, n >>> 24, n >>> 16, n >>> 8, n].map((x) => Math.floor(x) & 255)));

function device(dev: NetDevice): Json {
  const d: { [k: string]: Json } = {
    ifindex: dev.ifindex, name: dev.name, kind: dev.ops.kind, mac: hex(dev.mac), flags: dev.flags,
    mtu: dev.mtu, operstate: dev.operstate, carrier: dev.carrier, master: dev.master?.name ?? null,
    promiscuity: dev.promiscuity, allmulti: dev.allmulti,
    inet: dev.inet.map((a) => `${ip4(a.local)}/${a.prefixlen} peer ${ip4(a.address)} brd ${ip4(a.broadcast)} scope ${a.scope}${a.secondary ? ' secondary' : ''}${a.label !== dev.name ? ` label ${a.label}` : ''}`),
    inet6: dev.inet6.map((a) => `${hex(a.addr)}/${a.prefixlen} ${a.scope}${a.tentativeUntil ? ` tentative-until ${a.tentativeUntil}` : ''}`),
    stats: [dev.stats.rxPackets, dev.stats.rxBytes, dev.stats.rxDropped, dev.stats.txPackets, dev.stats.txBytes, dev.stats.txDropped],
  };
  if (dev.ops.kind === 'bridge' && dev.priv) d['fdb'] = fdb(dev.priv as NetBridge);
  return d;
}

function fdb(br: NetBridge): Json {
  const out: string[] = [];
  for (const e of br.fdbList) {
    out.push(`${mac48(e.mac)} vlan ${e.vid} ${e.dst ? e.dst.dev.name : 'self'}${e.local ? ' local' : ''}${e.isStatic ? ' static' : ''}${e.learned ? ' learned' : ''} updated ${e.updated} used ${e.used}`);
  }
  return out;
}

/** Sysctls as one hash: a namespace has hundreds, and any difference in any of them must count. */
function sysctl(ns: NetNamespace): Json {
  const keys = ns.sysctl.keys();
  return sha256Hex(keys.map((k) => `${k}=${ns.sysctl.get(k)}`).join('\n'));
}

function namespace(ns: NetNamespace): Json {
  const devs = [...ns.byIndex.values()].sort((a, b) => a.ifindex - b.ifindex);
  const routes: string[] = [];
  for (const [id, t] of [...ns.fib.tables].sort((a, b) => a[0] - b[0])) {
    for (const r of t) {
      routes.push(`table ${id} ${r.type} ${ip4(r.dst)}/${r.plen} via ${ip4(r.gateway)} dev ${r.dev?.name ?? '-'} proto ${r.protocol} scope ${r.scope} src ${ip4(r.prefsrc)} metric ${r.metric} tos ${r.tos}${r.onlink ? ' onlink' : ''}`);
    }
  }
  const neigh: string[] = [];
  for (const n of ns.arp.entries.values()) {
    neigh.push(`${ip4(n.ip)} dev ${n.dev.name} lladdr ${hex(n.lladdr)} state ${n.state} flags ${n.flags} probes ${n.probes} confirmed ${n.confirmed} updated ${n.updated} used ${n.used} queued ${n.queue.length}`);
  }
  return {
    name: ns.name, ifindexCursor: ns.ifindexCursor, devices: devs.map(device), routes, neigh,
    // packet taps are left out: whole-run captures (vnet run --capture) observe without being part of the lab
    sysctl: sysctl(ns), ipId: ns.ipv4.ipId, sockets: ns.ipv4.rawSockets.size,
  };
}

/** The summary of `lab` (and its files): plain JSON, stable key order. */
export function labDigest(lab: Lab, fs: LabFs): { [k: string]: Json } {
  const files: string[] = [];
  for (const [path, data] of [...fs.files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    files.push(`${path} ${data.length} ${sha256Hex(typeof data === 'string' ? data : data)}`);
  }
  return {
    time: lab.clock.now,
    events: lab.clock.executed,
    pending: lab.clock.pendingCount,
    rng: lab.rng.getState(),
    counters: [lab.counters.framesCreated, lab.counters.dropped, lab.counters.delivered],
    kmsg: lab.kmsg.length,
    namespaces: [lab.init, ...lab.named.values()].map(namespace),
    files,
  };
}

/** First difference between two summaries, as a path ("namespaces[1].devices[0].mac: a ≠ b"). */
export function firstDifference(a: Json, b: Json, path = ''): string | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path || 'state'}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) return `${path}[${i}]: ${i >= a.length ? 'missing' : 'extra'}`;
      const d = firstDifference(a[i]!, b[i]!, `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ao = a as { [k: string]: Json }, bo = b as { [k: string]: Json };
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    const d = firstDifference(ao[k] ?? null, bo[k] ?? null, path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return null;
}
