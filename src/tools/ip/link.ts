/**
 * `ip link add|set|change|replace|delete|show|help` (ip/iplink.c): iplink_parse's grammar, the
 * type hand-off to the kind parsers, and the request sent to the core.
 */
import {
  IFF_ALLMULTI, IFF_DYNAMIC, IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS, IFF_PROMISC, IFF_UP, type NetDevice,
} from '../../core/netdev.ts';
import type { NetNamespace } from '../../core/netns.ts';
import { Errno, err as nlErr } from '../../core/errno.ts';
import { deleteLink, newLink, type LinkAttrs } from '../../core/rtnl.ts';
import { notifyNewLink, setLink } from '../../core/rtnl-setlink.ts';
import { nlLinkTalk, nlProbeNewlink } from './nlmsg.ts'; // netlink messages for nlmon (nlmsg.ts)
import type { IpCtx } from './common.ts';
import {
  Args, IpExit, atoi, checkAltIfname, checkIfname, devicesInOrder, duparg, duparg2, fail, getInteger,
  getUnsigned, groupA2n, incomplete, invarg, llAddrA2n, llNameToIndex, matches, nodev,
} from './util.ts';
import { KIND_PARSERS, KNOWN_LINK_UTILS, type KindParser } from './kinds.ts';
import { ipaddrListLink } from './show.ts';

export interface LinkReq {
  attrs: LinkAttrs;
  create: boolean;
  /** ifi_index: the device to change (set), or the index asked for (add). */
  ifiIndex: number;
  flags: number;
  change: number;
  newIfindex?: number;
  /** IFLA_NET_NS_PID that names no process. */
  badPid?: boolean;
}

export function newReq(create: boolean): LinkReq {
  return { attrs: {}, create, ifiIndex: 0, flags: 0, change: 0 };
}

export function iplinkUsage(c: IpCtx): never {
  c.err(
    'Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n' +
    '\t\t    [ txqueuelen PACKETS ]\n' +
    '\t\t    [ address LLADDR ]\n' +
    '\t\t    [ broadcast LLADDR ]\n' +
    '\t\t    [ mtu MTU ] [index IDX ]\n' +
    '\t\t    [ numtxqueues QUEUE_COUNT ]\n' +
    '\t\t    [ numrxqueues QUEUE_COUNT ]\n' +
    '\t\t    [ netns { PID | NAME } ]\n' +
    '\t\t    type TYPE [ ARGS ]\n' +
    '\n' +
    '\tip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]\n' +
    '\n' +
    '\tip link set { DEVICE | dev DEVICE | group DEVGROUP }\n' +
    '\t\t\t[ { up | down } ]\n' +
    '\t\t\t[ type TYPE ARGS ]\n' +
    '\t\t[ arp { on | off } ]\n' +
    '\t\t[ dynamic { on | off } ]\n' +
    '\t\t[ multicast { on | off } ]\n' +
    '\t\t[ allmulticast { on | off } ]\n' +
    '\t\t[ promisc { on | off } ]\n' +
    '\t\t[ trailers { on | off } ]\n' +
    '\t\t[ carrier { on | off } ]\n' +
    '\t\t[ txqueuelen PACKETS ]\n' +
    '\t\t[ name NEWNAME ]\n' +
    '\t\t[ address LLADDR ]\n' +
    '\t\t[ broadcast LLADDR ]\n' +
    '\t\t[ mtu MTU ]\n' +
    '\t\t[ netns { PID | NAME } ]\n' +
    '\t\t[ link-netns NAME | link-netnsid ID ]\n' +
    '\t\t[ alias NAME ]\n' +
    '\t\t[ vf NUM [ mac LLADDR ]\n' +
    '\t\t\t [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]\n' +
    '\t\t\t [ rate TXRATE ]\n' +
    '\t\t\t [ max_tx_rate TXRATE ]\n' +
    '\t\t\t [ min_tx_rate TXRATE ]\n' +
    '\t\t\t [ spoofchk { on | off} ]\n' +
    '\t\t\t [ query_rss { on | off} ]\n' +
    '\t\t\t [ state { auto | enable | disable} ]\n' +
    '\t\t\t [ trust { on | off} ]\n' +
    '\t\t\t [ node_guid EUI64 ]\n' +
    '\t\t\t [ port_guid EUI64 ] ]\n' +
    '\t\t[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |\n' +
    '\t\t\t  object FILE [ { section | program } NAME ] [ verbose ] |\n' +
    '\t\t\t  pinned FILE } ]\n' +
    '\t\t[ master DEVICE ][ vrf NAME ]\n' +
    '\t\t[ nomaster ]\n' +
    '\t\t[ addrgenmode { eui64 | none | stable_secret | random } ]\n' +
    '\t\t[ protodown { on | off } ]\n' +
    '\t\t[ protodown_reason PREASON { on | off } ]\n' +
    '\t\t[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]\n' +
    '\t\t[ gro_max_size BYTES ]\n' +
    '\n' +
    '\tip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]\n' +
    '\t\t[nomaster]\n' +
    '\n' +
    '\tip link xstats type TYPE [ ARGS ]\n' +
    '\n' +
    '\tip link afstats [ dev DEVICE ]\n' +
    '\tip link property add dev DEVICE [ altname NAME .. ]\n' +
    '\tip link property del dev DEVICE [ altname NAME .. ]\n' +
    '\n' +
    '\tip link help [ TYPE ]\n' +
    '\n' +
    'TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n' +
    '          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n' +
    '          ip6erspan | ip6gre | ip6gretap | ip6tnl |\n' +
    '          ipip | ipoib | ipvlan | ipvtap |\n' +
    '          macsec | macvlan | macvtap |\n' +
    '          netdevsim | nlmon | rmnet | sit | team | team_slave |\n' +
    '          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n' +
    '          xfrm | virt_wifi }\n');
  throw new IpExit(255);
}

