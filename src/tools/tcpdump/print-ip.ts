/** Network layer printers: IPv4, ICMP, UDP (+VXLAN), IPv6, ICMPv6 (ports of tcpdump 4.99). */
import { foldSum, internetChecksum, sum16 } from '../../wire/checksum.ts';
import { formatIpv6 } from '../../wire/ipv6.ts';
import { bittok2str, Ctx, hex2, printUnknownData, tok2str } from './ctx.ts';
import { etherPrint } from './print-link.ts';
import { portName, protoName } from './names.ts';
import { tcpPrint } from './print-tcp.ts';
import { igmpPrint } from './print-igmp.ts';
import { genevePrint, grePrint } from './print-tunnels.ts'; // GRE, Geneve
import {
  icmp2str, icmp6DstUnreachCodeValues, icmp6NdNaFlagValues, icmp6OptPiFlagValues, icmp6OptRaFlagValues,
  icmp6OptValues, icmp6TypeValues, ipFragValues, ipOptionValues, ipprotoValues, mldv2report2str,
} from './tables.ts';

const IP_MF = 0x2000, IP_OFFMASK = 0x1fff;

/** in_cksum_shouldbe(). */
function shouldbe(sum: number, computed: number): number {
  let s = sum + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}

const hx = (n: number) => n.toString(16);

function ip6addr(ctx: Ctx, at: number): string {
  ctx.check(at, 16);
  return formatIpv6(ctx.b, at);
}

// ------------------------------------------------------------------ IPv4

