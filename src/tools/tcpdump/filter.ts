/**
 * pcap filter expressions (tcpdump's EXPRESSION), compiled to a closure over frame bytes.
 *
 * A port of the parts of libpcap 1.10's grammar.y/gencode.c that vnet needs, keeping the
 * details that decide which frames match:
 *  - `and`/`or` have equal precedence and associate left; `not` binds tighter;
 *  - an address without a qualifier inherits the previous one (`host a or b`);
 *  - `vlan` shifts the offsets of every test compiled after it (savefile semantics, i.e. tags
 *    in the packet data, which is how vnet frames carry them);
 *  - BPF evaluation order, and a load past the captured bytes rejects the whole packet.
 * Errors carry libpcap's message; tcpdump prints them as `tcpdump: MESSAGE`.
 */
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2 } from '../../wire/pcap.ts';
import { parseIpv6 } from '../../wire/ipv6.ts';
import { tokenize, type Tok } from './filter-lex.ts';
import { protoNumber, servicePort } from './names.ts';

export interface FilterPacket {
  bytes: Uint8Array;
  /** Length on the wire (BPF `len`); defaults to bytes.length. */
  wireLen?: number;
  /** Live Ethernet captures: direction, for inbound/outbound (Linux reads it from the socket). */
  outbound?: boolean;
}

export type FilterFn = (pkt: FilterPacket) => boolean;

export interface FilterOptions {
  /** LINKTYPE_ETHERNET (default) or LINKTYPE_LINUX_SLL2 (-i any). */
  linktype?: number;
  /** Network mask for `ip broadcast` (tcpdump -r passes 0; live captures the interface's). */
  netmask?: number;
  /** Live capture: inbound/outbound work on Ethernet (as with Linux socket filters). */
  live?: boolean;
  /** Host name lookup (vnet's /etc/hosts); without it names are unknown hosts. */
  resolveHost?: (name: string) => { v4: number[]; v6: Uint8Array[] } | null;
}

export type FilterResult = { ok: true; match: FilterFn } | { ok: false; error: string };

export function compileFilter(expression: string, opts: FilterOptions = {}): FilterResult {
  try {
    const p = new Parser(tokenize(expression), new Gen(opts));
    const b = p.prog();
    if (!satisfiable(symOf(b))) return { ok: false, error: 'expression rejects all packets' };
    return { ok: true, match: (pkt) => run(b, pkt) };
  } catch (e) {
    if (e instanceof FilterError) return { ok: false, error: e.message };
    throw e;
  }
}

// ------------------------------------------------------------------ runtime

interface Pkt {
  b: Uint8Array;
  len: number;
  outbound: boolean | undefined;
}
type Block = (p: Pkt) => boolean;
/** An arithmetic value: protocol checks that must pass, then the value (may reject). */
interface Arth {
  checks: Block | null;
  value: (p: Pkt) => number;
  /** Set for literal numbers (libpcap's BPF_LD|BPF_IMM checks). */
  constant?: number;
  /** Canonical form when the optimizer could value-number it (constant-offset loads, ops with constants). */
  key?: string;
  /** Folded value when every operand is constant. */
  folded?: number;
}

class Reject {}
const REJECT = new Reject();

function run(b: Block, pkt: FilterPacket): boolean {
  const p: Pkt = { b: pkt.bytes, len: pkt.wireLen ?? pkt.bytes.length, outbound: pkt.outbound };
  try {
    return b(p);
  } catch (e) {
    if (e === REJECT) return false;
    throw e;
  }
}

function ld(p: Pkt, k: number, size: 1 | 2 | 4): number {
  if (k < 0 || k + size > p.b.length) throw REJECT;
  const b = p.b;
  if (size === 1) return b[k]!;
  if (size === 2) return (b[k]! << 8) | b[k + 1]!;
  return ((b[k]! << 24) | (b[k + 1]! << 16) | (b[k + 2]! << 8) | b[k + 3]!) >>> 0;
}

/**
 * Symbolic shadow of each block, for libpcap's "expression rejects all packets" check: the BPF
 * optimizer folds equality tests on a value already known on the path. Tests it can reason
 * about are atoms (a loaded value, keyed by load, compared to a constant); others are opaque.
 */
type Sym =
  | { k: 'const'; v: boolean }
  | { k: 'atom'; key: string; eq: number }
  | { k: 'opaque' }
  | { k: 'and' | 'or'; a: Sym; b: Sym }
  | { k: 'not'; a: Sym };
const syms = new WeakMap<Block, Sym>();
const OPAQUE: Sym = { k: 'opaque' };
const symOf = (b: Block): Sym => syms.get(b) ?? OPAQUE;
function withSym(b: Block, s: Sym): Block {
  syms.set(b, s);
  return b;
}

const and = (a: Block, b: Block): Block => withSym((p) => a(p) && b(p), { k: 'and', a: symOf(a), b: symOf(b) });
const or = (a: Block, b: Block): Block => withSym((p) => a(p) || b(p), { k: 'or', a: symOf(a), b: symOf(b) });
const not = (a: Block): Block => withSym((p) => !a(p), { k: 'not', a: symOf(a) });
const TRUE: Block = withSym(() => true, { k: 'const', v: true });

interface Facts {
  eq: Map<string, number>;
  ne: Map<string, Set<number>>;
}

/** Whether some consistent outcome of the atoms makes `s` evaluate to `want` (budgeted). */
function satisfiable(s: Sym): boolean {
  let budget = 200000;
  const solve = (n: Sym, want: boolean, f: Facts, k: (f: Facts) => boolean): boolean => {
    if (--budget < 0) return true;
    switch (n.k) {
      case 'const':
        return n.v === want && k(f);
      case 'opaque':
        return k(f);
      case 'atom': {
        const known = f.eq.get(n.key);
        if (want) {
          if (known !== undefined) return known === n.eq && k(f);
          if (f.ne.get(n.key)?.has(n.eq)) return false;
          const eq = new Map(f.eq);
          eq.set(n.key, n.eq);
          return k({ eq, ne: f.ne });
        }
        if (known !== undefined) return known !== n.eq && k(f);
        const ne = new Map(f.ne);
        ne.set(n.key, new Set([...(f.ne.get(n.key) ?? []), n.eq]));
        return k({ eq: f.eq, ne });
      }
      case 'not':
        return solve(n.a, !want, f, k);
      case 'and':
        if (want) return solve(n.a, true, f, (f1) => solve(n.b, true, f1, k));
        return solve(n.a, false, f, k) || solve(n.a, true, f, (f1) => solve(n.b, false, f1, k));
      case 'or':
        if (!want) return solve(n.a, false, f, (f1) => solve(n.b, false, f1, k));
        return solve(n.a, true, f, k) || solve(n.a, false, f, (f1) => solve(n.b, true, f1, k));
    }
  };
  return solve(s, true, { eq: new Map(), ne: new Map() }, () => true);
}

// ------------------------------------------------------------------ errors

export class FilterError extends Error {}
/** A parse failure (the parser may backtrack over these; never over semantic errors). */
class SyntaxFail extends FilterError {}

const syntaxError = () => new SyntaxFail("can't parse filter expression: syntax error");
const bpfError = (m: string) => new FilterError(m);

// ------------------------------------------------------------------ qualifiers

