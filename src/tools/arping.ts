/**
 * Thomas Habets' arping 2.23 (Debian's `arping` package): ARP requests sent on a packet socket,
 * replies matched on a packet tap, one per second on the virtual clock, with its output format.
 */
import { NS_PER_SEC, type Timer } from '../core/clock.ts';
import { devQueueXmit, newSkb } from '../core/dev.ts';
import { ETH_P_ARP, ETH_P_IP, ipStr, parseIp, rd16, rd32, wr16, wr32 } from '../core/ipv4/bytes.ts';
import { netOf } from '../core/ipv4/devinet.ts';
import { macStr, type NetDevice } from '../core/netdev.ts';
import type { PacketTap } from '../core/netns.ts';
import type { Tool, ToolCtx } from './types.ts';

const USAGE = 'ARPing 2.23, by Thomas Habets <thomas@habets.se>\n' +
  'usage: arping [ -0aAbdDeFpPqrRuUvzZ ] [ -w <sec> ] [ -W <sec> ] [ -S <host/ip> ]\n' +
  '              [ -T <host/ip ] [ -s <MAC> ] [ -t <MAC> ] [ -c <count> ]\n' +
  '              [ -C <count> ] [ -i <interface> ] [ -m <type> ] [ -g <group> ]\n' +
  '              [ -V <vlan> ] [ -Q <priority> ] <host/ip/MAC | -B>\n';

function fmtUsec(ns: number): string {
  const us = ns / 1000;
  if (us >= 1000) return `${(us / 1000).toFixed(3)} msec`;
  return `${us.toFixed(3)} usec`;
}

