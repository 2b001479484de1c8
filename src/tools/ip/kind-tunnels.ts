/**
 * `ip link` pieces of the tunnel kinds other than vxlan (iproute2 6.1 ip/iplink_geneve.c and
 * ip/link_gre.c): parsers for the words after `type geneve|gre|gretap|erspan`, the `-d` printers,
 * and the help texts. KindData keys are the kernel's IFLA_GENEVE_* / IFLA_GRE_* names in camelCase.
 * Output formats checked against iproute2 6.1 with Debian's 6.1 kernel under qemu.
 */
import type { KindData } from '../../core/rtnl.ts';
import type { IpCtx } from './common.ts';
import type { Printer } from './print.ts';
import {
  AF_INET, AF_UNSPEC, type Args, IpExit, duparg2, fail, getAddr, getU16, getU32, getU8, invarg, ipv4Str, ipv6Str,
  llNameToIndex, matches,
} from './util.ts';
import type { LinkReq } from './link.ts';

type KindParser = (c: IpCtx, a: Args, kind: string, req: LinkReq) => KindData;
type KindPrinter = (p: Printer, d: KindData, c: IpCtx) => void;

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}
function has(d: KindData, k: string): boolean { return d[k] !== undefined && d[k] !== null; }

// ---------------------------------------------------------------------------------------------
// geneve

export function geneveExplain(): string {
  return 'Usage: ... geneve id VNI\n' +
    '\t\tremote ADDR\n' +
    '\t\t[ ttl TTL ]\n' +
    '\t\t[ tos TOS ]\n' +
    '\t\t[ df DF ]\n' +
    '\t\t[ flowlabel LABEL ]\n' +
    '\t\t[ dstport PORT ]\n' +
    '\t\t[ [no]external ]\n' +
    '\t\t[ [no]udpcsum ]\n' +
    '\t\t[ [no]udp6zerocsumtx ]\n' +
    '\t\t[ [no]udp6zerocsumrx ]\n' +
    '\t\t[ innerprotoinherit ]\n' +
    '\n' +
    'Where:\tVNI   := 0-16777215\n' +
    '\tADDR  := IP_ADDRESS\n' +
    '\tTOS   := { NUMBER | inherit }\n' +
    '\tTTL   := { 1..255 | auto | inherit }\n' +
    '\tDF    := { unset | set | inherit }\n' +
    '\tLABEL := 0-1048575\n';
}

const GENEVE_BOOLS: [string, string, boolean][] = [
  ['external', 'collectMetadata', true], ['noexternal', 'collectMetadata', false],
  ['udpcsum', 'udpCsum', true], ['noudpcsum', 'udpCsum', false],
  ['udp6zerocsumtx', 'udpZeroCsum6Tx', true], ['noudp6zerocsumtx', 'udpZeroCsum6Tx', false],
  ['udp6zerocsumrx', 'udpZeroCsum6Rx', true], ['noudp6zerocsumrx', 'udpZeroCsum6Rx', false],
  ['innerprotoinherit', 'innerProtoInherit', true],
];

