/**
 * iputils ping (20221126) as root: a raw ICMP socket, one echo request per interval on the
 * virtual clock, replies and ICMP errors matched by identifier, and iputils' exact output,
 * statistics and exit statuses (0 replies seen, 1 none, 2 other errors).
 */
import { NS_PER_MS, NS_PER_SEC, type Timer } from '../core/clock.ts';
import { strerror } from '../core/errno.ts';
import { ipSend, openRawIcmp, routeOutput, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED, ICMP_REDIRECT, type IpPacket, type SendOpts } from '../core/ipv4/ip.ts';
import { IPPROTO_ICMP, inetChecksum, ipStr, parseIp, rd16, wr16 } from '../core/ipv4/bytes.ts';
import { isLocalAddr, selectSrc } from '../core/ipv4/devinet.ts';
import { processVrf } from './ip/vrf.ts';
import type { Tool, ToolCtx } from './types.ts';

const UNREACH_TEXT = ['Destination Net Unreachable', 'Destination Host Unreachable', 'Destination Protocol Unreachable',
  'Destination Port Unreachable', 'Frag needed and DF set', 'Source Route Failed', 'Destination Net Unknown',
  'Destination Host Unknown', 'Source Host Isolated', 'Destination Net Prohibited', 'Destination Host Prohibited',
  'Destination Net Unreachable for Type of Service', 'Destination Host Unreachable for Type of Service',
  'Packet filtered', 'Precedence Violation', 'Precedence Cutoff'];

/** CPU time ping spends per probe (send, poll, bookkeeping): real intervals drift by about this. */
const PING_WORK_NS = 40_000;

/** iputils' usage text (20221126), printed on stderr with exit 2. */
const USAGE = "\nUsage\n  ping [options] <destination>\n\nOptions:\n  <destination>      dns name or ip address\n  -a                 use audible ping\n  -A                 use adaptive ping\n  -B                 sticky source address\n  -c <count>         stop after <count> replies\n  -C                 call connect() syscall on socket creation\n  -D                 print timestamps\n  -d                 use SO_DEBUG socket option\n  -e <identifier>    define identifier for ping session, default is random for\n                     SOCK_RAW and kernel defined for SOCK_DGRAM\n                     Imply using SOCK_RAW (for IPv4 only for identifier 0)\n  -f                 flood ping\n  -h                 print help and exit\n  -I <interface>     either interface name or address\n  -i <interval>      seconds between sending each packet\n  -L                 suppress loopback of multicast packets\n  -l <preload>       send <preload> number of packages while waiting replies\n  -m <mark>          tag the packets going out\n  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>\n  -n                 no dns name resolution\n  -O                 report outstanding replies\n  -p <pattern>       contents of padding byte\n  -q                 quiet output\n  -Q <tclass>        use quality of service <tclass> bits\n  -s <size>          use <size> as number of data bytes to be sent\n  -S <size>          use <size> as SO_SNDBUF socket option value\n  -t <ttl>           define time to live\n  -U                 print user-to-user latency\n  -v                 verbose output\n  -V                 print version and exit\n  -w <deadline>      reply wait <deadline> in seconds\n  -W <timeout>       time to wait for response\n\nIPv4 options:\n  -4                 use IPv4\n  -b                 allow pinging broadcast\n  -R                 record route\n  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>\n\nIPv6 options:\n  -6                 use IPv6\n  -F <flowlabel>     define flow label, default is random\n  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument\n\nFor more details see ping(8).\n";

function usage(ctx: ToolCtx, msg?: string): number {
  if (msg) ctx.err(msg + '\n');
  ctx.err(USAGE);
  return 2;
}

interface Opts { pattern: number[] | null; pmtudisc: 'do' | 'dont' | 'want' | 'probe' | null; count: number; interval: number; timeout: number | null; deadline: number | null; size: number;
  iface: string | null; quiet: boolean; broadcast: boolean; ttl: number | null; dest: string | null; }

/**
 * iputils' ping_strtod: strtod, and a number followed by junk (or no number at all) is only
 * warned about, for now — the value read so far (0 for none) is used.
 */
function pingStrtod(ctx: ToolCtx, s: string): number {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i.exec(s);
  const v = m ? Number(m[0]) : 0;
  if (!m || m[0].length !== s.length) {
    ctx.err(`ping: option argument contains garbage: ${m ? s.slice(m[0].length) : s}\nping: this will become fatal error in the future\n`);
  }
  return v;
}

