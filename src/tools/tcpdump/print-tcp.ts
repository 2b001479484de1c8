/** tcp_print() from tcpdump 4.99 (header, relative sequence numbers, options). */
import { foldSum, sum16 } from '../../wire/checksum.ts';
import { formatIpv6 } from '../../wire/ipv6.ts';
import { Ctx, hex2, tok2str } from './ctx.ts';
import { portName } from './names.ts';

/** Initial sequence numbers per conversation (tcpdump's tcp_seq_hash), kept across packets. */
export type TcpSeqState = Map<string, { seq: number; ack: number }>;

const TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_ACK = 0x10, TH_URG = 0x20;
const FLAG_CHARS: [number, string][] = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W']];
const OPTION_NAMES = new Map<number, string>([
  [0, 'eol'], [1, 'nop'], [2, 'mss'], [3, 'wscale'], [4, 'sackOK'], [5, 'sack'], [6, 'echo'], [7, 'echoreply'],
  [8, 'TS'], [11, 'cc'], [12, 'ccnew'], [13, ''], [19, 'md5'], [20, 'scps'], [28, 'uto'], [29, 'tcp-ao'],
  [30, 'mptcp'], [34, 'tfo'], [254, 'exp'],
]);
/** Ports whose payload tcpdump hands to a protocol printer vnet does not emulate. */
const PAYLOAD_PORTS = new Set([23, 25, 43, 179, 1723, 6379, 22, 10288, 6633, 6653, 21, 80, 8080, 554, 8554, 53, 639, 323, 646, 2049]);

const u32 = (n: number) => n >>> 0;

class BadOpt {}
const BAD = new BadOpt();

