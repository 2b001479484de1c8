/** Link layer printers: Ethernet (+802.1Q/802.1ad), Linux cooked v2, ARP, LLC/STP (slow protocols: print-slow.ts). */
import { bittok2str, Ctx, hex2, hex4, tok2str } from './ctx.ts';
import { ip6Print, ipPrint } from './print-ip.ts';
import { etherName, ouiName } from './names.ts';
import { slowPrint } from './print-slow.ts';
import {
  arphrdValues, arpopValues, ethertypeValues, llcCmdValues, llcFlagValues, llcIgFlagValues, llcSupervisoryValues,
  llcValues, rstpPortRoleValues, sllPkttypeValues, stpBpduFlagValues, stpBpduTypeValues, stpProtoValues,
} from './tables.ts';

const MAX_ETHERNET_LENGTH_VAL = 1500;
/** Ethertypes tcpdump decodes with printers vnet does not emulate (printed here as unknown). */
const UNEMULATED_ETHERTYPES = new Set([
  0x6003, 0x809b, 0x80f3, 0x8137, 0xfefe, 0x8863, 0x8864, 0x3c12, 0x3c13, 0x888e, 0x8899, 0x880b, 0x8808,
  0x8902, 0xabcd, 0x88cc, 0x894f, 0x9000, 0x8847, 0x8848, 0x88ca, 0x886f, 0x0707, 0x8947, 0x1111, 0x88a2, 0x88f7,
  0x88e5, 0x8870, 0xd28b,
]);
const isVlanType = (t: number) => t === 0x8100 || t === 0x9100 || t === 0x9200 || t === 0x88a8;

function mac(ctx: Ctx, at: number): string {
  return etherName(ctx.etheraddr(at), ctx.f.n);
}

function etherAddressesPrint(ctx: Ctx, src: number, dst: number): void {
  ctx.p(`${mac(ctx, src)} > ${mac(ctx, dst)}, `);
}

function etherTypePrint(ctx: Ctx, type: number): void {
  if (!ctx.f.q) ctx.p(`ethertype ${tok2str(ethertypeValues, 'Unknown', type)} (0x${hex4(type)})`);
  else ctx.p(tok2str(ethertypeValues, 'Unknown Ethertype (0x%04x)', type));
}

export function tciString(tci: number): string {
  return `vlan ${tci & 0xfff}, p ${tci >>> 13}${tci & 0x1000 ? ', DEI' : ''}`;
}

/** ether_print(): returns the link header length consumed. */
export function etherPrint(ctx: Ctx, p: number, length: number, caplen: number): number {
  ctx.protocol = 'ether';
  if (length < caplen) {
    ctx.p(`[length ${length} < caplen ${caplen}]`);
    ctx.printInvalid();
    return length;
  }
  if (caplen < 14) {
    ctx.printTrunc();
    return caplen;
  }
  const dst = p, src = p + 6;
  const origLength = length;
  length -= 12;
  caplen -= 12;
  p += 12;
  let hdrlen = 12;
  if (ctx.f.e) etherAddressesPrint(ctx, src, dst);

  let lengthType = ctx.u16(p);
  length -= 2;
  caplen -= 2;
  p += 2;
  hdrlen += 2;
  let printedLength = false;

  while (isVlanType(lengthType)) {
    if (caplen < 4 || length < 4) {
      ctx.protocol = 'vlan';
      ctx.printTrunc();
      return hdrlen + Math.min(caplen, length);
    }
    if (ctx.f.e) {
      const tag = ctx.u16(p);
      etherTypePrint(ctx, lengthType);
      if (!printedLength) {
        ctx.p(`, length ${origLength}: `);
        printedLength = true;
      } else ctx.p(', ');
      ctx.p(`${tciString(tag)}, `);
    }
    lengthType = ctx.u16(p + 2);
    p += 4;
    length -= 4;
    caplen -= 4;
    hdrlen += 4;
  }

  if (lengthType <= MAX_ETHERNET_LENGTH_VAL) {
    if (lengthType < length) {
      length = lengthType;
      if (caplen > length) caplen = length;
    }
    ctx.pushSnap(p, length);
    if (ctx.f.e) {
      ctx.p('802.3');
      if (!printedLength) ctx.p(`, length ${length}: `);
    }
    let llc = llcPrint(ctx, p, length, caplen, src, dst);
    if (llc < 0) {
      if (!ctx.suppressDefaultPrint) ctx.defaultPrint(p, caplen);
      llc = -llc;
    }
    hdrlen += llc;
    ctx.popSnap();
  } else {
    if (ctx.f.e) {
      etherTypePrint(ctx, lengthType);
      ctx.p(printedLength ? ', ' : `, length ${origLength}: `);
    }
    if (!ethertypePrint(ctx, lengthType, p, length, caplen)) {
      if (!ctx.f.e) {
        etherAddressesPrint(ctx, src, dst);
        etherTypePrint(ctx, lengthType);
        ctx.p(`, length ${origLength}: `);
      }
      if (!ctx.suppressDefaultPrint) ctx.defaultPrint(p, caplen);
    }
  }
  return hdrlen;
}