type Proto = string; // 'default', 'link', 'ip', 'ip6', 'arp', 'tcp', ... or 'undef'
type Dir = 'default' | 'src' | 'dst' | 'or' | 'and' | 'addr1' | 'addr2' | 'addr3' | 'addr4' | 'ra' | 'ta' | 'undef';
type Addr = 'default' | 'host' | 'net' | 'port' | 'portrange' | 'gateway' | 'proto' | 'protochain' | 'undef';
interface Qual {
  proto: Proto;
  dir: Dir;
  addr: Addr;
}
const QERR: Qual = { proto: 'undef', dir: 'undef', addr: 'undef' };

const PNAMES: Record<string, string> = {
  LINK: 'link', IP: 'ip', ARP: 'arp', RARP: 'rarp', SCTP: 'sctp', TCP: 'tcp', UDP: 'udp', ICMP: 'icmp', IGMP: 'igmp',
  IGRP: 'igrp', PIM: 'pim', VRRP: 'vrrp', CARP: 'carp', ATALK: 'atalk', AARP: 'aarp', DECNET: 'decnet', LAT: 'lat',
  SCA: 'sca', MOPDL: 'mopdl', MOPRC: 'moprc', IPV6: 'ip6', ICMPV6: 'icmp6', AH: 'ah', ESP: 'esp', ISO: 'iso',
  ESIS: 'esis', ISIS: 'isis', L1: 'l1', L2: 'l2', IIH: 'iih', LSP: 'lsp', SNP: 'snp', PSNP: 'psnp', CSNP: 'csnp',
  CLNP: 'clnp', STP: 'stp', IPX: 'ipx', NETBEUI: 'netbeui', RADIO: 'radio',
};
const DQUALS: Record<string, Dir> = { SRC: 'src', DST: 'dst', ADDR1: 'addr1', ADDR2: 'addr2', ADDR3: 'addr3', ADDR4: 'addr4', RA: 'ra', TA: 'ta' };
const AQUALS: Record<string, Addr> = { HOST: 'host', NET: 'net', PORT: 'port', PORTRANGE: 'portrange' };

const ETHERTYPE_IP = 0x0800, ETHERTYPE_ARP = 0x0806, ETHERTYPE_REVARP = 0x8035, ETHERTYPE_IPV6 = 0x86dd;
const IPPROTO: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, igmp: 2, igrp: 9, pim: 103, vrrp: 112, carp: 112, icmp6: 58, ah: 51, esp: 50 };

// ------------------------------------------------------------------ code generation

type Rel = 'linkhdr' | 'linktype' | 'linkpl' | 'llc' | 'tran4' | 'tran6';

class Gen {
  readonly linktype: number;
  offLinktype: number;
  offLinkpl: number;
  vlanDepth = 0;

  constructor(readonly opts: FilterOptions) {
    this.linktype = opts.linktype ?? LINKTYPE_ETHERNET;
    if (this.linktype === LINKTYPE_ETHERNET) {
      this.offLinktype = 12;
      this.offLinkpl = 14;
    } else if (this.linktype === LINKTYPE_LINUX_SLL2) {
      this.offLinktype = 0;
      this.offLinkpl = 20;
    } else throw bpfError(`unsupported link type ${this.linktype}`);
  }

  get ether(): boolean {
    return this.linktype === LINKTYPE_ETHERNET;
  }

  snapshot(): [number, number, number] {
    return [this.offLinktype, this.offLinkpl, this.vlanDepth];
  }
  restore(s: [number, number, number]): void {
    [this.offLinktype, this.offLinkpl, this.vlanDepth] = s;
  }

  /** Absolute offset function for a relative offset, captured now (vlan may move it later). */
  at(rel: Rel, off: number): (p: Pkt) => number {
    const lt = this.offLinktype, pl = this.offLinkpl;
    switch (rel) {
      case 'linkhdr':
        return () => off;
      case 'linktype':
        return () => lt + off;
      case 'linkpl':
      case 'llc':
        return () => pl + off;
      case 'tran4':
        return (p) => {
          if (pl >= p.b.length) throw REJECT;
          return pl + (p.b[pl]! & 0xf) * 4 + off;
        };
      case 'tran6':
        return () => pl + 40 + off;
    }
  }

  load(rel: Rel, off: number, size: 1 | 2 | 4): (p: Pkt) => number {
    const at = this.at(rel, off);
    return (p) => ld(p, at(p), size);
  }
  /** Value-number key of a load, as the optimizer would see it. */
  loadKey(rel: Rel, off: number, size: number): string {
    switch (rel) {
      case 'linkhdr':
        return `${off}:${size}`;
      case 'linktype':
        return `${this.offLinktype + off}:${size}`;
      case 'linkpl':
      case 'llc':
        return `${this.offLinkpl + off}:${size}`;
      case 'tran4':
        return `x4(${this.offLinkpl})+${off}:${size}`;
      case 'tran6':
        return `${this.offLinkpl + 40 + off}:${size}`;
    }
  }
  cmp(rel: Rel, off: number, size: 1 | 2 | 4, v: number): Block {
    const l = this.load(rel, off, size);
    return withSym((p) => l(p) === v >>> 0, { k: 'atom', key: this.loadKey(rel, off, size), eq: v >>> 0 });
  }
  mcmp(rel: Rel, off: number, size: 1 | 2 | 4, v: number, mask: number): Block {
    const l = this.load(rel, off, size);
    const m = mask >>> 0, want = (v & m) >>> 0;
    const key = this.loadKey(rel, off, size) + (m === 0xffffffff ? '' : `&${m}`);
    return withSym((p) => ((l(p) & m) >>> 0) === want, { k: 'atom', key, eq: want });
  }
  cmpOp(rel: Rel, off: number, size: 1 | 2 | 4, op: '>' | '>=' | '<' | '<=', v: number): Block {
    const l = this.load(rel, off, size);
    switch (op) {
      case '>':
        return (p) => l(p) > v;
      case '>=':
        return (p) => l(p) >= v;
      case '<':
        return (p) => l(p) < v;
      case '<=':
        return (p) => l(p) <= v;
    }
  }
  /** gen_bcmp: 4-, then 2-, then 1-byte comparisons from the front. */
  bcmp(rel: Rel, off: number, bytes: number[]): Block {
    let size = bytes.length;
    let rv: Block | null = null;
    const word = (i: number, n: number) => bytes.slice(i, i + n).reduce((a, x) => a * 256 + x, 0);
    while (size >= 4) {
      const b = this.cmp(rel, off + size - 4, 4, word(size - 4, 4));
      rv = rv ? and(b, rv) : b;
      size -= 4;
    }
    while (size >= 2) {
      const b = this.cmp(rel, off + size - 2, 2, word(size - 2, 2));
      rv = rv ? and(b, rv) : b;
      size -= 2;
    }
    if (size > 0) {
      const b = this.cmp(rel, off, 1, bytes[0]!);
      rv = rv ? and(b, rv) : b;
    }
    return rv ?? TRUE;
  }

  linktypeTest(llProto: number): Block {
    if (!this.ether) {
      if (llProto <= 1500) {
        const b0 = this.cmp('linktype', 0, 2, 0x0004);
        return and(b0, this.cmp('linkhdr', this.offLinkpl, 1, llProto));
      }
      return this.cmp('linktype', 0, 2, llProto);
    }
    switch (llProto) {
      case 0xfe:
      case 0x06:
      case 0xf0:
        return and(not(this.cmpOp('linktype', 0, 2, '>', 1500)), this.cmp('llc', 0, 2, (llProto << 8) | llProto));
      case 0xe0: {
        let b1 = or(this.cmp('llc', 0, 1, 0xe0), this.cmp('llc', 0, 2, 0xffff));
        b1 = or(this.snap(0, 0x8137), b1);
        b1 = and(not(this.cmpOp('linktype', 0, 2, '>', 1500)), b1);
        return or(this.cmp('linktype', 0, 2, 0x8137), b1);
      }
      case 0x809b:
      case 0x80f3: {
        const b1 = and(not(this.cmpOp('linktype', 0, 2, '>', 1500)), llProto === 0x809b ? this.snap(0x080007, 0x809b) : this.snap(0, 0x80f3));
        return or(this.cmp('linktype', 0, 2, llProto), b1);
      }
      default:
        if (llProto <= 1500) return and(not(this.cmpOp('linktype', 0, 2, '>', 1500)), this.cmp('linktype', 2, 1, llProto));
        return this.cmp('linktype', 0, 2, llProto);
    }
  }

