/**
 * `ip address add|change|replace|del|show|flush` (ip/ipaddress.c ipaddr_modify, do_ipaddr).
 */
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, nlAddrTalk } from './nlmsg.ts'; // netlink messages for nlmon
import { Errno, err as nlErr } from '../../core/errno.ts';
import { addInetAddr, delInetAddr } from '../../core/ipv4/devinet.ts';
import { maskOf } from '../../core/ipv4/fib.ts';
import type { IpCtx } from './common.ts';
import {
  AF_INET, AF_INET6, AF_UNSPEC, Args, duparg, duparg2, fail, getAddr, getPrefix, getU32, invarg, matches,
  nodev, llNameToIndex, rtscopeA2n, type InetPrefix,
} from './util.ts';
import { IFA_FLAG_DATA, addrUsage, ipaddrListFlushOrSave } from './show.ts';
import { NS_PER_SEC } from '../../core/clock.ts';

type AddrCmd = 'add' | 'change' | 'replace' | 'delete';

function ipaddrModify(c: IpCtx, cmd: AddrCmd, argv: string[]): number {
  const a = new Args(argv, c);
  let family = c.opts.family;
  let dev: string | undefined;
  let label: string | undefined;
  let lcl: InetPrefix | undefined;
  let lclArg = '';
  let peer: InetPrefix | undefined;
  let brdLen = 0;
  let brd: InetPrefix | undefined;
  let anyLen = 0;
  let scope: number | undefined;
  let prefixlen = 0;
  let flags = 0;
  let validSeen = false, prefSeen = false;
  let validLft = 0xffffffff, prefLft = 0xffffffff;
  while (a.more) {
    const w = a.cur;
    if (w === 'peer' || w === 'remote') {
      const v = a.next();
      if (peer) duparg(c, 'peer', v);
      peer = getPrefix(c, v, family);
      if (family === AF_UNSPEC) family = peer.family;
      prefixlen = peer.bitlen;
    } else if (matches(w, 'broadcast') || w === 'brd') {
      const v = a.next();
      if (brdLen) duparg(c, 'broadcast', v);
      if (v === '+') brdLen = -1;
      else if (v === '-') brdLen = -2;
      else {
        brd = getAddr(c, v, family);
        if (family === AF_UNSPEC) family = brd.family;
        brdLen = brd.bytelen;
      }
    } else if (w === 'anycast') {
      const v = a.next();
      if (anyLen) duparg(c, 'anycast', v);
      const x = getAddr(c, v, family);
      if (family === AF_UNSPEC) family = x.family;
      anyLen = x.bytelen;
    } else if (w === 'scope') {
      const v = a.next();
      const s = rtscopeA2n(v);
      if (s === null) invarg(c, 'invalid scope value.', v);
      scope = s;
    } else if (w === 'dev') {
      dev = a.next();
    } else if (w === 'label') {
      label = a.next();
    } else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) {
      const v = a.next();
      if (getU32(v, 0) === null) invarg(c, '"metric" value is invalid\n', v);
    } else if (matches(w, 'valid_lft')) {
      if (validSeen) duparg(c, 'valid_lft', w);
      const v = a.next();
      validSeen = true;
      const n = v === 'forever' ? 0xffffffff : getU32(v, 0);
      if (n === null) invarg(c, 'valid_lft value', v);
      validLft = n;
    } else if (matches(w, 'preferred_lft')) {
      if (prefSeen) duparg(c, 'preferred_lft', w);
      const v = a.next();
      prefSeen = true;
      const n = v === 'forever' ? 0xffffffff : getU32(v, 0);
      if (n === null) invarg(c, 'preferred_lft value', v);
      prefLft = n;
    } else if (IFA_FLAG_DATA.some((f) => f.name === w)) {
      const fd = IFA_FLAG_DATA.find((f) => f.name === w)!;
      if (fd.readonly) c.err(`Warning: ${fd.name} option is not mutable from userspace\n`);
      else if (fd.v6only && family !== AF_INET6) c.err(`Warning: ${fd.name} option can be set only for IPv6 addresses\n`);
      else flags |= fd.mask;
    } else {
      let v = w;
      if (w === 'local') v = a.next();
      if (matches(v, 'help')) addrUsage(c, false);
      if (lcl) duparg2(c, 'local', v);
      lclArg = v;
      lcl = getPrefix(c, v, family);
      if (family === AF_UNSPEC) family = lcl.family;
    }
    a.step();
  }
  if (dev === undefined) fail(c, 'Not enough information: "dev" argument is required.\n', 1);
  let wildcard = false;
  if (!peer && lcl) {
    if (cmd === 'delete' && lcl.family === AF_INET && !lcl.prefixSpecified) {
      c.err('Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
        `         Explicitly specify the prefix length (${lclArg}/${lcl.bytelen * 8}) to avoid this warning.\n` +
        '         This special behaviour is likely to disappear in further releases,\n' +
        '         fix your scripts!\n');
      wildcard = true;
    } else {
      peer = lcl;
    }
  }
  if (prefixlen === 0 && lcl) prefixlen = lcl.bitlen;
  let broadcast: number | undefined = brd && brd.family === AF_INET ? brd.v4 : undefined;
  if (brdLen < 0 && cmd !== 'delete') {
    if (family !== AF_INET) fail(c, 'Broadcast can be set only for IPv4 addresses\n', 1);
    const base = peer!;
    if (base.bitlen <= 30) {
      const host = (~maskOf(base.bitlen)) >>> 0;
      broadcast = brdLen === -1 ? (base.v4 | host) >>> 0 : (base.v4 & ~host) >>> 0;
    }
  }
  if (scope === undefined && cmd !== 'delete') scope = lcl && lcl.family === AF_INET && (lcl.v4 >>> 24) === 127 ? 254 : 0;
  const idx = llNameToIndex(c.ns, dev);
  if (!idx) nodev(c, dev);
  if (validSeen || prefSeen) {
    if (!validLft) fail(c, 'valid_lft is zero\n', 1);
    if (validLft < prefLft) fail(c, 'preferred_lft is greater than valid_lft\n', 1);
  }
  if ((flags & 0x400) && !(lcl && (lcl.family === AF_INET ? (lcl.v4 >>> 28) === 14 : lcl.v6[0] === 0xff))) {
    fail(c, 'autojoin needs multicast address\n', 1);
  }
  // The kernel side.
  const d = c.ns.byIndex.get(idx);
  if (!d) c.kernelFail(nlErr(Errno.ENODEV));
  if (family === AF_UNSPEC || !lcl) {
    if (family === AF_INET6 || family === AF_INET) c.kernelFail(nlErr(Errno.EINVAL));
    c.kernelFail(nlErr(Errno.EOPNOTSUPP));
  }
  if (label !== undefined && new TextEncoder().encode(label).length >= 16) {
    c.kernelFail(nlErr(Errno.EINVAL, 'Attribute failed policy validation'));
  }
  if (family === AF_INET6) return modifyInet6(c, cmd, d, lcl, prefixlen, flags);
  // What nlmon shows: RTM_NEWADDR/RTM_DELADDR as iproute2 sends it, and the kernel's answer.
  const nlMsg = { local: lcl.v4, prefixlen, scope: scope ?? 0, ifindex: idx, broadcast, label,
    create: cmd === 'add' ? NLM_F_CREATE | NLM_F_EXCL : cmd === 'replace' ? NLM_F_CREATE | NLM_F_REPLACE : NLM_F_REPLACE };
  if (cmd === 'delete') {
    return nlAddrTalk(c, true, nlMsg, () => {
      const r = delInetAddr(d, lcl.v4, wildcard ? null : prefixlen);
      if (!r.ok) c.kernelFail(r);
      return 0;
    });
  }
  const existing = d.inet.find((x) => x.local === lcl!.v4 && x.prefixlen === prefixlen);
  if (cmd === 'change' && !existing) c.kernelFail(nlErr(Errno.EADDRNOTAVAIL, 'ipv4: Address not found'));
  const req: Parameters<typeof addInetAddr>[1] = { local: lcl.v4, prefixlen };
  if (peer && peer.family === AF_INET) req.address = peer.v4;
  if (broadcast !== undefined) req.broadcast = broadcast;
  if (label !== undefined) req.label = label;
  if (scope !== undefined) req.scope = scope;
  if (flags & 0x200) req.noprefixroute = true;
  return nlAddrTalk(c, false, nlMsg, () => {
    const r = addInetAddr(d, req, cmd !== 'add');
    if (!r.ok) c.kernelFail(r);
    return 0;
  });
}

