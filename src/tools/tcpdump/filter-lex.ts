/**
 * Tokenizer for pcap filter expressions, following libpcap 1.10's scanner.l: flex semantics
 * (longest match, earlier rule wins ties), same token classes, same lexical errors.
 */

export type Tok =
  | { t: 'kw'; v: string; text: string }
  | { t: 'NUM'; v: number; text: string }
  | { t: 'HID' | 'HID6' | 'EID' | 'AID' | 'ID'; v: string; text: string }
  | { t: 'op'; v: string; text: string }
  | { t: 'ERR'; v: string; text: string }
  | { t: 'EOF'; v: ''; text: '' };

/** Keyword spellings → token name (several spellings share a token, e.g. ether/link). */
const KEYWORDS: Record<string, string> = {
  dst: 'DST', src: 'SRC', link: 'LINK', ether: 'LINK', ppp: 'LINK', slip: 'LINK', fddi: 'LINK', tr: 'LINK',
  wlan: 'LINK', arp: 'ARP', rarp: 'RARP', ip: 'IP', sctp: 'SCTP', tcp: 'TCP', udp: 'UDP', icmp: 'ICMP',
  igmp: 'IGMP', igrp: 'IGRP', pim: 'PIM', vrrp: 'VRRP', carp: 'CARP', radio: 'RADIO', ip6: 'IPV6',
  icmp6: 'ICMPV6', ah: 'AH', esp: 'ESP', atalk: 'ATALK', aarp: 'AARP', decnet: 'DECNET', lat: 'LAT', sca: 'SCA',
  moprc: 'MOPRC', mopdl: 'MOPDL', iso: 'ISO', esis: 'ESIS', 'es-is': 'ESIS', isis: 'ISIS', 'is-is': 'ISIS',
  l1: 'L1', l2: 'L2', iih: 'IIH', lsp: 'LSP', snp: 'SNP', csnp: 'CSNP', psnp: 'PSNP', clnp: 'CLNP', stp: 'STP',
  ipx: 'IPX', netbeui: 'NETBEUI', host: 'HOST', net: 'NET', mask: 'NETMASK', port: 'PORT',
  portrange: 'PORTRANGE', proto: 'PROTO', protochain: 'PROTOCHAIN', gateway: 'GATEWAY', type: 'TYPE',
  subtype: 'SUBTYPE', direction: 'DIR', dir: 'DIR', address1: 'ADDR1', addr1: 'ADDR1', address2: 'ADDR2',
  addr2: 'ADDR2', address3: 'ADDR3', addr3: 'ADDR3', address4: 'ADDR4', addr4: 'ADDR4', ra: 'RA', ta: 'TA',
  less: 'LESS', greater: 'GREATER', byte: 'CBYTE', broadcast: 'TK_BROADCAST', multicast: 'TK_MULTICAST',
  and: 'AND', or: 'OR', not: '!', len: 'LEN', length: 'LEN', inbound: 'INBOUND', outbound: 'OUTBOUND',
  ifindex: 'IFINDEX', vlan: 'VLAN', mpls: 'MPLS', pppoed: 'PPPOED', pppoes: 'PPPOES', geneve: 'GENEVE',
  lane: 'LANE', llc: 'LLC', metac: 'METAC', bcc: 'BCC', oam: 'OAM', oamf4: 'OAMF4', oamf4ec: 'OAMF4EC',
  oamf4sc: 'OAMF4SC', sc: 'SC', ilmic: 'ILMIC', vpi: 'VPI', vci: 'VCI', connectmsg: 'CONNECTMSG',
  metaconnect: 'METACONNECT', on: 'PF_IFNAME', ifname: 'PF_IFNAME', rset: 'PF_RSET', ruleset: 'PF_RSET',
  rnr: 'PF_RNR', rulenum: 'PF_RNR', srnr: 'PF_SRNR', subrulenum: 'PF_SRNR', reason: 'PF_REASON',
  action: 'PF_ACTION', fisu: 'FISU', lssu: 'LSSU', lsu: 'LSSU', msu: 'MSU', hfisu: 'HFISU', hlssu: 'HLSSU',
  hmsu: 'HMSU', sio: 'SIO', opc: 'OPC', dpc: 'DPC', sls: 'SLS', hsio: 'HSIO', hopc: 'HOPC', hdpc: 'HDPC',
  hsls: 'HSLS',
};