  snap(org: number, ptype: number): Block {
    return this.bcmp('llc', 0, [0xaa, 0xaa, 0x03, org >>> 16, (org >>> 8) & 0xff, org & 0xff, ptype >>> 8, ptype & 0xff]);
  }

  ipfrag(): Block {
    const l = this.load('linkpl', 6, 2);
    return (p) => (l(p) & 0x1fff) === 0;
  }

  /** gen_proto_abbrev_internal(). */
  protoAbbrev(proto: Proto): Block {
    switch (proto) {
      case 'sctp':
      case 'tcp':
      case 'udp':
      case 'pim':
      case 'ah':
      case 'esp':
        return this.proto(IPPROTO[proto]!, 'default', 'default');
      case 'icmp':
      case 'igmp':
      case 'igrp':
      case 'vrrp':
      case 'carp':
        return this.proto(IPPROTO[proto]!, 'ip', 'default');
      case 'ip':
        return this.linktypeTest(ETHERTYPE_IP);
      case 'arp':
        return this.linktypeTest(ETHERTYPE_ARP);
      case 'rarp':
        return this.linktypeTest(ETHERTYPE_REVARP);
      case 'link':
        throw bpfError('link layer applied in wrong context');
      case 'atalk':
        return this.linktypeTest(0x809b);
      case 'aarp':
        return this.linktypeTest(0x80f3);
      case 'decnet':
        return this.linktypeTest(0x6003);
      case 'sca':
        return this.linktypeTest(0x6007);
      case 'lat':
        return this.linktypeTest(0x6004);
      case 'mopdl':
        return this.linktypeTest(0x6001);
      case 'moprc':
        return this.linktypeTest(0x6002);
      case 'ip6':
        return this.linktypeTest(ETHERTYPE_IPV6);
      case 'icmp6':
        return this.proto(58, 'ip6', 'default');
      case 'iso':
        return this.linktypeTest(0xfe);
      case 'stp':
        return this.linktypeTest(0x42);
      case 'ipx':
        return this.linktypeTest(0xe0);
      case 'netbeui':
        return this.linktypeTest(0xf0);
      case 'radio':
        throw bpfError("'radio' is not a valid protocol type");
      default:
        throw bpfError(`'${proto}' is not supported by vnet's filter compiler`);
    }
  }

  /** gen_proto(). */
  proto(v: number, proto: Proto, dir: Dir): Block {
    if (dir !== 'default') throw bpfError("direction applied to 'proto'");
    switch (proto) {
      case 'default':
        return or(this.proto(v, 'ip', dir), this.proto(v, 'ip6', dir));
      case 'link':
        return this.linktypeTest(v);
      case 'ip':
        return and(this.linktypeTest(ETHERTYPE_IP), this.cmp('linkpl', 9, 1, v));
      case 'ip6': {
        const b0 = this.linktypeTest(ETHERTYPE_IPV6);
        const frag = and(this.cmp('linkpl', 6, 1, 44), this.cmp('linkpl', 40, 1, v));
        return and(b0, or(this.cmp('linkpl', 6, 1, v), frag));
      }
      case 'arp':
        throw bpfError('arp does not encapsulate another protocol');
      case 'rarp':
        throw bpfError('rarp does not encapsulate another protocol');
      case 'atalk':
        throw bpfError('AppleTalk encapsulation is not specifiable');
      case 'decnet':
        throw bpfError('DECNET encapsulation is not specifiable');
      case 'lat':
      case 'sca':
      case 'moprc':
      case 'mopdl':
        throw bpfError(`${proto.toUpperCase()} does not encapsulate another protocol`);
      case 'clnp':
        throw bpfError("'clnp proto' is not supported");
      case 'iso':
      case 'isis':
        throw bpfError(`'${proto} proto' is not supported by vnet's filter compiler`);
      default:
        throw bpfError(`'${proto} proto' is bogus`);
    }
  }

  hostop(addr: number, mask: number, dir: Dir, llProto: number, srcOff: number, dstOff: number): Block {
    switch (dir) {
      case 'src':
      case 'dst':
        return and(this.linktypeTest(llProto), this.mcmp('linkpl', dir === 'src' ? srcOff : dstOff, 4, addr, mask));
      case 'and':
        return and(this.hostop(addr, mask, 'src', llProto, srcOff, dstOff), this.hostop(addr, mask, 'dst', llProto, srcOff, dstOff));
      case 'default':
      case 'or':
        return or(this.hostop(addr, mask, 'src', llProto, srcOff, dstOff), this.hostop(addr, mask, 'dst', llProto, srcOff, dstOff));
      default:
        throw bpfError(dirError(dir, 'addresses other than 802.11 MAC addresses'));
    }
  }

  hostop6(addr: Uint8Array, mask: Uint8Array, dir: Dir, srcOff: number, dstOff: number): Block {
    switch (dir) {
      case 'src':
      case 'dst': {
        const off = dir === 'src' ? srcOff : dstOff;
        const w = (a: Uint8Array, i: number) => ((a[4 * i]! << 24) | (a[4 * i + 1]! << 16) | (a[4 * i + 2]! << 8) | a[4 * i + 3]!) >>> 0;
        let b1 = this.mcmp('linkpl', off + 12, 4, w(addr, 3), w(mask, 3));
        b1 = and(this.mcmp('linkpl', off + 8, 4, w(addr, 2), w(mask, 2)), b1);
        b1 = and(this.mcmp('linkpl', off + 4, 4, w(addr, 1), w(mask, 1)), b1);
        b1 = and(this.mcmp('linkpl', off, 4, w(addr, 0), w(mask, 0)), b1);
        return and(this.linktypeTest(ETHERTYPE_IPV6), b1);
      }
      case 'and':
        return and(this.hostop6(addr, mask, 'src', srcOff, dstOff), this.hostop6(addr, mask, 'dst', srcOff, dstOff));
      case 'default':
      case 'or':
        return or(this.hostop6(addr, mask, 'src', srcOff, dstOff), this.hostop6(addr, mask, 'dst', srcOff, dstOff));
      default:
        throw bpfError(dirError(dir, 'addresses other than 802.11 MAC addresses'));
    }
  }