/** ethertype_print() for the protocols vnet emits; false = unknown (caller hex-dumps). */
export function ethertypePrint(ctx: Ctx, type: number, p: number, length: number, caplen: number): boolean {
  switch (type) {
    case 0x0800:
      ipPrint(ctx, p, length);
      return true;
    case 0x86dd:
      ip6Print(ctx, p, length);
      return true;
    case 0x0806:
    case 0x8035:
      arpPrint(ctx, p, length, caplen);
      return true;
    case 0x8809:
      slowPrint(ctx, p, length);
      return true;
    default:
      if (UNEMULATED_ETHERTYPES.has(type)) ctx.unemulated = `ethertype 0x${hex4(type)}`;
      return false;
  }
}

// ------------------------------------------------------------------ Linux cooked v2 (-i any)

export const SLL2_HDR_LEN = 20;

/**
 * sll2_if_print(). `ifname` stands in for if_indextoname() of the header's ifindex
 * (tcpdump resolves it on the machine running it; vnet resolves it in the capturing netns).
 */
export function sll2Print(ctx: Ctx, p: number, length: number, caplen: number, ifname: string): number {
  ctx.protocol = 'sll2';
  ctx.check(p, SLL2_HDR_LEN);
  ctx.p(`${ifname.padEnd(5)} `);
  ctx.p(`${tok2str(sllPkttypeValues, '?', ctx.u8(p + 10)).padEnd(3)} `);
  if (ctx.f.e) sll2HeaderPrint(ctx, p, length);
  const hdr = p;
  length -= SLL2_HDR_LEN;
  caplen -= SLL2_HDR_LEN;
  p += SLL2_HDR_LEN;
  let hdrlen = SLL2_HDR_LEN;
  if (ctx.u16(hdr + 8) === 803) {
    ctx.unemulated = 'radiotap';
    return hdrlen;
  }
  let etherType = ctx.u16(hdr);
  for (;;) {
    if (etherType <= MAX_ETHERNET_LENGTH_VAL) {
      if (etherType === 0x0004) {
        const llc = llcPrint(ctx, p, length, caplen, null, null);
        if (llc >= 0) {
          hdrlen += llc;
          break;
        }
      }
      if (!ctx.suppressDefaultPrint) ctx.defaultPrint(p, caplen);
      break;
    } else if (etherType === 0x8100) {
      if (caplen < 4) {
        ctx.protocol = 'vlan';
        ctx.printTrunc();
        return hdrlen + caplen;
      }
      if (ctx.f.e) ctx.p(`${tciString(ctx.u16(p))}, `);
      etherType = ctx.u16(p + 2);
      if (etherType <= MAX_ETHERNET_LENGTH_VAL) etherType = 0x0004;
      if (!ctx.f.q) ctx.p(`ethertype ${tok2str(ethertypeValues, 'Unknown', etherType)}, `);
      p += 4;
      length -= 4;
      caplen -= 4;
      hdrlen += 4;
    } else {
      if (!ethertypePrint(ctx, etherType, p, length, caplen)) {
        if (!ctx.f.e) sll2HeaderPrint(ctx, hdr, length + SLL2_HDR_LEN);
        if (!ctx.suppressDefaultPrint) ctx.defaultPrint(p, caplen);
      }
      break;
    }
  }
  return hdrlen;
}