/** IPv6 addresses the user adds: kept on the device for `ip addr`/`ip route` to show. */
function modifyInet6(c: IpCtx, cmd: AddrCmd, d: import('../../core/netdev.ts').NetDevice, lcl: InetPrefix,
  prefixlen: number, flags: number): number {
  const same = (x: { addr: Uint8Array }): boolean => x.addr.every((b, i) => b === lcl.v6[i]);
  const i = d.inet6.findIndex((x) => same(x) && (cmd !== 'delete' || !lcl.prefixSpecified || x.prefixlen === prefixlen));
  if (cmd === 'delete') {
    if (i < 0) c.kernelFail(nlErr(Errno.EADDRNOTAVAIL, 'ipv6: address not found'));
    d.inet6.splice(i, 1);
    return 0;
  }
  if (i >= 0) {
    if (cmd === 'add') c.kernelFail(nlErr(Errno.EEXIST, 'ipv6: address already assigned'));
    d.inet6[i]!.prefixlen = prefixlen;
    return 0;
  }
  if (cmd === 'change') c.kernelFail(nlErr(Errno.ENOENT));
  const v6 = lcl.v6;
  const scope = v6[0] === 0xfe && (v6[1]! & 0xc0) === 0x80 ? 'link'
    : v6.every((b, k) => (k === 15 ? b === 1 : b === 0)) ? 'host' : 'global';
  const nodad = (flags & 0x02) !== 0 || (d.flags & 0x8) !== 0;
  d.inet6.push({ addr: new Uint8Array(v6), prefixlen, scope, proto: '',
    tentativeUntil: nodad ? 0 : c.lab.clock.now + NS_PER_SEC + (d.isUp && d.carrier ? 0 : 1e15) });
  c.lab.addrBound.added++; // the address limit's bound (core/ipv4/devinet.ts)
  return 0;
}

export function doIpaddr(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) return ipaddrListFlushOrSave(c, [], 'list', false);
  const w = argv[0]!;
  const rest = argv.slice(1);
  if (matches(w, 'add')) return ipaddrModify(c, 'add', rest);
  if (matches(w, 'change') || w === 'chg') return ipaddrModify(c, 'change', rest);
  if (matches(w, 'replace')) return ipaddrModify(c, 'replace', rest);
  if (matches(w, 'delete')) return ipaddrModify(c, 'delete', rest);
  if (matches(w, 'list') || matches(w, 'show') || matches(w, 'lst')) return ipaddrListFlushOrSave(c, rest, 'list', false);
  if (matches(w, 'flush')) return ipaddrListFlushOrSave(c, rest, 'flush', false);
  if (matches(w, 'save')) return ipaddrListFlushOrSave(c, rest, 'save', false);
  if (matches(w, 'showdump') || matches(w, 'restore')) fail(c, 'Not a dump file\n', 255);
  if (matches(w, 'help')) addrUsage(c, false);
  fail(c, `Command "${w}" is unknown, try "ip address help".\n`, 255);
}