export const parseGeneve: KindParser = (c, a, _kind, req) => {
  const data: KindData = {};
  const seen = new Set<string>();
  const once = (key: string, arg: string): void => {
    if (seen.has(key)) duparg2(c, key, arg);
    seen.add(key);
  };
  outer: while (a.more) {
    const w = a.cur;
    if (matches(w, 'id') || matches(w, 'vni')) {
      const v = a.next();
      once('id', v);
      const n = getU32(v, 0);
      if (n === null || n >= 1 << 24) invarg(c, 'invalid id', v);
      data['id'] = n;
    } else if (matches(w, 'remote')) {
      const v = a.next();
      once('remote', v);
      const ad = getAddr(c, v, AF_UNSPEC);
      const multi = ad.family === AF_INET ? (ad.v4 >>> 28) === 14 : ad.v6[0] === 0xff;
      if (multi) invarg(c, 'invalid remote address', v);
      if (ad.family === AF_INET) data['remote'] = ad.v4; else data['remote6'] = ad.v6;
    } else if (matches(w, 'ttl') || matches(w, 'hoplimit')) {
      const v = a.next();
      once('ttl', v);
      if (v === 'inherit') data['ttlInherit'] = true;
      else if (v === 'auto') data['ttl'] = 0;
      else {
        const n = getU32(v, 0);
        if (n === null) invarg(c, 'invalid TTL', v);
        if (n > 255) invarg(c, 'TTL must be <= 255', v);
        data['ttl'] = n;
      }
    } else if (matches(w, 'tos') || matches(w, 'dsfield')) {
      const v = a.next();
      once('tos', v);
      if (v === 'inherit') data['tos'] = 1;
      else {
        const n = getU8(v, 16);
        if (n === null) invarg(c, 'bad TOS value', v);
        data['tos'] = n;
      }
    } else if (matches(w, 'df')) {
      const v = a.next();
      once('df', v);
      if (v === 'unset') data['df'] = 0;
      else if (v === 'set') data['df'] = 1;
      else if (v === 'inherit') data['df'] = 2;
      else invarg(c, "DF must be 'unset', 'set' or 'inherit'", v);
    } else if (matches(w, 'label') || matches(w, 'flowlabel')) {
      const v = a.next();
      once('flowlabel', v);
      const n = getU32(v, 0);
      if (n === null || n & ~0xfffff) invarg(c, 'invalid flowlabel', v);
      data['label'] = n;
    } else if (matches(w, 'dstport')) {
      const v = a.next();
      once('dstport', v);
      const n = getU16(v, 0);
      if (n === null) invarg(c, 'dstport', v);
      data['port'] = n;
    } else if (matches(w, 'help')) {
      c.err(geneveExplain()); throw new IpExit(1);
    } else {
      for (const [kw, key, val] of GENEVE_BOOLS) {
        if (w !== kw) continue;
        data[key] = val;
        a.step();
        continue outer;
      }
      c.err(`geneve: unknown command "${w}"?\n`);
      c.err(geneveExplain());
      throw new IpExit(1);
    }
    a.step();
  }
  const metadata = data['collectMetadata'] === true;
  if (req.create) {
    if (metadata && seen.has('id')) fail(c, "geneve: both 'external' and vni cannot be specified\n", 1);
    if (!metadata) {
      if (!seen.has('id')) fail(c, 'geneve: missing virtual network identifier\n', 1);
      if (!seen.has('remote')) fail(c, 'geneve: remote link partner not specified\n', 1);
    }
  }
  return data;
};

export const printGeneve: KindPrinter = (p, d) => {
  if (num(d['collectMetadata'])) { p.bool('any', 'external', 'external ', true); return; }
  if (has(d, 'id')) { const v = num(d['id']); p.num('any', 'id', `id ${v} `, v); }
  if (has(d, 'remote') && num(d['remote'])) {
    const s = ipv4Str(num(d['remote']) >>> 0);
    p.string('any', 'remote', `remote ${s} `, s);
  } else if (d['remote6'] instanceof Uint8Array) {
    const s = ipv6Str(d['remote6']);
    p.string('any', 'remote6', `remote ${s} `, s);
  }
  if (num(d['ttlInherit'])) p.string('any', 'ttl', 'ttl inherit ', 'inherit');
  else if (has(d, 'ttl')) {
    const t = num(d['ttl']);
    if (p.isJson || t) p.num('any', 'ttl', `ttl ${t} `, t);
    else p.fp('ttl auto ');
  }
  const tos = num(d['tos']);
  if (tos) {
    if (p.isJson || tos !== 1) p.hex0x('any', 'tos', `tos 0x${tos.toString(16)} `, tos);
    else p.fp('tos inherit ');
  }
  const df = num(d['df']);
  if (df === 1) p.string('any', 'df', 'df set ', 'set');
  else if (df === 2) p.string('any', 'df', 'df inherit ', 'inherit');
  if (num(d['label'])) { const v = num(d['label']); p.hex0x('any', 'label', `flowlabel 0x${v.toString(16)} `, v); }
  if (has(d, 'port')) { const v = num(d['port']); p.num('any', 'port', `dstport ${v} `, v); }
  if (has(d, 'udpCsum')) {
    const v = !!num(d['udpCsum']);
    if (p.isJson) p.bool('json', 'udp_csum', '', v); else p.fp(v ? 'udpcsum ' : 'noudpcsum ');
  }
  if (num(d['udpZeroCsum6Tx'])) p.bool('any', 'udp_zero_csum6_tx', 'udp6zerocsumtx ', true);
  if (num(d['udpZeroCsum6Rx'])) p.bool('any', 'udp_zero_csum6_rx', 'udp6zerocsumrx ', true);
  if (num(d['innerProtoInherit'])) p.bool('any', 'inner_proto_inherit', 'innerprotoinherit ', true);
};

// ---------------------------------------------------------------------------------------------
// gre, gretap, erspan

