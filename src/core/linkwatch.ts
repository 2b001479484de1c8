/**
 * net/core/link_watch.c: carrier changes reach operstate (and the NETDEV_CHANGE notifier that
 * stacked devices and the neighbour table listen to) through a work item, not at once. Events
 * for running devices stacked on another one, or coming up, are urgent and run straight after
 * the current operation; the rest are rate-limited to one batch per second, machine-wide. This
 * is why `ip link` can show a stale state for a moment on Linux, and vnet shows the same.
 */
import type { Lab } from './lab.ts';
import type { NetDevice } from './netdev.ts';
import { OperState } from './netdev.ts';
import { NS_PER_SEC, type Timer } from './clock.ts';

export interface LinkwatchState {
  /** lweventlist, in the order events came (a Set: big labs test and drop members often). */
  pending: Set<NetDevice>;
  /** linkwatch_nextevent: before this time only urgent events are processed. */
  nextEvent: number;
  urgent: boolean;
  timer: Timer | null;
  timerAt: number;
}

export function newLinkwatchState(): LinkwatchState {
  return { pending: new Set(), nextEvent: -Infinity, urgent: false, timer: null, timerAt: Infinity };
}

/** linkwatch_urgent_event */
function urgentEvent(dev: NetDevice): boolean {
  if (!dev.isUp) return false;
  const link = dev.linkDevice();
  if (link && link !== dev) return true;
  if (dev.master && (dev.master.kind === 'bond' || dev.master.kind === 'team')) return true;
  // netif_carrier_ok && qdisc_tx_changing: carrier came back on a running device.
  return dev.carrier;
}

/** linkwatch_fire_event */
export function linkwatchFire(dev: NetDevice): void {
  const lab = dev.netns.lab;
  const lw = lab.linkwatch;
  const urgent = urgentEvent(dev);
  if (!lw.pending.has(dev)) lw.pending.add(dev);
  else if (!urgent) return;
  schedule(lab, urgent);
}

function schedule(lab: Lab, urgent: boolean): void {
  const lw = lab.linkwatch;
  const now = lab.clock.now;
  if (lw.urgent) return;
  let delay = lw.nextEvent - now;
  if (urgent) { lw.urgent = true; delay = 0; }
  if (!(delay >= 0) || delay > NS_PER_SEC) delay = 0;
  if (lw.urgent) {
    // mod_delayed_work(…, 0): run straight after the current operation.
    if (lw.timer && lw.timerAt <= now) return;
    lw.timer?.cancel();
    lw.timerAt = now;
    lw.timer = lab.clock.after(0, () => runQueue(lab));
  } else if (!lw.timer) {
    lw.timerAt = now + delay;
    lw.timer = lab.clock.after(delay, () => runQueue(lab));
  }
}

/** linkwatch_event → __linkwatch_run_queue */
function runQueue(lab: Lab): void {
  const lw = lab.linkwatch;
  lw.timer = null;
  lw.timerAt = Infinity;
  const now = lab.clock.now;
  const urgentOnly = now < lw.nextEvent;
  if (!urgentOnly) lw.nextEvent = now + NS_PER_SEC;
  else if (lw.nextEvent > now + NS_PER_SEC) lw.nextEvent = now;
  lw.urgent = false;
  const work = lw.pending;
  lw.pending = new Set();
  for (const dev of work) {
    if (dev.dying || !dev.netns.alive) continue;
    if (urgentOnly && !urgentEvent(dev)) { lw.pending.add(dev); continue; }
    linkwatchDoDev(dev);
  }
  if (lw.pending.size) schedule(lab, false);
}

/** linkwatch_do_dev: recompute operstate; tell listeners if the device is up. */
export function linkwatchDoDev(dev: NetDevice): void {
  dev.linkwatchSeen = true;
  dev.operstate = defaultOperstate(dev);
  if (dev.isUp) dev.netns.lab.notify('CHANGE', dev);
}

/** linkwatch_forget_dev / linkwatch_sync_dev: process a device's pending event now. */
export function linkwatchSync(dev: NetDevice): void {
  if (!dev.netns.lab.linkwatch.pending.delete(dev)) return;
  linkwatchDoDev(dev);
}

export function linkwatchForget(dev: NetDevice): void {
  dev.netns.lab.linkwatch.pending.delete(dev);
}

export function defaultOperstate(dev: NetDevice): OperState {
  if (!dev.carrier) {
    const link = dev.linkDevice();
    if (!link || link === dev) return OperState.DOWN;
    // iflink is looked up by index in the device's own namespace.
    const found = dev.netns.byIndex.get(link.ifindex);
    if (!found || found === dev) return OperState.DOWN;
    return found.carrier ? OperState.DOWN : OperState.LOWERLAYERDOWN;
  }
  if (dev.dormant) return OperState.DORMANT;
  return OperState.UP;
}
