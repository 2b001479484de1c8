/**
 * `vnet trace`: records the trace events the core emits while something runs, and explains them
 * hop by hop — which device, which kernel function decided, what it decided, and for every drop
 * the reason in plain words with the change that would flip it.
 */
import type { Lab } from '../core/lab.ts';
import { DROP_FIXES, DROP_REASONS, type Disposition, type DropReason, type TraceEvent } from '../core/trace.ts';
import { PacketPrinter } from '../tools/tcpdump/print.ts';

export interface TraceHop {
  time: number;
  netns: string;
  dev: string;
  dir: 'rx' | 'tx';
  where: string;
  disposition: Disposition;
  reason?: DropReason;
  explanation?: string;
  fix?: string;
  detail?: string;
  /** One-line summary of the frame, as tcpdump prints it (without timestamp). */
  frame: string;
  packetId: number;
}

export interface TraceSummary {
  reached: boolean;
  hops: number;
  drops: { reason: DropReason; dev: string; netns: string; count: number }[];
  /** How many copies of traced frames each device saw (receive + transmit), keyed "ns/dev". */
  copies: Record<string, { rx: number; tx: number }>;
  roundTrips: number;
}

/** Attaches a recorder to the lab; call the returned function to stop and get the hops. */
export function startTrace(lab: Lab): () => TraceHop[] {
  const printer = new PacketPrinter({ t: 1, e: true, n: 1 });
  const hops: TraceHop[] = [];
  const prev = lab.tracer;
  lab.tracer = (ev: TraceEvent) => {
    let frame = '';
    if (ev.frame) {
      try { frame = printer.print(ev.frame, ev.time).trim(); } catch { frame = `${ev.frame.length} bytes`; }
    }
    const hop: TraceHop = { time: ev.time, netns: ev.netns || '(init)', dev: ev.dev, dir: ev.dir, where: ev.where,
      disposition: ev.disposition, frame, packetId: ev.packetId };
    if (ev.reason) {
      hop.reason = ev.reason;
      hop.explanation = DROP_REASONS[ev.reason];
      const fix = DROP_FIXES[ev.reason];
      if (fix) hop.fix = fix.replace('{dev}', ev.dev).replace('{port}', ev.detail?.match(/\b(\S+)\b/)?.[1] ?? ev.dev);
    }
    if (ev.detail) hop.detail = ev.detail;
    hops.push(hop);
    prev?.(ev);
  };
  return () => { lab.tracer = prev; return hops; };
}

export function summarize(hops: TraceHop[], reached: boolean, roundTrips: number): TraceSummary {
  const copies: TraceSummary['copies'] = {};
  const drops = new Map<string, TraceSummary['drops'][number]>();
  let n = 0;
  for (const h of hops) {
    const k = `${h.netns}/${h.dev}`;
    if (h.disposition === 'received' || h.disposition === 'transmitted') {
      n++;
      const c = copies[k] ?? (copies[k] = { rx: 0, tx: 0 });
      if (h.disposition === 'received') c.rx++; else c.tx++;
    }
    if (h.disposition === 'dropped' && h.reason) {
      const dk = `${h.reason}|${k}`;
      const d = drops.get(dk);
      if (d) d.count++; else drops.set(dk, { reason: h.reason, dev: h.dev, netns: h.netns, count: 1 });
    }
  }
  return { reached, hops: n, drops: [...drops.values()], copies, roundTrips };
}

function fmtTime(ns: number): string {
  return (ns / 1e9).toFixed(6);
}

const VERB: Record<Disposition, string> = {
  received: 'rx', transmitted: 'tx', delivered: 'DELIVERED', forwarded: 'forwarded', flooded: 'flooded',
  reflected: 'REFLECTED', queued: 'queued', dropped: 'DROPPED',
};

/** Human-readable trace: one line per hop, drops with their reason and fix. */
export function formatTrace(hops: TraceHop[], summary: TraceSummary): string {
  let out = '';
  const width = Math.max(8, ...hops.map((h) => (h.netns + '/' + h.dev).length));
  for (const h of hops) {
    const where = `${h.netns}/${h.dev}`.padEnd(width);
    let line = `${fmtTime(h.time)}  ${where}  ${VERB[h.disposition].padEnd(9)} ${h.where}`;
    if (h.disposition === 'received' || h.disposition === 'transmitted') line += `: ${h.frame}`;
    if (h.detail) line += ` — ${h.detail}`;
    if (h.disposition === 'dropped') {
      line += `\n${' '.repeat(10 + width)}dropped at ${h.dev}: ${h.explanation}`;
      if (h.fix) line += `\n${' '.repeat(10 + width)}would change with: ${h.fix}`;
    }
    out += line + '\n';
  }
  out += `\nsummary: ${summary.reached ? 'reached' : 'NOT reached'}, ${summary.hops} hops, ${summary.roundTrips} round trip(s)\n`;
  for (const d of summary.drops) out += `  dropped ${d.count}x at ${d.netns}/${d.dev}: ${d.reason} — ${DROP_REASONS[d.reason]}\n`;
  out += '  copies seen per device (rx/tx):\n';
  for (const [k, c] of Object.entries(summary.copies)) out += `    ${k.padEnd(width)}  ${c.rx}/${c.tx}\n`;
  return out;
}