export function tcpPrint(ctx: Ctx, bp: number, length: number, iph: number, fragmented: boolean): void {
  ctx.protocol = 'tcp';
  const v6 = (ctx.b[iph]! >>> 4) === 6;
  const src = () => (v6 ? (ctx.check(iph + 8, 16), formatIpv6(ctx.b, iph + 8)) : ctx.ipaddr(iph + 12));
  const dst = () => (v6 ? (ctx.check(iph + 24, 16), formatIpv6(ctx.b, iph + 24)) : ctx.ipaddr(iph + 16));
  if (!ctx.test(bp + 2, 2)) {
    ctx.p(`${src()} > ${dst()}:`);
    return ctx.printTrunc();
  }
  const sport = ctx.u16(bp), dport = ctx.u16(bp + 2);
  const port = (p: number) => portName('tcp', p, ctx.f.n);
  const isTcp = ctx.u8(iph + (v6 ? 6 : 9)) === 6;
  if (isTcp) ctx.p(`${src()}.${port(sport)} > ${dst()}.${port(dport)}: `);
  else ctx.p(`${port(sport)} > ${port(dport)}: `);
  let ch = '';
  const trunc = () => {
    ctx.printTrunc();
    if (ch !== '') ctx.p('>');
  };
  if (!ctx.test(bp, 20)) return trunc();
  let hlen = (ctx.u8(bp + 12) >>> 4) * 4;
  if (hlen < 20) {
    ctx.p(` tcp ${u32(length - hlen)} [bad hdr length ${hlen} - too short, < 20]`);
    return;
  }
  let seq = ctx.u32(bp + 4), ack = ctx.u32(bp + 8);
  const win = ctx.u16(bp + 14), urp = ctx.u16(bp + 18);
  if (ctx.f.q) {
    ctx.p(`tcp ${u32(length - hlen)}`);
    if (hlen > length) ctx.p(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  const flags = ctx.u8(bp + 13);
  const fl = FLAG_CHARS.filter(([b]) => flags & b).map(([, c]) => c).join('');
  ctx.p(`Flags [${fl || 'none'}]`);
  let rev = false, thseq = 0, thack = 0;
  if (!ctx.f.S && flags & TH_ACK) {
    const sa = ctx.b.subarray(iph + (v6 ? 8 : 12), iph + (v6 ? 24 : 16));
    const da = ctx.b.subarray(iph + (v6 ? 24 : 16), iph + (v6 ? 40 : 20));
    if (sport > dport) rev = true;
    else if (sport === dport) rev = compareBytes(sa, da) > 0;
    const key = rev ? `${v6}|${hexOf(da)}|${hexOf(sa)}|${dport}|${sport}` : `${v6}|${hexOf(sa)}|${hexOf(da)}|${sport}|${dport}`;
    const state = ctx.tcp;
    let th = state.get(key);
    if (!th || flags & TH_SYN) {
      th = rev ? { ack: seq, seq: u32(ack - 1) } : { seq, ack: u32(ack - 1) };
      state.set(key, th);
    } else if (rev) {
      seq = u32(seq - th.ack);
      ack = u32(ack - th.seq);
    } else {
      seq = u32(seq - th.seq);
      ack = u32(ack - th.ack);
    }
    thseq = th.seq;
    thack = th.ack;
  }
  if (hlen > length) {
    ctx.p(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  if (ctx.f.v && !fragmented && ctx.test(bp, length)) {
    const acc = v6
      ? sum16(ctx.b, iph + 8, 32) + Math.floor(length / 0x10000) + (length & 0xffff) + 6
      : sum16(ctx.b, iph + 12, 8) + 6 + length;
    const sum = ~foldSum(sum16(ctx.b, bp, length, acc)) & 0xffff;
    const tcpSum = ctx.u16(bp + 16);
    ctx.p(`, cksum 0x${tcpSum.toString(16).padStart(4, '0')}`);
    if (sum !== 0) {
      let s = tcpSum + sum;
      s = (s & 0xffff) + (s >>> 16);
      s = (s & 0xffff) + (s >>> 16);
      ctx.p(` (incorrect -> 0x${(s & 0xffff).toString(16).padStart(4, '0')})`);
    } else ctx.p(' (correct)');
  }
  length -= hlen;
  if (ctx.f.v > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
    ctx.p(`, seq ${seq}`);
    if (length > 0) ctx.p(`:${u32(seq + length)}`);
  }
  if (flags & TH_ACK) ctx.p(`, ack ${ack}`);
  ctx.p(`, win ${win}`);
  if (flags & TH_URG) ctx.p(`, urg ${urp}`);
  if (hlen > 20) {
    hlen -= 20;
    let cp = bp + 20;
    ctx.p(', options [');
    try {
      while (hlen > 0) {
        if (ch !== '') ctx.p(ch);
        const opt = ctx.u8(cp++);
        let len: number;
        if (opt === 0 || opt === 1) len = 1;
        else {
          len = ctx.u8(cp++);
          if (len < 2 || len > hlen) throw BAD;
          hlen--;
        }
        hlen--;
        let datalen = 0;
        const lencheck = (l: number) => {
          if (l > hlen) throw BAD;
          if (!ctx.test(cp, l)) throw TRUNC_OPT;
        };
        ctx.p(tok2str(OPTION_NAMES, 'unknown-%u', opt));
        switch (opt) {
          case 2:
            datalen = 2;
            lencheck(2);
            ctx.p(` ${ctx.u16(cp)}`);
            break;
          case 3:
            datalen = 1;
            lencheck(1);
            ctx.p(` ${ctx.u8(cp)}`);
            break;
          case 5:
            datalen = len - 2;
            if (datalen % 8 !== 0) ctx.p(' invalid sack');
            else {
              ctx.p(` ${datalen / 8} `);
              for (let i = 0; i < datalen; i += 8) {
                lencheck(i + 4);
                let s = ctx.u32(cp + i);
                lencheck(i + 8);
                let e = ctx.u32(cp + i + 4);
                s = u32(s - (rev ? thseq : thack));
                e = u32(e - (rev ? thseq : thack));
                ctx.p(`{${s}:${e}}`);
              }
            }
            break;
          case 11:
          case 12:
          case 13:
          case 6:
          case 7:
            datalen = 4;
            lencheck(4);
            ctx.p(` ${ctx.u32(cp)}`);
            break;
          case 8:
            datalen = 8;
            lencheck(8);
            ctx.p(` val ${ctx.u32(cp)} ecr ${ctx.u32(cp + 4)}`);
            break;
          case 19: {
            datalen = 16;
            lencheck(16);
            let h = '';
            for (let i = 0; i < 16; i++) h += hex2(ctx.u8(cp + i));
            ctx.p(` can't check - ${h}`); // no TCP-MD5 secret given (-M)
            break;
          }
          case 20:
            datalen = 2;
            lencheck(2);
            ctx.p(` cap ${hex2(ctx.u8(cp))} id ${ctx.u8(cp + 1)}`);
            break;
          case 29:
            datalen = len - 2;
            if (datalen < 2) ctx.printInvalid();
            else {
              lencheck(1);
              ctx.p(` keyid ${ctx.u8(cp)}`);
              lencheck(2);
              ctx.p(` rnextkeyid ${ctx.u8(cp + 1)}`);
              if (datalen > 2) {
                ctx.p(' mac 0x');
                for (let i = 2; i < datalen; i++) {
                  lencheck(i + 1);
                  ctx.p(hex2(ctx.u8(cp + i)));
                }
              }
            }
            break;
          case 0:
          case 1:
          case 4:
            break;
          case 28: {
            datalen = 2;
            lencheck(2);
            let uto = ctx.u16(cp);
            ctx.p(` 0x${uto.toString(16)}`);
            uto = uto & 1 ? (uto >> 1) * 60 : uto >> 1;
            ctx.p(` ${uto}`);
            break;
          }
          case 30:
          case 34:
          case 254:
            ctx.unemulated = `tcp option ${opt}`;
            datalen = len - 2;
            lencheck(datalen);
            break;
          default:
            datalen = len - 2;
            if (datalen) ctx.p(' 0x');
            for (let i = 0; i < datalen; i++) {
              lencheck(i + 1);
              ctx.p(hex2(ctx.u8(cp + i)));
            }
        }
        cp += datalen;
        hlen -= datalen;
        datalen++;
        if (opt !== 0 && opt !== 1) datalen++;
        if (datalen !== len) ctx.p(`[len ${len}]`);
        ch = ',';
        if (opt === 0) break;
      }
    } catch (e) {
      if (e === BAD) {
        ctx.p('[bad opt]');
        if (ch !== '') ctx.p(']');
        return;
      }
      if (e === TRUNC_OPT) return trunc();
      throw e;
    }
    ctx.p(']');
  }
  ctx.p(`, length ${length}`);
  if (length === 0) return;
  const headerLen = (ctx.u8(bp + 12) >>> 4) * 4;
  if (!ctx.test(bp, headerLen)) {
    ctx.p(` [remaining caplen(${ctx.avail(bp)}) < header length(${headerLen})]`);
    ctx.trunc();
  }
  if (flags & TH_RST && ctx.f.v) ctx.unemulated = 'tcp rst data';
  else if (PAYLOAD_PORTS.has(sport) || PAYLOAD_PORTS.has(dport)) ctx.unemulated = `tcp port ${sport}/${dport}`;
}

class TruncOpt {}
const TRUNC_OPT = new TruncOpt();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function hexOf(a: Uint8Array): string {
  let s = '';
  for (const x of a) s += hex2(x);
  return s;
}
