/**
 * Invariants a lab must keep after any command, whatever the command was:
 * - structure: every device sits in exactly one live namespace, findable by name and by index;
 *   ifindexes are unique per namespace; no master/lower/peer/route/neighbour/FDB/VLAN-group
 *   entry points at a device that is gone;
 * - frames: every frame made (sent, or copied by a driver) is accounted for: delivered, dropped
 *   with a named reason, or still waiting in a queue (backlog, ARP queue, broadcast queue, tap ring);
 * - size: the counts that must come back to their start value once everything is deleted (no leak).
 */
import type { Lab } from '../../src/core/lab.ts';
import type { NetDevice } from '../../src/core/netdev.ts';
import type { NetNamespace } from '../../src/core/netns.ts';
import { DROP_REASONS, type TraceEvent } from '../../src/core/trace.ts';
import { bridgeOf, portOf as brPortOf } from '../../src/core/drivers/bridge/types.ts';
import { isMacvlan, portOf as mvPortOf, priv as mvPriv } from '../../src/core/drivers/macvlan.ts';

function live(lab: Lab): Set<NetDevice> {
  const s = new Set<NetDevice>();
  for (const ns of lab.all) for (const d of ns.devices.values()) s.add(d);
  return s;
}

/** Structural violations, in words (empty = fine). */
export function structureErrors(lab: Lab): string[] {
  const errs: string[] = [];
  const devs = live(lab);
  const where = (d: NetDevice) => `${d.netns?.label ?? '?'}/${d.name}`;
  for (const [name, ns] of lab.named) {
    if (!lab.all.has(ns)) errs.push(`named namespace ${name} is not live`);
    if (ns.name !== name) errs.push(`namespace ${name} calls itself ${ns.name}`);
  }
  if (!lab.all.has(lab.init)) errs.push('the initial namespace is gone');
  const seen = new Map<NetDevice, NetNamespace>();
  for (const ns of lab.all) {
    if (!ns.alive) errs.push(`namespace ${ns.label} is listed but not alive`);
    if (ns !== lab.init && lab.named.get(ns.name) !== ns) errs.push(`namespace ${ns.label} is live but not named`);
    if (ns.devices.size !== ns.byIndex.size) errs.push(`${ns.label}: ${ns.devices.size} names but ${ns.byIndex.size} indexes`);
    const lo = ns.devices.get('lo');
    if (!lo || lo.ifindex !== 1) errs.push(`${ns.label}: no lo with ifindex 1`);
    for (const [name, d] of ns.devices) {
      if (d.name !== name) errs.push(`${ns.label}: device listed as ${name} is called ${d.name}`);
      if (d.netns !== ns) errs.push(`${ns.label}/${name} thinks it lives in ${d.netns?.label}`);
      if (ns.byIndex.get(d.ifindex) !== d) errs.push(`${where(d)}: ifindex ${d.ifindex} does not find it`);
      if (d.ifindex <= 0) errs.push(`${where(d)}: ifindex ${d.ifindex}`);
      if (d.dying) errs.push(`${where(d)}: dying but still listed`);
      if (seen.has(d)) errs.push(`${where(d)} is in two namespaces`);
      seen.set(d, ns);
    }
    for (const [i, d] of ns.byIndex) if (ns.devices.get(d.name) !== d) errs.push(`${ns.label}: index ${i} holds unlisted ${d.name}`);
  }
  for (const d of devs) {
    if (d.master) {
      if (!devs.has(d.master)) errs.push(`${where(d)}: master ${d.master.name} is gone`);
      else if (d.master.netns !== d.netns) errs.push(`${where(d)}: master ${where(d.master)} is in another namespace`);
    }
    const link = d.linkDevice();
    if (link && !devs.has(link)) errs.push(`${where(d)}: link device ${link.name} is gone`);
    if (d.kind === 'veth' && link && link.linkDevice() !== d) errs.push(`${where(d)}: veth peer ${where(link)} does not point back`);
    if (isMacvlan(d) && !devs.has(mvPriv(d).lower)) errs.push(`${where(d)}: macvlan lower is gone`);
    const br = bridgeOf(d);
    if (br) {
      for (const p of br.ports) {
        if (!devs.has(p.dev)) errs.push(`bridge ${where(d)}: port ${p.dev.name} is gone`);
        else if (p.dev.master !== d) errs.push(`bridge ${where(d)}: port ${where(p.dev)} has another master`);
      }
      for (const e of br.fdbList) if (e.dst && !br.ports.includes(e.dst)) errs.push(`bridge ${where(d)}: FDB entry on a removed port`);
    }
    if (d.master?.kind === 'bridge' && !brPortOf(d)) errs.push(`${where(d)}: enslaved to a bridge but is no port`);
    const mp = mvPortOf(d);
    if (mp) for (const v of mp.vlans) if (!devs.has(v)) errs.push(`${where(d)}: macvlan port lists removed ${v.name}`);
  }
  for (const ns of lab.all) {
    for (const [id, t] of ns.fib.tables) {
      for (const r of t) if (r.dev && (!devs.has(r.dev) || r.dev.netns !== ns)) errs.push(`${ns.label}: table ${id} route via removed/foreign ${r.dev.name}`);
    }
    for (const n of ns.arp.entries.values()) if (!devs.has(n.dev) || n.dev.netns !== ns) errs.push(`${ns.label}: neighbour on removed/foreign ${n.dev.name}`);
    for (const t of ns.taps) if (t.dev && !devs.has(t.dev)) errs.push(`${ns.label}: packet socket bound to removed ${t.dev.name}`);
  }
  for (const [parent, g] of lab.vlanGroups) {
    if (!devs.has(parent) && g.size) errs.push(`VLAN group of removed ${parent.name}`);
    for (const v of g.values()) if (!devs.has(v)) errs.push(`VLAN group of ${parent.name} lists removed ${v.name}`);
  }
  for (const d of lab.ndisc.keys()) if (!devs.has(d)) errs.push(`IPv6 ND timers of removed ${d.name}`);
  for (const d of lab.linkwatch.pending) if (!devs.has(d)) errs.push(`linkwatch holds removed ${d.name}`);
  return errs;
}

