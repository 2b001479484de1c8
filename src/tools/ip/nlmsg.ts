/**
 * The netlink messages an `ip` process exchanges with the kernel, encoded as iproute2 6.1 sends
 * them, for nlmon to show (core/netlink). vnet's `ip` calls the core directly; when an nlmon
 * device is up in the namespace, each modelled request is encoded from the parsed command and
 * handed to the netlink taps with the kernel's answer (ACK, or error with its extack).
 *
 * Modelled: the RTM_NEWLINK probe `ip link` makes first (iplink_have_newlink, answered ENODEV),
 * RTM_NEWLINK/RTM_DELLINK of `ip link add|set|replace|delete`, RTM_NEWADDR/RTM_DELADDR of
 * `ip addr add|del` (IPv4) and RTM_NEWROUTE/RTM_DELROUTE of `ip route` changes (IPv4).
 * Not modelled: the RTM_GETLINK name lookups iproute2 makes before requests naming a device by
 * name, and the dumps behind `show` commands.
 */
import { VIRTUAL_EPOCH_SECONDS } from '../../wire/pcap.ts';
import type { Lab } from '../../core/lab.ts';
import type { NlError } from '../../core/errno.ts';
import {
  IFA_ADDRESS, IFA_BROADCAST, IFA_LABEL, IFA_LOCAL, IFLA_ADDRESS, IFLA_BROADCAST, IFLA_GROUP, IFLA_IFALIAS,
  IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINK, IFLA_LINKINFO, IFLA_MASTER, IFLA_MTU, IFLA_NUM_RX_QUEUES,
  IFLA_NUM_TX_QUEUES, IFLA_TXQLEN, IFLA_VRF_TABLE, NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE,
  NLM_F_REQUEST, NlWriter, RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE, RTM_DELADDR,
  RTM_DELLINK, RTM_DELROUTE, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE, encodeAck, ifaddrmsg, ifinfomsg, rtmsg,
} from '../../core/netlink/msg.ts';
import { netlinkDeliverTap, netlinkTapped } from '../../core/netlink/tap.ts';
import type { LinkAttrs } from '../../core/rtnl.ts';
import type { IpCtx } from './common.ts';
import { IpExit } from './util.ts';

const ENODEV = 19, AF_INET = 2;

/** Netlink port ids handed out per lab (the kernel uses the process id of the first socket). */
const portIds = new WeakMap<Lab, number>();

interface Session { pid: number; seq: number; probed: boolean }

/** rtnl_open: the port id, and the sequence counter starting at time(NULL). */
function session(c: IpCtx): Session {
  const holder = c as unknown as { nlSession?: Session };
  if (!holder.nlSession) {
    const pid = (portIds.get(c.lab) ?? 1000) + 1;
    portIds.set(c.lab, pid);
    holder.nlSession = { pid, seq: VIRTUAL_EPOCH_SECONDS + Math.floor(c.lab.clock.now / 1e9), probed: false };
  }
  return holder.nlSession;
}

/** iplink_have_newlink: an empty RTM_NEWLINK the kernel refuses with ENODEV, once per process. */
export function nlProbeNewlink(c: IpCtx): void {
  if (!netlinkTapped(c.ns)) return;
  const s = session(c);
  if (s.probed) return;
  s.probed = true;
  const req = ifinfomsg(new NlWriter(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 0, 0)).end();
  netlinkDeliverTap(c.ns, req);
  netlinkDeliverTap(c.ns, encodeAck(req, ENODEV, s.pid));
}

/**
 * rtnl_talk: sends `build`'s request (seq = ++rth.seq), runs the kernel side (`run`), and answers
 * with an ACK, or the error c.kernelFail reported. Without a tap this is just `run()`.
 */
function talk(c: IpCtx, type: number, flags: number, build: (w: NlWriter) => void, run: () => number): number {
  if (!netlinkTapped(c.ns)) return run();
  const s = session(c);
  const w = new NlWriter(type, flags | NLM_F_REQUEST | NLM_F_ACK, ++s.seq, 0);
  build(w);
  const req = w.end();
  netlinkDeliverTap(c.ns, req);
  c.lastKernelError = null;
  try {
    const r = run();
    netlinkDeliverTap(c.ns, encodeAck(req, 0, s.pid));
    return r;
  } catch (e) {
    const ke = c.lastKernelError as NlError | null; // set by kernelFail inside run()
    if (e instanceof IpExit && ke) netlinkDeliverTap(c.ns, encodeAck(req, ke.errno, s.pid, ke.extack));
    throw e;
  }
}

