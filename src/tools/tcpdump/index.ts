/**
 * The tcpdump program (4.99): a packet socket on one device (or `any`), a filter, and output in
 * tcpdump's words — or a pcap file with -w, or a file read back with -r. Like libpcap on Linux
 * (TPACKET_V3), packets reach tcpdump in blocks retired every second unless --immediate-mode, so
 * `timeout 1 tcpdump …` without it shows what the real one shows.
 */
import { NS_PER_SEC, type Timer } from '../../core/clock.ts';
import { devSetPromiscuity } from '../../core/dev.ts';
import { ARPHRD_NETLINK, type NetDevice } from '../../core/netdev.ts';
import type { PacketTap } from '../../core/netns.ts';
import { PacketType, type SkBuff } from '../../core/skb.ts';
import {
  LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2, LINKTYPE_NETLINK, MAX_SNAPLEN, pcapFileHeader, pcapRecord, readCapture, concat,
} from '../../wire/pcap.ts';
import { compileFilter, type FilterFn } from './filter.ts';
import { PacketPrinter, ethernetToSll2, linktypeNames, PACKET_OUTGOING } from './print.ts';
import type { Tool, ToolCtx } from '../types.ts';

interface Args {
  iface: string | null; n: number; e: boolean; v: number; t: number; q: boolean; count: number;
  write: string | null; read: string | null; promisc: boolean; immediate: boolean; snaplen: number;
  direction: 'in' | 'out' | 'inout'; x: number; X: number; A: number; number: boolean; expr: string;
  lineBuffered: boolean;
}

const USAGE = 'tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.17 1 Jul 2025\n' +
  'Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n' +
  '\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n' +
  '\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]\n' +
  '\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]\n' +
  '\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]\n' +
  '\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]\n' +
  '\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]\n' +
  '\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]\n';

function parse(ctx: ToolCtx): Args | number {
  const a: Args = { iface: null, n: 0, e: false, v: 0, t: 0, q: false, count: 0, write: null, read: null, promisc: true,
    immediate: false, snaplen: MAX_SNAPLEN, direction: 'inout', x: 0, X: 0, A: 0, number: false, expr: '', lineBuffered: false };
  const rest: string[] = [];
  const argv = ctx.argv.slice(1);
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--immediate-mode') { a.immediate = true; continue; }
    if (w === '--number') { a.number = true; continue; }
    if (w === '--version') { ctx.out(USAGE.split('Usage')[0]!); return 0; }
    if (w === '--help') { ctx.err(USAGE); return 0; }
    if (w.startsWith('--')) { ctx.err(`tcpdump: unrecognized option '${w}'\n` + USAGE); return 1; }
    if (!w.startsWith('-') || w === '-') { rest.push(w); continue; }
    for (let j = 1; j < w.length; j++) {
      const f = w[j]!;
      const takes = 'icwrsQCFGWyTzBEjMVZ'.includes(f);
      let val = '';
      if (takes) {
        const v = w.slice(j + 1) || argv[++i];
        if (v === undefined) { ctx.err(`tcpdump: option requires an argument -- '${f}'\n` + USAGE); return 1; }
        val = v;
        j = w.length;
      }
      switch (f) {
        case 'i': a.iface = val; break;
        case 'n': a.n++; break;
        case 'e': a.e = true; break;
        case 'v': a.v++; break;
        case 't': a.t++; break;
        case 'q': a.q = true; break;
        case 'l': a.lineBuffered = true; break;
        case 'p': a.promisc = false; break;
        case 'x': a.x++; break;
        case 'X': a.X++; break;
        case 'A': a.A++; break;
        case '#': a.number = true; break;
        case 'U': case 'S': case 'K': case 'N': case 'O': case 'u': break;
        case 'c': {
          const n = Number(val);
          if (!Number.isInteger(n) || n <= 0) { ctx.err(`tcpdump: invalid packet count ${val}\n`); return 1; }
          a.count = n; break;
        }
        case 's': {
          const n = Number(val);
          if (!Number.isInteger(n) || n < 0) { ctx.err(`tcpdump: invalid snaplen ${val}\n`); return 1; }
          a.snaplen = n === 0 ? MAX_SNAPLEN : n; break;
        }
        case 'w': a.write = val; break;
        case 'r': a.read = val; break;
        case 'Q':
          if (val !== 'in' && val !== 'out' && val !== 'inout') { ctx.err(`tcpdump: unknown capture direction '${val}'\n`); return 1; }
          a.direction = val; break;
        case 'h': ctx.err(USAGE); return 0;
        case 'D': {
          let out = '';
          let k = 1;
          for (const d of [...ctx.ns.byIndex.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1])) {
            const flags = d.name === 'lo' ? ' [Up, Running, Loopback]' : d.isUp ? (d.carrier ? ' [Up, Running, Connected]' : ' [Up, Disconnected]') : ' [none]';
            out += `${k++}.${d.name}${flags}\n`;
            if (k === 2) { /* any comes after the first up device in libpcap's order; keep it simple */ }
          }
          out += `${k}.any (Pseudo-device that captures on all interfaces) [Up, Running]\n`;
          ctx.out(out);
          return 0;
        }
        default:
          if (takes) break;
          ctx.err(`tcpdump: invalid option -- '${f}'\n` + USAGE);
          return 1;
      }
    }
  }
  a.expr = rest.join(' ');
  return a;
}