  /** gen_host(). */
  host(addr: number, mask: number, proto: Proto, dir: Dir, type: Addr): Block {
    const typestr = type === 'net' ? 'net' : 'host';
    switch (proto) {
      case 'default': {
        const b0 = this.host(addr, mask, 'ip', dir, type);
        const b1 = or(b0, this.host(addr, mask, 'arp', dir, type));
        return or(b1, this.host(addr, mask, 'rarp', dir, type));
      }
      case 'link':
        throw bpfError(`link-layer modifier applied to ${typestr}`);
      case 'ip':
        return this.hostop(addr, mask, dir, ETHERTYPE_IP, 12, 16);
      case 'rarp':
        return this.hostop(addr, mask, dir, ETHERTYPE_REVARP, 14, 24);
      case 'arp':
        return this.hostop(addr, mask, dir, ETHERTYPE_ARP, 14, 24);
      case 'ip6':
        throw bpfError("'ip6' modifier applied to ip host");
      case 'atalk':
        throw bpfError('AppleTalk host filtering not implemented');
      case 'lat':
      case 'sca':
      case 'moprc':
      case 'mopdl':
      case 'aarp':
      case 'iso':
      case 'ipx':
        throw bpfError(`${proto.toUpperCase()} host filtering not implemented`);
      case 'decnet':
        throw bpfError("'decnet' is not supported by vnet's filter compiler");
      default:
        throw bpfError(`'${proto}' modifier applied to ${typestr}`);
    }
  }

  host6(addr: Uint8Array, mask: Uint8Array, proto: Proto, dir: Dir, type: Addr): Block {
    const typestr = type === 'net' ? 'net' : 'host';
    switch (proto) {
      case 'default':
      case 'ip6':
        return this.hostop6(addr, mask, dir, 8, 24);
      case 'link':
        throw bpfError(`link-layer modifier applied to ip6 ${typestr}`);
      case 'atalk':
        throw bpfError(`AppleTalk modifier applied to ip6 ${typestr}`);
      default:
        throw bpfError(`'${proto}' modifier applied to ip6 ${typestr}`);
    }
  }

  ehostop(mac: number[], dir: Dir): Block {
    switch (dir) {
      case 'src':
        return this.bcmp('linkhdr', 6, mac);
      case 'dst':
        return this.bcmp('linkhdr', 0, mac);
      case 'and':
        return and(this.ehostop(mac, 'src'), this.ehostop(mac, 'dst'));
      case 'default':
      case 'or':
        return or(this.ehostop(mac, 'src'), this.ehostop(mac, 'dst'));
      default:
        throw bpfError(dirError(dir, '').replace(' are not valid qualifiers for ', ' are only supported on 802.11 with 802.11 headers').replace(' is not a valid qualifier for ', ' is only supported on 802.11 with 802.11 headers'));
    }
  }

  portop(port: number, proto: number, dir: Dir, v6: boolean): Block {
    const atom = (off: number) => this.cmp(v6 ? 'tran6' : 'tran4', off, 2, port);
    let b1: Block;
    switch (dir) {
      case 'src':
        b1 = atom(0);
        break;
      case 'dst':
        b1 = atom(2);
        break;
      case 'and':
        b1 = and(atom(0), atom(2));
        break;
      case 'default':
      case 'or':
        b1 = or(atom(0), atom(2));
        break;
      default:
        throw bpfError(dirError(dir, 'ports'));
    }
    const b0 = v6 ? this.cmp('linkpl', 6, 1, proto) : and(this.cmp('linkpl', 9, 1, proto), this.ipfrag());
    return and(b0, b1);
  }

  port(port: number, ipProto: number, dir: Dir, v6: boolean): Block {
    let b1: Block;
    if (ipProto === -1) {
      b1 = or(this.portop(port, 6, dir, v6), this.portop(port, 17, dir, v6));
      b1 = or(b1, this.portop(port, 132, dir, v6));
    } else b1 = this.portop(port, ipProto, dir, v6);
    return and(this.linktypeTest(v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IP), b1);
  }

  portrangeop(p1: number, p2: number, proto: number, dir: Dir, v6: boolean): Block {
    const [lo, hi] = p1 > p2 ? [p2, p1] : [p1, p2];
    const rel: Rel = v6 ? 'tran6' : 'tran4';
    const atom = (off: number) => and(this.cmpOp(rel, off, 2, '>=', lo), this.cmpOp(rel, off, 2, '<=', hi));
    let b1: Block;
    switch (dir) {
      case 'src':
        b1 = atom(0);
        break;
      case 'dst':
        b1 = atom(2);
        break;
      case 'and':
        b1 = and(atom(0), atom(2));
        break;
      case 'default':
      case 'or':
        b1 = or(atom(0), atom(2));
        break;
      default:
        throw bpfError(dirError(dir, 'port ranges'));
    }
    const b0 = v6 ? this.cmp('linkpl', 6, 1, proto) : and(this.cmp('linkpl', 9, 1, proto), this.ipfrag());
    return and(b0, b1);
  }

  portrange(p1: number, p2: number, ipProto: number, dir: Dir, v6: boolean): Block {
    let b1: Block;
    if (ipProto === -1) {
      b1 = or(this.portrangeop(p1, p2, 6, dir, v6), this.portrangeop(p1, p2, 17, dir, v6));
      b1 = or(b1, this.portrangeop(p1, p2, 132, dir, v6));
    } else b1 = this.portrangeop(p1, p2, ipProto, dir, v6);
    return and(this.linktypeTest(v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IP), b1);
  }

  broadcast(proto: Proto): Block {
    if (proto === 'default' || proto === 'link') {
      if (!this.ether) throw bpfError('not a broadcast link');
      return this.ehostop([255, 255, 255, 255, 255, 255], 'dst');
    }
    if (proto === 'ip') {
      const netmask = this.opts.netmask ?? 0;
      const hostmask = ~netmask >>> 0;
      const b0 = this.linktypeTest(ETHERTYPE_IP);
      const b1 = this.mcmp('linkpl', 16, 4, 0, hostmask);
      const b2 = this.mcmp('linkpl', 16, 4, hostmask, hostmask);
      return and(b0, or(b1, b2));
    }
    throw bpfError('only link-layer/IP broadcast filters supported');
  }

  multicast(proto: Proto): Block {
    if (proto === 'default' || proto === 'link') {
      if (this.ether) {
        const l = this.load('linkhdr', 0, 1);
        return (p) => (l(p) & 1) !== 0;
      }
    } else if (proto === 'ip') return and(this.linktypeTest(ETHERTYPE_IP), this.cmpOp('linkpl', 16, 1, '>=', 224));
    else if (proto === 'ip6') return and(this.linktypeTest(ETHERTYPE_IPV6), this.cmp('linkpl', 24, 1, 255));
    throw bpfError('link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel');
  }

  vlan(vid: number | null): Block {
    if (!this.ether) throw bpfError(`no VLAN support for ${this.linktype === LINKTYPE_LINUX_SLL2 ? 'Linux cooked v2' : 'this link type'}`);
    let b0 = or(or(this.linktypeTest(0x8100), this.linktypeTest(0x88a8)), this.linktypeTest(0x9100));
    if (vid !== null) {
      if (vid > 0x0fff) throw bpfError(`VLAN tag ${vid} greater than maximum 4095`);
      b0 = and(b0, this.mcmp('linkpl', 0, 2, vid, 0x0fff));
    }
    this.offLinkpl += 4;
    this.offLinktype += 4;
    this.vlanDepth++;
    return b0;
  }

  inbound(outbound: boolean): Block {
    if (this.linktype === LINKTYPE_LINUX_SLL2) {
      const b = this.cmp('linkhdr', 10, 1, 4);
      return outbound ? b : not(b);
    }
    if (!this.opts.live) throw bpfError('inbound/outbound not supported on Ethernet when reading savefiles');
    return (p) => (p.outbound ?? false) === outbound;
  }