/** Named constants the scanner turns into NUM. */
const NAMED_NUMS: Record<string, number> = {
  icmptype: 0, icmpcode: 1, 'icmp-echoreply': 0, 'icmp-unreach': 3, 'icmp-sourcequench': 4, 'icmp-redirect': 5,
  'icmp-echo': 8, 'icmp-routeradvert': 9, 'icmp-routersolicit': 10, 'icmp-timxceed': 11, 'icmp-paramprob': 12,
  'icmp-tstamp': 13, 'icmp-tstampreply': 14, 'icmp-ireq': 15, 'icmp-ireqreply': 16, 'icmp-maskreq': 17,
  'icmp-maskreply': 18, icmp6type: 0, icmp6code: 1, 'icmp6-destinationunreach': 1, 'icmp6-packettoobig': 2,
  'icmp6-timeexceeded': 3, 'icmp6-parameterproblem': 4, 'icmp6-echo': 128, 'icmp6-echoreply': 129,
  'icmp6-multicastlistenerquery': 130, 'icmp6-multicastlistenerreportv1': 131, 'icmp6-multicastlistenerdone': 132,
  'icmp6-routersolicit': 133, 'icmp6-routeradvert': 134, 'icmp6-neighborsolicit': 135, 'icmp6-neighboradvert': 136,
  'icmp6-redirect': 137, 'icmp6-routerrenum': 138, 'icmp6-nodeinformationquery': 139,
  'icmp6-nodeinformationresponse': 140, 'icmp6-ineighbordiscoverysolicit': 141,
  'icmp6-ineighbordiscoveryadvert': 142, 'icmp6-multicastlistenerreportv2': 143,
  'icmp6-homeagentdiscoveryrequest': 144, 'icmp6-homeagentdiscoveryreply': 145,
  'icmp6-mobileprefixsolicit': 146, 'icmp6-mobileprefixadvert': 147, 'icmp6-certpathsolicit': 148,
  'icmp6-certpathadvert': 149, 'icmp6-multicastrouteradvert': 151, 'icmp6-multicastroutersolicit': 152,
  'icmp6-multicastrouterterm': 153, tcpflags: 13, 'tcp-fin': 0x01, 'tcp-syn': 0x02, 'tcp-rst': 0x04,
  'tcp-push': 0x08, 'tcp-ack': 0x10, 'tcp-urg': 0x20, 'tcp-ece': 0x40, 'tcp-cwr': 0x80,
};

