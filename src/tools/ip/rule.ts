/**
 * `ip rule` (ip/iprule.c of iproute2 6.1) for IPv4: list/show, add, delete, flush. Rules live in
 * the namespace's FIB (fib.ts FibRule) and steer lookups: selectors from/to/iif/oif/tos/fwmark and
 * `not`, actions lookup TABLE or unreachable/prohibit/blackhole. A VRF adds the l3mdev rule.
 */
import { Errno, err as nlErr } from '../../core/errno.ts';
import { RT_TABLE_MAIN, maskOf, type FibRule } from '../../core/ipv4/fib.ts';
import type { IpCtx } from './common.ts';
import {
  AF_INET, AF_INET6, AF_UNSPEC, Args, IpExit, fail, getPrefix, getU32, invarg, ipv4Str, matches, rttableA2n,
  rttableN2a,
} from './util.ts';

function usage(c: IpCtx): never {
  c.err(
    'Usage: ip rule { add | del } SELECTOR ACTION\n' +
    '       ip rule { flush | save | restore }\n' +
    '       ip rule [ list [ SELECTOR ]]\n' +
    'SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]\n' +
    '            [ fwmark FWMARK[/MASK] ]\n' +
    '            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]\n' +
    '            [ uidrange NUMBER-NUMBER ]\n' +
    '            [ ipproto PROTOCOL ]\n' +
    '            [ sport [ NUMBER | NUMBER-NUMBER ]\n' +
    '            [ dport [ NUMBER | NUMBER-NUMBER ] ]\n' +
    'ACTION := [ table TABLE_ID ]\n' +
    '          [ protocol PROTO ]\n' +
    '          [ nat ADDRESS ]\n' +
    '          [ realms [SRCREALM/]DSTREALM ]\n' +
    '          [ goto NUMBER ]\n' +
    '          SUPPRESSOR\n' +
    'SUPPRESSOR := [ suppress_prefixlength NUMBER ]\n' +
    '              [ suppress_ifgroup DEVGROUP ]\n' +
    'TABLE_ID := [ local | main | default | NUMBER ]\n');
  throw new IpExit(255);
}

const ACTIONS: Record<string, FibRule['action']> = { unreachable: 'unreachable', prohibit: 'prohibit', blackhole: 'blackhole' };

function hex(n: number): string { return '0x' + (n >>> 0).toString(16); }

function printRule(c: IpCtx, r: FibRule): void {
  const p = c.p;
  p.openObject(null);
  p.num('any', 'priority', `${r.pref}:\t`, r.pref);
  if (r.invert) p.null('any', 'not', 'not ');
  if (r.srcLen) {
    p.string('any', 'src', `from ${ipv4Str(r.src)}`, ipv4Str(r.src));
    if (r.srcLen !== 32) p.num('any', 'srclen', `/${r.srcLen}`, r.srcLen);
  } else p.string('any', 'src', 'from all', 'all');
  if (r.dstLen) {
    p.string('any', 'dst', ` to ${ipv4Str(r.dst)}`, ipv4Str(r.dst));
    if (r.dstLen !== 32) p.num('any', 'dstlen', `/${r.dstLen}`, r.dstLen);
  }
  if (r.tos) p.string('any', 'tos', ` tos ${hex(r.tos)}`, hex(r.tos));
  if (r.fwmask) {
    p.string('any', 'fwmark', ` fwmark ${hex(r.fwmark)}`, hex(r.fwmark));
    if (r.fwmask !== 0xffffffff) p.string('any', 'fwmask', `/${hex(r.fwmask)}`, hex(r.fwmask));
  }
  for (const [key, name] of [['iif', r.iifname], ['oif', r.oifname]] as const) {
    if (!name) continue;
    p.string('any', key, ` ${key} ${name}`, name);
    if (!c.ns.devices.has(name)) p.null('any', `${key}_detached`, ' [detached]');
  }
  if (r.l3mdev) {
    p.null('any', 'l3mdev', ' lookup [l3mdev-table]');
  } else if (r.action === 'to_tbl') {
    const t = rttableN2a(r.table);
    p.string('any', 'table', ` lookup ${t}`, t);
  } else {
    p.string('any', 'action', ` ${r.action}`, r.action);
  }
  p.fp('\n');
  p.closeObject();
}

