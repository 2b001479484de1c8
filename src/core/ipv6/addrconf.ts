/**
 * The visible part of IPv6 (net/ipv6/addrconf.c): a device that is up with carrier gets an EUI-64
 * link-local address (tentative while duplicate address detection runs), lo gets ::1, and the
 * device joins the all-nodes and solicited-node multicast groups. vnet emulates IPv6 addressing as
 * `ip addr`/`ip route` show it; IPv6 packets themselves are not emulated yet.
 */
import type { Lab } from '../lab.ts';
import { IFF_LOOPBACK, IFF_SLAVE, type NetDevice } from '../netdev.ts';
import { isL3Master } from '../l3mdev.ts';
import { devMcAdd, devMcDel } from '../dev.ts';
import { NS_PER_SEC } from '../clock.ts';
import { installNdisc, solicitedNode, startLinkLocal, stopDevice } from './ndisc.ts';
import { mc6Join, mc6Leave } from './mcast.ts';

export interface Inet6State { tentativeUntil: number }

function disabled(dev: NetDevice): boolean {
  const s = dev.netns.sysctl;
  return s.dev6Conf(dev.name, 'disable_ipv6') !== 0 || s.dev6Conf('all', 'disable_ipv6') !== 0;
}

function linkLocal(mac: Uint8Array, devId = 0): Uint8Array {
  const a = new Uint8Array(16);
  a[0] = 0xfe; a[1] = 0x80;
  a[8] = mac[0]! ^ 0x02; a[9] = mac[1]!; a[10] = mac[2]!; a[11] = 0xff; a[12] = 0xfe;
  a[13] = mac[3]!; a[14] = mac[4]!; a[15] = mac[5]!;
  // addrconf_ifid_eui48: a dev_id (ipvlan slaves share one MAC) replaces ff:fe, U/L bit kept.
  if (devId) { a[8] = mac[0]!; a[11] = (devId >> 8) & 0xff; a[12] = devId & 0xff; }
  return a;
}

const MC_ALL_NODES = 0x333300000001;
const MC_ALL_HOSTS_V4 = 0x01005e000001;

function configure(dev: NetDevice): void {
  if (disabled(dev) || !dev.isUp) return;
  const lab = dev.netns.lab;
  if (dev.flags & IFF_LOOPBACK) {
    if (!dev.inet6.length) {
      const a = new Uint8Array(16); a[15] = 1;
      dev.inet6.push({ addr: a, prefixlen: 128, scope: 'host', proto: 'kernel_lo', tentativeUntil: 0 });
      lab.addrBound.added++;
    }
    return;
  }
  // addrconf_notify: bond slaves (IFF_SLAVE) get no IPv6 configuration.
  if (dev.flags & IFF_SLAVE) return;
  // addrconf_addr_gen: "no link local addresses on L3 master devices" (VRF).
  if (isL3Master(dev)) return;
  if (!dev.carrier || dev.inet6.some((x) => x.scope === 'link')) return;
  if (dev.type !== 1) return;
  const ll = linkLocal(dev.mac, dev.devId);
  // DAD starts after a random delay below rtr_solicit_delay (1 s) and takes one retrans time (1 s).
  const until = lab.clock.now + lab.rng.below(NS_PER_SEC) + NS_PER_SEC;
  const ifa = { addr: ll, prefixlen: 64, scope: 'link' as const, proto: 'kernel_ll', tentativeUntil: until };
  dev.inet6.push(ifa);
  lab.addrBound.added++;
  mc6Join(dev, solicitedNode(ll), true);
  startLinkLocal(dev, ifa);
}

function unconfigure(dev: NetDevice, all: boolean): void {
  for (const a of [...dev.inet6]) {
    if (a.scope === 'host' && !all) continue;
    if (a.scope === 'link') mc6Leave(dev, solicitedNode(a.addr), true);
    dev.inet6.splice(dev.inet6.indexOf(a), 1);
  }
  stopDevice(dev);
}

export function installAddrconf(lab: Lab): void {
  if (!lab.ipv6Enabled) return;
  installNdisc(lab);
  lab.notifiers.push((event, dev) => {
    switch (event) {
      case 'REGISTER':
        // ipv6_add_dev joins all-nodes at once; ip_mc_up joins IPv4 all-hosts when it comes up.
        if (!(dev.flags & IFF_LOOPBACK) && !dev.mcList.has(MC_ALL_NODES)) devMcAdd(dev, MC_ALL_NODES);
        break;
      case 'UP':
        if (!(dev.flags & IFF_LOOPBACK) && !dev.mcList.has(MC_ALL_HOSTS_V4)) devMcAdd(dev, MC_ALL_HOSTS_V4);
        if (dev.isUp && (dev.carrier || dev.flags & IFF_LOOPBACK)) configure(dev);
        break;
      case 'CHANGE':
        // Losing carrier keeps the addresses (addrconf_notify only syncs routes then).
        if (dev.isUp && (dev.carrier || dev.flags & IFF_LOOPBACK)) configure(dev);
        break;
      case 'DOWN': unconfigure(dev, true); devMcDel(dev, MC_ALL_HOSTS_V4); break;
      case 'UNREGISTER': unconfigure(dev, true); break;
      default: break;
    }
  });
}