const N = '(?:0[xX][0-9A-Fa-f]+|[0-9]+)';
const B = '[0-9A-Fa-f][0-9A-Fa-f]?';
const B2 = '[0-9A-Fa-f]{4}';
const RE = (s: string) => new RegExp(`^(?:${s})`);
const RULES: [string, RegExp][] = [
  ['AID', RE(`\\$${B}`)],
  ['EID', RE(`${B}:${B}:${B}:${B}:${B}:${B}|${B}-${B}-${B}-${B}-${B}-${B}|${B}\\.${B}\\.${B}\\.${B}\\.${B}\\.${B}|${B2}\\.${B2}\\.${B2}|${B2}${B2}${B2}`)],
  ['NUM', RE(N)],
  ['HID', RE(`${N}\\.${N}\\.${N}\\.${N}|${N}\\.${N}\\.${N}|${N}\\.${N}`)],
];
const BOGUS_EID = RE(`${B}:+(?:${B}:+)+`);
const ID_RE = /^[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?/;
const OPS2 = ['>=', '<=', '!=', '==', '<<', '>>'];
const OPS1 = '+-*/%:[]!<>()&|^=';

/** Longest prefix of s that is one of scanner.l's V6 patterns (0 if none). */
function v6Length(s: string): number {
  const m = /^[0-9A-Fa-fxX:.]+/.exec(s);
  if (!m) return 0;
  for (let len = m[0].length; len >= 2; len--) if (isV6Pattern(m[0].slice(0, len))) return len;
  return 0;
}

function isV6Pattern(s: string): boolean {
  let body = s, v4 = false;
  const v4m = new RegExp(`^(.*:)(${N}\\.${N}\\.${N}\\.${N})$`).exec(s);
  if (v4m) {
    body = v4m[1]!;
    v4 = true;
    if (!body.endsWith('::')) body = body.slice(0, -1); // drop the ':' before the IPv4 part
    else if (body === '::') return true;
  }
  const W = /^[0-9A-Fa-f]{1,4}$/;
  const dbl = body.indexOf('::');
  if (dbl >= 0) {
    if (body.indexOf('::', dbl + 1) >= 0) return false;
    const head = body.slice(0, dbl), tail = body.slice(dbl + 2);
    const hs = head ? head.split(':') : [], ts = tail ? tail.split(':') : [];
    if (![...hs, ...ts].every((g) => W.test(g))) return false;
    return hs.length + ts.length <= (v4 ? 5 : 7);
  }
  const gs = body.split(':');
  return gs.every((g) => W.test(g)) && gs.length === (v4 ? 6 : 8);
}

/** stou(): decimal, 0x hex, 0-prefixed octal, all limited to 32 bits. */
function stou(text: string): Tok {
  let n = 0;
  if (text[0] === '0' && (text[1] === 'x' || text[1] === 'X')) {
    for (const c of text.slice(2)) {
      if (n > 0xfffffff) return { t: 'ERR', v: `number ${text} overflows 32 bits`, text };
      n = n * 16 + parseInt(c, 16);
    }
  } else if (text[0] === '0') {
    for (const c of text.slice(1)) {
      if (c > '7') return { t: 'ERR', v: `number ${text} contains non-octal digit`, text };
      if (n > 0o3777777777) return { t: 'ERR', v: `number ${text} overflows 32 bits`, text };
      n = n * 8 + (c.charCodeAt(0) - 48);
    }
  } else {
    for (const c of text) {
      const d = c.charCodeAt(0) - 48;
      if (n > 429496729 || (n === 429496729 && d > 5)) return { t: 'ERR', v: `number ${text} overflows 32 bits`, text };
      n = n * 10 + d;
    }
  }
  return { t: 'NUM', v: n, text };
}

/** Tokenizes the whole expression; lexical errors become ERR tokens raised when reached. */
export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ws = /^[ \r\n\t]+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    // Candidates: [length, rule order, token builder]; longest wins, then lowest order.
    let best: { len: number; make: () => Tok } | null = null;
    const offer = (len: number, make: () => Tok) => {
      if (len > 0 && (best === null || len > best.len)) best = { len, make };
    };
    const word = /^[A-Za-z0-9][-_.A-Za-z0-9]*/.exec(rest)?.[0] ?? '';
    for (let l = word.length; l > 0; l--) {
      const w = word.slice(0, l);
      if (KEYWORDS[w] !== undefined) {
        offer(l, () => ({ t: 'kw', v: KEYWORDS[w]!, text: w }));
        break;
      }
    }
    if (rest.startsWith('&&')) offer(2, () => ({ t: 'kw', v: 'AND', text: '&&' }));
    if (rest.startsWith('||')) offer(2, () => ({ t: 'kw', v: 'OR', text: '||' }));
    for (const op of OPS2) if (rest.startsWith(op)) offer(2, () => ({ t: 'op', v: op === '==' ? '=' : op, text: op }));
    if (OPS1.includes(rest[0]!)) offer(1, () => ({ t: 'op', v: rest[0]!, text: rest[0]! }));
    for (const [name, re] of RULES) {
      const m = re.exec(rest);
      if (!m) continue;
      const text = m[0];
      if (name === 'NUM') offer(text.length, () => stou(text));
      else offer(text.length, () => ({ t: name as 'AID' | 'EID' | 'HID', v: name === 'AID' ? text.slice(1) : text, text }));
    }
    const v6 = v6Length(rest);
    if (v6) {
      const text = rest.slice(0, v6);
      offer(v6, () => (validV6(text) ? { t: 'HID6', v: text, text } : { t: 'ERR', v: `bogus IPv6 address ${text}`, text }));
    }
    const bogus = BOGUS_EID.exec(rest);
    if (bogus) offer(bogus[0].length, () => ({ t: 'ERR', v: `bogus ethernet address ${bogus[0]}`, text: bogus[0] }));
    for (const [name, v] of Object.entries(NAMED_NUMS)) {
      if (rest.startsWith(name)) offer(name.length, () => ({ t: 'NUM', v, text: name }));
    }
    const id = ID_RE.exec(rest);
    if (id) offer(id[0].length, () => ({ t: 'ID', v: id[0], text: id[0] }));
    const esc = /^\\[^ !()\n\t]+/.exec(rest);
    if (esc) offer(esc[0].length, () => ({ t: 'ID', v: esc[0].slice(1), text: esc[0] }));
    const chosen = best as { len: number; make: () => Tok } | null;
    if (chosen === null) {
      out.push({ t: 'ERR', v: '', text: rest[0]! });
      i += 1;
      continue;
    }
    out.push(chosen.make());
    i += chosen.len;
  }
  out.push({ t: 'EOF', v: '', text: '' });
  return out;
}

/** getaddrinfo(AI_NUMERICHOST) acceptance of what the V6 pattern matched. */
function validV6(text: string): boolean {
  const m = /^(.*:)([^:]*\.[^:]*)$/.exec(text);
  if (m) {
    const parts = m[2]!.split('.');
    if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || +p > 255)) return false;
  }
  return true;
}
