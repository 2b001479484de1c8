/**
 * tcpdump 4.99's per-packet output, byte for byte, for what vnet puts on its wires.
 *
 * Addresses always print numerically (vnet has no resolver; tcpdump prints numbers when a
 * reverse lookup fails). With n = 0 the other non-DNS names tcpdump uses are applied
 * (ports from /etc/services, "Broadcast", MAC OUIs). Time of day is UTC: virtual time 0 is
 * VIRTUAL_EPOCH_SECONDS (2024-01-01 12:00:00 UTC), as in the pcap writer.
 */
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2, MAX_SNAPLEN, VIRTUAL_EPOCH_SECONDS, virtualToTimestamp, type Timestamp } from '../../wire/pcap.ts';
import { asciiPrint, Ctx, hexAndAscii, hexPrint, type PrintFlags } from './ctx.ts';
import { etherPrint, SLL2_HDR_LEN, sll2Header, sll2Print } from './print-link.ts';

export interface TcpdumpPrintOptions {
  /** -e */
  e?: boolean;
  /** Count of -n (0, 1 or 2; 1 and 2 print the same in 4.99). */
  n?: number;
  /** Count of -v. */
  v?: number;
  /** -q */
  q?: boolean;
  /** Count of -t: 0 time of day, 1 none, 2 Unix seconds, 3 delta since previous, 4 date and time, 5 delta since first. */
  t?: number;
  /** --time-stamp-precision=nano (or --nano): 9 fractional digits. */
  nano?: boolean;
  /** Counts of -x, -X, -A. */
  x?: number;
  X?: number;
  A?: number;
  /** -# : packet numbers. */
  number?: boolean;
  /** -S: absolute TCP sequence numbers. */
  S?: boolean;
  /** LINKTYPE_ETHERNET (default) or LINKTYPE_LINUX_SLL2 (-i any). */
  linktype?: number;
  epochSeconds?: number;
}

export interface PacketMeta {
  /** Length on the wire when the data was cut by a snaplen. */
  origLen?: number;
  /** SLL2 captures: name of the interface of the header's ifindex ("?" if unknown). */
  ifname?: string;
}

/** Linux packet types as SLL2 records them (and tcpdump prints In/B/M/P/Out). */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;

/**
 * What libpcap hands tcpdump for an Ethernet frame seen on `-i any`: the 14-byte Ethernet
 * header replaced by a 20-byte SLL2 header (protocol, ifindex, ARPHRD_ETHER, packet type,
 * source MAC). A VLAN tag stays in the data (protocol 0x8100), as libpcap re-inserts it.
 */