/** strtol-style whole number (sign allowed), as iputils' strtol_or_err reads counts and sizes. */
function parseInteger(s: string | undefined): number | null {
  if (s === undefined || !/^\s*[-+]?\d+$/.test(s)) return null;
  return Number(s);
}


function parseArgs(ctx: ToolCtx): Opts | number {
  const o: Opts = { pattern: null, pmtudisc: null, count: 0, interval: 1, timeout: null, deadline: null, size: 56, iface: null, quiet: false,
    broadcast: false, ttl: null, dest: null };
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (!w.startsWith('-') || w === '-') { if (o.dest === null) o.dest = w; else return usage(ctx); continue; }
    for (let j = 1; j < w.length; j++) {
      const f = w[j]!;
      const takes = 'cisIWwtmlpQSMTF'.includes(f);
      let val: string | undefined;
      if (takes) {
        val = w.slice(j + 1) || a[++i];
        j = w.length;
        if (val === undefined) { ctx.err(`ping: option requires an argument -- '${f}'\n`); return usage(ctx); }
      }
      switch (f) {
        case 'c': {
          const n = parseInteger(val);
          if (n === null) { ctx.err(`ping: invalid argument: '${val}'\n`); return 1; }
          if (n < 1) { ctx.err(`ping: invalid argument: '${val}': out of range: 1 <= value <= 9223372036854775807\n`); return 1; }
          o.count = n; break;
        }
        case 'i': {
          const n = pingStrtod(ctx, val!);
          if (n < 0 || !Number.isFinite(n)) { ctx.err(`ping: bad timing interval: ${val}\n`); return 2; }
          o.interval = n; break;
        }
        case 'W': {
          const n = pingStrtod(ctx, val!);
          if (n < 0 || !Number.isFinite(n)) { ctx.err(`ping: bad linger time: ${val}\n`); return 2; }
          o.timeout = n > 0 ? n : null; break;
        }
        case 'w': {
          const n = parseInteger(val);
          if (n === null) { ctx.err(`ping: invalid argument: '${val}'\n`); return 1; }
          if (n < 0 || n > 2147483647) { ctx.err(`ping: invalid argument: '${val}': out of range: 0 <= value <= 2147483647\n`); return 1; }
          o.deadline = n; break;
        }
        case 's': {
          const n = parseInteger(val);
          if (n === null) { ctx.err(`ping: invalid argument: '${val}'\n`); return 1; }
          if (n < 0 || n > 2147483647) { ctx.err(`ping: invalid argument: '${val}': out of range: 0 <= value <= 2147483647\n`); return 1; }
          o.size = n; break;
        }
        case 't': {
          const n = parseInteger(val);
          if (n === null) { ctx.err(`ping: invalid argument: '${val}'\n`); return 1; }
          if (n < 0 || n > 255) { ctx.err(`ping: invalid argument: '${val}': out of range: 0 <= value <= 255\n`); return 1; }
          o.ttl = n; break;
        }
        case 'I': o.iface = val!; break;
        case 'p': {
          if (!/^[0-9a-fA-F]+$/.test(val!)) { ctx.err('ping: patterns must be specified as hex digits: ' + val + '\n'); return 2; }
          const hex = val!.slice(0, 32);
          o.pattern = [];
          for (let k = 0; k < hex.length; k += 2) o.pattern.push(parseInt(hex.slice(k, k + 2), 16));
          break;
        }
        case 'M':
          if (val !== 'do' && val !== 'dont' && val !== 'want' && val !== 'probe') {
            ctx.err(`ping: invalid -M argument: ${val}\n`);
            return 2;
          }
          o.pmtudisc = val; break;
        case 'q': o.quiet = true; break;
        case 'b': o.broadcast = true; break;
        case 'n': case '4': case 'v': case 'D': case 'A': case 'O': case 'U': break;
        case 'h': return usage(ctx);
        case 'V': ctx.out('ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n'); return 0;
        default:
          if (takes) break;
          ctx.err(`ping: invalid option -- '${f}'\n`);
          return usage(ctx);
      }
    }
  }
  if (o.dest === null) { ctx.err('ping: usage error: Destination address required\n'); return 1; }
  return o;
}

/** /etc/hosts as glibc reads it: the lab's file if a script wrote one, else Debian's default. */
function hostsTable(ctx: ToolCtx): { byName: Map<string, number>; byAddr: Map<number, string> } {
  const r = ctx.fs.read(ctx.io.netns, '/etc/hosts');
  const text = r.ok ? r.value : '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n';
  const byName = new Map<string, number>();
  const byAddr = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    const ip = parseIp(f[0] ?? '');
    if (ip === null) continue;
    for (const n of f.slice(1)) if (!byName.has(n)) byName.set(n, ip);
    if (f[1] && !byAddr.has(ip)) byAddr.set(ip, f[1]);
  }
  return { byName, byAddr };
}