export function greExplain(kind: string): string {
  const pad = `${kind}${' '.repeat(Math.max(0, 9 - kind.length))}`;
  return `Usage: ... ${pad}\t[ remote ADDR ]\n` +
    '\t\t\t[ local ADDR ]\n' +
    '\t\t\t[ [no][i|o]seq ]\n' +
    '\t\t\t[ [i|o]key KEY | no[i|o]key ]\n' +
    '\t\t\t[ [no][i|o]csum ]\n' +
    '\t\t\t[ ttl TTL ]\n' +
    '\t\t\t[ tos TOS ]\n' +
    '\t\t\t[ [no]pmtudisc ]\n' +
    '\t\t\t[ [no]ignore-df ]\n' +
    '\t\t\t[ dev PHYS_DEV ]\n' +
    '\t\t\t[ fwmark MARK ]\n' +
    '\t\t\t[ external ]\n' +
    '\t\t\t[ noencap ]\n' +
    '\t\t\t[ encap { fou | gue | none } ]\n' +
    '\t\t\t[ encap-sport PORT ]\n' +
    '\t\t\t[ encap-dport PORT ]\n' +
    '\t\t\t[ [no]encap-csum ]\n' +
    '\t\t\t[ [no]encap-csum6 ]\n' +
    '\t\t\t[ [no]encap-remcsum ]\n' +
    '\n' +
    'Where:\tADDR := { IP_ADDRESS | any }\n' +
    '\tTOS  := { NUMBER | inherit }\n' +
    '\tTTL  := { 1..255 | inherit }\n' +
    '\tKEY  := { DOTTED_QUAD | NUMBER }\n' +
    '\tMARK := { 0x0..0xffffffff }\n';
}

/** GRE_* flag bits of IFLA_GRE_IFLAGS/OFLAGS (host order of the __be16 the kernel uses). */
export const GRE_CSUM = 0x8000, GRE_KEY = 0x2000, GRE_SEQ = 0x1000;

/** tnl_parse_key: a number or a dotted quad. */
function parseKey(c: IpCtx, word: string, v: string): number {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v)) {
    const parts = v.split('.').map(Number);
    if (parts.every((x) => x <= 255)) return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  }
  const n = getU32(v, 0);
  if (n === null) fail(c, `invalid value for "${word}": "${v}"; it should be an unsigned integer\n`, 255);
  return n;
}

function addr32(c: IpCtx, v: string): number {
  if (v === 'any') return 0;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(v);
  if (!m || m.slice(1).some((x) => Number(x) > 255)) fail(c, `Error: an IP address is expected rather than "${v}"\n`, 1);
  return m.slice(1).reduce((acc, x) => ((acc << 8) | Number(x)) >>> 0, 0);
}

export const parseGre: KindParser = (c, a, kind) => {
  const data: KindData = {};
  let iflags = 0, oflags = 0;
  while (a.more) {
    const w = a.cur;
    if (w === 'key') {
      const v = a.next();
      const k = parseKey(c, 'key', v);
      iflags |= GRE_KEY; oflags |= GRE_KEY; data['ikey'] = k; data['okey'] = k;
    } else if (w === 'nokey') { iflags &= ~GRE_KEY; oflags &= ~GRE_KEY; data['ikey'] = 0; data['okey'] = 0; }
    else if (w === 'ikey') { iflags |= GRE_KEY; data['ikey'] = parseKey(c, 'ikey', a.next()); }
    else if (w === 'noikey') { iflags &= ~GRE_KEY; data['ikey'] = 0; }
    else if (w === 'okey') { oflags |= GRE_KEY; data['okey'] = parseKey(c, 'okey', a.next()); }
    else if (w === 'nookey') { oflags &= ~GRE_KEY; data['okey'] = 0; }
    else if (w === 'seq') { iflags |= GRE_SEQ; oflags |= GRE_SEQ; }
    else if (w === 'noseq') { iflags &= ~GRE_SEQ; oflags &= ~GRE_SEQ; }
    else if (w === 'iseq') iflags |= GRE_SEQ;
    else if (w === 'noiseq') iflags &= ~GRE_SEQ;
    else if (w === 'oseq') oflags |= GRE_SEQ;
    else if (w === 'nooseq') oflags &= ~GRE_SEQ;
    else if (w === 'csum') { iflags |= GRE_CSUM; oflags |= GRE_CSUM; }
    else if (w === 'nocsum') { iflags &= ~GRE_CSUM; oflags &= ~GRE_CSUM; }
    else if (w === 'icsum') iflags |= GRE_CSUM;
    else if (w === 'noicsum') iflags &= ~GRE_CSUM;
    else if (w === 'ocsum') oflags |= GRE_CSUM;
    else if (w === 'noocsum') oflags &= ~GRE_CSUM;
    else if (w === 'nopmtudisc') data['pmtudisc'] = 0;
    else if (w === 'pmtudisc') data['pmtudisc'] = 1;
    else if (w === 'ignore-df') data['ignoreDf'] = 1;
    else if (w === 'noignore-df') data['ignoreDf'] = 0;
    else if (w === 'remote') data['remote'] = addr32(c, a.next());
    else if (w === 'local') data['local'] = addr32(c, a.next());
    else if (matches(w, 'dev')) {
      const v = a.next();
      const idx = llNameToIndex(c.ns, v);
      if (!idx) fail(c, `Cannot find device "${v}"\n`, 255);
      data['link'] = idx;
    } else if (w === 'ttl' || w === 'hoplimit' || w === 'hlim') {
      const v = a.next();
      if (v === 'inherit') data['ttl'] = 0;
      else {
        const n = getU8(v, 0);
        if (n === null) invarg(c, 'invalid TTL\n', v);
        data['ttl'] = n;
      }
    } else if (w === 'tos' || w === 'tclass' || w === 'dsfield') {
      const v = a.next();
      if (v === 'inherit') data['tos'] = 1;
      else {
        const n = getU8(v, 16);
        if (n === null) invarg(c, 'bad TOS value', v);
        data['tos'] = n;
      }
    } else if (w === 'external') data['collectMetadata'] = true;
    else if (w === 'fwmark') {
      const v = a.next();
      const n = getU32(v, 0);
      if (n === null) invarg(c, 'invalid fwmark\n', v);
      data['fwmark'] = n;
    } else if (w === 'noencap') data['encapType'] = 0;
    else if (matches(w, 'help')) { c.err(greExplain(kind)); throw new IpExit(1); }
    else {
      c.err(`${kind}: unknown command "${w}"?\n`);
      c.err(greExplain(kind));
      throw new IpExit(1);
    }
    a.step();
  }
  if (iflags || oflags || has(data, 'ikey') || has(data, 'okey')) { data['iflags'] = iflags; data['oflags'] = oflags; }
  return data;
};