function sll2HeaderPrint(ctx: Ctx, p: number, length: number): void {
  ctx.protocol = 'sll2';
  ctx.p(`ifindex ${ctx.u32(p + 4)} `);
  if (ctx.u8(p + 11) === 6) ctx.p(`${mac(ctx, p + 12)} `);
  if (!ctx.f.q) {
    const t = ctx.u16(p);
    if (t <= MAX_ETHERNET_LENGTH_VAL) {
      ctx.p(t === 1 ? '802.3' : t === 4 ? '802.2' : `ethertype Unknown (0x${hex4(t)})`);
    } else ctx.p(`ethertype ${tok2str(ethertypeValues, 'Unknown', t)} (0x${hex4(t)})`);
    ctx.p(`, length ${length}: `);
  }
}

/** Builds the 20-byte LINKTYPE_LINUX_SLL2 header libpcap puts in front of an "any" capture. */
export function sll2Header(protocol: number, ifindex: number, pkttype: number, srcMac: Uint8Array | null, hatype = 1): Uint8Array {
  const h = new Uint8Array(SLL2_HDR_LEN);
  h[0] = protocol >>> 8;
  h[1] = protocol & 0xff;
  h[4] = ifindex >>> 24;
  h[5] = (ifindex >>> 16) & 0xff;
  h[6] = (ifindex >>> 8) & 0xff;
  h[7] = ifindex & 0xff;
  h[8] = hatype >>> 8;
  h[9] = hatype & 0xff;
  h[10] = pkttype;
  if (srcMac) {
    h[11] = srcMac.length;
    h.set(srcMac.subarray(0, 8), 12);
  }
  return h;
}

// ------------------------------------------------------------------ ARP

function linkaddrString(ctx: Ctx, at: number, len: number, ether = true): string {
  if (len === 0) return '<empty>';
  ctx.check(at, len);
  if (len === 6 && ether) return mac(ctx, at);
  let s = hex2(ctx.b[at]!);
  for (let i = 1; i < len; i++) s += ':' + hex2(ctx.b[at + i]!);
  return s;
}

/** arp_print() (Ethernet/IPv4 and generic; ATM ARP and Frame Relay forms are not emulated). */
export function arpPrint(ctx: Ctx, bp: number, length: number, caplen: number): void {
  ctx.protocol = 'arp';
  if (ctx.u16(bp) === 19) return atmarpPrint(ctx, bp, length, caplen);
  {
    ctx.check(bp, 8);
    const hrd = ctx.u16(bp), pro = ctx.u16(bp + 2), hln = ctx.u8(bp + 4), pln = ctx.u8(bp + 5), op = ctx.u16(bp + 6);
    const sha = bp + 8, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
    ctx.check(tpa, pln);
    if (!ctx.f.e) ctx.p('ARP, ');
    const v = ctx.f.v > 0;
    if ((pro !== 0x0800 && pro !== 0x1000) || pln !== 4 || hln === 0 || v) {
      ctx.p(`${tok2str(arphrdValues, 'Unknown Hardware (%u)', hrd)} (len ${hln}), ${tok2str(ethertypeValues, 'Unknown Protocol (0x%04x)', pro)} (len ${pln})`);
      if (!v) {
        ctx.p(`, length ${length}`);
        return;
      }
    }
    ctx.p(`${v ? ', ' : ''}${tok2str(arpopValues, 'Unknown (%u)', op)} `);
    const paddr = (at: number) =>
      pro !== 0x0800 && pro !== 0x1000 ? '<wrong proto type>' : pln !== 4 ? '<wrong len>' : ctx.ipaddr(at);
    switch (op) {
      case 1: {
        ctx.p('who-has ' + paddr(tpa));
        let nz = false;
        for (let i = 0; i < hln; i++) if (ctx.u8(tha + i) !== 0) nz = true;
        if (nz) ctx.p(` (${linkaddrString(ctx, tha, hln)})`);
        ctx.p(' tell ' + paddr(spa));
        break;
      }
      case 2:
        ctx.p(`${paddr(spa)} is-at ${linkaddrString(ctx, sha, hln)}`);
        break;
      case 3:
      case 8:
        ctx.p(`who-is ${linkaddrString(ctx, tha, hln)}`);
        ctx.p(` tell ${linkaddrString(ctx, sha, hln)}`);
        break;
      case 4:
        ctx.p(`${linkaddrString(ctx, tha, hln)} at `);
        ctx.p(paddr(tpa));
        break;
      case 9:
        ctx.p(`${linkaddrString(ctx, sha, hln)} at `);
        ctx.p(paddr(spa));
        break;
      default:
        ctx.defaultPrint(bp, caplen);
        return;
    }
    ctx.p(`, length ${length}`);
  }
}