function resolvePath(ctx: ToolCtx, p: string): string {
  if (p.startsWith('/')) return p;
  const cwd = ctx.io.env.get('PWD') ?? '/';
  return (cwd.endsWith('/') ? cwd : cwd + '/') + p;
}

function readFile(ctx: ToolCtx, a: Args): number {
  const path = resolvePath(ctx, a.read!);
  const bytes = ctx.fs.readBytes?.(path);
  if (!bytes) { ctx.err(`tcpdump: ${a.read}: No such file or directory\n`); return 1; }
  const r = readCapture(bytes);
  if (!r.ok) { ctx.err(`tcpdump: ${a.read}: ${r.error}\n`); return 1; }
  const file = r.file;
  const lt = file.interfaces[0]?.linktype ?? LINKTYPE_ETHERNET;
  const names = linktypeNames(lt);
  ctx.err(`reading from file ${a.read}, link-type ${names?.name ?? lt} (${names?.description ?? lt}), snapshot length ${file.interfaces[0]?.snaplen ?? MAX_SNAPLEN}\n`);
  let filter: FilterFn | null = null;
  if (a.expr) {
    const f = compileFilter(a.expr, { linktype: lt });
    if (!f.ok) { ctx.err(`tcpdump: ${f.error}\n`); return 1; }
    filter = f.match;
  }
  const printer = new PacketPrinter({ e: a.e, n: a.n, v: a.v, t: a.t, q: a.q, x: a.x, X: a.X, A: a.A, number: a.number, linktype: lt });
  let out = '';
  let n = 0;
  for (const rec of file.records) {
    if (filter && !filter({ bytes: rec.data, wireLen: rec.origLen })) continue;
    out += printer.printAt(rec.data, rec.ts, { origLen: rec.origLen });
    if (a.count && ++n >= a.count) break;
  }
  ctx.out(out);
  return 0;
}

/** libpcap's cooked header for DLT_NETLINK: packet type, ARPHRD_NETLINK, no address, protocol 0 (route). */
function netlinkCooked(msg: Uint8Array, pktType: number): Uint8Array {
  const out = new Uint8Array(16 + msg.length);
  out[1] = pktType;
  out[2] = ARPHRD_NETLINK >> 8; out[3] = ARPHRD_NETLINK & 0xff;
  out.set(msg, 16);
  return out;
}