function onOff(c: IpCtx, msg: string, val: string): never {
  fail(c, `Error: argument of "${msg}" must be "on" or "off", not "${val}"\n`, 1);
}

/** parse_on_off: matches() against "off" then "on"; exit 1 path is the caller's. */
export function parseOnOff(c: IpCtx, msg: string, val: string): boolean | null {
  if (matches(val, 'off')) return false;
  if (matches(val, 'on')) return true;
  c.err(`Error: argument of "${msg}" must be one of "off", "on", not "${val}"\n`);
  return null;
}

/** netns_get_fd + PID fallback: the namespace named by `arg`. */
export function resolveNetns(c: IpCtx, arg: string): { ns?: NetNamespace; pid?: number } | null {
  const named = c.lab.named.get(arg);
  if (named && !arg.includes('/')) return { ns: named };
  if (arg.includes('/')) {
    const m = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(arg);
    if (m && c.lab.named.has(m[1]!)) return { ns: c.lab.named.get(m[1]!)! };
    if (arg === '/proc/self/ns/net' || arg === '/proc/thread-self/ns/net') return { ns: c.ns };
    if (arg === '/proc/1/ns/net') return { ns: c.lab.init };
  }
  const pid = getInteger(arg, 0);
  if (pid !== null) return pid === 1 ? { ns: c.lab.init } : { pid };
  return null;
}

function setFlag(req: LinkReq, bit: number, on: boolean): void {
  req.change |= bit;
  if (on) req.flags |= bit; else req.flags &= ~bit;
}

/**
 * iplink_parse: fills `req` from the words at the cursor; stops after `type TYPE` and returns
 * TYPE (or undefined).
 */
export function iplinkParse(c: IpCtx, a: Args, req: LinkReq): string | undefined {
  let name: string | undefined;
  let dev: string | undefined;
  let link: string | undefined;
  let qlen = -1, mtu = -1, numtx = -1, numrx = -1, linkNetnsid = -1, index = 0, group = -1;
  let netnsSeen = false, moveNetns = false;
  let addrLen = 0;
  let type: string | undefined;
  while (a.more) {
    const w = a.cur;
    if (w === 'up') setFlag(req, IFF_UP, true);
    else if (w === 'down') setFlag(req, IFF_UP, false);
    else if (w === 'name') {
      const v = a.next();
      if (name !== undefined) duparg(c, 'name', v);
      if (!checkIfname(v)) invarg(c, '"name" not a valid ifname', v);
      name = v;
      if (dev === undefined) dev = name;
    } else if (w === 'index') {
      const v = a.next();
      if (index) duparg(c, 'index', v);
      index = atoi(v);
      if (index <= 0) invarg(c, 'Invalid "index" value', v);
    } else if (matches(w, 'link')) {
      link = a.next();
    } else if (matches(w, 'address')) {
      const v = a.next();
      const b = llAddrA2n(c, v);
      if (!b) throw new IpExit(1);
      addrLen = b.length;
      req.attrs.address = b;
    } else if (matches(w, 'broadcast') || w === 'brd') {
      const v = a.next();
      const b = llAddrA2n(c, v);
      if (!b) throw new IpExit(1);
      req.attrs.broadcast = b;
    } else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
      const v = a.next();
      if (qlen !== -1) duparg(c, 'txqueuelen', v);
      const n = getInteger(v, 0);
      if (n === null) invarg(c, 'Invalid "txqueuelen" value\n', v);
      qlen = n;
      req.attrs.txqueuelen = n >>> 0;
    } else if (w === 'mtu') {
      const v = a.next();
      if (mtu !== -1) duparg(c, 'mtu', v);
      const n = getInteger(v, 0);
      if (n === null) invarg(c, 'Invalid "mtu" value\n', v);
      mtu = n;
      req.attrs.mtu = n;
    } else if (w === 'xdpgeneric' || w === 'xdpdrv' || w === 'xdpoffload' || w === 'xdp') {
      a.next();
      fail(c, 'No ELF library support compiled in.\n', 255);
    } else if (w === 'netns') {
      const v = a.next();
      if (netnsSeen) duparg(c, 'netns', v);
      netnsSeen = true;
      const r = resolveNetns(c, v);
      if (!r) invarg(c, 'Invalid "netns" value\n', v);
      if (r.ns) req.attrs.netns = r.ns; else req.badPid = true;
      moveNetns = true;
    } else if (w === 'multicast' || w === 'allmulticast' || w === 'promisc') {
      const v = a.next();
      const bit = w === 'multicast' ? IFF_MULTICAST : w === 'allmulticast' ? IFF_ALLMULTI : IFF_PROMISC;
      req.change |= bit;
      if (v === 'on') req.flags |= bit;
      else if (v === 'off') req.flags &= ~bit;
      else onOff(c, w, v);
    } else if (w === 'trailers') {
      const v = a.next();
      req.change |= IFF_NOTRAILERS;
      if (v === 'off') req.flags |= IFF_NOTRAILERS;
      else if (v === 'on') req.flags &= ~IFF_NOTRAILERS;
      else onOff(c, 'trailers', v);
    } else if (w === 'arp') {
      const v = a.next();
      req.change |= IFF_NOARP;
      if (v === 'on') req.flags &= ~IFF_NOARP;
      else if (v === 'off') req.flags |= IFF_NOARP;
      else onOff(c, 'arp', v);
    } else if (w === 'carrier') {
      const v = a.next();
      const on = parseOnOff(c, 'carrier', v);
      if (on === null) throw new IpExit(1);
      req.attrs.carrier = on;
    } else if (w === 'vf') {
      a.next();
      fail(c, 'RTNETLINK answers: Operation not supported\n', 2);
    } else if (matches(w, 'master')) {
      const v = a.next();
      const idx = llNameToIndex(c.ns, v);
      if (!idx) invarg(c, 'Device does not exist\n', v);
      req.attrs.master = idx;
    } else if (w === 'vrf') {
      const v = a.next();
      const d = c.ns.devices.get(v);
      if (!d || d.kind !== 'vrf') invarg(c, 'Not a valid VRF name\n', v);
      req.attrs.master = d.ifindex;
    } else if (matches(w, 'nomaster')) {
      req.attrs.master = 0;
    } else if (matches(w, 'dynamic')) {
      const v = a.next();
      req.change |= IFF_DYNAMIC;
      if (v === 'on') req.flags |= IFF_DYNAMIC;
      else if (v === 'off') req.flags &= ~IFF_DYNAMIC;
      else onOff(c, 'dynamic', v);
    } else if (matches(w, 'type')) {
      type = a.next();
      a.step();
      break;
    } else if (matches(w, 'alias')) {
      const v = a.next();
      if (new TextEncoder().encode(v).length >= 256) invarg(c, 'alias too long\n', v);
      req.attrs.alias = v;
    } else if (w === 'group') {
      const v = a.next();
      if (group !== -1) duparg(c, 'group', v);
      const g = groupA2n(v);
      if (g === null) invarg(c, 'Invalid "group" value\n', v);
      group = g;
      req.attrs.group = g;
    } else if (w === 'mode') {
      const v = a.next();
      const m = v.toLowerCase();
      if (m !== 'default' && m !== 'dormant') invarg(c, 'Invalid link mode\n', v);
    } else if (w === 'state') {
      const v = a.next();
      const states = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'];
      if (!states.includes(v.toLowerCase())) invarg(c, 'Invalid operstate\n', v);
    } else if (matches(w, 'numtxqueues')) {
      const v = a.next();
      if (numtx !== -1) duparg(c, 'numtxqueues', v);
      const n = getInteger(v, 0);
      if (n === null) invarg(c, 'Invalid "numtxqueues" value\n', v);
      numtx = n;
      req.attrs.numTxQueues = n;
    } else if (matches(w, 'numrxqueues')) {
      const v = a.next();
      if (numrx !== -1) duparg(c, 'numrxqueues', v);
      const n = getInteger(v, 0);
      if (n === null) invarg(c, 'Invalid "numrxqueues" value\n', v);
      numrx = n;
      req.attrs.numRxQueues = n;
    } else if (matches(w, 'addrgenmode')) {
      const v = a.next();
      if (!['eui64', 'none', 'stable_secret', 'random'].includes(v.toLowerCase())) {
        invarg(c, 'Invalid address generation mode\n', v);
      }
    } else if (matches(w, 'link-netns')) {
      const v = a.next();
      if (linkNetnsid !== -1) duparg(c, 'link-netns/link-netnsid', v);
      const target = c.lab.named.get(v);
      if (!target) invarg(c, 'Invalid "link-netns" value\n', v);
      linkNetnsid = c.ns.idOf(target);
      req.attrs.linkNetns = target;
    } else if (matches(w, 'link-netnsid')) {
      const v = a.next();
      if (linkNetnsid !== -1) duparg(c, 'link-netns/link-netnsid', v);
      const n = getInteger(v, 0);
      if (n === null) invarg(c, 'Invalid "link-netnsid" value\n', v);
      linkNetnsid = n;
      let found: NetNamespace | undefined;
      for (const [o, id] of c.ns.nsids) if (id === n && o.alive) found = o;
      if (found) req.attrs.linkNetns = found;
    } else if (w === 'protodown') {
      const v = a.next();
      const on = parseOnOff(c, 'protodown', v);
      if (on === null) throw new IpExit(1);
      fail(c, 'RTNETLINK answers: Operation not supported\n', 2);
    } else if (w === 'protodown_reason') {
      const v = a.next();
      invarg(c, 'invalid protodown reason\n', v);
    } else if (w === 'gso_max_size' || w === 'gro_max_size') {
      const v = a.next();
      if (getUnsigned(v, 0) === null) invarg(c, `Invalid "${w}" value\n`, v);
    } else if (w === 'gso_max_segs') {
      const v = a.next();
      const n = getUnsigned(v, 0);
      if (n === null || n > 65535) invarg(c, 'Invalid "gso_max_segs" value\n', v);
    } else if (w === 'parentdev') {
      a.next();
    } else {
      if (matches(w, 'help')) iplinkUsage(c);
      let v = w;
      if (w === 'dev') v = a.next();
      if (dev !== name) duparg2(c, 'dev', v);
      if (!checkAltIfname(v)) invarg(c, '"dev" not a valid ifname', v);
      dev = v;
    }
    a.step();
  }

  if (name === undefined) name = dev;
  else if (dev === undefined) dev = name;

  if (dev !== undefined && addrLen && !req.create) {
    const d = c.ns.byIndex.get(llNameToIndex(c.ns, dev));
    if (d && addrLen !== 6) fail(c, `Invalid address length ${addrLen} - must be 6 bytes\n`, 1);
  }
  if (index && !req.create && !moveNetns) {
    fail(c, 'index can be used only when creating devices or when moving device to another netns.\n', 255);
  }
  if (group !== -1 && dev === undefined) {
    if (a.more) fail(c, `Garbage instead of arguments "${a.cur} ...". Try "ip link help".\n`, 255);
    if (req.create) fail(c, 'group cannot be used when creating devices.\n', 255);
    return undefined;
  }
  if (!req.create) {
    if (dev === undefined) fail(c, 'Not enough information: "dev" argument is required.\n', 255);
    req.ifiIndex = llNameToIndex(c.ns, dev);
    if (!req.ifiIndex) nodev(c, dev);
    if (name === dev) name = undefined;
    if (index) req.newIfindex = index;
  } else {
    if (name !== dev) fail(c, 'both "name" and "dev" cannot be used when creating devices.\n', 255);
    if (link !== undefined) {
      const idx = llNameToIndex(c.ns, link);
      if (!idx) nodev(c, link);
      req.attrs.link = idx;
    }
    req.ifiIndex = index;
    if (index) req.attrs.index = index;
  }
  if (name !== undefined) req.attrs.ifname = name;
  return type;
}

