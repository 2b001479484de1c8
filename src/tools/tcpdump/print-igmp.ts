/** IGMP printer (tcpdump 4.99 print-igmp.c): v1/v2/v3 reports, leaves and queries. */
import { internetChecksum } from '../../wire/checksum.ts';
import type { Ctx } from './ctx.ts';

const V3_REPORT_TYPES = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];

/** tcpdump's igmp_print: `bp` is the IGMP header, `len` the IP payload length. */
export function igmpPrint(ctx: Ctx, bp: number, len: number): void {
  if (ctx.f.q) { ctx.p('igmp'); return; }
  const type = ctx.u8(bp);
  switch (type) {
    case 0x11:
      ctx.p('igmp query');
      if (len >= 12) v3Query(ctx, bp, len);
      else {
        const mrc = ctx.u8(bp + 1);
        if (mrc) { ctx.p(' v2'); if (mrc !== 100) ctx.p(` [max resp time ${mrc}]`); } else ctx.p(' v1');
        const g = ctx.u32(bp + 4);
        if (g !== 0) ctx.p(` [gaddr ${ctx.ipaddr(bp + 4)}]`);
        if (len !== 8) ctx.p(` [len ${len}]`);
      }
      break;
    case 0x12: ctx.p(`igmp v1 report ${ctx.ipaddr(bp + 4)}`); if (len !== 8) ctx.p(` [len ${len}]`); break;
    case 0x16: ctx.p(`igmp v2 report ${ctx.ipaddr(bp + 4)}`); break;
    case 0x17: ctx.p(`igmp leave ${ctx.ipaddr(bp + 4)}`); break;
    case 0x22: ctx.p('igmp v3 report'); v3Report(ctx, bp, len); break;
    case 0x13: case 0x14: case 0x1e: case 0x1f:
      // DVMRP, PIMv1 and mtrace have printers of their own in tcpdump, not ported.
      ctx.p(`igmp-${type}`);
      ctx.unemulated = `IGMP type ${type}`;
      break;
    default: ctx.p(`igmp-${type}`); break;
  }
  if (ctx.f.v && len >= 4 && ctx.test(bp, len) && internetChecksum(ctx.b, bp, len) !== 0) {
    ctx.p(` bad igmp cksum ${ctx.u16(bp + 2).toString(16)}!`);
  }
}

function v3Report(ctx: Ctx, bp: number, len: number): void {
  if (len < 8 || len % 4) { ctx.p(` [invalid len ${len}]`); return; }
  const n = ctx.u16(bp + 6);
  ctx.p(`, ${n} group record(s)`);
  if (!ctx.f.v) return;
  let g = 8;
  for (let i = 0; i < n; i++) {
    if (len < g + 8) { ctx.p(' [invalid number of groups]'); return; }
    ctx.p(` [gaddr ${ctx.ipaddr(bp + g + 4)}`);
    const t = ctx.u8(bp + g);
    ctx.p(` ${V3_REPORT_TYPES[t] && t ? V3_REPORT_TYPES[t] : ` [v3-report-#${t}]`}`);
    const ns = ctx.u16(bp + g + 2);
    if (len < g + 8 + ns * 4) { ctx.p(` [invalid number of sources ${ns}]`); return; }
    if (ctx.f.v === 1) ctx.p(`, ${ns} source(s)`);
    else {
      ctx.p(' {');
      for (let j = 0; j < ns; j++) ctx.p(` ${ctx.ipaddr(bp + g + 8 + 4 * j)}`);
      ctx.p(' }');
    }
    g += 8 + ns * 4;
    ctx.p(']');
  }
}

/** Max resp code / QQIC: values from 128 up are a floating-point mantissa and exponent. */
function code2time(c: number): number {
  return c < 128 ? c : ((c & 0x0f) | 0x10) << (((c >> 4) & 0x07) + 3);
}

function v3Query(ctx: Ctx, bp: number, len: number): void {
  ctx.p(' v3');
  if (len < 12 || len % 4) { ctx.p(` [invalid len ${len}]`); return; }
  const mrt = code2time(ctx.u8(bp + 1));
  if (mrt !== 100) {
    ctx.p(' [max resp time ');
    ctx.p(mrt < 600 ? `${(mrt / 10).toFixed(1)}s` : `${Math.floor(mrt / 600)}m${(Math.floor(mrt / 10) % 60)}s`);
    ctx.p(']');
  }
  const g = ctx.u32(bp + 4);
  if (g === 0) return;
  ctx.p(` [gaddr ${ctx.ipaddr(bp + 4)}`);
  const ns = ctx.u16(bp + 10);
  if (ns) {
    if (len < 12 + ns * 4) ctx.p(' [invalid number of sources]');
    else if (ctx.f.v <= 1) ctx.p(`, ${ns} source(s)`);
    else {
      ctx.p(' {');
      for (let i = 0; i < ns; i++) ctx.p(` ${ctx.ipaddr(bp + 12 + 4 * i)}`);
      ctx.p(' }');
    }
  }
  ctx.p(']');
}
