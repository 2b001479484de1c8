/**
 * The IPv6 frames Linux sends on its own when a device gets carrier (net/ipv6/addrconf.c, mcast.c,
 * ndisc.c): MLDv2 reports for the solicited-node group, duplicate address detection for the
 * link-local address, then router solicitations with backoff. They matter beyond captures:
 * bridges learn MACs from them and `ip -s link` counts them. IPv6 packets received are accepted
 * and consumed silently (no routers or IPv6 sockets exist in a lab yet).
 */
import type { Lab } from '../lab.ts';
import { IFF_LOOPBACK, IFF_NOARP, type Inet6Addr, type NetDevice } from '../netdev.ts';
import type { SkBuff } from '../skb.ts';
import { devQueueXmit, newSkb } from '../dev.ts';
import { NS_PER_SEC, type Timer } from '../clock.ts';
import { ethernetFrame, ipv6Packet, setIcmpv6Checksum } from '../../wire/build.ts';
import { macFromBytes } from '../../wire/mac.ts';
import { mc6Records, mldReport } from './mcast.ts';

const ETH_P_IPV6 = 0x86dd;
const UNSPEC = new Uint8Array(16);
const ALL_ROUTERS = hexAddr('ff020000000000000000000000000002');

function hexAddr(h: string): Uint8Array {
  const a = new Uint8Array(16);
  for (let i = 0; i < 16; i++) a[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return a;
}

const SOLICITED_PREFIX = hexAddr('ff0200000000000000000001ff000000');

export function solicitedNode(a: Uint8Array): Uint8Array {
  const s = new Uint8Array(SOLICITED_PREFIX);
  s[13] = a[13]!; s[14] = a[14]!; s[15] = a[15]!;
  return s;
}

function mcastMac(a: Uint8Array): number {
  return macFromBytes([0x33, 0x33, a[12]!, a[13]!, a[14]!, a[15]!]);
}

function send(dev: NetDevice, dst: Uint8Array, pkt: Uint8Array): void {
  if (!dev.isUp || !dev.carrier || dev.dying) return;
  const frame = ethernetFrame(mcastMac(dst), macFromBytes(dev.mac), ETH_P_IPV6, pkt);
  devQueueXmit(newSkb(dev.netns.lab, frame, dev));
}

/**
 * MLDv2 report of every group the device reports (the solicited-node group, and e.g. ff02::6a on
 * a snooping bridge), all CHANGE_TO_EXCLUDE, newest first.
 */
function mldReportAll(dev: NetDevice, src: Uint8Array): void {
  mldReport(dev, src, mc6Records(dev));
}

function dadProbe(dev: NetDevice, target: Uint8Array): void {
  const body = new Uint8Array(32);
  body[0] = 135;
  body.set(target, 8);
  body[24] = 14; body[25] = 1; // nonce option
  const rng = dev.netns.lab.rng;
  for (let i = 26; i < 32; i++) body[i] = rng.below(256);
  const dst = solicitedNode(target);
  const pkt = ipv6Packet(UNSPEC, dst, 58, 255, body);
  setIcmpv6Checksum(pkt, 40);
  send(dev, dst, pkt);
}

function routerSolicit(dev: NetDevice, src: Uint8Array): void {
  const body = new Uint8Array(16);
  body[0] = 133;
  body[8] = 1; body[9] = 1; body.set(dev.mac, 10);
  const pkt = ipv6Packet(src, ALL_ROUTERS, 58, 255, body);
  setIcmpv6Checksum(pkt, 40);
  send(dev, ALL_ROUTERS, pkt);
}

interface NdState { timers: Timer[] }

function stateOf(lab: Lab, dev: NetDevice): NdState {
  let s = lab.ndisc.get(dev);
  if (!s) { s = { timers: [] }; lab.ndisc.set(dev, s); }
  return s;
}

function cancel(lab: Lab, dev: NetDevice): void {
  const s = lab.ndisc.get(dev);
  if (!s) return;
  for (const t of s.timers) t.cancel();
  lab.ndisc.delete(dev);
}

/** Arms a timer that stopDevice cancels; fired ones are dropped so the list stays short. */
function arm(lab: Lab, st: NdState, delay: number, fn: () => void): void {
  if (st.timers.length >= 8) st.timers = st.timers.filter((t) => t.pending);
  st.timers.push(lab.clock.after(delay, fn));
}

/**
 * addrconf_dad_start and what follows, for a link-local address just added: two MLD reports
 * from :: (two jiffies later, then within 1 s), the DAD probe after a random delay below 1 s, then (1 s later) the address is valid:
 * another report from it and router solicitations every 4 s, doubling.
 * (Plain functions, not closures named inside: many devices come up in a big lab.)
 */
export function startLinkLocal(dev: NetDevice, ifa: Inet6Addr): void {
  const lab = dev.netns.lab;
  if ((dev.flags & (IFF_LOOPBACK | IFF_NOARP)) || dev.type !== 1) { ifa.tentativeUntil = 0; return; }
  cancel(lab, dev);
  const st = stateOf(lab, dev);
  // mld_ifc_event: the first report two jiffies after the join (after an IGMP report queued as
  // the device opened), the second a random part of the unsolicited report interval (plus two
  // jiffies) after that.
  const jiffy = NS_PER_SEC / 250;
  const again = lab.rng.below(250) * jiffy + 2 * jiffy;
  arm(lab, st, 2 * jiffy, () => mldReportAll(dev, UNSPEC));
  arm(lab, st, 2 * jiffy + again, () => mldReportAll(dev, UNSPEC));
  const dadDelay = Math.max(0, ifa.tentativeUntil - lab.clock.now - NS_PER_SEC);
  arm(lab, st, dadDelay, () => dadProbe(dev, ifa.addr));
  arm(lab, st, dadDelay + NS_PER_SEC, () => dadDone(dev, ifa, st));
}

/** DAD found no duplicate: the address is valid; report from it, solicit routers. */
function dadDone(dev: NetDevice, ifa: Inet6Addr, st: NdState): void {
  const lab = dev.netns.lab;
  ifa.tentativeUntil = 0;
  mldReportAll(dev, ifa.addr);
  const s = dev.netns.sysctl;
  const fwd = s.dev6Conf(dev.name, 'forwarding');
  if (fwd === 0 && s.dev6Conf(dev.name, 'accept_ra', 1) !== 0) {
    routerSolicit(dev, ifa.addr);
    const interval = 4 * NS_PER_SEC;
    arm(lab, st, interval, () => solicitAgain(dev, ifa, st, interval));
  }
  arm(lab, st, lab.rng.below(NS_PER_SEC), () => mldReportAll(dev, ifa.addr));
}

/** The next router solicitation; the interval doubles up to an hour. */
function solicitAgain(dev: NetDevice, ifa: Inet6Addr, st: NdState, interval: number): void {
  routerSolicit(dev, ifa.addr);
  const next = Math.min(interval * 2, 3600 * NS_PER_SEC);
  arm(dev.netns.lab, st, next, () => solicitAgain(dev, ifa, st, next));
}

export function stopDevice(dev: NetDevice): void { cancel(dev.netns.lab, dev); }

function ipv6Rcv(skb: SkBuff): void {
  // Accepted and consumed: no IPv6 sockets or routers exist in a lab, and DAD never collides.
  skb.dev.netns.lab.counters.delivered++;
}

export function installNdisc(lab: Lab): void {
  lab.ptype.set(ETH_P_IPV6, ipv6Rcv);
}