/** iplink_modify: parse, attach the kind data, send. */
function iplinkModify(c: IpCtx, cmd: 'add' | 'set' | 'replace' | 'delete', argv: string[]): number {
  const create = cmd === 'add' || cmd === 'replace';
  const req = newReq(create);
  const a = new Args(argv, c);
  const type = iplinkParse(c, a, req);
  if (type !== undefined) {
    const slave = /_slave$/.test(type) && type.indexOf('_') === type.length - 6;
    req.attrs.kind = type;
    const parser: KindParser | undefined = KIND_PARSERS[type];
    const known = parser !== undefined || KNOWN_LINK_UTILS.has(type);
    if (known && a.more) {
      const data = parser ? parser(c, a, type, req) : {};
      if (slave) req.attrs.slaveData = data; else req.attrs.data = data;
    } else if (a.more) {
      if (matches(a.cur, 'help')) iplinkUsage(c);
      fail(c, `Garbage instead of arguments "${a.cur} ...". Try "ip link help".\n`, 1);
    }
  } else if (create) {
    fail(c, 'Not enough information: "type" argument is required\n', 1);
  }
  if (req.change) { req.attrs.flagsMask = req.change; req.attrs.flags = req.flags; }
  return nlLinkTalk(c, cmd, req, () => send(c, cmd, req));
}