function list(c: IpCtx, argv: string[]): number {
  if (argv.length) fail(c, 'ip rule list: selectors are not supported by vnet\n', 1);
  if (c.opts.family === AF_INET6) return 0;
  const p = c.p;
  p.newJsonObj();
  for (const r of c.ns.fib.rules) printRule(c, r);
  p.deleteJsonObj();
  return 0;
}

interface RuleReq { rule: FibRule; prefGiven: boolean; tableGiven: boolean; actionGiven: boolean }

function parse(c: IpCtx, argv: string[], del: boolean): RuleReq {
  const rule: FibRule = { pref: 0, table: 0, l3mdev: false, action: 'to_tbl', invert: false, src: 0, srcLen: 0,
    dst: 0, dstLen: 0, iifname: '', oifname: '', tos: 0, fwmark: 0, fwmask: 0 };
  const req: RuleReq = { rule, prefGiven: false, tableGiven: false, actionGiven: !del };
  const a = new Args(argv, c);
  while (a.more) {
    const w = a.cur;
    if (w === 'not') {
      rule.invert = true;
    } else if (w === 'from') {
      const v = a.next();
      const pf = getPrefix(c, v, AF_INET);
      if (pf.family !== AF_UNSPEC || pf.bitlen > 0) {
        rule.srcLen = Math.max(0, pf.bitlen); rule.src = (pf.v4 & maskOf(rule.srcLen)) >>> 0;
      }
    } else if (w === 'to') {
      const v = a.next();
      const pf = getPrefix(c, v, AF_INET);
      if (pf.family !== AF_UNSPEC || pf.bitlen > 0) {
        rule.dstLen = Math.max(0, pf.bitlen); rule.dst = (pf.v4 & maskOf(rule.dstLen)) >>> 0;
      }
    } else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = a.next();
      const n = getU32(v, 0);
      if (n === null) invarg(c, 'preference value is invalid\n', v);
      rule.pref = n; req.prefGiven = true;
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const n = /^(0x)?[0-9a-fA-F]+$/.test(v) ? parseInt(v, 16) : NaN;
      if (!(n >= 0 && n <= 255)) invarg(c, 'TOS value is invalid\n', v);
      rule.tos = n;
    } else if (w === 'fwmark') {
      const v = a.next();
      const [m, k] = v.split('/');
      const mark = getU32(m!, 0), mask = k === undefined ? 0xffffffff : getU32(k, 0);
      if (mark === null) invarg(c, 'fwmark value is invalid\n', v);
      if (mask === null) invarg(c, 'fwmask value is invalid\n', v);
      rule.fwmark = mark; rule.fwmask = mask;
    } else if (matches(w, 'table') || w === 'lookup') {
      const v = a.next();
      const t = rttableA2n(v);
      if (t === null) invarg(c, 'invalid table ID\n', v);
      rule.table = t; req.tableGiven = true;
    } else if (w === 'dev' || w === 'iif') {
      rule.iifname = a.next();
    } else if (w === 'oif') {
      rule.oifname = a.next();
    } else if (w === 'l3mdev') {
      rule.l3mdev = true;
    } else if (matches(w, 'help')) {
      usage(c);
    } else {
      let v = w;
      if (v === 'type') v = a.next();
      if (matches(v, 'help')) usage(c);
      const act = ACTIONS[v];
      if (!act) {
        if (v === 'unicast' || /^\d+$/.test(v)) fail(c, 'ip rule: only table lookups and unreachable/prohibit/blackhole are supported by vnet\n', 1);
        invarg(c, 'Failed to parse rule type', v);
      }
      rule.action = act; req.actionGiven = true;
    }
    a.step();
  }
  return req;
}

/** fib_nl2rule + the FRA_* checks of fib_nl_newrule. */
function add(c: IpCtx, argv: string[]): number {
  const { rule, prefGiven, tableGiven } = parse(c, argv, false);
  const fib = c.ns.fib;
  if (rule.action === 'to_tbl' && !tableGiven && !rule.l3mdev) rule.table = RT_TABLE_MAIN;
  if (rule.l3mdev && tableGiven) c.kernelFail(nlErr(Errno.EINVAL, 'l3mdev and table are mutually exclusive'));
  if (!prefGiven) {
    // fib_default_rule_pref: one below the second rule's priority.
    const second = fib.rules[1];
    rule.pref = second && second.pref ? second.pref - 1 : 0;
  }
  // rule_exists: an identical rule is EEXIST.
  if (fib.rules.some((r) => sameRule(r, rule))) c.kernelFail(nlErr(Errno.EEXIST));
  fib.addRule(rule);
  return 0;
}

function sameRule(a: FibRule, b: FibRule): boolean {
  return a.pref === b.pref && a.table === b.table && a.l3mdev === b.l3mdev && a.action === b.action &&
    a.invert === b.invert && a.src === b.src && a.srcLen === b.srcLen && a.dst === b.dst && a.dstLen === b.dstLen &&
    a.iifname === b.iifname && a.oifname === b.oifname && a.tos === b.tos && a.fwmark === b.fwmark &&
    a.fwmask === b.fwmask;
}

/** fib_nl_delrule → rule_find: the first rule matching every field given. */
function del(c: IpCtx, argv: string[]): number {
  const { rule: q, prefGiven, tableGiven, actionGiven } = parse(c, argv, true);
  const fib = c.ns.fib;
  const r = fib.rules.find((x) =>
    (!actionGiven || x.action === q.action) && (!tableGiven || !q.table || x.table === q.table) &&
    (!prefGiven || x.pref === q.pref) && (!q.iifname || x.iifname === q.iifname) &&
    (!q.oifname || x.oifname === q.oifname) && (!q.srcLen || (x.srcLen === q.srcLen && x.src === q.src)) &&
    (!q.dstLen || (x.dstLen === q.dstLen && x.dst === q.dst)) && (!q.tos || x.tos === q.tos) &&
    (!q.fwmask || (x.fwmark === q.fwmark && x.fwmask === q.fwmask)) && (!q.l3mdev || x.l3mdev));
  if (!r) c.kernelFail(nlErr(Errno.ENOENT));
  fib.removeRule(r);
  return 0;
}

/** `ip rule flush`: every rule but priority 0 goes (iprule_flush skips it). */
function flush(c: IpCtx): number {
  for (const r of [...c.ns.fib.rules]) if (r.pref !== 0) c.ns.fib.removeRule(r);
  c.ns.fib.plainRules = false;
  return 0;
}

export function doIprule(c: IpCtx, argv: string[]): number {
  if (c.opts.family !== AF_UNSPEC && c.opts.family !== AF_INET && c.opts.family !== AF_INET6) {
    fail(c, 'ip rule: only IPv4 rules are supported by vnet\n', 1);
  }
  if (argv.length < 1) return list(c, []);
  const w = argv[0]!;
  const rest = argv.slice(1);
  if (matches(w, 'list') || matches(w, 'show') || matches(w, 'lst')) return list(c, rest);
  if (c.opts.family === AF_INET6) fail(c, 'ip rule: only IPv4 rules are supported by vnet\n', 1);
  if (matches(w, 'add')) return add(c, rest);
  if (matches(w, 'delete')) return del(c, rest);
  if (matches(w, 'flush')) return flush(c);
  if (matches(w, 'help')) usage(c);
  if (matches(w, 'save') || matches(w, 'restore')) fail(c, `ip rule ${w}: not supported by vnet\n`, 1);
  fail(c, `Command "${w}" is unknown, try "ip rule help".\n`, 255);
}