/** iputils' tvsub formatting of an RTT in microseconds. */
function fmtRtt(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) { const x = Math.floor((us + 50) / 100); return `${Math.floor(x / 10)}.${x % 10}`; }
  if (us >= 1000) { const x = Math.floor((us + 5) / 10); return `${Math.floor(x / 100)}.${String(x % 100).padStart(2, '0')}`; }
  return `${Math.floor(us / 1000)}.${String(Math.floor(us) % 1000).padStart(3, '0')}`;
}

function fmt3(us: number): string {
  const v = Math.floor(us);
  return `${Math.floor(v / 1000)}.${String(v % 1000).padStart(3, '0')}`;
}

export const pingTool: Tool = (ctx) => {
  const parsed = parseArgs(ctx);
  if (typeof parsed === 'number') return parsed;
  const o = parsed;
  const ns = ctx.ns;
  const lab = ctx.lab;
  const hosts = hostsTable(ctx);
  const numericDest = parseIp(o.dest!) !== null;
  let dst = parseIp(o.dest!) ?? hosts.byName.get(o.dest!) ?? null;
  if (dst === null) {
    ctx.err(`ping: ${o.dest}: ${/^[0-9.]+$/.test(o.dest!) ? 'Name or service not known' : 'Temporary failure in name resolution'}\n`);
    return 2;
  }
  // The kernel routes 0.0.0.0 to the loopback address (ip_route_output_key with no daddr).
  if (dst === 0) dst = 0x7f000001;
  // Reply lines name the peer as getnameinfo() does (only /etc/hosts exists in a lab).
  const nameOf = (ip: number): string => {
    const n = hosts.byAddr.get(ip);
    // iputils does no reverse lookups when the destination was given as an address.
    return n && !numericDest ? `${n} (${ipStr(ip)})` : ipStr(ip);
  };
  let oif: import('../core/netdev.ts').NetDevice | null = null;
  let bindSrc = 0;
  if (o.iface !== null) {
    const asIp = parseIp(o.iface);
    if (asIp !== null) bindSrc = asIp;
    else {
      oif = ns.devices.get(o.iface) ?? null;
      if (!oif) { ctx.err(`ping: SO_BINDTODEVICE ${o.iface}: No such device\n`); return 2; }
    }
  }
  if (bindSrc && !isLocalAddr(ns, bindSrc)) {
    ctx.err('ping: bind: Cannot assign requested address\n');
    return 2;
  }
  if (o.ttl === 0) { ctx.err('ping: cannot set unicast time-to-live: Invalid argument\n'); return 2; }
  // `ip vrf exec`: its cgroup's BPF program binds every new socket to the VRF (ping does not know).
  const sockOif = oif ?? processVrf(ns, ctx.io.env);
  const rt = routeOutput(ns, dst, sockOif, bindSrc);
  // ping connect()s a probe socket first; the route type decides the errno it gets.
  if (!rt || rt.type === 'throw') { ctx.err(`ping: connect: ${strerror(101)}\n`); return 2; }
  if (rt.type === 'unreachable') { ctx.err(`ping: connect: ${strerror(113)}\n`); return 2; }
  if (rt.type === 'blackhole') { ctx.err(`ping: connect: ${strerror(22)}\n`); return 2; }
  // EACCES (a prohibit route, or broadcast without SO_BROADCAST) is taken for a broadcast address.
  if (rt.type === 'prohibit' || (rt.type === 'broadcast' && !o.broadcast)) {
    ctx.err('ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n');
    return 2;
  }
  // The source the kernel picks for the probe socket (bound to the -I device, if any).
  const routeSrc = rt.prefsrc || (rt.type === 'local' ? dst : selectSrc(rt.dev, dst)) || selectSrc(oif, dst);
  const src = bindSrc || routeSrc;
  if (oif && !oif.inet.some((a) => a.local === src)) {
    ctx.err(`ping: Warning: source address might be selected on device other than: ${o.iface}\n`);
  }
  if (rt.type === 'broadcast') ctx.err(`WARNING: pinging broadcast address\n`);
  const ident = ctx.io.argv.length ? (lab.newPacketId() * 7919 + 4242) & 0xffff : 0;
  const head = o.iface !== null
    ? `PING ${o.dest} (${ipStr(dst)}) from ${ipStr(src)} ${oif ? o.iface : ''}: ${o.size}(${o.size + 28}) bytes of data.\n`
    : `PING ${o.dest} (${ipStr(dst)}) ${o.size}(${o.size + 28}) bytes of data.\n`;
  if (o.pattern) ctx.out(`PATTERN: 0x${o.pattern.map((b) => b.toString(16).padStart(2, '0')).join('')}\n`);
  ctx.out(head);

  let ntransmitted = 0, nreceived = 0, nerrors = 0, nrepeats = 0;
  let pipesize = 1;
  let tmin = Infinity, tmax = 0, tsum = 0, tsum2 = 0;
  const sentAt = new Map<number, number>();
  const seen = new Set<number>();
  const start = lab.clock.now;
  let lastSend = start;
  let sendTimer: Timer | null = null;
  let lingerTimer: Timer | null = null;
  let deadlineTimer: Timer | null = null;
  let finished = false;

  const close = openRawIcmp(ns, { deliver: onPacket });

  function onPacket(pkt: IpPacket): void {
    if (finished) return;
    const b = pkt.bytes, h = pkt.hlen;
    const type = b[h]!;
    if (type === ICMP_ECHOREPLY) {
      if (rd16(b, h + 4) !== ident) return;
      const seq = rd16(b, h + 6);
      const t0 = sentAt.get(seq);
      if (t0 === undefined) return;
      const us = (lab.clock.now - t0) / 1000;
      acknowledge(seq);
      const dup = seen.has(seq);
      if (dup) nrepeats++; else { seen.add(seq); nreceived++; }
      if (!dup) { tsum += us; tsum2 += us * us; tmin = Math.min(tmin, us); tmax = Math.max(tmax, us); }
      if (!o.quiet) {
        ctx.out(`${b.length - h} bytes from ${nameOf(pkt.src)}: icmp_seq=${seq} ttl=${pkt.ttl} time=${fmtRtt(us)} ms${dup ? ' (DUP!)' : ''}\n`);
      }
      checkDone();
      return;
    }
    if (type === ICMP_DEST_UNREACH || type === ICMP_TIME_EXCEEDED || type === ICMP_REDIRECT) {
      // The quoted packet must be one of ours.
      const q = h + 8;
      if (b.length < q + 28) return;
      const qh = (b[q]! & 0xf) * 4;
      if (b[q + 9] !== IPPROTO_ICMP || b[q + qh] !== ICMP_ECHO || rd16(b, q + qh + 4) !== ident) return;
      const seq = rd16(b, q + qh + 6);
      if (type !== ICMP_REDIRECT) { nerrors++; acknowledge(seq); }
      if (!o.quiet) {
        const code = b[h + 1]!;
        let text: string;
        if (type === ICMP_DEST_UNREACH) text = UNREACH_TEXT[code] ?? `Dest Unreachable, Bad Code: ${code}`;
        else if (type === ICMP_TIME_EXCEEDED) text = code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
        else text = `Redirect ${['Network', 'Host', 'Type of Service and Network', 'Type of Service and Host'][b[h + 1]!] ?? ''}(New nexthop: ${ipStr(((b[h + 4]! << 24) | (b[h + 5]! << 16) | (b[h + 6]! << 8) | b[h + 7]!) >>> 0)})`;
        ctx.out(`From ${nameOf(pkt.src)} icmp_seq=${seq} ${text}\n`);
      }
      checkDone();
    }
  }

  /** iputils' acknowledge(): the pipe is how many probes were out when one was answered. */
  function acknowledge(seq: number): void {
    const diff = ((ntransmitted & 0xffff) - seq) & 0xffff;
    if (diff <= 0x7fff && diff + 1 > pipesize) pipesize = diff + 1;
  }

  // The probe: the same bytes every time but for its sequence number, time and checksum, so one
  // buffer serves them all (ipSend copies it into the frame). iputils puts a timeval in the first
  // 16 data bytes, then a counting pattern.
  const payload = new Uint8Array(8 + o.size);
  payload[0] = ICMP_ECHO;
  wr16(payload, 4, ident);
  for (let i = 16; i < o.size; i++) payload[8 + i] = o.pattern ? o.pattern[(i - 16) % o.pattern.length]! : i & 0xff;

  // Likewise one set of send options (ipSend keeps neither).
  const sendOpts: SendOpts = { src, dst: dst!, proto: IPPROTO_ICMP, payload, oif: sockOif, broadcast: o.broadcast, df: true,
    ...(o.ttl !== null ? { ttl: o.ttl } : {}) };

  function sendOne(): void {
    if (finished) return;
    const seq = (ntransmitted + 1) & 0xffff;
    wr16(payload, 6, seq);
    const tsec = Math.floor(lab.clock.now / NS_PER_SEC);
    if (o.size >= 16) { payload[8] = tsec & 0xff; payload[9] = (tsec >> 8) & 0xff; }
    wr16(payload, 2, 0);
    wr16(payload, 2, inetChecksum(payload, 0, payload.length));
    sentAt.set(seq, lab.clock.now);
    lastSend = lab.clock.now;
    ntransmitted++;
    // IP_PMTUDISC_DO: a datagram bigger than the route's MTU is refused locally (EMSGSIZE).
    // EMSGSIZE: over 64 KiB of IP datagram, or bigger than the MTU with IP_PMTUDISC_DO.
    const pmtuDo = (o.pmtudisc === 'do' || o.pmtudisc === 'probe') && rt && rt.type !== 'local';
    if (pmtuDo || 28 + o.size > 65535) {
      const mtu = (oif ?? (rt!.type === "local" ? ns.devices.get("lo") : rt!.dev))?.mtu ?? 1500;
      if (28 + o.size > (pmtuDo ? mtu : 65535)) {
        nerrors++;
        ctx.err(`ping: local error: message too long, mtu=${mtu}\n`);
        if (o.count && ntransmitted >= o.count) { lingerTimer = lab.clock.after((o.timeout ?? 10) * NS_PER_SEC, finish); checkDone(); return; }
        sendTimer = lab.clock.after(Math.max(o.interval * NS_PER_SEC, 0), sendOne);
        return;
      }
    }
    const r = ipSend(ns, sendOpts);
    if (!r.ok) {
      ctx.err(`ping: sendmsg: ${strerror(r.errno)}\n`);
      nerrors++;
    }
    if (o.count && ntransmitted >= o.count && o.deadline === null) {
      // All sent: wait for the stragglers (lingertime, 10 s unless -W).
      lingerTimer = lab.clock.after((o.timeout ?? 10) * NS_PER_SEC, finish);
      checkDone();
      return;
    }
    // The next probe is due one interval after this one; ping's own work makes it a little later.
    sendTimer = lab.clock.after(Math.max(o.interval * NS_PER_SEC, 0) + PING_WORK_NS, sendOne);
  }

  // ping drains every pending message before it looks at its exit condition, so errors that
  // arrive together are all counted: the check runs after the current instant's deliveries.
  let checkPending = false;
  function checkDone(): void {
    if (checkPending || finished) return;
    checkPending = true;
    lab.clock.after(0, () => {
      checkPending = false;
      if (o.count && nreceived + nerrors >= o.count && ntransmitted >= o.count) finish();
      else if (o.count && o.deadline !== null && nreceived >= o.count) finish();
    });
  }

  function finish(): void {
    if (finished) return;
    finished = true;
    sendTimer?.cancel(); lingerTimer?.cancel(); deadlineTimer?.cancel();
    close();
    const loss = ntransmitted ? ((ntransmitted - nreceived) * 100) / ntransmitted : 0;
    const lossStr = Number.isInteger(loss) ? String(loss) : String(Number(loss.toPrecision(6)));
    const ms = Math.floor((lastSend - start) / NS_PER_MS);
    let line = `\n--- ${o.dest} ping statistics ---\n${ntransmitted} packets transmitted, ${nreceived} received`;
    if (nrepeats) line += `, +${nrepeats} duplicates`;
    if (nerrors) line += `, +${nerrors} errors`;
    line += `, ${lossStr}% packet loss, time ${ms}ms\n`;
    let tail = '';
    let comma = '';
    if (nreceived) {
      const avg = tsum / nreceived;
      const mdev = Math.sqrt(Math.max(0, tsum2 / nreceived - avg * avg));
      tail += `rtt min/avg/max/mdev = ${fmt3(tmin)}/${fmt3(avg)}/${fmt3(tmax)}/${fmt3(mdev)} ms`;
      comma = ', ';
    }
    if (pipesize > 1) { tail += `${comma}pipe ${pipesize}`; }
    ctx.out(line + tail + '\n');
    const status = nreceived ? (o.deadline !== null && o.count && nreceived < o.count ? 1 : 0) : 1;
    ctx.io.exit(status);
  }

  ctx.io.onSignal(() => finish());
  if (o.deadline !== null) deadlineTimer = lab.clock.after(o.deadline * NS_PER_SEC, finish);
  sendOne();
  return 'async';
};