export const tcpdumpTool: Tool = (ctx) => {
  const parsed = parse(ctx);
  if (typeof parsed === 'number') return parsed;
  const a = parsed;
  if (a.read !== null) return readFile(ctx, a);
  const ns = ctx.ns;
  const lab = ctx.lab;
  let dev: NetDevice | null = null;
  const ifname = a.iface ?? [...ns.byIndex.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]).find((d) => d.isUp && d.name !== 'lo')?.name ?? null;
  if (ifname === null) { ctx.err('tcpdump: no suitable device found\n'); return 1; }
  if (ifname !== 'any') {
    dev = ns.devices.get(ifname) ?? null;
    if (!dev) { ctx.err(`tcpdump: ${ifname}: No such device exists\n(No such device exists)\n`); return 1; }
    if (!dev.isUp) { ctx.err(`tcpdump: ${ifname}: That device is not up\n`); return 1; }
  }
  const netlink = dev !== null && dev.type === ARPHRD_NETLINK;
  const linktype = netlink ? LINKTYPE_NETLINK : dev ? LINKTYPE_ETHERNET : LINKTYPE_LINUX_SLL2;
  let filter: FilterFn | null = null;
  if (a.expr) {
    const f = compileFilter(a.expr, { linktype, live: true });
    if (!f.ok) { ctx.err(`tcpdump: ${f.error}\n`); return 1; }
    filter = f.match;
  }
  const names = linktypeNames(linktype)!;
  let head = '';
  if (!dev) head += 'tcpdump: data link type LINUX_SLL2\n';
  const listening = `listening on ${ifname}, link-type ${names.name} (${names.description}), snapshot length ${a.snaplen} bytes\n`;
  // The "verbose output suppressed" hint replaces the program-name prefix of the next line.
  if (a.write === null && !a.v) head += 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n' + listening;
  else head += `tcpdump: ${listening}`;
  ctx.err(head);

  const printer = new PacketPrinter({ e: a.e, n: a.n, v: a.v, t: a.t, q: a.q, x: a.x, X: a.X, A: a.A, number: a.number, linktype });
  const pcapOpts = { linktype, snaplen: a.snaplen };
  const fileParts: Uint8Array[] = a.write !== null ? [pcapFileHeader(pcapOpts)] : [];
  const writePath = a.write !== null && a.write !== '-' ? resolvePath(ctx, a.write) : null;
  if (writePath !== null) {
    const r = ctx.fs.writeBytes?.(writePath, fileParts[0]!, false);
    if (!r || !r.ok) { ctx.err(`tcpdump: ${a.write}: No such file or directory\n`); return 1; }
  }
  let received = 0, captured = 0;
  let finished = false;
  const pending: { data: Uint8Array; ts: number; ifname: string; origLen: number }[] = [];
  // tcpdump needs a moment to start (exec, libpcap setup) before its packet socket sees anything;
  // the socket's block-retire timer starts then too. 20 ms is typical on a small VM.
  const STARTUP_NS = 20_000_000;
  const start = lab.clock.now + STARTUP_NS;
  let blockTimer: Timer | null = null;

  const tap: PacketTap = {
    dev,
    deliver(skb: SkBuff, on: NetDevice, outgoing: boolean) {
      if (finished) return;
      // libpcap checks direction in user space (after the kernel filter counted the packet), and
      // on `any` it drops the outgoing copy of loopback traffic, which also comes back in.
      const userDrop = (a.direction === 'in' && outgoing) || (a.direction === 'out' && !outgoing) ||
        (!dev && outgoing && on.name === 'lo' && on.ops.kind === '');
      let frame = skb.data;
      if (skb.vlanPresent) {
        // libpcap puts the tag from the packet's auxdata back in front of the payload.
        frame = new Uint8Array(skb.data.length + 4);
        frame.set(skb.data.subarray(0, 12));
        frame[12] = skb.vlanProto >> 8; frame[13] = skb.vlanProto & 0xff;
        frame[14] = skb.vlanTci >> 8; frame[15] = skb.vlanTci & 0xff;
        frame.set(skb.data.subarray(12), 16);
      }
      const data = netlink ? netlinkCooked(frame, outgoing ? PACKET_OUTGOING : pktTypeOf(skb))
        : dev ? frame : ethernetToSll2(frame, on.ifindex, outgoing ? PACKET_OUTGOING : pktTypeOf(skb));
      if (filter && !filter({ bytes: data, outbound: outgoing })) return;
      received++;
      if (userDrop) return;
      const cut = data.length > a.snaplen ? data.slice(0, a.snaplen) : new Uint8Array(data);
      pending.push({ data: cut, ts: lab.clock.now, ifname: on.name, origLen: data.length });
      if (a.immediate || a.write === '-') flush();
    },
  };
  const attach = lab.clock.after(STARTUP_NS, () => {
    if (finished) return;
    ns.taps.push(tap);
    if (dev && a.promisc) { devSetPromiscuity(dev, 1); promiscTaken = true; }
    if (!a.immediate) scheduleBlock();
  });
  let promiscTaken = false;

  function flush(): void {
    let out = '';
    const batch = pending.splice(0);
    for (const p of batch) {
      if (a.count && captured >= a.count) break;
      captured++;
      if (a.write !== null) fileParts.push(pcapRecord(p.ts, p.data, pcapOpts, p.origLen));
      else out += printer.print(p.data, p.ts, { origLen: p.origLen, ifname: p.ifname });
    }
    if (out) ctx.out(out);
    if (writePath !== null && batch.length) ctx.fs.writeBytes?.(writePath, concat(fileParts), false);
    if (a.count && captured >= a.count) finish();
  }

  function scheduleBlock(): void {
    // TPACKET_V3 retires a block every second: that is when tcpdump sees what arrived.
    const elapsed = lab.clock.now - start;
    const next = start + (Math.floor(elapsed / NS_PER_SEC) + 1) * NS_PER_SEC;
    blockTimer = lab.clock.at(next, () => {
      if (finished) return;
      flush();
      if (!finished) scheduleBlock();
    });
  }

  function finish(bySignal = false): void {
    if (finished) return;
    // cleanup() on a signal prints a newline to stdout, in case a line was cut short.
    if (bySignal && a.write === null) ctx.out('\n');
    finished = true;
    blockTimer?.cancel();
    const i = ns.taps.indexOf(tap);
    if (i >= 0) ns.taps.splice(i, 1);
    attach.cancel();
    if (dev && promiscTaken && !dev.dying) devSetPromiscuity(dev, -1);
    if (writePath !== null) ctx.fs.writeBytes?.(writePath, concat(fileParts), false);
    const pl = (n: number) => (n === 1 ? 'packet' : 'packets');
    ctx.err(`${captured} ${pl(captured)} captured\n${received} ${pl(received)} received by filter\n0 packets dropped by kernel\n`);
    ctx.io.exit(0);
  }

  ctx.io.onSignal(() => finish(true));
  return 'async';
};

function pktTypeOf(skb: SkBuff): number {
  switch (skb.pktType) {
    case PacketType.BROADCAST: return 1;
    case PacketType.MULTICAST: return 2;
    case PacketType.OTHERHOST: return 3;
    default: return 0;
  }
}