function linkAttrs(w: NlWriter, a: LinkAttrs, withName: boolean): void {
  if (a.address) w.attr(IFLA_ADDRESS, a.address);
  if (a.broadcast) w.attr(IFLA_BROADCAST, a.broadcast);
  if (a.mtu !== undefined) w.attrU32(IFLA_MTU, a.mtu);
  if (a.txqueuelen !== undefined) w.attrU32(IFLA_TXQLEN, a.txqueuelen);
  if (a.numTxQueues !== undefined) w.attrU32(IFLA_NUM_TX_QUEUES, a.numTxQueues);
  if (a.numRxQueues !== undefined) w.attrU32(IFLA_NUM_RX_QUEUES, a.numRxQueues);
  if (a.group !== undefined) w.attrU32(IFLA_GROUP, a.group);
  if (a.master !== undefined) w.attrU32(IFLA_MASTER, a.master);
  if (a.alias !== undefined) w.attrStr(IFLA_IFALIAS, a.alias);
  if (a.link !== undefined) w.attrU32(IFLA_LINK, a.link);
  if (withName && a.ifname !== undefined) w.attrStr(IFLA_IFNAME, a.ifname);
  if (a.kind !== undefined) {
    w.nestStart(IFLA_LINKINFO);
    w.attrStr(IFLA_INFO_KIND, a.kind, false); // strlen(type): no NUL
    // IFLA_INFO_DATA is encoded for the kinds whose attributes are modelled here.
    if (a.kind === 'vrf' && typeof a.data?.['table'] === 'number') {
      w.nestStart(IFLA_INFO_DATA).attrU32(IFLA_VRF_TABLE, a.data['table'] as number).nestEnd();
    }
    w.nestEnd();
  }
}

/** iplink_modify's request: RTM_NEWLINK (add: CREATE|EXCL, replace: CREATE|REPLACE) or RTM_DELLINK. */
export function nlLinkTalk(c: IpCtx, cmd: 'add' | 'set' | 'replace' | 'delete',
  req: { attrs: LinkAttrs; ifiIndex: number; flags: number; change: number }, run: () => number): number {
  const type = cmd === 'delete' ? RTM_DELLINK : RTM_NEWLINK;
  const flags = cmd === 'add' ? NLM_F_CREATE | NLM_F_EXCL : cmd === 'replace' ? NLM_F_CREATE | NLM_F_REPLACE : 0;
  return talk(c, type, flags, (w) => {
    ifinfomsg(w, req.ifiIndex, req.flags, req.change);
    linkAttrs(w, req.attrs, cmd === 'add' || cmd === 'replace' || req.ifiIndex === 0);
  }, run);
}

/** ipaddr_modify (IPv4): ifaddrmsg, IFA_LOCAL, IFA_ADDRESS, then broadcast and label if given. */
export function nlAddrTalk(c: IpCtx, del: boolean, a: { local: number; prefixlen: number; scope: number;
  ifindex: number; broadcast?: number; label?: string; create?: number }, run: () => number): number {
  const flags = del ? 0 : (a.create ?? NLM_F_CREATE | NLM_F_EXCL);
  return talk(c, del ? RTM_DELADDR : RTM_NEWADDR, flags, (w) => {
    ifaddrmsg(w, AF_INET, a.prefixlen, a.scope, a.ifindex);
    w.attrIp4(IFA_LOCAL, a.local);
    w.attrIp4(IFA_ADDRESS, a.local);
    if (a.broadcast !== undefined) w.attrIp4(IFA_BROADCAST, a.broadcast);
    if (a.label !== undefined) w.attrStr(IFA_LABEL, a.label);
  }, run);
}

/** iproute_modify (IPv4): rtmsg, then RTA_TABLE (ids ≥ 256), RTA_DST, RTA_GATEWAY, RTA_OIF... */
export function nlRouteTalk(c: IpCtx, del: boolean, flags: number, r: { table: number; type: number; dst: number;
  dstLen: number; tos: number; protocol: number; scope: number; gateway?: number; oif?: number; prefsrc?: number;
  metric?: number }, run: () => number): number {
  return talk(c, del ? RTM_DELROUTE : RTM_NEWROUTE, flags, (w) => {
    rtmsg(w, { family: AF_INET, dstLen: r.dstLen, tos: r.tos, table: r.table < 256 ? r.table : 0,
      protocol: r.protocol, scope: r.scope, type: r.type });
    if (r.table >= 256) w.attrU32(RTA_TABLE, r.table);
    if (r.dstLen) w.attrIp4(RTA_DST, r.dst);
    if (r.prefsrc !== undefined) w.attrIp4(RTA_PREFSRC, r.prefsrc);
    if (r.gateway !== undefined) w.attrIp4(RTA_GATEWAY, r.gateway);
    if (r.metric !== undefined) w.attrU32(RTA_PRIORITY, r.metric);
    if (r.oif !== undefined) w.attrU32(RTA_OIF, r.oif);
  }, run);
}

export { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE };
