/**
 * neigh_alloc's admission control (net/core/neighbour.c), which is what bounds the ARP table:
 * the kernel's arp_tbl is one table for every namespace, with gc_thresh2 = 512 and
 * gc_thresh3 = 1024 by default (net.ipv4.neigh.default.*, which exist only in the initial
 * namespace, so a lab's own namespaces cannot change them; vnet's `--limit neighbours=N` sets
 * gc_thresh3, and gc_thresh2 is half of it as in the defaults).
 *
 * Above gc_thresh2 (at most every 5 s) or at gc_thresh3, a forced GC removes unreferenced entries
 * that are FAILED or NOARP or were not updated in the last 5 s, up to the excess over gc_thresh2.
 * If it frees nothing at gc_thresh3, the new entry is refused and the kernel logs
 * "neighbour: arp_cache: neighbor table overflow!". PERMANENT entries are exempt (not counted).
 */
import type { Lab } from '../lab.ts';
import { NS_PER_SEC } from '../clock.ts';
import type { NeighTable, Neighbour } from './neighbour.ts';

const NUD_FAILED = 0x20, NUD_NOARP = 0x40, NUD_PERMANENT = 0x80;

function gcEntries(lab: Lab): Neighbour[] {
  const out: Neighbour[] = [];
  for (const ns of lab.all) for (const n of ns.arp.entries.values()) if (!(n.state & NUD_PERMANENT)) out.push(n);
  return out;
}

/** neigh_forced_gc: returns how many entries it removed. */
function forcedGc(lab: Lab, list: Neighbour[], maxClean: number): number {
  const now = lab.clock.now;
  lab.limitState.neighLastFlush = now;
  const tref = now - 5 * NS_PER_SEC;
  let shrunk = 0;
  for (const n of list) {
    if (shrunk >= maxClean) break;
    if (n.refcnt > 1 || n.queue.length) continue;
    if (n.state === NUD_FAILED || n.state === NUD_NOARP || n.updated < tref) {
      n.dev.netns.arp.remove(n);
      shrunk++;
    }
  }
  return shrunk;
}

/**
 * May `table` make one more entry? `exempt`: a PERMANENT entry made by the user (never refused).
 * Counting walks every namespace's table, so it is done only once an upper bound (the last exact
 * count plus every entry made since) reaches gc_thresh2: below it the answer is yes anyway.
 */
export function neighAdmit(table: NeighTable, exempt: boolean): boolean {
  if (exempt) return true;
  const lab = table.ns.lab;
  const thresh3 = lab.limits.neighbours;
  const thresh2 = Math.floor(thresh3 / 2);
  const st = lab.limitState;
  if (st.neighCounted + st.neighAdded++ < thresh2) return true;
  const list = gcEntries(lab);
  const entries = list.length;
  st.neighCounted = entries;
  st.neighAdded = 1;
  if (entries < thresh2) return true;
  const now = lab.clock.now;
  if (entries >= thresh3 || now > lab.limitState.neighLastFlush + 5 * NS_PER_SEC) {
    const shrunk = forcedGc(lab, list, entries - thresh2);
    st.neighCounted -= shrunk;
    if (shrunk === 0 && entries >= thresh3) {
      st.neighAdded = 0;
      lab.log('neighbour: arp_cache: neighbor table overflow!');
      return false;
    }
  }
  return true;
}
