/** Value→name tables copied from tcpdump 4.99 (tok arrays; first entry wins on duplicates). */

function tok(entries: [number, string][]): ReadonlyMap<number, string> {
  const m = new Map<number, string>();
  for (const [k, v] of entries) if (!m.has(k)) m.set(k, v);
  return m;
}

export const ethertypeValues = tok([
  [0x0800, 'IPv4'], [0x8847, 'MPLS unicast'], [0x8848, 'MPLS multicast'], [0x86dd, 'IPv6'],
  [0x8100, '802.1Q'], [0x9100, '802.1Q-9100'], [0x88a8, '802.1Q-QinQ'], [0x9200, '802.1Q-9200'],
  [0x88e5, '802.1AE MACsec'], [0x9100, 'VMAN'], [0x0200, 'PUP'], [0x0806, 'ARP'], [0x8035, 'Reverse ARP'],
  [0x0600, 'NS'], [0x0500, 'Sprite'], [0x1000, 'Trail'], [0x6001, 'MOP DL'], [0x6002, 'MOP RC'],
  [0x6003, 'DN'], [0x6004, 'LAT'], [0x6007, 'SCA'], [0x6558, 'TEB'], [0x8038, 'Lanbridge'],
  [0x803c, 'DEC DNS'], [0x803e, 'DEC DTS'], [0x805b, 'VEXP'], [0x805c, 'VPROD'], [0x809b, 'Appletalk'],
  [0x80f3, 'Appletalk ARP'], [0x8137, 'IPX'], [0x880b, 'PPP'], [0x8808, 'MPCP'], [0x8809, 'Slow Protocols'],
  [0x8863, 'PPPoE D'], [0x8864, 'PPPoE S'], [0x888e, 'EAPOL'], [0x8899, 'Realtek protocols'],
  [0x886f, 'MS NLB heartbeat'], [0x8870, 'Jumbo'], [0x894f, 'NSH'], [0x9000, 'Loopback'], [0xfefe, 'OSI'],
  [0x00fe, 'GRE-OSI'], [0xabcd, 'CFM (old)'], [0x8902, 'CFM'], [0x893a, 'IEEE1905.1'], [0x88cc, 'LLDP'],
  [0x88ca, 'TIPC'], [0x0707, 'GeoNet (old)'], [0x8947, 'GeoNet'], [0x1111, 'CALM FAST'], [0x88a2, 'AoE'],
  [0x88f7, 'PTP'], [0xd28b, 'Arista Vendor Specific Protocol'],
]);

export const ipprotoValues = tok([
  [0, 'Options'], [1, 'ICMP'], [2, 'IGMP'], [4, 'IPIP'], [6, 'TCP'], [8, 'EGP'], [9, 'IGRP'], [17, 'UDP'],
  [33, 'DCCP'], [41, 'IPv6'], [43, 'Routing'], [44, 'Fragment'], [46, 'RSVP'], [47, 'GRE'], [50, 'ESP'],
  [51, 'AH'], [55, 'Mobile IP'], [58, 'ICMPv6'], [62, 'Mobile IP (old)'], [88, 'EIGRP'], [89, 'OSPF'],
  [103, 'PIM'], [108, 'Compressed IP'], [112, 'VRRP'], [113, 'PGM'], [132, 'SCTP'], [135, 'Mobility'],
  [143, 'Ethernet'],
]);

export const arpopValues = tok([
  [1, 'Request'], [2, 'Reply'], [3, 'Reverse Request'], [4, 'Reverse Reply'], [8, 'Inverse Request'],
  [9, 'Inverse Reply'], [10, 'NACK Reply'],
]);

export const arphrdValues = tok([
  [1, 'Ethernet'], [6, 'TokenRing'], [7, 'ArcNet'], [15, 'FrameRelay'], [23, 'Strip'], [24, 'IEEE 1394'],
  [19, 'ATM'], [32, 'InfiniBand'],
]);

export const icmp2str = tok([
  [0, 'echo reply'], [3, 'unreachable'], [4, 'source quench'], [5, 'redirect'], [8, 'echo request'],
  [9, 'router advertisement'], [10, 'router solicitation'], [11, 'time exceeded'], [12, 'parameter problem'],
  [13, 'time stamp request'], [14, 'time stamp reply'], [15, 'information request'], [16, 'information reply'],
  [17, 'address mask request'], [18, 'address mask reply'],
]);