function send(c: IpCtx, cmd: 'add' | 'set' | 'replace' | 'delete', req: LinkReq): number {
  const ns = c.ns;
  if (cmd === 'delete') {
    if (!req.ifiIndex) {
      if (req.attrs.group !== undefined) {
        for (const d of devicesInOrder(ns)) {
          if (d.group !== req.attrs.group || !ns.devices.has(d.name)) continue;
          const r = deleteLink(d);
          if (!r.ok) c.kernelFail(r);
        }
        return 0;
      }
      c.kernelFail(nlErr(Errno.EINVAL));
    }
    const dev = ns.byIndex.get(req.ifiIndex);
    if (!dev) c.kernelFail(nlErr(Errno.ENODEV));
    const k = c.lab.linkKinds.get(dev.kind);
    if (!k) c.kernelFail(nlErr(Errno.EOPNOTSUPP));
    const r = deleteLink(dev);
    if (!r.ok) c.kernelFail(r);
    return 0;
  }
  if (req.badPid) c.kernelFail(nlErr(Errno.ESRCH));
  // Find an existing device: by index, else by name (rtnl_newlink).
  let dev: NetDevice | undefined;
  if (req.ifiIndex > 0) dev = ns.byIndex.get(req.ifiIndex);
  else if (req.attrs.ifname !== undefined) dev = ns.devices.get(req.attrs.ifname);
  if (!create(cmd)) {
    if (!dev) {
      if (req.ifiIndex === 0 && req.attrs.group !== undefined) return groupChange(c, req);
      c.kernelFail(nlErr(Errno.ENODEV));
    }
    const r = setLink(dev, req.attrs, req.newIfindex !== undefined ? { newIfindex: req.newIfindex } : {});
    if (!r.ok) c.kernelFail(r);
    return 0;
  }
  if (dev) {
    if (cmd === 'add') c.kernelFail(nlErr(Errno.EEXIST));
    c.kernelFail(nlErr(Errno.EOPNOTSUPP));
  }
  const attrs = req.attrs;
  if (attrs.ifname !== undefined && new TextEncoder().encode(attrs.ifname).length >= 16) {
    c.kernelFail(nlErr(Errno.EINVAL, 'Attribute failed policy validation'));
  }
  const r = newLink(c.lab, ns, attrs);
  if (!r.ok) c.kernelFail(r);
  notifyNewLink(r.value);
  const peer = r.value.linkDevice();
  if (peer && peer !== r.value) notifyNewLink(peer);
  return 0;
}