export const printGre: KindPrinter = (p, d, c) => {
  const ep = (key: string, label: string): void => {
    const v = num(d[key]) >>> 0;
    const s = v ? ipv4Str(v) : 'any';
    p.string('any', key, `${label} ${s} `, s);
  };
  ep('remote', 'remote');
  ep('local', 'local');
  if (num(d['link'])) {
    const idx = num(d['link']);
    const name = c.ns.byIndex.get(idx)?.name ?? `if${idx}`;
    p.string('any', 'link', `dev ${name} `, name);
  }
  const ttl = num(d['ttl']);
  if (ttl) p.num('any', 'ttl', `ttl ${ttl} `, ttl);
  else p.string('any', 'ttl', 'ttl inherit ', 'inherit');
  const tos = num(d['tos']);
  if (tos) {
    if (p.isJson || tos !== 1) p.hex0x('any', 'tos', `tos 0x${tos.toString(16)} `, tos);
    else p.fp('tos inherit ');
  }
  if (has(d, 'pmtudisc') && !num(d['pmtudisc'])) p.bool('any', 'pmtudisc', 'nopmtudisc ', false);
  if (num(d['ignoreDf'])) p.bool('any', 'ignore_df', 'ignore-df ', true);
  if (num(d['collectMetadata'])) p.bool('any', 'external', 'external ', true);
  const iflags = num(d['iflags']), oflags = num(d['oflags']);
  if (iflags & GRE_KEY) { const s = ipv4Str(num(d['ikey']) >>> 0); p.string('any', 'ikey', `ikey ${s} `, s); }
  if (oflags & GRE_KEY) { const s = ipv4Str(num(d['okey']) >>> 0); p.string('any', 'okey', `okey ${s} `, s); }
  if (iflags & GRE_SEQ) p.bool('any', 'iseq', 'iseq ', true);
  if (oflags & GRE_SEQ) p.bool('any', 'oseq', 'oseq ', true);
  if (iflags & GRE_CSUM) p.bool('any', 'icsum', 'icsum ', true);
  if (oflags & GRE_CSUM) p.bool('any', 'ocsum', 'ocsum ', true);
  if (num(d['fwmark'])) { const v = num(d['fwmark']); p.hex0x('any', 'fwmark', `fwmark 0x${v.toString(16)} `, v); }
  if (has(d, 'erspanIndex')) { const v = num(d['erspanIndex']); p.num('any', 'erspan_index', `erspan_index ${v} `, v); }
  if (has(d, 'erspanVer')) { const v = num(d['erspanVer']); p.num('any', 'erspan_ver', `erspan_ver ${v} `, v); }
};