  /** gen_load(): proto[index : size]. */
  loadArth(proto: Proto, index: Arth, size: number): Arth {
    const a = this.loadArthInner(proto, index, size);
    const k = index.folded;
    // Loads written as proto[...] go through an index register: the optimizer numbers them
    // apart from the same bytes loaded by primitives, so they only meet each other.
    if (k !== undefined) {
      const pl = this.offLinkpl;
      if (proto === 'link') a.key = `a:${k}:${size}`;
      else if (proto === 'icmp6') a.key = `a:${pl + 40 + k}:${size}`;
      else if (['sctp', 'tcp', 'udp', 'icmp', 'igmp', 'igrp', 'pim', 'vrrp', 'carp'].includes(proto)) a.key = `a:x4(${pl})+${k}:${size}`;
      else a.key = `a:${pl + k}:${size}`;
    }
    return a;
  }

  private loadArthInner(proto: Proto, index: Arth, size: number): Arth {
    if (size !== 1 && size !== 2 && size !== 4) throw bpfError('data size must be 1, 2, or 4');
    const sz = size as 1 | 2 | 4;
    const pl = this.offLinkpl;
    switch (proto) {
      case 'link':
        return { checks: index.checks, value: (p) => ld(p, index.value(p), sz) };
      case 'ip':
      case 'arp':
      case 'rarp':
      case 'atalk':
      case 'decnet':
      case 'sca':
      case 'lat':
      case 'moprc':
      case 'mopdl':
      case 'ip6': {
        const b = this.protoAbbrev(proto);
        return { checks: index.checks ? and(index.checks, b) : b, value: (p) => ld(p, index.value(p) + pl, sz) };
      }
      case 'sctp':
      case 'tcp':
      case 'udp':
      case 'icmp':
      case 'igmp':
      case 'igrp':
      case 'pim':
      case 'vrrp':
      case 'carp': {
        let b = and(this.protoAbbrev(proto), this.ipfrag());
        if (index.checks) b = and(index.checks, b);
        b = and(this.protoAbbrev('ip'), b);
        return {
          checks: b,
          value: (p) => {
            if (pl >= p.b.length) throw REJECT;
            const x = (p.b[pl]! & 0xf) << 2;
            return ld(p, ((index.value(p) + x) >>> 0) + pl, sz);
          },
        };
      }
      case 'icmp6': {
        let b = this.protoAbbrev('ip6');
        if (index.checks) b = and(index.checks, b);
        b = and(b, this.cmp('linkpl', 6, 1, 58));
        return { checks: b, value: (p) => ld(p, index.value(p) + pl + 40, sz) };
      }
      default:
        throw bpfError('unsupported index operation');
    }
  }
}

function dirError(dir: Dir, what: string): string {
  if (dir.startsWith('addr')) {
    const n = dir.slice(4);
    return `'addr${n}' and 'address${n}' are not valid qualifiers for ${what}`;
  }
  return `'${dir}' is not a valid qualifier for ${what}`;
}

/** __pcap_atoin(): dotted decimal with 1-4 parts; returns [value, bits] or null. */
function atoin(s: string): [number, number] | null {
  let addr = 0, len = 0, i = 0;
  for (;;) {
    let n = 0;
    while (i < s.length && s[i] !== '.') {
      if (n > 25) return null;
      n = n * 10 + s.charCodeAt(i++) - 48;
    }
    if (n > 255) return null;
    addr = ((addr << 8) | (n & 0xff)) >>> 0;
    len += 8;
    if (i >= s.length) return [addr, len];
    i++;
  }
}

/** pcap_ether_aton(): one or two hex digits per byte, ':', '.' or '-' skipped between. */
function etherAton(s: string): number[] {
  const out: number[] = [];
  const isx = (c: string | undefined) => c !== undefined && /[0-9A-Fa-f]/.test(c);
  for (let i = 0; i < s.length && out.length < 6; ) {
    if (s[i] === ':' || s[i] === '.' || s[i] === '-') i++;
    let d = parseInt(s[i++]!, 16);
    if (isx(s[i])) d = (d << 4) | parseInt(s[i++]!, 16);
    out.push(d);
  }
  return out;
}

// ------------------------------------------------------------------ parser

interface Res {
  b: Block;
  q: Qual;
}