export function ipPrint(ctx: Ctx, bp: number, length: number): void {
  ctx.protocol = 'ip';
  const ver = ctx.u8(bp) >>> 4;
  if (ver !== 4) {
    ctx.p(ver === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${ver}`);
    ctx.printInvalid();
    return;
  }
  if (!ctx.f.e) ctx.p('IP ');
  if (!ctx.test(bp, 20)) return ctx.printTrunc();
  if (length < 20) {
    ctx.p(`truncated-ip ${length}`);
    return;
  }
  const hlen = (ctx.u8(bp) & 0x0f) * 4;
  if (hlen < 20) {
    ctx.p(`bad-hlen ${hlen}`);
    return;
  }
  let len = ctx.u16(bp + 2);
  if (length < len) ctx.p(`truncated-ip - ${len - length} bytes missing! `);
  if (len < hlen) {
    ctx.p(`bad-len ${len}`);
    return;
  }
  ctx.pushSnap(bp, len);
  len -= hlen;
  const off = ctx.u16(bp + 6);
  const proto = ctx.u8(bp + 9);
  if (ctx.f.v) {
    const tos = ctx.u8(bp + 1);
    ctx.p(`(tos 0x${hx(tos)}`);
    ctx.p(['', ',ECT(1)', ',ECT(0)', ',CE'][tos & 3]!);
    const ttl = ctx.u8(bp + 8);
    if (ttl >= 1) ctx.p(`, ttl ${ttl}`);
    ctx.p(`, id ${ctx.u16(bp + 4)}, offset ${(off & IP_OFFMASK) * 8}, flags [${bittok2str(ipFragValues, 'none', off & 0xe000)}], proto ${tok2str(ipprotoValues, 'unknown', proto)} (${proto})`);
    ctx.p(`, length ${ctx.u16(bp + 2)}`);
    let truncated = false;
    if (hlen > 20) {
      ctx.p(', options (');
      if (!ipOptPrint(ctx, bp + 20, hlen - 20)) {
        ctx.p(' [truncated-option]');
        truncated = true;
      }
      ctx.p(')');
    }
    if (bp + hlen <= ctx.snapend) {
      const sum = internetChecksum(ctx.b, bp, hlen);
      if (sum !== 0) {
        const ipSum = ctx.u16(bp + 10);
        ctx.p(`, bad cksum ${hx(ipSum)} (->${hx(shouldbe(ipSum, sum))})!`);
      }
    }
    ctx.p(')\n    ');
    if (truncated) {
      ctx.p(`${ctx.ipaddr(bp + 12)} > ${ctx.ipaddr(bp + 16)}: `);
      ctx.printTrunc();
      ctx.popSnap();
      return;
    }
  }
  if ((off & IP_OFFMASK) === 0) {
    if (proto !== 6 && proto !== 17 && proto !== 132 && proto !== 33) {
      ctx.p(`${ctx.ipaddr(bp + 12)} > ${ctx.ipaddr(bp + 16)}: `);
    }
    if (!ctx.test(bp, hlen)) {
      ctx.p(` [remaining caplen(${ctx.avail(bp)}) < header length(${hlen})]`);
      ctx.trunc();
    }
    ipDemuxPrint(ctx, bp + hlen, len, 4, (off & IP_MF) !== 0, ctx.u8(bp + 8), proto, bp);
  } else {
    ctx.p(`${ctx.ipaddr(bp + 12)} > ${ctx.ipaddr(bp + 16)}:`);
    const name = ctx.f.n === 0 ? protoName(proto) : null;
    ctx.p(name !== null ? ` ${name}` : ` ip-proto-${proto}`);
  }
  ctx.popSnap();
}

/** ip_optprint(): false when truncated. */
function ipOptPrint(ctx: Ctx, cp: number, length: number): boolean {
  let sep = '';
  while (length > 0) {
    ctx.p(sep);
    sep = ',';
    const code = ctx.u8(cp);
    ctx.p(tok2str(ipOptionValues, 'unknown %u', code));
    let optLen: number;
    if (code === 1 || code === 0) optLen = 1;
    else {
      optLen = ctx.u8(cp + 1);
      if (optLen < 2) {
        ctx.p(` [bad length ${optLen}]`);
        return true;
      }
    }
    if (optLen > length) {
      ctx.p(` [bad length ${optLen}]`);
      return true;
    }
    if (!ctx.test(cp, optLen)) return false;
    if (code === 0) return true;
    if (code === 7 || code === 131 || code === 137 || code === 68) ctx.unemulated = 'ip option';
    if (code === 148) {
      if (optLen < 4) ctx.p(` [bad length ${optLen}]`);
      else if (ctx.u16(cp + 2) !== 0) ctx.p(` value ${ctx.u16(cp + 2)}`);
    }
    // RR/SSRR/LSRR/timestamp bodies are not decoded here.
    cp += optLen;
    length -= optLen;
  }
  return true;
}

/** Protocols with tcpdump printers vnet does not emulate (GRE, OSPF, ESP, SCTP...). */
const UNEMULATED_IPPROTOS = new Set([51, 50, 108, 132, 33, 9, 88, 8, 89, 46, 55, 103, 112, 113]);

function ipDemuxPrint(ctx: Ctx, bp: number, length: number, ver: 4 | 6, fragmented: boolean, _ttl: number, nh: number, iph: number): void {
  switch (nh) {
    case 6:
      tcpPrint(ctx, bp, length, iph, fragmented);
      return;
    case 17:
      udpPrint(ctx, bp, length, iph, fragmented);
      return;
    case 1:
      if (ver === 4) icmpPrint(ctx, bp, length, iph, fragmented);
      else {
        ctx.p(`[${tok2str(ipprotoValues, 'unknown', nh)} requires IPv4]`);
        ctx.printInvalid();
      }
      return;
    case 58:
      if (ver === 6) icmp6Print(ctx, bp, length, iph, fragmented);
      else {
        ctx.p(`[${tok2str(ipprotoValues, 'unknown', nh)} requires IPv6]`);
        ctx.printInvalid();
      }
      return;
    case 4:
      ipPrint(ctx, bp, length);
      return;
    case 41:
      ip6Print(ctx, bp, length);
      return;
    case 47:
      grePrint(ctx, bp, length);
      return;
    case 2:
      igmpPrint(ctx, bp, length);
      return;
    case 59:
      ctx.p('no next header');
      return;
    case 77:
      ctx.p(` nd ${length}`);
      return;
    case 143:
      if (ver === 6) etherPrint(ctx, bp, length, ctx.avail(bp));
      else {
        ctx.p(`[${tok2str(ipprotoValues, 'unknown', nh)} requires IPv6]`);
        ctx.printInvalid();
      }
      return;
    default: {
      if (UNEMULATED_IPPROTOS.has(nh)) ctx.unemulated = `ip-proto-${nh}`;
      const name = ctx.f.n === 0 ? protoName(nh) : null;
      ctx.p(name !== null ? ` ${name}` : ` ip-proto-${nh}`);
      ctx.p(` ${length}`);
    }
  }
}

// ------------------------------------------------------------------ ICMP

const ICMP_ERRTYPE = (t: number) => t === 3 || t === 4 || t === 5 || t === 11 || t === 12;
const unreachText: Record<number, (d: string) => string> = {
  0: (d) => `net ${d} unreachable`,
  1: (d) => `host ${d} unreachable`,
  5: (d) => `${d} unreachable - source route failed`,
  6: (d) => `net ${d} unreachable - unknown`,
  7: (d) => `host ${d} unreachable - unknown`,
  8: (d) => `${d} unreachable - source host isolated`,
  9: (d) => `net ${d} unreachable - admin prohibited`,
  10: (d) => `host ${d} unreachable - admin prohibited`,
  11: (d) => `net ${d} unreachable - tos prohibited`,
  12: (d) => `host ${d} unreachable - tos prohibited`,
  13: (d) => `host ${d} unreachable - admin prohibited filter`,
  14: (d) => `host ${d} unreachable - host precedence violation`,
  15: (d) => `host ${d} unreachable - precedence cutoff`,
};

/** icmp_tstamp_print(): milliseconds since midnight as HH:MM:SS.mmm (hours unbounded). */
function tstamp(t: number): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const ms = t % 1000, s = Math.floor(t / 1000);
  return `${p2(Math.floor(s / 3600))}:${p2(Math.floor(s / 60) % 60)}:${p2(s % 60)}.${String(ms).padStart(3, '0')}`;
}

export function icmpPrint(ctx: Ctx, bp: number, plen: number, _iph: number, fragmented: boolean): void {
  ctx.protocol = 'icmp';
  const type = ctx.u8(bp), code = ctx.u8(bp + 1);
  const oipDst = () => ctx.ipaddr(bp + 24);
  let str: string;
  switch (type) {
    case 0:
    case 8:
      str = `echo ${type === 8 ? 'request' : 'reply'}, id ${ctx.u16(bp + 4)}, seq ${ctx.u16(bp + 6)}`;
      break;
    case 3:
      if (code === 2) str = `${oipDst()} protocol ${ctx.u8(bp + 8 + 9)} unreachable`;
      else if (code === 3) {
        if (!ctx.test(bp + 8 + 9, 1)) return ctx.printTrunc();
        const oip = bp + 8;
        const hlen = (ctx.b[oip]! & 0x0f) * 4;
        const dport = ctx.u16(oip + hlen + 2);
        const p = ctx.u8(oip + 9);
        if (p === 6) str = `${ctx.ipaddr(oip + 16)} tcp port ${portName('tcp', dport, ctx.f.n)} unreachable`;
        else if (p === 17) str = `${ctx.ipaddr(oip + 16)} udp port ${portName('udp', dport, ctx.f.n)} unreachable`;
        else str = `${ctx.ipaddr(oip + 16)} protocol ${p} port ${dport} unreachable`;
      } else if (code === 4) {
        const mtu = ctx.u16(bp + 6);
        str = mtu ? `${oipDst()} unreachable - need to frag (mtu ${mtu})` : `${oipDst()} unreachable - need to frag`;
      } else {
        const f = unreachText[code];
        str = f ? f(oipDst()) : `${oipDst()} unreachable - #${code}`;
      }
      break;
    case 5: {
      const names = ['redirect %s to net %s', 'redirect %s to host %s', 'redirect-tos %s to net %s', 'redirect-tos %s to host %s'];
      const dst = oipDst(), gw = ctx.ipaddr(bp + 4);
      str = code < 4 ? names[code]!.replace('%s', dst).replace('%s', gw) : `redirect-#${code} ${dst} to ${gw}`;
      break;
    }
    case 11:
      if (!ctx.test(bp + 24, 4)) return ctx.printTrunc();
      str = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
      break;
    case 12:
      str = code ? `parameter problem - code ${code}` : `parameter problem - octet ${ctx.u8(bp + 4)}`;
      break;
    case 9: {
      str = 'router advertisement lifetime ';
      if (!ctx.test(bp + 4, 4)) return ctx.printTrunc();
      const lifetime = ctx.u16(bp + 6);
      if (lifetime < 60) str += `${lifetime}`;
      else if (lifetime < 3600) str += `${Math.floor(lifetime / 60)}:${String(lifetime % 60).padStart(2, '0')}`;
      else str += `${Math.floor(lifetime / 3600)}:${String(Math.floor((lifetime % 3600) / 60)).padStart(2, '0')}:${String(lifetime % 60).padStart(2, '0')}`;
      let num = ctx.u8(bp + 4);
      str += ` ${num}:`;
      const size = ctx.u8(bp + 5);
      if (size !== 2) {
        str += ` [size ${size}]`;
        break;
      }
      for (let at = bp + 8; num > 0; num--, at += 8) {
        if (!ctx.test(at, 8)) return ctx.printTrunc();
        str += ` {${ctx.ipaddr(at)} ${ctx.u32(at + 4)}}`;
      }
      break;
    }
    case 14: {
      if (!ctx.test(bp + 16, 4)) return ctx.printTrunc();
      str = `time stamp reply id ${ctx.u16(bp + 4)} seq ${ctx.u16(bp + 6)}: org ${tstamp(ctx.u32(bp + 8))}`;
      str += `, recv ${tstamp(ctx.u32(bp + 12))}`;
      str += `, xmit ${tstamp(ctx.u32(bp + 16))}`;
      break;
    }
    case 18:
      str = `address mask is 0x${ctx.u32(bp + 8).toString(16).padStart(8, '0')}`;
      break;
    case 13:
      str = `time stamp query id ${ctx.u16(bp + 4)} seq ${ctx.u16(bp + 6)}`;
      break;
    default:
      // Router advertisements and timestamp replies have detailed printers not emulated here.
      str = tok2str(icmp2str, 'type-#%u', type);
  }
  ctx.p(`ICMP ${str}, length ${plen}`);
  if (ctx.f.v && !fragmented && ctx.test(bp, plen)) {
    const sum = internetChecksum(ctx.b, bp, plen);
    if (sum !== 0) {
      const icmpSum = ctx.u16(bp + 2);
      ctx.p(` (wrong icmp cksum ${hx(icmpSum)} (->${hx(shouldbe(icmpSum, sum))})!)`);
    }
  }
  if (ctx.f.v && ICMP_ERRTYPE(type)) {
    const ip = bp + 8;
    ctx.p('\n\t');
    const saved = ctx.snapend;
    const ipLen = ctx.u16(ip + 2);
    ctx.snapend = Math.min(ip + ipLen, ctx.snapend);
    ipPrint(ctx, ip, ipLen);
    ctx.snapend = saved;
  }
  ctx.protocol = 'icmp';
  if (ctx.f.v && plen > 136 && (type === 3 || type === 11 || type === 12)) {
    if (!ctx.test(bp, 141)) return ctx.printTrunc();
    if (ctx.u8(bp + 5) === 0 && ctx.test(bp + 136, plen - 136)) {
      if (internetChecksum(ctx.b, bp + 136, plen - 136) !== 0) return;
    }
    const ver = (ctx.b[bp + 136]! & 0xf0) >> 4;
    ctx.p(`\n\tICMP Multi-Part extension v${ver}`);
    if (ver !== 2) {
      ctx.p(' packet not supported');
      return;
    }
    ctx.unemulated = 'icmp multipart';
  }
}

// ------------------------------------------------------------------ UDP

/** Ports tcpdump's udp_print() tests, in its order, before and after VXLAN (4789). */
const UDP_PORTS_BEFORE_VXLAN = new Set([
  53, 5353, 525, 69, 68, 67, 520, 654, 500, 4500, 7500, 8500, 161, 162, 123, 88, 750, 1701, 2103, 2104, 521, 546,
  547, 5359, 6696, 6697, 8231, 496, 1645, 1812, 1646, 1813, 1700, 3799, 921, 646, 698, 3503, 701, 1589, 6343,
  12222, 5060, 514, 8472,
]);
const UDP_PORTS_AFTER_VXLAN = new Set([6081, 4342, 4790, 17754, 6635, 319, 320, 30490]);
const atalkPort = (p: number) => (p - 16512 >>> 0) < 128 || (p - 200 >>> 0) < 128 || (p - 768 >>> 0) < 128;

/** Which printer tcpdump's udp_print() picks: VXLAN (emulated), another one (not), or none. */
function udpPrinterFor(ctx: Ctx, cp: number, sport: number, dport: number): 'vxlan' | 'geneve' | 'other' | null {
  const either = (set: Set<number>) => set.has(sport) || set.has(dport);
  if (either(UDP_PORTS_BEFORE_VXLAN)) return 'other';
  if (dport === 3456 || dport === 4567 || dport === 1985 || sport === 49152) return 'other';
  if ((sport >= 7000 && sport <= 7009) || (dport >= 7000 && dport <= 7009)) return 'other';
  if (dport === 3784 || dport === 4784 || dport === 6784 || dport === 3785 || dport === 12223 || sport === 12223) return 'other';
  if (sport === 4789 || dport === 4789) return 'vxlan';
  if (sport === 6081 || dport === 6081) return 'geneve';
  if (either(UDP_PORTS_AFTER_VXLAN)) return 'other';
  if (ctx.test(cp + 2, 1) && ctx.b[cp + 2] === 2 && (atalkPort(sport) || atalkPort(dport))) return 'other';
  return null;
}

function udpipaddrPrint(ctx: Ctx, iph: number, sport: number, dport: number): void {
  const v6 = (ctx.b[iph]! >>> 4) === 6;
  const isUdp = ctx.u8(iph + (v6 ? 6 : 9)) === 17;
  const port = (x: number) => portName('udp', x, ctx.f.n);
  if (isUdp) {
    const src = v6 ? ip6addr(ctx, iph + 8) : ctx.ipaddr(iph + 12);
    const dst = v6 ? ip6addr(ctx, iph + 24) : ctx.ipaddr(iph + 16);
    if (sport === -1) ctx.p(`${src} > ${dst}: `);
    else ctx.p(`${src}.${port(sport)} > ${dst}.${port(dport)}: `);
  } else if (sport !== -1) ctx.p(`${port(sport)} > ${port(dport)}: `);
}

export function udpPrint(ctx: Ctx, bp: number, length: number, iph: number, fragmented: boolean): void {
  ctx.protocol = 'udp';
  if (!ctx.test(bp + 2, 2)) {
    udpipaddrPrint(ctx, iph, -1, -1);
    return ctx.printTrunc();
  }
  const sport = ctx.u16(bp), dport = ctx.u16(bp + 2);
  if (length < 8) {
    udpipaddrPrint(ctx, iph, sport, dport);
    ctx.p(`truncated-udp ${length}`);
    return;
  }
  if (!ctx.test(bp + 4, 2)) {
    udpipaddrPrint(ctx, iph, sport, dport);
    return ctx.printTrunc();
  }
  let ulen = ctx.u16(bp + 4);
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < 8) {
    udpipaddrPrint(ctx, iph, sport, dport);
    ctx.p(`truncated-udplength ${ulen}`);
    return;
  }
  ulen -= 8;
  length -= 8;
  if (ulen < length) length = ulen;
  const cp = bp + 8;
  if (cp > ctx.snapend) {
    udpipaddrPrint(ctx, iph, sport, dport);
    return ctx.printTrunc();
  }
  udpipaddrPrint(ctx, iph, sport, dport);
  const v6 = (ctx.b[iph]! >>> 4) === 6;
  if (!ctx.f.q && ctx.test(cp + 4, 4)) {
    const direction = ctx.u32(cp + 4); // SUN RPC call (0) / reply (1): tcpdump decodes NFS
    if ((dport === 2049 && direction === 0) || (sport === 2049 && direction === 1)) ctx.unemulated = 'nfs';
  }
  if (ctx.f.v && !fragmented) {
    if (!v6 && ctx.f.v > 1) {
      const udpSum = ctx.u16(bp + 6);
      if (udpSum === 0) ctx.p('[no cksum] ');
      else if (ctx.test(cp, length)) {
        const sum = udpCksum(ctx, iph, bp, length + 8, false);
        ctx.p(sum !== 0 ? `[bad udp cksum 0x${hex4(udpSum)} -> 0x${hex4(shouldbe(udpSum, sum))}!] ` : '[udp sum ok] ');
      }
    } else if (v6 && ctx.test(cp, length)) {
      const sum = udpCksum(ctx, iph, bp, length + 8, true);
      const udpSum = ctx.u16(bp + 6);
      ctx.p(sum !== 0 ? `[bad udp cksum 0x${hex4(udpSum)} -> 0x${hex4(shouldbe(udpSum, sum))}!] ` : '[udp sum ok] ');
    }
  }
  if (!ctx.f.q) {
    const printer = udpPrinterFor(ctx, cp, sport, dport);
    if (printer === 'vxlan') return vxlanPrint(ctx, cp, length);
    if (printer === 'geneve') return genevePrint(ctx, cp, length);
    if (printer === 'other') ctx.unemulated = `udp port ${sport}/${dport}`;
  }
  if (ulen > length && !fragmented) ctx.p(`UDP, bad length ${ulen} > ${length}`);
  else ctx.p(`UDP, length ${ulen}`);
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function udpCksum(ctx: Ctx, iph: number, bp: number, len: number, v6: boolean): number {
  let acc: number;
  if (v6) acc = sum16(ctx.b, iph + 8, 32) + Math.floor(len / 0x10000) + (len & 0xffff) + 17;
  else acc = sum16(ctx.b, iph + 12, 8) + 17 + len;
  return ~foldSum(sum16(ctx.b, bp, len, acc)) & 0xffff;
}

function vxlanPrint(ctx: Ctx, bp: number, len: number): void {
  ctx.protocol = 'vxlan';
  ctx.p('VXLAN');
  if (len < 8) return ctx.printInvalid();
  const flags = ctx.u8(bp);
  ctx.p(`, flags [${flags & 0x08 ? 'I' : 'invalid'}] (0x${hex2(flags)}), `);
  ctx.p(`vni ${ctx.u24(bp + 4)}\n`);
  ctx.check(bp + 7, 1);
  etherPrint(ctx, bp + 8, len - 8, ctx.avail(bp + 8));
}

// ------------------------------------------------------------------ IPv6

export function ip6Print(ctx: Ctx, bp: number, length: number): void {
  ctx.protocol = 'ip6';
  if (!ctx.test(bp, 40)) return ctx.printTrunc();
  if (length < 40) {
    ctx.p(`truncated-ip6 ${length}`);
    return;
  }
  if (!ctx.f.e) ctx.p('IP6 ');
  const ver = ctx.u8(bp) >>> 4;
  if (ver !== 6) {
    ctx.p(`version error: ${ver} != 6`);
    return;
  }
  const payloadLen = ctx.u16(bp + 4);
  let len: number;
  if (payloadLen !== 0) {
    len = payloadLen + 40;
    if (length < len) ctx.p(`truncated-ip6 - ${len - length} bytes missing!`);
  } else len = length + 40;
  let nh = ctx.u8(bp + 6);
  if (ctx.f.v) {
    const flow = ctx.u32(bp);
    ctx.p('(');
    if (flow & 0x0ff00000) ctx.p(`class 0x${hex2((flow & 0x0ff00000) >>> 20)}, `);
    if (flow & 0x000fffff) ctx.p(`flowlabel 0x${(flow & 0x000fffff).toString(16).padStart(5, '0')}, `);
    ctx.p(`hlim ${ctx.u8(bp + 7)}, next-header ${tok2str(ipprotoValues, 'unknown', nh)} (${nh}) payload length: ${payloadLen}) `);
  }
  ctx.pushSnap(bp, len);
  let cp = bp;
  let advance = 40;
  let totalAdvance = 0;
  let foundExt = false, foundHbh = false, ph = 255, fragmented = false;
  while (cp < ctx.snapend && advance > 0) {
    if (len < advance) {
      ctx.printTrunc();
      return;
    }
    cp += advance;
    len -= advance;
    totalAdvance += advance;
    if (cp === bp + 40 && nh !== 6 && nh !== 17 && nh !== 33 && nh !== 132) {
      ctx.p(`${ip6addr(ctx, bp + 8)} > ${ip6addr(ctx, bp + 24)}: `);
    }
    switch (nh) {
      case 0: {
        if (foundHbh) {
          ctx.p('[The Hop-by-Hop Options header was already found]');
          return ctx.printInvalid();
        }
        if (ph !== 255) {
          ctx.p("[The Hop-by-Hop Options header don't follow the IPv6 header]");
          return ctx.printInvalid();
        }
        const r = optHeaderProcess(ctx, cp, 'hbhopt', 'HBH ', true);
        if (payloadLen === 0) {
          ctx.p('[No valid Jumbo Payload Hop-by-Hop option found]');
          return ctx.printInvalid();
        }
        if (r < 0) {
          ctx.popSnap();
          return;
        }
        advance = r;
        foundExt = foundHbh = true;
        nh = ctx.u8(cp);
        break;
      }
      case 60: {
        const r = optHeaderProcess(ctx, cp, 'dstopt', 'DSTOPT ', ctx.f.v > 0);
        if (r < 0) {
          ctx.popSnap();
          return;
        }
        advance = r;
        foundExt = true;
        nh = ctx.u8(cp);
        break;
      }
      case 43: {
        if (!ctx.test(cp, 1)) {
          ctx.printTrunc();
          return;
        }
        const r = rt6Print(ctx, cp);
        if (r < 0) {
          ctx.popSnap();
          return;
        }
        advance = r;
        foundExt = true;
        nh = ctx.u8(cp);
        break;
      }
      case 44: {
        const r = frag6Print(ctx, cp, bp);
        if (r < 0 || ctx.snapend <= cp + r) {
          ctx.popSnap();
          return;
        }
        advance = r;
        foundExt = true;
        nh = ctx.u8(cp);
        fragmented = true;
        break;
      }
      default:
        if (payloadLen === 0) {
          if (foundExt) {
            ctx.printTrunc();
            return;
          }
          len = 40;
          ctx.changeSnap(bp, len);
          len -= totalAdvance;
        }
        ipDemuxPrint(ctx, cp, len, 6, fragmented, ctx.u8(bp + 7), nh, bp);
        ctx.popSnap();
        return;
    }
    ph = nh;
    ctx.protocol = 'ip6';
  }
  ctx.popSnap();
}

/** hbhopt_process()/dstopt_process() without Jumbo handling: returns the header length or -1. */
function optHeaderProcess(ctx: Ctx, bp: number, proto: string, label: string, printOpts: boolean): number {
  ctx.protocol = proto;
  const hlen = (ctx.u8(bp + 1) + 1) << 3;
  if (!ctx.test(bp, hlen)) {
    ctx.printTrunc();
    return -1;
  }
  ctx.p(label);
  if (printOpts && !ip6OptProcess(ctx, bp + 2, hlen - 2)) {
    ctx.printTrunc();
    return -1;
  }
  return hlen;
}

function ip6OptProcess(ctx: Ctx, bp: number, len: number): boolean {
  if (len === 0) return true;
  const v = ctx.f.v > 0;
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const t = ctx.u8(bp + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = ctx.u8(bp + i + 1) + 2;
    else return false;
    if (i + optlen > len) return false;
    switch (t) {
      case 0:
        if (v) ctx.p('(pad1)');
        break;
      case 1:
        if (len - i < 2) {
          ctx.p('(padn: trunc)');
          return false;
        }
        if (v) ctx.p('(padn)');
        break;
      case 5:
        if (len - i < 4) {
          ctx.p('(rtalert: trunc)');
          return false;
        }
        if (ctx.u8(bp + i + 1) !== 2) {
          ctx.p(`(rtalert: invalid len ${ctx.u8(bp + i + 1)})`);
          return false;
        }
        if (v) ctx.p(`(rtalert: 0x${hex4(ctx.u16(bp + i + 2))}) `);
        break;
      default:
        if (len - i < 2) {
          ctx.p(`(type ${t}: trunc)`);
          return false;
        }
        if (v) ctx.p(`(opt_type 0x${hex2(t)}: len=${ctx.u8(bp + i + 1)})`);
    }
  }
  if (v) ctx.p(' ');
  return true;
}

function rt6Print(ctx: Ctx, bp: number): number {
  ctx.protocol = 'rt6';
  ctx.p('RT6');
  let len = ctx.u8(bp + 1);
  ctx.p(` (len=${len}`);
  const type = ctx.u8(bp + 2);
  ctx.p(`, type=${type}`);
  if (type === 0) ctx.p(' [Deprecated]');
  ctx.p(`, segleft=${ctx.u8(bp + 3)}`);
  if (type === 0 || type === 2 || type === 4) {
    if (type === 4) {
      ctx.p(`, last-entry=${ctx.u8(bp + 4)}`);
      if (ctx.u8(bp + 5) || ctx.f.v) ctx.p(`, flags=0x${ctx.u8(bp + 5).toString(16)}`);
      ctx.p(`, tag=${ctx.u16(bp + 6).toString(16)}`);
    } else if (ctx.u32(bp + 4) || ctx.f.v) ctx.p(`, rsv=0x${ctx.u32(bp + 4).toString(16)}`);
    if (len % 2 === 1) {
      ctx.p(` (invalid length ${len})`);
      ctx.printInvalid();
      return -1;
    }
    len >>= 1;
    for (let i = 0; i < len; i++) ctx.p(`, [${i}]${ip6addr(ctx, bp + 8 + 16 * i)}`);
    ctx.p(') ');
    return (ctx.u8(bp + 1) + 1) << 3;
  }
  ctx.p(' (unknown type)');
  ctx.printInvalid();
  return -1;
}

function frag6Print(ctx: Ctx, bp: number, ip6: number): number {
  ctx.protocol = 'frag6';
  const rest = () => 40 + ctx.u16(ip6 + 4) - (bp - ip6) - 8;
  if (ctx.f.v) ctx.p(`frag (0x${ctx.u32(bp + 4).toString(16).padStart(8, '0')}:${ctx.u16(bp + 2) & 0xfff8}|${rest()})`);
  else ctx.p(`frag (${ctx.u16(bp + 2) & 0xfff8}|${rest()})`);
  if ((ctx.u16(bp + 2) & 0xfff8) !== 0) return -1;
  ctx.p(' ');
  return 8;
}

// ------------------------------------------------------------------ ICMPv6

function icmp6Cksum(ctx: Ctx, ip6: number, bp: number, len: number): number {
  const acc = sum16(ctx.b, ip6 + 8, 32) + Math.floor(len / 0x10000) + (len & 0xffff) + 58;
  return ~foldSum(sum16(ctx.b, bp, len, acc)) & 0xffff;
}

/** get_upperlayer(): the UDP/TCP header inside an ICMPv6 error's quoted packet. */
function getUpperLayer(ctx: Ctx, oip: number): { at: number; prot: number } | null {
  if (!ctx.test(oip + 6, 1)) return null;
  let nh = ctx.b[oip + 6]!;
  let hlen = 40;
  let p = oip;
  while (p < ctx.snapend) {
    p += hlen;
    switch (nh) {
      case 17:
      case 6:
        return ctx.test(p + 2, 2) ? { at: p, prot: nh } : null;
      case 0:
      case 60:
      case 43:
        if (!ctx.test(p + 1, 1)) return null;
        nh = ctx.b[p]!;
        hlen = (ctx.b[p + 1]! + 1) << 3;
        break;
      case 44:
        if (!ctx.test(p + 2, 2)) return null;
        if (((ctx.b[p + 2]! << 8) | ctx.b[p + 3]!) & 0xfff8) return null;
        nh = ctx.b[p]!;
        hlen = 8;
        break;
      case 51:
        if (!ctx.test(p + 1, 1)) return null;
        nh = ctx.b[p]!;
        hlen = (ctx.b[p + 1]! + 2) << 2;
        break;
      default:
        return null;
    }
  }
  return null;
}

export function icmp6Print(ctx: Ctx, bp: number, length: number, ip6: number, fragmented: boolean): void {
  ctx.protocol = 'icmp6';
  const oip = bp + 8;
  if (length === 0) {
    ctx.p('ICMP6, length 0');
    return ctx.printInvalid();
  }
  const v = ctx.f.v;
  if (v && !fragmented && ctx.test(bp, length)) {
    const sum = icmp6Cksum(ctx, ip6, bp, length);
    const s = ctx.u16(bp + 2);
    ctx.p(sum !== 0 ? `[bad icmp6 cksum 0x${hex4(s)} -> 0x${hex4(shouldbe(s, sum))}!] ` : '[icmp6 sum ok] ');
  }
  const type = ctx.u8(bp);
  ctx.p(`ICMP6, ${tok2str(icmp6TypeValues, 'unknown icmp6 type (%u)', type)}`);
  if (v && (type === 133 || type === 134 || type === 136 || type === 135 || type === 137 || type === 145 || type === 147)) {
    ctx.p(`, length ${length}`);
  }
  const code = ctx.u8(bp + 1);
  let truncated = false;
  const opts = (off: number) => {
    if (!icmp6OptPrint(ctx, bp + off, length - off)) truncated = true;
  };
  switch (type) {
    case 1:
      ctx.p(`, ${tok2str(icmp6DstUnreachCodeValues, 'unknown unreach code (%u)', code)}`);
      switch (code) {
        case 0:
        case 1:
        case 3:
          ctx.p(` ${ip6addr(ctx, oip + 24)}`);
          break;
        case 2:
          ctx.p(` ${ip6addr(ctx, oip + 24)}, source address ${ip6addr(ctx, oip + 8)}`);
          break;
        case 4: {
          const up = getUpperLayer(ctx, oip);
          if (!up) return ctx.printTrunc();
          const dport = ctx.u16(up.at + 2);
          const dst = ip6addr(ctx, oip + 24);
          if (up.prot === 6) ctx.p(`, ${dst} tcp port ${portName('tcp', dport, ctx.f.n)}`);
          else if (up.prot === 17) ctx.p(`, ${dst} udp port ${portName('udp', dport, ctx.f.n)}`);
          else ctx.p(`, ${dst} protocol ${up.prot} port ${dport} unreachable`);
          break;
        }
        default:
          if (v <= 1) {
            printUnknownData(ctx, bp, '\n\t', length);
            return;
          }
      }
      break;
    case 2:
      ctx.p(`, mtu ${ctx.u32(bp + 4)}`);
      break;
    case 3:
      if (code === 0) ctx.p(` for ${ip6addr(ctx, oip + 24)}`);
      else if (code === 1) ctx.p(' (reassembly)');
      else ctx.p(`, unknown code (${code})`);
      break;
    case 4: {
      if (!ctx.test(oip + 24, 16)) return ctx.printTrunc();
      const names = ['erroneous', 'next header', 'option', 'incomplete header chain'];
      ctx.p(code < 4 ? `, ${names[code]} - octet ${ctx.u32(bp + 4)}` : `, code-#${code}`);
      break;
    }
    case 128:
    case 129:
      ctx.p(`, id ${ctx.u16(bp + 4)}, seq ${ctx.u16(bp + 6)}`);
      break;
    case 130:
      if (length === 24) mld6Print(ctx, bp);
      else if (length >= 28) {
        ctx.p(' v2');
        mldv2QueryPrint(ctx, bp, length);
      } else ctx.p(` unknown-version (len ${length}) `);
      break;
    case 131:
    case 132:
      mld6Print(ctx, bp);
      break;
    case 133:
      if (v) opts(8);
      break;
    case 134:
      if (v) {
        const f = ctx.u8(bp + 5);
        ctx.p(`\n\thop limit ${ctx.u8(bp + 4)}, Flags [${bittok2str(icmp6OptRaFlagValues, 'none', f)}], pref ${rtpref(f)}, router lifetime ${ctx.u16(bp + 6)}s, reachable time ${ctx.u32(bp + 8)}ms, retrans timer ${ctx.u32(bp + 12)}ms`);
        opts(16);
      }
      break;
    case 135:
      ctx.p(`, who has ${ip6addr(ctx, bp + 8)}`);
      if (v) opts(24);
      break;
    case 136:
      ctx.p(`, tgt is ${ip6addr(ctx, bp + 8)}`);
      if (v) {
        ctx.p(`, Flags [${bittok2str(icmp6NdNaFlagValues, 'none', ctx.u32(bp + 4))}]`);
        opts(24);
      }
      break;
    case 137:
      ctx.p(`, ${ip6addr(ctx, bp + 8)}`);
      ctx.p(` to ${ip6addr(ctx, bp + 24)}`);
      if (v) opts(40);
      break;
    case 141:
    case 142:
      break;
    case 143:
      mldv2ReportPrint(ctx, bp, length);
      break;
    case 144:
    case 146:
      ctx.p(`, id 0x${hex4(ctx.u16(bp + 4))}`);
      break;
    case 138:
    case 139:
    case 140:
    case 145:
    case 147:
    case 155:
      ctx.unemulated = `icmp6 type ${type}`;
      break;
    default:
      ctx.p(`, length ${length}`);
      if (v <= 1) printUnknownData(ctx, bp, '\n\t', length);
      return;
  }
  if (truncated) return ctx.printTrunc();
  if (!v) ctx.p(`, length ${length}`);
}

function rtpref(v: number): string {
  return ['medium', 'high', 'rsv', 'low'][(v & 0x18) >> 3]!;
}

function lifetime(v: number): string {
  return v === 0xffffffff ? 'infinity' : `${v}s`;
}

/** icmp6_opt_print(): false on truncation. */
function icmp6OptPrint(ctx: Ctx, bp: number, resid: number): boolean {
  let cp = bp;
  const ep = ctx.snapend;
  while (cp < ep) {
    if (!ctx.test(cp + 1, 1)) return false;
    if (resid <= 0) return true;
    const t = ctx.b[cp]!, l = ctx.b[cp + 1]!;
    if (l === 0) return false;
    if (cp + (l << 3) > ep) return false;
    ctx.p(`\n\t  ${tok2str(icmp6OptValues, 'unknown', t)} option (${t}), length ${l << 3} (${l}): `);
    switch (t) {
      case 1:
      case 2: {
        const n = (l << 3) - 2;
        const parts: string[] = [];
        for (let i = 0; i < n; i++) parts.push(hex2(ctx.u8(cp + 2 + i)));
        ctx.p(parts.join(':'));
        break;
      }
      case 3:
        ctx.p(`${ip6addr(ctx, cp + 16)}/${ctx.u8(cp + 2)}${l !== 4 ? 'badlen' : ''}, Flags [${bittok2str(icmp6OptPiFlagValues, 'none', ctx.u8(cp + 3))}], valid time ${lifetime(ctx.u32(cp + 4))}`);
        ctx.p(`, pref. time ${lifetime(ctx.u32(cp + 8))}`);
        break;
      case 4:
        printUnknownData(ctx, bp, '\n\t    ', l << 3);
        break;
      case 5:
        ctx.p(` ${ctx.u32(cp + 4)}${l !== 1 ? 'bad option length' : ''}`);
        break;
      case 25: {
        const n = (l - 1) >> 1;
        ctx.p(` lifetime ${ctx.u32(cp + 4)}s,`);
        for (let i = 0; i < n; i++) ctx.p(` addr: ${ip6addr(ctx, cp + 8 + 16 * i)}`);
        break;
      }
      case 7:
        ctx.p(` ${ctx.u32(cp + 4)}ms`);
        break;
      case 8:
        ctx.p(` preference ${ctx.u16(cp + 4)}, lifetime ${ctx.u16(cp + 6)}`);
        break;
      default:
        if (t === 31 || t === 24) ctx.unemulated = `icmp6 option ${t}`;
        if (ctx.f.v <= 1) {
          printUnknownData(ctx, cp + 2, '\n\t  ', (l << 3) - 2);
          return true;
        }
    }
    if (ctx.f.v > 1) printUnknownData(ctx, cp + 2, '\n\t    ', (l << 3) - 2);
    cp += l << 3;
    resid -= l << 3;
  }
  return true;
}

function mld6Print(ctx: Ctx, bp: number): void {
  if (bp + 24 > ctx.snapend) return;
  ctx.p(`max resp delay: ${ctx.u16(bp + 4)} `);
  ctx.p(`addr: ${ip6addr(ctx, bp + 8)}`);
}

function mldv2ReportPrint(ctx: Ctx, bp: number, len: number): void {
  if (len < 8) {
    ctx.p(` [invalid len ${len}]`);
    return;
  }
  const ngroups = ctx.u16(bp + 6);
  ctx.p(`, ${ngroups} group record(s)`);
  if (ctx.f.v > 0) {
    let group = 8;
    for (let i = 0; i < ngroups; i++) {
      if (len < group + 20) {
        ctx.p(' [invalid number of groups]');
        return;
      }
      ctx.p(` [gaddr ${ip6addr(ctx, bp + group + 4)}`);
      ctx.p(` ${tok2str(mldv2report2str, ' [v2-report-#%u]', ctx.u8(bp + group))}`);
      const nsrcs = ctx.u16(bp + group + 2);
      if (len < group + 20 + nsrcs * 16) {
        ctx.p(` [invalid number of sources ${nsrcs}]`);
        return;
      }
      if (ctx.f.v === 1) ctx.p(`, ${nsrcs} source(s)`);
      else {
        ctx.p(' {');
        for (let j = 0; j < nsrcs; j++) ctx.p(` ${ip6addr(ctx, bp + group + 20 + j * 16)}`);
        ctx.p(' }');
      }
      group += 20 + nsrcs * 16;
      ctx.p(']');
    }
  }
}

function mldv2QueryPrint(ctx: Ctx, bp: number, len: number): void {
  if (len < 28) {
    ctx.p(` [invalid len ${len}]`);
    return;
  }
  const mrc = ctx.u16(bp + 4);
  const mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
  if (ctx.f.v) ctx.p(` [max resp delay=${mrt}]`);
  ctx.p(` [gaddr ${ip6addr(ctx, bp + 8)}`);
  if (ctx.f.v) {
    const b24 = ctx.u8(bp + 24), b25 = ctx.u8(bp + 25);
    if (b24 & 0x08) ctx.p(' sflag');
    if (b24 & 0x07) ctx.p(` robustness=${b24 & 0x07}`);
    const qqi = b25 < 128 ? b25 : ((b25 & 0x0f) | 0x10) << (((b25 & 0x70) >> 4) + 3);
    ctx.p(` qqi=${qqi}`);
  }
  const nsrcs = ctx.u16(bp + 26);
  if (nsrcs > 0) {
    if (len < 28 + nsrcs * 16) ctx.p(' [invalid number of sources]');
    else if (ctx.f.v > 1) {
      ctx.p(' {');
      for (let i = 0; i < nsrcs; i++) ctx.p(` ${ip6addr(ctx, bp + 28 + i * 16)}`);
      ctx.p(' }');
    } else ctx.p(`, ${nsrcs} source(s)`);
  }
  ctx.p(']');
}