function pickDev(ctx: ToolCtx, dst: number): NetDevice | null {
  const devs = [...ctx.ns.byIndex.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  for (const d of devs) {
    if (!d.isUp || d.name === 'lo') continue;
    if (d.inet.some((a) => netOf(a.local, a.prefixlen) === netOf(dst, a.prefixlen))) return d;
  }
  return null;
}

export const arpingTool: Tool = (ctx) => {
  let dad = false, unsolicited = false;
  let count = -1, quiet = false, iface: string | null = null, srcIp: number | null = null, deadline: number | null = null;
  let target: string | null = null;
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (w.startsWith('-') && w.length > 1) {
      const f = w[1]!;
      const val = () => (w.length > 2 ? w.slice(2) : a[++i]);
      switch (f) {
        case 'c': count = parseInt(val() ?? '', 10); break;
        case 'i': case 'I': iface = val() ?? null; break;
        case 'S': { const v = val() ?? ''; srcIp = parseIp(v); if (srcIp === null) { ctx.err(`arping: Weird IP addr ${v}\n`); return 1; } break; }
        case 's': { const v = val() ?? ''; if (!/^([0-9a-f]{1,2}:){5}[0-9a-f]{1,2}$/i.test(v)) { ctx.err(`arping: Weird MAC addr ${v}\n`); return 1; } break; }
        case 'w': deadline = Number(val()); break;
        case 'W': val(); break;
        case 'q': quiet = true; break;
        case 'D': dad = true; break;
        case 'U': unsolicited = true; break;
        case 'h': ctx.out(USAGE); return 0;
        default: break;
      }
      continue;
    }
    target = w;
  }
  if (target === null) { ctx.out(USAGE + 'For complete usage info, use --help or check the manpage.\n'); return 1; }
  const dst = parseIp(target);
  const lab = ctx.lab;
  let dev: NetDevice | null = null;
  if (iface !== null) {
    dev = ctx.ns.devices.get(iface) ?? null;
    if (!dev) { ctx.err(`arping: libnet_init(LIBNET_LINK, ${iface}): libnet_check_iface() ioctl: No such device\n`); return 1; }
  } else if (dst !== null) {
    dev = pickDev(ctx, dst);
  }
  if (!dev) {
    ctx.err('arping: lookup dev: No matching interface found using getifaddrs().\n' +
      'arping: Unable to automatically find interface to use. Is it on the local LAN?\n');
    const guess = [...ctx.ns.byIndex.values()].find((d) => d.name !== 'lo' && d.isUp);
    if (!guess) { ctx.err('arping: Use -i to manually specify interface.\n'); return 1; }
    ctx.err(`arping: Use -i to manually specify interface. Guessing interface ${guess.name}.\n`);
    dev = guess;
  }
  if (dad || quiet) {
    // Duplicate address detection and -q: no header line.
  } else if (dst === null) {
    // Pinging a MAC (ICMP to broadcast IP) is not emulated: it times out as on a LAN without replies.
    ctx.out(`ARPING ${target}\n`);
  } else ctx.out(`ARPING ${ipStr(dst)}\n`);
  const src = dad ? 0 : srcIp ?? dev.inet.find((x) => !x.secondary)?.local ?? 0;
  const outDev = dev;
  let sent = 0, received = 0;
  const rtts: number[] = [];
  let sentAt = 0;
  let answered = false;
  let timer: Timer | null = null;
  let finished = false;
  const tap: PacketTap = {
    dev: outDev,
    deliver(skb, _dev, outgoing) {
      if (outgoing || finished || dst === null) return;
      const d = skb.data;
      if (d.length < 42 || rd16(d, 12) !== ETH_P_ARP || rd16(d, 20) !== 2) return;
      if (rd32(d, 28) !== dst || rd32(d, 38) !== src) return;
      if (answered) return;
      answered = true;
      received++;
      const rtt = lab.clock.now - sentAt;
      rtts.push(rtt);
      if (dad) ctx.out('!');
      else if (!quiet) ctx.out(`42 bytes from ${macStr(d, 22)} (${ipStr(dst)}): index=${sent - 1} time=${fmtUsec(rtt)}\n`);
    },
  };
  ctx.ns.taps.push(tap);

  function sendOne(): void {
    // libnet pads the ARP packet with 16 zero bytes: 58 bytes on the wire, as tcpdump shows.
    const f = new Uint8Array(58);
    f.fill(0xff, 0, 6);
    f.set(outDev.mac, 6);
    wr16(f, 12, ETH_P_ARP);
    wr16(f, 14, 1); wr16(f, 16, ETH_P_IP); f[18] = 6; f[19] = 4; wr16(f, 20, 1);
    f.set(outDev.mac, 22); wr32(f, 28, src);
    // Target MAC: zeros (libnet's ethnull), all-ones only for -U (unsolicited).
    if (unsolicited) f.fill(0xff, 32, 38);
    wr32(f, 38, dst ?? 0xffffffff);
    answered = false;
    sentAt = lab.clock.now;
    sent++;
    devQueueXmit(newSkb(lab, f, outDev));
    timer = lab.clock.after(NS_PER_SEC, afterWait);
  }

  function afterWait(): void {
    if (!answered && dad) ctx.out('.');
    else if (!answered && !quiet) ctx.out('Timeout\n');
    if (count > 0 && sent >= count) { finish(); return; }
    sendOne();
  }

  function finish(): void {
    if (finished) return;
    finished = true;
    timer?.cancel();
    const i = ctx.ns.taps.indexOf(tap);
    if (i >= 0) ctx.ns.taps.splice(i, 1);
    const pct = sent ? Math.round(((sent - received) * 100) / sent) : 0;
    if (dad) {
      ctx.out(`\t${String(pct).padStart(3)}% packet loss (0 extra)\n`);
      ctx.io.exit(received ? 0 : 1);
      return;
    }
    let out = `\n--- ${dst === null ? target : ipStr(dst)} statistics ---\n` +
      `${sent} packets transmitted, ${received} packets received, ${String(pct).padStart(3)}% unanswered (0 extra)\n`;
    if (rtts.length) {
      const ms = rtts.map((r) => r / 1e6);
      const min = Math.min(...ms), max = Math.max(...ms), avg = ms.reduce((x, y) => x + y, 0) / ms.length;
      const sd = Math.sqrt(ms.reduce((x, y) => x + (y - avg) ** 2, 0) / ms.length);
      out += `rtt min/avg/max/std-dev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${sd.toFixed(3)} ms\n`;
    } else out += '\n';
    if (!quiet) ctx.out(out);
    ctx.io.exit(received ? 0 : 1);
  }

  ctx.io.onSignal(() => finish());
  sendOne();
  // Scheduled after the first wait, so a reply-less last probe prints "Timeout" before the summary.
  if (deadline !== null && Number.isFinite(deadline)) lab.clock.after(deadline * NS_PER_SEC, finish);
  return 'async';
};