/** atmarp_print(): RFC 2225 ATM ARP (hardware type 19). */
function atmarpPrint(ctx: Ctx, bp: number, length: number, caplen: number): void {
  ctx.check(bp, 12);
  const hrd = ctx.u16(bp), pro = ctx.u16(bp + 2), op = ctx.u16(bp + 6);
  const shl = ctx.u8(bp + 4) & 0x3f, ssl = ctx.u8(bp + 5) & 0x3f, spl = ctx.u8(bp + 8);
  const thl = ctx.u8(bp + 9) & 0x3f, tsl = ctx.u8(bp + 10) & 0x3f, tpl = ctx.u8(bp + 11);
  const sha = bp + 12, ssa = sha + shl, spa = ssa + ssl, tha = spa + spl, tsa = tha + thl, tpa = tsa + tsl;
  ctx.check(tpa, tpl);
  if (!ctx.f.e) ctx.p('ARP, ');
  const v = ctx.f.v > 0;
  const ipProto = pro === 0x0800 || pro === 0x1000;
  if (!ipProto || spl !== 4 || tpl !== 4 || v) {
    ctx.p(`${tok2str(arphrdValues, 'Unknown Hardware (%u)', hrd)}, ${tok2str(ethertypeValues, 'Unknown Protocol (0x%04x)', pro)} (len ${spl}/${tpl})`);
    if (!v) {
      ctx.p(`, length ${length}`);
      return;
    }
  }
  ctx.p(`${v ? ', ' : ''}${tok2str(arpopValues, 'Unknown (%u)', op)} `);
  const paddr = (at: number, l: number, which: string) =>
    !ipProto ? '<wrong proto type>' : l !== 4 ? `<wrong ${which}len>` : ctx.ipaddr(at);
  const addr = (ha: number, hl: number, sa: number, sl: number) => {
    if (hl === 0) return '<No address>';
    let s = linkaddrString(ctx, ha, hl, false);
    if (sl !== 0) s += ',' + linkaddrString(ctx, sa, sl, false);
    return s;
  };
  switch (op) {
    case 1:
      ctx.p('who-has ' + paddr(tpa, tpl, 'tp'));
      if (thl !== 0) ctx.p(` (${addr(tha, thl, tsa, tsl)})`);
      ctx.p(' tell ' + paddr(spa, spl, 'sp'));
      break;
    case 2:
      ctx.p(`${paddr(spa, spl, 'sp')} is-at ${addr(sha, shl, ssa, ssl)}`);
      break;
    case 8:
      ctx.p(`who-is ${addr(tha, thl, tsa, tsl)} tell ${addr(sha, shl, ssa, ssl)}`);
      break;
    case 9:
      ctx.p(`${addr(sha, shl, ssa, ssl)}at ${paddr(spa, spl, 'sp')}`);
      break;
    case 10:
      ctx.p(`for ${paddr(spa, spl, 'sp')}`);
      break;
    default:
      ctx.defaultPrint(bp, caplen);
      return;
  }
  ctx.p(`, length ${length}`);
}

// ------------------------------------------------------------------ 802.2 LLC and STP

