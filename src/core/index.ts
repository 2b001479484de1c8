/**
 * Builds a lab with the drivers and protocols the kernel would have built in, and re-exports the
 * core API used by tools and front-ends.
 */
import { Lab, type LabOptions } from './lab.ts';
import { installDevCore } from './dev.ts';
import { createLoopback } from './drivers/loopback.ts';
import { vethKind } from './drivers/veth.ts';
import { installMacvlan } from './drivers/macvlan.ts';
import { registerKind } from './rtnl.ts';
import { installVlan } from './drivers/vlan.ts';
import { installBridge } from './drivers/bridge/index.ts';
import { dummyKind } from './drivers/dummy.ts';
import { installIpvlan } from './drivers/ipvlan.ts'; // ipvlan/ipvtap (drivers/ipvlan.ts)
import { installBond } from './drivers/bond.ts'; // bonding (drivers/bond.ts)
import { installTeam } from './drivers/team.ts'; // team (drivers/team.ts; teamd is src/tools/teamd)
import { installTun } from './drivers/tun.ts'; // tun/tap (drivers/tun.ts)
import { installVrf } from './drivers/vrf.ts'; // vrf (drivers/vrf.ts)
import { installNlmon } from './drivers/nlmon.ts'; // nlmon (drivers/nlmon.ts)
import { installVxlan } from './drivers/vxlan.ts'; // vxlan (drivers/vxlan.ts)
import { installGeneve } from './drivers/geneve.ts'; // geneve (drivers/geneve.ts)
import { installGre } from './drivers/gre.ts'; // gre, gretap, erspan fallback (drivers/gre.ts)
import { installDevinet } from './ipv4/devinet.ts';
import { installIgmp } from './ipv4/igmp.ts';
import { installIpv4 } from './ipv4/ip.ts';
import { installAddrconf } from './ipv6/addrconf.ts';

export function createLab(opts: LabOptions = {}): Lab {
  const lab = new Lab(opts);
  installDevCore(lab);
  installDevinet(lab);
  installIgmp(lab); // before addrconf: inetdev_event's ip_mc_up runs before addrconf_notify
  installAddrconf(lab);
  installIpv4(lab);
  registerKind(lab, vethKind);
  installMacvlan(lab);
  installVlan(lab);
  installBridge(lab, { vlanFiltering: lab.kernelConfig.BRIDGE_VLAN_FILTERING }); // CONFIG_BRIDGE_VLAN_FILTERING per lab
  registerKind(lab, dummyKind);
  installIpvlan(lab); // ipvlan, ipvtap
  installBond(lab); // bond
  installTeam(lab); // team
  installTun(lab); // tun/tap: the "tun" kind (ip tuntap, /dev/net/tun)
  installVrf(lab); // vrf: L3 master devices (drivers/vrf.ts)
  installNlmon(lab); // nlmon: netlink monitor devices (drivers/nlmon.ts)
  installVxlan(lab); // vxlan
  installGeneve(lab); // geneve
  installGre(lab); // gre, gretap
  createLoopback(lab.init);
  return lab;
}

export { Lab };