function create(cmd: string): boolean { return cmd === 'add' || cmd === 'replace'; }

/** rtnl_group_changelink: `ip link set group N …` changes every device of the group. */
function groupChange(c: IpCtx, req: LinkReq): number {
  const g = req.attrs.group!;
  const attrs = { ...req.attrs };
  delete attrs.group;
  for (const d of devicesInOrder(c.ns)) {
    if (d.group !== g) continue;
    const r = setLink(d, attrs);
    if (!r.ok) c.kernelFail(r);
  }
  return 0;
}

function iplinkHelp(c: IpCtx, argv: string[]): number {
  if (!argv.length) iplinkUsage(c);
  const kind = argv[0]!;
  const help = KIND_HELP[kind];
  if (help) { c.print(help(kind)); return 0; }
  iplinkUsage(c);
}

import { KIND_HELP } from './kinds.ts';

function iplinkProp(c: IpCtx, argv: string[]): number {
  if (!argv.length) iplinkUsage(c);
  const op = argv[0]!;
  let add: boolean;
  if (matches(op, 'add')) add = true;
  else if (matches(op, 'del')) add = false;
  else if (matches(op, 'help')) iplinkUsage(c);
  else fail(c, 'Operator required\n', 255);
  const a = new Args(argv.slice(1), c);
  let dev: string | undefined;
  const names: string[] = [];
  while (a.more) {
    const w = a.cur;
    if (matches(w, 'altname')) {
      const v = a.next();
      if (!checkAltIfname(v)) invarg(c, 'not a valid altname', v);
      names.push(v);
    } else if (matches(w, 'help')) {
      iplinkUsage(c);
    } else {
      let v = w;
      if (w === 'dev') v = a.next();
      if (dev !== undefined) duparg2(c, 'dev', v);
      if (!checkAltIfname(v)) invarg(c, '"dev" not a valid ifname', v);
      dev = v;
    }
    a.step();
  }
  if (dev === undefined) fail(c, 'Not enough of information: "dev" argument is required.\n', 255);
  const idx = llNameToIndex(c.ns, dev);
  if (!idx) nodev(c, dev);
  const d = c.ns.byIndex.get(idx);
  if (!d) c.kernelFail(nlErr(Errno.ENODEV));
  for (const n of names) {
    if (new TextEncoder().encode(n).length >= 128) c.kernelFail(nlErr(Errno.EINVAL, 'Attribute failed policy validation'));
    if (add) {
      const taken = c.ns.devices.has(n) || [...c.ns.devices.values()].some((x) => x.altnames.includes(n));
      if (taken) c.kernelFail(nlErr(Errno.EEXIST));
      d.altnames.push(n);
    } else {
      const i = d.altnames.indexOf(n);
      if (i < 0) c.kernelFail(nlErr(Errno.ENOENT));
      d.altnames.splice(i, 1);
    }
  }
  return 0;
}

export function doIplink(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) return ipaddrListLink(c, []);
  const w = argv[0]!;
  const rest = argv.slice(1);
  nlProbeNewlink(c); // iplink_have_newlink, before any subcommand
  if (matches(w, 'add')) return iplinkModify(c, 'add', rest);
  if (matches(w, 'set') || matches(w, 'change')) return iplinkModify(c, 'set', rest);
  if (matches(w, 'replace')) return iplinkModify(c, 'replace', rest);
  if (matches(w, 'delete')) return iplinkModify(c, 'delete', rest);
  if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return ipaddrListLink(c, rest);
  if (matches(w, 'xstats')) fail(c, 'xstats: type not supported\n', 255);
  if (matches(w, 'afstats')) return 0;
  if (matches(w, 'property')) return iplinkProp(c, rest);
  if (matches(w, 'help')) return iplinkHelp(c, rest);
  fail(c, `Command "${w}" is unknown, try "ip link help".\n`, 255);
}

export { incomplete };