/** llc_print(): returns the LLC header length, negative when the payload was not printed. */
export function llcPrint(ctx: Ctx, p: number, length: number, caplen: number, src: number | null, dst: number | null): number {
  ctx.protocol = 'llc';
  if (caplen < 3 || length < 3) {
    ctx.printTrunc();
    ctx.defaultPrint(p, caplen);
    return caplen < 3 ? caplen : length;
  }
  const dsapField = ctx.u8(p), ssapField = ctx.u8(p + 1);
  let control = ctx.u8(p + 2);
  let isU = true, hdrlen = 3;
  if ((control & 3) !== 3) {
    if (caplen < 4 || length < 4) {
      ctx.printTrunc();
      ctx.defaultPrint(p, caplen);
      return caplen < 4 ? caplen : length;
    }
    control = ctx.u8(p + 2) | (ctx.u8(p + 3) << 8);
    isU = false;
    hdrlen = 4;
  }
  if (ssapField === 0xff && dsapField === 0xff) {
    ctx.unemulated = 'ipx';
    if (ctx.f.e) ctx.p('IPX 802.3: ');
    return 0;
  }
  const dsap = dsapField & ~1, ssap = ssapField & ~1;
  if (ctx.f.e) {
    ctx.p(`LLC, dsap ${tok2str(llcValues, 'Unknown', dsap)} (0x${hex2(dsap)}) ${tok2str(llcIgFlagValues, 'Unknown', dsapField & 1)}, ssap ${tok2str(llcValues, 'Unknown', ssap)} (0x${hex2(ssap)}) ${tok2str(llcFlagValues, 'Unknown', ssapField & 1)}`);
    ctx.p(isU ? `, ctrl 0x${hex2(control)}: ` : `, ctrl 0x${hex4(control)}: `);
  }
  p += hdrlen;
  length -= hdrlen;
  caplen -= hdrlen;
  if (ssap === 0xaa && dsap === 0xaa && control === 0x03) {
    return snapPrint(ctx, p, length, caplen, src, dst) ? hdrlen + 5 : -(hdrlen + 5);
  }
  if (ssap === 0x42 && dsap === 0x42 && control === 0x03) {
    stpPrint(ctx, p, length);
    return hdrlen;
  }
  if (ssap === 0x06 && dsap === 0x06 && control === 0x03) {
    ipPrint(ctx, p, length);
    return hdrlen;
  }
  if ((ssap === 0xe0 && dsap === 0xe0 && control === 0x03) || (ssap === 0xfe && dsap === 0xfe && control === 0x03)) {
    ctx.unemulated = 'ipx/osi';
  }
  if (!ctx.f.e) {
    const d = (fmt: string, v: number) => tok2str(llcValues, fmt, v);
    if (ssap === dsap) {
      if (src === null || dst === null) ctx.p(`${d('Unknown DSAP 0x%02x', dsap)} `);
      else ctx.p(`${mac(ctx, src)} > ${mac(ctx, dst)} ${d('Unknown DSAP 0x%02x', dsap)} `);
    } else if (src === null || dst === null) ctx.p(`${d('Unknown SSAP 0x%02x', ssap)} > ${d('Unknown DSAP 0x%02x', dsap)} `);
    else ctx.p(`${mac(ctx, src)} ${d('Unknown SSAP 0x%02x', ssap)} > ${mac(ctx, dst)} ${d('Unknown DSAP 0x%02x', dsap)} `);
  }
  if (isU) {
    ctx.p(`Unnumbered, ${tok2str(llcCmdValues, '%02x', control & 0xef)}, Flags [${tok2str(llcFlagValues, '?', (ssapField & 1) | (control & 0x10))}], length ${length + hdrlen}`);
    if ((control & ~0x10) === 0xaf) {
      if (length === 0) return hdrlen;
      if (caplen < 1) {
        ctx.printTrunc();
        return hdrlen;
      }
      if (ctx.u8(p) === 0x81) {
        if (caplen < 3 || length < 3) {
          ctx.printTrunc();
          if (caplen > 0) ctx.defaultPrint(p, caplen);
        } else ctx.p(`: ${hex2(ctx.u8(p + 1))} ${hex2(ctx.u8(p + 2))}`);
        return hdrlen;
      }
    }
  } else if ((control & 1) === 1) {
    ctx.p(`Supervisory, ${tok2str(llcSupervisoryValues, '?', (control >> 2) & 3)}, rcv seq ${(control >> 9) & 0x7f}, Flags [${tok2str(llcFlagValues, '?', (ssapField & 1) | (control & 0x100))}], length ${length + hdrlen}`);
    return hdrlen;
  } else {
    ctx.p(`Information, send seq ${(control >> 1) & 0x7f}, rcv seq ${(control >> 9) & 0x7f}, Flags [${tok2str(llcFlagValues, '?', (ssapField & 1) | (control & 0x100))}], length ${length + hdrlen}`);
  }
  return -hdrlen;
}

