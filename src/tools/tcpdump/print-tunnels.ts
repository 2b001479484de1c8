/** Tunnel printers: GRE (print-gre.c) and Geneve (print-geneve.c) as tcpdump 4.99 prints them. */
import { bittok2str, Ctx, tok2str } from './ctx.ts';
import { etherPrint, ethertypePrint } from './print-link.ts';
import { ethertypeValues } from './tables.ts';

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

const GRE_CP = 0x8000, GRE_RP = 0x4000, GRE_KP = 0x2000, GRE_SP = 0x1000, GRE_AP = 0x0080;
const greFlagValues: [number, string][] = [
  [GRE_CP, 'checksum present'], [GRE_RP, 'routing present'], [GRE_KP, 'key present'],
  [GRE_SP, 'sequence# present'], [0x0800, 'source routing'], [0x0080, 'ack present'],
];
const ETHERTYPE_TEB = 0x6558;

/** The payload after a tunnel header: "\n\t" when verbose, ": " otherwise, then its protocol. */
function innerPrint(ctx: Ctx, prot: number, bp: number, len: number, what: string): void {
  ctx.p(ctx.f.v < 1 ? ': ' : '\n\t');
  const caplen = ctx.avail(bp);
  if (prot === ETHERTYPE_TEB) { etherPrint(ctx, bp, len, caplen); return; }
  if (!ethertypePrint(ctx, prot, bp, len, caplen)) ctx.p(`${what}-proto-0x${prot.toString(16)}`);
}

/** gre_print: "GREv0, [Flags [...],] [key=0x…,] [seq N,] [proto P (0x…),] length N" and the payload. */
export function grePrint(ctx: Ctx, bp: number, length: number): void {
  ctx.protocol = 'gre';
  ctx.p('GRE');
  if (!ctx.test(bp, 2)) return ctx.printTrunc();
  const flags = ctx.u16(bp);
  const vers = flags & 7;
  ctx.p(`v${vers}`);
  if (vers !== 0) { ctx.p(' ERROR: unknown-version'); ctx.unemulated = `GRE version ${vers}`; return; }
  if (length < 2) return ctx.printInvalid();
  if (ctx.f.v) ctx.p(`, Flags [${bittok2str(greFlagValues, 'none', flags)}]`);
  let len = length - 2;
  let p = bp + 2;
  if (len < 2) return ctx.printInvalid();
  const prot = ctx.u16(p);
  len -= 2; p += 2;
  if (flags & (GRE_CP | GRE_RP)) {
    if (len < 2) return ctx.printInvalid();
    if (ctx.f.v) ctx.p(`, sum 0x${ctx.u16(p).toString(16)}`);
    len -= 2; p += 2;
    if (len < 2) return ctx.printInvalid();
    if (flags & GRE_RP) ctx.p(`, off 0x${ctx.u16(p).toString(16)}`);
    len -= 2; p += 2;
  }
  if (flags & GRE_KP) {
    if (len < 4) return ctx.printInvalid();
    ctx.p(`, key=0x${ctx.u32(p).toString(16)}`);
    len -= 4; p += 4;
  }
  if (flags & GRE_SP) {
    if (len < 4) return ctx.printInvalid();
    ctx.p(`, seq ${ctx.u32(p)}`);
    len -= 4; p += 4;
  }
  if (flags & (GRE_RP | GRE_AP)) { ctx.unemulated = 'GRE routing/ack'; return; }
  if (ctx.f.e) ctx.p(`, proto ${tok2str(ethertypeValues, 'unknown', prot)} (0x${hex4(prot)})`);
  ctx.p(`, length ${length}`);
  innerPrint(ctx, prot, p, len, 'gre');
}

/** geneve_print: "Geneve, Flags [...], vni 0x…[, proto P (0x…)][, options [N bytes]]" and the payload. */
export function genevePrint(ctx: Ctx, bp: number, length: number): void {
  ctx.protocol = 'geneve';
  ctx.p('Geneve');
  if (length < 8) return ctx.printInvalid();
  if (!ctx.test(bp, 8)) return ctx.printTrunc();
  const verOpt = ctx.u8(bp);
  const version = verOpt >> 6;
  if (version !== 0) { ctx.p(` ERROR: unknown-version ${version}`); return; }
  const flags = ctx.u8(bp + 1);
  const prot = ctx.u16(bp + 2);
  const vni = ctx.u24(bp + 4);
  const reserved = ctx.u8(bp + 7);
  ctx.p(`, Flags [${bittok2str([[0x80, 'O'], [0x40, 'C']], 'none', flags, '')}]`);
  ctx.p(`, vni 0x${vni.toString(16)}`);
  if (reserved) ctx.p(`, rsvd 0x${reserved.toString(16)}`);
  if (ctx.f.e) ctx.p(`, proto ${tok2str(ethertypeValues, 'unknown', prot)} (0x${hex4(prot)})`);
  const optsLen = (verOpt & 0x3f) * 4;
  let len = length - 8;
  if (len < optsLen) { ctx.p(` truncated-geneve - ${optsLen - len} bytes missing`); return; }
  if (optsLen > 0) {
    if (ctx.f.v) { ctx.unemulated = 'Geneve options'; return; }
    ctx.p(`, options [${optsLen} bytes]`);
  }
  len -= optsLen;
  innerPrint(ctx, prot, bp + 8 + optsLen, len, 'geneve');
}