/** Frames still waiting somewhere: they are neither delivered nor dropped yet. */
export function framesInFlight(lab: Lab): number {
  let n = lab.backlogLength;
  for (const ns of lab.all) for (const e of ns.arp.entries.values()) n += e.queue.length;
  for (const d of live(lab)) {
    const mp = mvPortOf(d);
    if (mp) n += mp.bcQueue.length;
    // An ipvlan port (ipvlan.ts IpvlPort) on its master: the multicast backlog.
    const ip = d.rxHandlerData as { ipvlans?: unknown; backlog?: unknown[] } | null;
    if (ip && Array.isArray(ip.ipvlans) && Array.isArray(ip.backlog)) n += ip.backlog.length;
  }
  return n;
}

/** Frame accounting: made = delivered + dropped + waiting. Returns the imbalance (0 = fine). */
export function frameImbalance(lab: Lab): number {
  const c = lab.counters;
  return c.framesCreated - c.delivered - c.dropped - c.consumed - framesInFlight(lab);
}

/** A tracer that checks each drop names a reason from the closed set; returns its findings. */
export function dropReasonChecker(lab: Lab): { errors: string[]; drops: number } {
  const st = { errors: [] as string[], drops: 0 };
  const prev = lab.tracer;
  lab.tracer = (ev: TraceEvent) => {
    if (ev.disposition === 'dropped') {
      st.drops++;
      if (!ev.reason || !(ev.reason in DROP_REASONS)) st.errors.push(`drop without a known reason at ${ev.where} on ${ev.dev}`);
    } else if (ev.reason) st.errors.push(`${ev.disposition} event carries drop reason ${ev.reason}`);
    prev?.(ev);
  };
  return st;
}

/** What must return to its initial value once everything made is deleted. */
export function labSize(lab: Lab): Record<string, number> {
  let devices = 0, neigh = 0, routes = 0, fdb = 0, taps = 0, sockets = 0, frags = 0;
  for (const ns of lab.all) {
    devices += ns.devices.size;
    neigh += ns.arp.entries.size;
    for (const t of ns.fib.tables.values()) routes += t.length;
    taps += ns.taps.length;
    sockets += ns.ipv4.rawSockets.size;
    frags += ns.ipv4.frags.size;
    for (const d of ns.devices.values()) { const br = bridgeOf(d); if (br) fdb += br.fdbList.size; }
  }
  let vlanGroups = 0;
  for (const g of lab.vlanGroups.values()) vlanGroups += g.size;
  return {
    namespaces: lab.all.size, named: lab.named.size, devices, neigh, routes, fdb, taps, sockets, frags, vlanGroups,
    ndisc: lab.ndisc.size, linkwatch: lab.linkwatch.pending.size, backlog: lab.backlogLength,
    timers: liveTimers(lab),
  };
}

/** Timers still armed (cancelled ones stay in the heap until they come up, and do not count). */
export function liveTimers(lab: Lab): number {
  const heap = (lab.clock as unknown as { heap: { fn: unknown }[] }).heap;
  let n = 0;
  for (const e of heap) if (e.fn !== null) n++;
  return n;
}