/** snap_print() for encapsulated Ethernet types (vendor PIDs such as CDP are not decoded). */
function snapPrint(ctx: Ctx, p: number, length: number, caplen: number, src: number | null, dst: number | null): boolean {
  ctx.protocol = 'snap';
  if (!ctx.test(p, 5) || caplen < 5 || length < 5) {
    ctx.printTrunc();
    return true;
  }
  const org = ctx.u24(p), et = ctx.u16(p + 3);
  const pidName = org === 0 || org === 0xf8 ? tok2str(ethertypeValues, 'Unknown', et) : 'Unknown';
  if (ctx.f.e) {
    ctx.p(`oui ${ouiName(org)} (0x${org.toString(16).padStart(6, '0')}), ${org === 0 ? 'ethertype' : 'pid'} ${pidName} (0x${hex4(et)}), length ${length - 5}: `);
  }
  p += 5;
  length -= 5;
  caplen -= 5;
  if ((org === 0 || org === 0xf8) && ethertypePrint(ctx, et, p, length, caplen)) return true;
  if (org === 0x00000c || org === 0x0080c2 || org === 0x080007) ctx.unemulated = `snap oui 0x${org.toString(16)}`;
  if (!ctx.f.e) {
    if (src !== null && dst !== null) ctx.p(`${mac(ctx, src)} > ${mac(ctx, dst)} `);
    if (org === 0) ctx.p(`SNAP, ethertype ${pidName} (0x${hex4(et)}), length ${length}: `);
    else ctx.p(`SNAP, oui ${ouiName(org)} (0x${org.toString(16).padStart(6, '0')}), pid ${pidName} (0x${hex4(et)}), length ${length}: `);
  }
  return false;
}

function bridgeId(ctx: Ctx, at: number): string {
  ctx.check(at, 8);
  const b = ctx.b;
  return `${hex2(b[at]!)}${hex2(b[at + 1]!)}.${[2, 3, 4, 5, 6, 7].map((i) => hex2(b[at + i]!)).join(':')}`;
}

/** printf("%.2f", v / 256.0): exact binary value, ties to even (toFixed rounds ties up). */
function secs(v: number): string {
  const q = Math.floor((v * 25) / 64), r = (v * 25) % 64;
  const c = r * 2 > 64 || (r * 2 === 64 && q % 2 === 1) ? q + 1 : q;
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

/** stp_print() for 802.1D config/TCN and 802.1w BPDUs (MSTP/SPB are not emulated). */
export function stpPrint(ctx: Ctx, p: number, length: number): void {
  ctx.protocol = 'stp';
  if (length < 4) return ctx.printInvalid();
  if (ctx.u16(p)) {
    ctx.p(`unknown STP version, length ${length}`);
    return;
  }
  const version = ctx.u8(p + 2);
  ctx.p(`STP ${tok2str(stpProtoValues, 'Unknown STP protocol (0x%02x)', version)}`);
  if (version !== 0 && version !== 2 && version !== 3 && version !== 4) return;
  const type = ctx.u8(p + 3);
  ctx.p(`, ${tok2str(stpBpduTypeValues, 'Unknown BPDU Type (0x%02x)', type)}`);
  if (type === 0x02 && (version === 3 || version === 4)) ctx.unemulated = 'mstp';
  if (type === 0x00 || (type === 0x02 && version === 2)) {
    if (length < (type === 0 ? 35 : 36)) return ctx.printInvalid();
    const flags = ctx.u8(p + 4);
    ctx.p(`, Flags [${bittok2str(stpBpduFlagValues, 'none', flags)}]`);
    ctx.p(`, bridge-id ${bridgeId(ctx, p + 17)}.${hex4(ctx.u16(p + 25))}, length ${length}`);
    if (!ctx.f.v) return;
    ctx.p(`\n\tmessage-age ${secs(ctx.u16(p + 27))}s, max-age ${secs(ctx.u16(p + 29))}s, hello-time ${secs(ctx.u16(p + 31))}s, forwarding-delay ${secs(ctx.u16(p + 33))}s`);
    ctx.p(`\n\troot-id ${bridgeId(ctx, p + 5)}, root-pathcost ${ctx.u32(p + 13)}`);
    if (version === 2) ctx.p(`, port-role ${tok2str(rstpPortRoleValues, 'Unknown', (flags & 0x0c) >> 2)}`);
  }
}