const RELOPS = new Set(['>', 'GEQ', '=', 'LEQ', '<', 'NEQ']);
const ARITH_OPS = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly g: Gen) {}

  private peek(k = 0): Tok {
    const t = this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
    if (k === 0 && t.t === 'ERR') throw t.v ? bpfError(t.v) : syntaxError();
    return t;
  }
  private kind(k = 0): string {
    const t = this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
    if (t.t === 'kw' || t.t === 'op') {
      if (t.t === 'op' && (t.v === '>=' || t.v === '<=' || t.v === '!=')) return t.v === '>=' ? 'GEQ' : t.v === '<=' ? 'LEQ' : 'NEQ';
      return t.v;
    }
    return t.t;
  }
  private next(): Tok {
    const t = this.peek();
    this.i++;
    return t;
  }
  private expect(kind: string): Tok {
    if (this.kind() !== kind) {
      this.peek();
      throw syntaxError();
    }
    return this.next();
  }

  prog(): Block {
    if (this.kind() === 'EOF') return TRUE;
    const e = this.expr(QERR);
    if (this.kind() !== 'EOF') {
      this.peek();
      throw syntaxError();
    }
    return e.b;
  }

  private expr(q0: Qual): Res {
    let cur = this.term(q0);
    for (;;) {
      const k = this.kind();
      if (k !== 'AND' && k !== 'OR') return cur;
      this.next();
      const rhs = this.termOrId(cur.q);
      cur = { b: k === 'AND' ? and(cur.b, rhs.b) : or(cur.b, rhs.b), q: rhs.q };
    }
  }

  /** After and/or: a term, or an id that inherits the qualifiers in force. */
  private termOrId(q: Qual): Res {
    const k = this.kind();
    if (k === '!') {
      this.next();
      const r = this.termOrId(q);
      return { b: not(r.b), q: r.q };
    }
    if (k === 'ID' || k === 'HID' || k === 'HID6' || k === 'EID' || k === 'AID') return this.id(q);
    if (k === 'NUM') {
      const after = this.kind(1);
      if (RELOPS.has(after) || ARITH_OPS.has(after)) return this.term(q);
      return this.id(q);
    }
    if (k === '(') {
      const save = this.i, gs = this.g.snapshot();
      try {
        return this.id(q);
      } catch (e) {
        if (!(e instanceof SyntaxFail)) throw e;
        this.i = save;
        this.g.restore(gs);
      }
    }
    return this.term(q);
  }

  private term(q: Qual): Res {
    if (this.kind() === '!') {
      this.next();
      const r = this.term(q);
      return { b: not(r.b), q: r.q };
    }
    return this.rterm(q);
  }

  private isHeadStart(k: string): boolean {
    return k in DQUALS || k in AQUALS || k === 'PROTO' || k === 'PROTOCHAIN' || k === 'GATEWAY';
  }

  private rterm(q: Qual): Res {
    const k = this.kind();
    if (k === '(') {
      const save = this.i, gs = this.g.snapshot();
      try {
        return { b: this.relation(), q: QERR };
      } catch (e) {
        if (!(e instanceof SyntaxFail)) throw e;
        this.i = save;
        this.g.restore(gs);
      }
      this.next();
      const e = this.expr(q);
      this.expect(')');
      return { b: e.b, q };
    }
    if (k in PNAMES) {
      const after = this.kind(1);
      if (this.isHeadStart(after)) return this.headId();
      if (after === 'TK_BROADCAST' || after === 'TK_MULTICAST') return { b: this.other(), q: QERR };
      if (after === '[') return { b: this.relation(), q: QERR };
      this.next();
      return { b: this.g.protoAbbrev(PNAMES[k]!), q: QERR };
    }
    if (this.isHeadStart(k)) return this.headId();
    if (k === 'NUM' || k === '-' || k === 'LEN') return { b: this.relation(), q: QERR };
    return { b: this.other(), q: QERR };
  }

  private headId(): Res {
    let proto: Proto = 'default';
    if (this.kind() in PNAMES) proto = PNAMES[this.next().v as string]!;
    let dir: Dir = 'default', addr: Addr = 'default';
    const k = this.kind();
    if (k in DQUALS) {
      this.next();
      dir = DQUALS[k]!;
      const k1 = this.kind(), k2 = this.kind(1);
      if ((k === 'SRC' || k === 'DST') && (k1 === 'OR' || k1 === 'AND') && k2 === (k === 'SRC' ? 'DST' : 'SRC')) {
        this.next();
        this.next();
        dir = k1 === 'OR' ? 'or' : 'and';
      }
      if (this.kind() in AQUALS) addr = AQUALS[this.next().v as string]!;
    } else if (k in AQUALS) {
      this.next();
      addr = AQUALS[k]!;
    } else if (k === 'PROTO' || k === 'PROTOCHAIN' || k === 'GATEWAY') {
      this.next();
      addr = k === 'PROTO' ? 'proto' : k === 'PROTOCHAIN' ? 'protochain' : 'gateway';
    } else {
      this.peek();
      throw syntaxError();
    }
    return this.id({ proto, dir, addr });
  }

  /** id: nid | pnum | '(' pid ')'. */
  private id(q: Qual): Res {
    const k = this.kind();
    if (k === 'NUM') return { b: this.ncode(null, (this.next() as { v: number }).v, q), q };
    if (k === '(') {
      if (this.pnumAhead()) return { b: this.ncode(null, this.pnum(), q), q };
      this.next();
      let cur: Res;
      if (this.kind() === 'NUM' || this.kind() === '(') {
        if (this.kind() === '(' && !this.pnumAhead()) {
          this.peek();
          throw syntaxError();
        }
        cur = { b: this.ncode(null, this.pnum(), q), q };
      } else cur = this.nid(q);
      for (;;) {
        const op = this.kind();
        if (op !== 'AND' && op !== 'OR') break;
        this.next();
        const rhs = this.id(cur.q);
        cur = { b: op === 'AND' ? and(cur.b, rhs.b) : or(cur.b, rhs.b), q: rhs.q };
      }
      this.expect(')');
      return cur;
    }
    return this.nid(q);
  }

  /** True when the next tokens are ( ( ... NUM ) ). */
  private pnumAhead(): boolean {
    let j = 0;
    while (this.kind(j) === '(') j++;
    if (this.kind(j) !== 'NUM') return false;
    for (let n = 0; n < j; n++) if (this.kind(j + 1 + n) !== ')') return false;
    return true;
  }

  private pnum(): number {
    if (this.kind() === '(') {
      this.next();
      const v = this.pnum();
      this.expect(')');
      return v;
    }
    return (this.expect('NUM') as { v: number }).v;
  }

  private nid(q: Qual): Res {
    const t = this.peek();
    switch (t.t) {
      case 'ID':
        this.next();
        return { b: this.scode(t.v, q), q };
      case 'HID': {
        this.next();
        if (this.kind() === '/') {
          this.next();
          const n = (this.expect('NUM') as { v: number }).v;
          return { b: this.mcode(t.v, null, n, q), q };
        }
        if (this.kind() === 'NETMASK') {
          this.next();
          const m = this.expect('HID');
          return { b: this.mcode(t.v, m.v as string, 0, q), q };
        }
        for (const a of ['port', 'portrange', 'proto', 'protochain'] as const) {
          if (q.addr === a) throw bpfError(`'${a}' modifier applied to ip host`);
        }
        return { b: this.ncode(t.v, 0, q), q };
      }
      case 'HID6': {
        this.next();
        let len = 128;
        if (this.kind() === '/') {
          this.next();
          len = (this.expect('NUM') as { v: number }).v;
        }
        return { b: this.mcode6(t.v, len, q), q };
      }
      case 'EID':
        this.next();
        return { b: this.ecode(t.v, q), q };
      case 'AID':
        this.next();
        throw bpfError('aid supported only on ARCnet');
      default:
        if (this.kind() === '!') {
          this.next();
          const r = this.id(q);
          return { b: not(r.b), q: r.q };
        }
        throw syntaxError();
    }
  }

  // ---------------------------------------------------------------- name/number codes

  private ncode(s: string | null, v: number, q: Qual): Block {
    let vlen = 32;
    if (s !== null) {
      const r = atoin(s);
      if (r === null) throw bpfError(`invalid IPv4 address '${s}'`);
      [v, vlen] = r;
    }
    switch (q.addr) {
      case 'default':
      case 'host':
      case 'net': {
        if (q.proto === 'decnet') throw bpfError("'decnet' is not supported by vnet's filter compiler");
        if (q.proto === 'link') throw bpfError('illegal link layer address');
        let mask = 0xffffffff;
        if (s === null && q.addr === 'net') {
          while (v && (v & 0xff000000) === 0) {
            v = (v << 8) >>> 0;
            mask = (mask << 8) >>> 0;
          }
        } else {
          v = vlen === 0 ? 0 : (v * 2 ** (32 - vlen)) >>> 0;
          mask = vlen === 0 ? 0 : (mask * 2 ** (32 - vlen)) >>> 0;
        }
        return this.g.host(v, mask, q.proto, q.dir, q.addr);
      }
      case 'port':
      case 'portrange': {
        const proto = q.proto === 'udp' ? 17 : q.proto === 'tcp' ? 6 : q.proto === 'sctp' ? 132 : q.proto === 'default' ? -1 : null;
        if (proto === null) throw bpfError(`illegal qualifier of '${q.addr}'`);
        if (v > 65535) throw bpfError(`illegal port number ${v} > 65535`);
        if (q.addr === 'port') return or(this.g.port(v, proto, q.dir, false), this.g.port(v, proto, q.dir, true));
        return or(this.g.portrange(v, v, proto, q.dir, false), this.g.portrange(v, v, proto, q.dir, true));
      }
      case 'gateway':
        throw bpfError("'gateway' requires a name");
      case 'proto':
        return this.g.proto(v, q.proto, q.dir);
      case 'protochain':
        throw bpfError("'protochain' is not supported by vnet's filter compiler");
      default:
        throw bpfError('syntax error in filter expression');
    }
  }

  private mcode(s1: string, s2: string | null, masklen: number, q: Qual): Block {
    const r = atoin(s1);
    if (r === null) throw bpfError(`invalid IPv4 address '${s1}'`);
    const n = (r[0] * 2 ** (32 - r[1])) >>> 0;
    let m: number;
    if (s2 !== null) {
      const r2 = atoin(s2);
      if (r2 === null) throw bpfError(`invalid IPv4 address '${s2}'`);
      m = (r2[0] * 2 ** (32 - r2[1])) >>> 0;
      if ((n & ~m) !== 0) throw bpfError(`non-network bits set in "${s1} mask ${s2}"`);
    } else {
      if (masklen > 32) throw bpfError('mask length must be <= 32');
      m = masklen === 0 ? 0 : (0xffffffff << (32 - masklen)) >>> 0;
      if ((n & ~m) !== 0) throw bpfError(`non-network bits set in "${s1}/${masklen}"`);
    }
    if (q.addr !== 'net') throw bpfError('Mask syntax for networks only');
    return this.g.host(n, m, q.proto, q.dir, q.addr);
  }

  private mcode6(s: string, masklen: number, q: Qual): Block {
    const addr = parseIpv6(s);
    if (!addr) throw bpfError(`invalid ip6 address ${s}`);
    if (masklen > 128) throw bpfError('mask length must be <= 128');
    const mask = new Uint8Array(16);
    for (let i = 0; i < 16; i++) mask[i] = masklen >= 8 * (i + 1) ? 0xff : masklen > 8 * i ? (0xff << (8 - (masklen - 8 * i))) & 0xff : 0;
    if (addr.some((b, i) => (b & ~mask[i]!) !== 0)) throw bpfError(`non-network bits set in "${s}/${masklen}"`);
    switch (q.addr) {
      case 'default':
      case 'host':
        if (masklen !== 128) throw bpfError('Mask syntax for networks only');
        return this.g.host6(addr, mask, q.proto, q.dir, q.addr);
      case 'net':
        return this.g.host6(addr, mask, q.proto, q.dir, q.addr);
      default:
        throw bpfError('invalid qualifier against IPv6 address');
    }
  }

  private ecode(s: string, q: Qual): Block {
    if ((q.addr === 'host' || q.addr === 'default') && q.proto === 'link') {
      if (!this.g.ether) throw bpfError('ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel');
      return this.g.ehostop(etherAton(s), q.dir);
    }
    throw bpfError('ethernet address used in non-ether expression');
  }

  private scode(name: string, q: Qual): Block {
    switch (q.addr) {
      case 'net':
        throw bpfError(`unknown network '${name}'`);
      case 'default':
      case 'host': {
        if (q.proto === 'link') {
          if (!this.g.ether) throw bpfError('only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name');
          throw bpfError(`unknown ether host '${name}'`);
        }
        if (q.proto === 'decnet') throw bpfError("'decnet' is not supported by vnet's filter compiler");
        const r = this.g.opts.resolveHost?.(name) ?? null;
        if (!r || r.v4.length + r.v6.length === 0) throw bpfError(`unknown host '${name}'`);
        let b: Block | null = null;
        const full = new Uint8Array(16).fill(0xff);
        for (const a of r.v4) {
          if (q.proto === 'ip6') continue;
          const t = this.g.host(a, 0xffffffff, q.proto, q.dir, q.addr);
          b = b ? or(b, t) : t;
        }
        for (const a of r.v6) {
          if (q.proto === 'ip') continue;
          const t = this.g.host6(a, full, q.proto, q.dir, q.addr);
          b = b ? or(b, t) : t;
        }
        if (!b) throw bpfError(`unknown host '${name}'${q.proto === 'default' ? '' : ' for specified address family'}`);
        return b;
      }
      case 'port':
      case 'portrange': {
        if (q.proto !== 'default' && q.proto !== 'udp' && q.proto !== 'tcp' && q.proto !== 'sctp') {
          throw bpfError(`illegal qualifier of '${q.addr}'`);
        }
        const what = q.addr === 'port' ? 'port' : 'port in range';
        let p1: number, p2: number, real: number;
        if (q.addr === 'port') {
          const r = nametoport(name);
          if (!r) throw bpfError(`unknown port '${name}'`);
          [p1, real] = r;
          p2 = p1;
        } else {
          const r = nametoportrange(name);
          if (!r) throw bpfError(`unknown port in range '${name}'`);
          [p1, p2, real] = r;
        }
        const want = q.proto === 'udp' ? 17 : q.proto === 'tcp' ? 6 : q.proto === 'sctp' ? 132 : -1;
        if (want !== -1) {
          if (real !== -1 && real !== want) throw bpfError(`${what} '${name}' is ${real === 6 ? 'tcp' : real === 17 ? 'udp' : 'sctp'}`);
          real = want;
        }
        for (const pn of q.addr === 'port' ? [p1] : [p1, p2]) {
          if (pn < 0) throw bpfError(`illegal port number ${pn} < 0`);
          if (pn > 65535) throw bpfError(`illegal port number ${pn} > 65535`);
        }
        if (q.addr === 'port') return or(this.g.port(p1, real, q.dir, false), this.g.port(p1, real, q.dir, true));
        return or(this.g.portrange(p1, p2, real, q.dir, false), this.g.portrange(p1, p2, real, q.dir, true));
      }
      case 'gateway':
        throw bpfError("'gateway' not supported in this configuration");
      case 'proto': {
        const v = lookupProto(name, q.proto);
        if (v < 0) throw bpfError(`unknown protocol: ${name}`);
        return this.g.proto(v, q.proto, q.dir);
      }
      case 'protochain':
        throw bpfError("'protochain' is not supported by vnet's filter compiler");
      default:
        throw bpfError('syntax error in filter expression');
    }
  }

  // ---------------------------------------------------------------- "other" primitives

  private other(): Block {
    const k = this.kind();
    if (k in PNAMES || k === 'TK_BROADCAST' || k === 'TK_MULTICAST') {
      let proto: Proto = 'default';
      if (k in PNAMES) proto = PNAMES[this.next().v as string]!;
      const kk = this.kind();
      if (kk === 'TK_BROADCAST') {
        this.next();
        return this.g.broadcast(proto);
      }
      if (kk === 'TK_MULTICAST') {
        this.next();
        return this.g.multicast(proto);
      }
      this.peek();
      throw syntaxError();
    }
    switch (k) {
      case 'LESS':
      case 'GREATER': {
        this.next();
        const n = (this.expect('NUM') as { v: number }).v;
        return k === 'LESS' ? (p) => !(p.len > n) : (p) => p.len >= n;
      }
      case 'CBYTE': {
        this.next();
        const idx = (this.expect('NUM') as { v: number }).v;
        const op = this.next();
        if (op.t !== 'op' || !'&|<>='.includes(op.v as string)) throw syntaxError();
        const val = (this.expect('NUM') as { v: number }).v;
        const l = this.g.load('linkhdr', idx, 1);
        switch (op.v) {
          case '=':
            return (p) => l(p) === val;
          case '<':
            return (p) => l(p) < val;
          case '>':
            return (p) => l(p) > val;
          // libpcap 1.10's gen_byteop forgets to load the byte for & and |: it tests the
          // accumulator, which is 0 at this point of an unoptimized program.
          case '&':
            return () => false;
          default:
            return () => val !== 0;
        }
      }
      case 'INBOUND':
      case 'OUTBOUND':
        this.next();
        return this.g.inbound(k === 'OUTBOUND');
      case 'VLAN': {
        this.next();
        if (this.kind() === 'NUM' || this.kind() === '(') return this.g.vlan(this.pnum());
        return this.g.vlan(null);
      }
      case 'IFINDEX':
      case 'MPLS':
      case 'PPPOED':
      case 'PPPOES':
      case 'GENEVE':
      case 'LLC':
        throw bpfError(`'${(this.peek().text as string)}' is not supported by vnet's filter compiler`);
      default:
        this.peek();
        throw syntaxError();
    }
  }

  // ---------------------------------------------------------------- arithmetic

  private relation(): Block {
    const a0 = this.arth();
    const k = this.kind();
    if (!RELOPS.has(k)) {
      this.peek();
      throw syntaxError();
    }
    this.next();
    const a1 = this.arth();
    const op = k === '>' ? 'gt' : k === 'GEQ' ? 'ge' : k === '=' ? 'eq' : k === 'LEQ' ? 'gt' : k === '<' ? 'ge' : 'eq';
    const reversed = k === 'LEQ' || k === '<' || k === 'NEQ';
    const cmp: Block = (p) => {
      const x = a0.value(p) >>> 0, y = a1.value(p) >>> 0;
      const r = op === 'gt' ? x > y : op === 'ge' ? x >= y : x === y;
      return reversed ? !r : r;
    };
    let sym: Sym = OPAQUE;
    if (a0.folded !== undefined && a1.folded !== undefined) {
      const x = a0.folded >>> 0, y = a1.folded >>> 0;
      const r = op === 'gt' ? x > y : op === 'ge' ? x >= y : x === y;
      sym = { k: 'const', v: reversed ? !r : r };
    } else if (op === 'eq') {
      const [e, c] = a1.folded !== undefined ? [a0, a1.folded] : [a1, a0.folded];
      if (e.key !== undefined && c !== undefined) {
        const atom: Sym = { k: 'atom', key: e.key, eq: c >>> 0 };
        sym = reversed ? { k: 'not', a: atom } : atom;
      }
    }
    withSym(cmp, sym);
    const checks = a0.checks && a1.checks ? and(a0.checks, a1.checks) : a0.checks ?? a1.checks;
    return checks ? and(checks, cmp) : cmp;
  }

  private static readonly PREC: Record<string, number> = { '|': 1, '&': 2, '<<': 3, '>>': 3, '+': 4, '-': 4, '*': 5, '/': 5 };

  private arth(minPrec = 0): Arth {
    let left = this.unary();
    for (;;) {
      const k = this.kind();
      if (k === '%' || k === '^') {
        // No precedence in grammar.y: bison always shifts, so the right operand is everything.
        this.next();
        left = this.binop(k, left, this.arth(0));
        continue;
      }
      const prec = Parser.PREC[k];
      if (prec === undefined || prec <= minPrec) return left;
      this.next();
      left = this.binop(k, left, this.arth(prec));
    }
  }

  private unary(): Arth {
    const k = this.kind();
    if (k === '-') {
      this.next();
      const a = this.arthAbsorb(this.unary());
      const v = a.value;
      const out: Arth = { checks: a.checks, value: (p) => (0 - v(p)) >>> 0 };
      if (a.folded !== undefined) out.folded = (0 - a.folded) >>> 0;
      return out;
    }
    return this.primary();
  }

  /** '%'/'^' after a unary operand bind into it (same always-shift rule). */
  private arthAbsorb(a: Arth): Arth {
    while (this.kind() === '%' || this.kind() === '^') {
      const k = this.next().v as string;
      a = this.binop(k, a, this.arth(0));
    }
    return a;
  }

  private primary(): Arth {
    const k = this.kind();
    if (k === 'NUM') {
      const v = (this.next() as { v: number }).v;
      return { checks: null, value: () => v, constant: v, folded: v };
    }
    if (k === 'LEN') {
      this.next();
      return { checks: null, value: (p) => p.len };
    }
    if (k === '(') {
      this.next();
      const a = this.arth();
      this.expect(')');
      return a;
    }
    if (k in PNAMES && this.kind(1) === '[') {
      const proto = PNAMES[this.next().v as string]!;
      this.next();
      const index = this.arth();
      let size = 1;
      if (this.kind() === ':') {
        this.next();
        size = (this.expect('NUM') as { v: number }).v;
      }
      this.expect(']');
      return this.g.loadArth(proto, index, size);
    }
    this.peek();
    throw syntaxError();
  }

  private binop(op: string, a: Arth, b: Arth): Arth {
    if (op === '/' && b.constant === 0) throw bpfError('division by zero');
    if (op === '%' && b.constant === 0) throw bpfError('modulus by zero');
    if ((op === '<<' || op === '>>') && b.constant !== undefined && b.constant > 31) throw bpfError('shift by more than 31 bits');
    const x = a.value, y = b.value;
    let f: (p: Pkt) => number;
    switch (op) {
      case '+':
        f = (p) => (x(p) + y(p)) >>> 0;
        break;
      case '-':
        f = (p) => (x(p) - y(p)) >>> 0;
        break;
      case '*':
        f = (p) => Number((BigInt(x(p)) * BigInt(y(p))) & 0xffffffffn);
        break;
      case '/':
        f = (p) => {
          const l = x(p), r = y(p);
          if (r === 0) throw REJECT;
          return Math.floor(l / r);
        };
        break;
      case '%':
        f = (p) => {
          const l = x(p), r = y(p);
          if (r === 0) throw REJECT;
          return l % r;
        };
        break;
      case '&':
        f = (p) => (x(p) & y(p)) >>> 0;
        break;
      case '|':
        f = (p) => (x(p) | y(p)) >>> 0;
        break;
      case '^':
        f = (p) => (x(p) ^ y(p)) >>> 0;
        break;
      case '<<':
        f = (p) => {
          const l = x(p), r = y(p);
          return r < 32 ? (l << r) >>> 0 : 0;
        };
        break;
      default:
        f = (p) => {
          const l = x(p), r = y(p);
          return r < 32 ? l >>> r : 0;
        };
    }
    const out: Arth = { checks: a.checks, value: f };
    if (a.folded !== undefined && b.folded !== undefined) {
      try {
        out.folded = f({ b: new Uint8Array(0), len: 0, outbound: undefined });
      } catch {
        // division by a folded zero: left to run time
      }
    } else if (a.key !== undefined && b.folded !== undefined) out.key = `(${a.key}${op}${b.folded >>> 0})`;
    // gen_arth keeps only the left operand's protocol checks (libpcap behaviour).
    return out;
  }
}