export function ethernetToSll2(frame: Uint8Array, ifindex: number, pkttype: number): Uint8Array {
  if (frame.length < 14) return sll2Header(0, ifindex, pkttype, null);
  const h = sll2Header((frame[12]! << 8) | frame[13]!, ifindex, pkttype, frame.subarray(6, 12));
  const out = new Uint8Array(SLL2_HDR_LEN + frame.length - 14);
  out.set(h, 0);
  out.set(frame.subarray(14), SLL2_HDR_LEN);
  return out;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

export class PacketPrinter {
  private readonly flags: PrintFlags;
  private ref: Timestamp | null = null;
  private readonly tcp = new Map<string, { seq: number; ack: number }>();
  private count = 0;
  /**
   * After print(): null when the output is what tcpdump prints, else the protocol for which
   * tcpdump has a decoder vnet does not emulate (the line then shows it undecoded).
   */
  lastUnemulated: string | null = null;

  constructor(readonly opts: TcpdumpPrintOptions = {}) {
    this.flags = {
      e: !!opts.e, n: opts.n ?? 2, v: opts.v ?? 0, q: !!opts.q, x: opts.x ?? 0, X: opts.X ?? 0, A: opts.A ?? 0, S: !!opts.S,
    };
  }

  /** Output for one packet captured at virtual time tsNs, including the final newline. */
  print(data: Uint8Array, tsNs: number, meta: PacketMeta = {}): string {
    return this.printAt(data, virtualToTimestamp(tsNs, this.opts.epochSeconds ?? VIRTUAL_EPOCH_SECONDS), meta);
  }

  /** Same with an absolute timestamp (e.g. a record read from a file). */
  printAt(data: Uint8Array, ts: Timestamp, meta: PacketMeta = {}): string {
    this.count++;
    const caplen = data.length;
    const len = meta.origLen ?? data.length;
    let out = this.opts.number ? `${String(this.count).padStart(5)}  ` : '';
    const bad: string[] = [];
    if (caplen === 0) bad.push('caplen==0');
    if (len === 0) bad.push('len==0');
    else if (len < caplen) bad.push(`len(${len}) < caplen(${caplen})`);
    if (caplen > MAX_SNAPLEN) bad.push(`caplen(${caplen}) > ${MAX_SNAPLEN}`);
    if (len > MAX_SNAPLEN) bad.push(`len(${len}) > ${MAX_SNAPLEN}`);
    if (bad.length) {
      return `${out}[Invalid header: ${bad.join(', ')}]\n`;
    }
    out += this.timestamp(ts);
    const ctx = new Ctx(data, caplen, this.flags, this.tcp);
    this.lastUnemulated = null;
    let hdrlen = 0;
    try {
      if ((this.opts.linktype ?? LINKTYPE_ETHERNET) === LINKTYPE_LINUX_SLL2) {
        hdrlen = sll2Print(ctx, 0, len, caplen, meta.ifname ?? '?');
      } else if (this.opts.linktype === 253 /* LINKTYPE_NETLINK */) {
        // tcpdump 4.99 has no netlink printer: "UNSUPPORTED" and the whole frame in hex and ASCII.
        ctx.out += 'UNSUPPORTED';
        hexAndAscii(ctx, '\n\t', 0, caplen, 0);
      } else {
        hdrlen = etherPrint(ctx, 0, len, caplen);
      }
    } catch (e) {
      if (!(e as { trunc?: boolean }).trunc) throw e;
      ctx.printTrunc();
      hdrlen = 0;
    }
    this.lastUnemulated = ctx.unemulated;
    ctx.snapend = caplen;
    try {
      const f = this.flags;
      if (f.X) {
        if (f.X > 1) hexAndAscii(ctx, '\n\t', 0, caplen, 0);
        else if (caplen > hdrlen) hexAndAscii(ctx, '\n\t', hdrlen, caplen - hdrlen, 0);
      } else if (f.x) {
        if (f.x > 1) hexPrint(ctx, '\n\t', 0, caplen);
        else if (caplen > hdrlen) hexPrint(ctx, '\n\t', hdrlen, caplen - hdrlen);
      } else if (f.A) {
        if (f.A > 1) asciiPrint(ctx, 0, caplen);
        else if (caplen > hdrlen) asciiPrint(ctx, hdrlen, caplen - hdrlen);
      }
    } catch (e) {
      if (!(e as { trunc?: boolean }).trunc) throw e;
    }
    return out + ctx.out + '\n';
  }

  private frac(nsec: number): string {
    return this.opts.nano ? String(nsec).padStart(9, '0') : String(Math.floor(nsec / 1000)).padStart(6, '0');
  }

  private hms(sec: number, nsec: number): string {
    const d = ((sec % 86400) + 86400) % 86400;
    return `${pad2(Math.floor(d / 3600))}:${pad2(Math.floor(d / 60) % 60)}:${pad2(d % 60)}.${this.frac(nsec)}`;
  }

  /** ts_print(). */
  timestamp(ts: Timestamp): string {
    switch (this.opts.t ?? 0) {
      case 0:
        return this.hms(ts.sec, ts.nsec) + ' ';
      case 1:
        return '';
      case 2:
        return ts.sec >= 0x80000000 ? '[Error converting time] ' : `${ts.sec}.${this.frac(ts.nsec)} `;
      case 3:
      case 5: {
        if (!this.ref) this.ref = ts;
        const neg = ts.sec < this.ref.sec || (ts.sec === this.ref.sec && ts.nsec < this.ref.nsec);
        const [a, b] = neg ? [this.ref, ts] : [ts, this.ref];
        let sec = a.sec - b.sec;
        let nsec = a.nsec - b.nsec;
        if (!this.opts.nano) nsec = Math.floor(a.nsec / 1000) * 1000 - Math.floor(b.nsec / 1000) * 1000;
        if (nsec < 0) {
          sec--;
          nsec += 1e9;
        }
        if ((this.opts.t ?? 0) === 3) this.ref = ts;
        return (neg ? '-' : ' ') + this.hms(sec, nsec) + ' ';
      }
      default: {
        const d = new Date(ts.sec * 1000);
        const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
        return `${date} ${this.hms(ts.sec, ts.nsec)} `;
      }
    }
  }
}

/** Stateless convenience: one packet with default Ethernet link type. */
export function formatPacket(frame: Uint8Array, tsNs: number, opts: TcpdumpPrintOptions = {}, meta: PacketMeta = {}): string {
  return new PacketPrinter(opts).print(frame, tsNs, meta);
}

/** pcap_datalink_val_to_name() / _description() for the link types vnet produces. */
export function linktypeNames(linktype: number): { name: string; description: string } | null {
  switch (linktype) {
    case LINKTYPE_ETHERNET:
      return { name: 'EN10MB', description: 'Ethernet' };
    case LINKTYPE_LINUX_SLL2:
      return { name: 'LINUX_SLL2', description: 'Linux cooked v2' };
    case 113:
      return { name: 'LINUX_SLL', description: 'Linux cooked v1' };
    case 253:
      return { name: 'NETLINK', description: 'Linux netlink' };
    case 101:
    case 12:
      return { name: 'RAW', description: 'Raw IP' };
    case 0:
      return { name: 'NULL', description: 'BSD loopback' };
    default:
      return null;
  }
}

function linktypeText(linktype: number): string {
  const n = linktypeNames(linktype);
  return n ? `link-type ${n.name} (${n.description})` : `link-type ${linktype}`;
}

/** stderr of `tcpdump -r FILE` before the packets. */
export function readingFromFileMessage(file: string, linktype: number, snaplen: number): string {
  let s = `reading from file ${file}, ${linktypeText(linktype)}, snapshot length ${snaplen}\n`;
  if (linktype === LINKTYPE_LINUX_SLL2) s += 'Warning: interface names might be incorrect\n';
  return s;
}

/** stderr of a live capture before the packets (`-v` or `-w` drop the first sentence). */
export function listeningOnMessage(device: string, linktype: number, snaplen: number, verboseOrWriting: boolean): string {
  const head = verboseOrWriting ? 'tcpdump: ' : 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n';
  return `${head}listening on ${device}, ${linktypeText(linktype)}, snapshot length ${snaplen} bytes\n`;
}

const plural = (n: number) => (n === 1 ? '' : 's');

/** stderr of a live capture when it ends (info(0) in tcpdump.c). */
export function captureStatsMessage(captured: number, received: number, dropped: number, ifdropped = 0): string {
  let s = `${captured} packet${plural(captured)} captured\n${received} packet${plural(received)} received by filter\n${dropped} packet${plural(dropped)} dropped by kernel\n`;
  if (ifdropped) s += `${ifdropped} packet${plural(ifdropped)} dropped by interface\n`;
  return s;
}