export const icmp6TypeValues = tok([
  [1, 'destination unreachable'], [2, 'packet too big'], [3, 'time exceeded in-transit'], [4, 'parameter problem'],
  [128, 'echo request'], [129, 'echo reply'], [130, 'multicast listener query'], [131, 'multicast listener report'],
  [132, 'multicast listener done'], [133, 'router solicitation'], [134, 'router advertisement'],
  [135, 'neighbor solicitation'], [136, 'neighbor advertisement'], [137, 'redirect'], [138, 'router renumbering'],
  [141, 'inverse neighbor solicitation'], [142, 'inverse neighbor advertisement'],
  [143, 'multicast listener report v2'], [144, 'ha discovery request'], [145, 'ha discovery reply'],
  [146, 'mobile router solicitation'], [147, 'mobile router advertisement'], [139, 'who-are-you request'],
  [140, 'who-are-you reply'], [139, 'node information query'], [140, 'node information reply'],
  [201, 'mtrace message'], [200, 'mtrace response'], [155, 'RPL'],
]);

export const icmp6DstUnreachCodeValues = tok([
  [0, 'unreachable route'], [1, ' unreachable prohibited'], [2, 'beyond scope'], [3, 'unreachable address'],
  [4, 'unreachable port'],
]);

export const icmp6OptValues = tok([
  [1, 'source link-address'], [2, 'destination link-address'], [3, 'prefix info'], [4, 'redirected header'],
  [5, 'mtu'], [25, 'rdnss'], [31, 'dnssl'], [7, 'advertisement interval'], [8, 'homeagent information'],
  [24, 'route info'],
]);

export const icmp6OptPiFlagValues: [number, string][] = [[0x80, 'onlink'], [0x40, 'auto'], [0x20, 'router']];
export const icmp6OptRaFlagValues: [number, string][] = [[0x80, 'managed'], [0x40, 'other stateful'], [0x20, 'home agent'], [0x02, 'ipv6 only']];
export const icmp6NdNaFlagValues: [number, string][] = [[0x80000000, 'router'], [0x40000000, 'solicited'], [0x20000000, 'override']];
export const mldv2report2str = tok([[1, 'is_in'], [2, 'is_ex'], [3, 'to_in'], [4, 'to_ex'], [5, 'allow'], [6, 'block']]);

export const ipFragValues: [number, string][] = [[0x2000, '+'], [0x4000, 'DF'], [0x8000, 'rsvd']];
export const ipOptionValues = tok([
  [0, 'EOL'], [1, 'NOP'], [68, 'timestamp'], [130, 'security'], [7, 'RR'], [137, 'SSRR'], [131, 'LSRR'],
  [148, 'RA'], [82, 'traceroute'],
]);

export const sllPkttypeValues = tok([[0, 'In'], [1, 'B'], [2, 'M'], [3, 'P'], [4, 'Out']]);

export const llcValues = tok([
  [0x00, 'Null'], [0xff, 'Global'], [0x02, '802.1B I'], [0x03, '802.1B G'], [0x06, 'IP'], [0x04, 'SNA'],
  [0x0e, 'ProWay NM'], [0x42, 'STP'], [0x4e, 'RS511'], [0x7e, 'ISO8208'], [0x8e, 'ProWay'], [0xaa, 'SNAP'],
  [0xe0, 'IPX'], [0xf0, 'NetBeui'], [0xfe, 'OSI'],
]);
export const llcCmdValues = tok([
  [0x03, 'ui'], [0xe3, 'test'], [0xaf, 'xid'], [0x63, 'ua'], [0x43, 'disc'], [0x0f, 'dm'], [0x6f, 'sabme'], [0x87, 'frmr'],
]);
export const llcFlagValues = tok([[0, 'Command'], [0x01, 'Response'], [0x10, 'Poll'], [0x11, 'Final'], [0x0100, 'Poll'], [0x0101, 'Final']]);
export const llcIgFlagValues = tok([[0, 'Individual'], [0x01, 'Group']]);
export const llcSupervisoryValues = tok([[0, 'Receiver Ready'], [1, 'Receiver not Ready'], [2, 'Reject']]);

export const stpProtoValues = tok([[0, '802.1d'], [2, '802.1w'], [3, '802.1s'], [4, '802.1aq']]);
export const stpBpduFlagValues: [number, string][] = [
  [0x01, 'Topology change'], [0x02, 'Proposal'], [0x10, 'Learn'], [0x20, 'Forward'], [0x40, 'Agreement'],
  [0x80, 'Topology change ACK'],
];
export const stpBpduTypeValues = tok([[0x00, 'Config'], [0x02, 'Rapid STP'], [0x80, 'Topology Change']]);
export const rstpPortRoleValues = tok([[0, 'Unknown'], [1, 'Alternate'], [2, 'Root'], [3, 'Designated']]);