function lookupProto(name: string, proto: Proto): number {
  switch (proto) {
    case 'default':
    case 'ip':
    case 'ip6': {
      const v = protoNumber(name);
      if (v < 0) throw bpfError(`unknown ip proto '${name}'`);
      return v;
    }
    case 'link': {
      const e: Record<string, number> = {
        aarp: 0x80f3, arp: 0x0806, atalk: 0x809b, decnet: 0x6003, ip: 0x0800, ip6: 0x86dd, lat: 0x6004,
        loopback: 0x9000, mopdl: 0x6001, moprc: 0x6002, rarp: 0x8035, sca: 0x6007, iso: 0xfe, stp: 0x42, ipx: 0xe0,
        netbeui: 0xf0,
      };
      if (e[name] === undefined) throw bpfError(`unknown ether proto '${name}'`);
      return e[name]!;
    }
    default:
      return -1;
  }
}

/** pcap_nametoport(): [port, proto] with proto 6, 17 or -1 (both, same number). */
function nametoport(name: string): [number, number] | null {
  const t = servicePort(name, 'tcp'), u = servicePort(name, 'udp');
  if (t >= 0) return [t, u === t ? -1 : 6];
  if (u >= 0) return [u, 17];
  return null;
}

/** pcap_nametoportrange(): "N-M" or "name-name". */
function nametoportrange(name: string): [number, number, number] | null {
  const m = /^\s*([+-]?\d+)-\s*([+-]?\d+)/.exec(name);
  if (m) return [parseInt(m[1]!, 10), parseInt(m[2]!, 10), -1];
  const dash = name.indexOf('-');
  if (dash < 0) return null;
  const a = nametoport(name.slice(0, dash)), b = nametoport(name.slice(dash + 1));
  if (!a || !b) return null;
  return [a[0], b[0], a[1] === b[1] ? a[1] : -1];
}
