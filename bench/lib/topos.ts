/**
 * The topologies of the benchmark, as iproute2 shell scripts that run unchanged on vnet (in a lab
 * built with `world: 'none'`) and on Linux (inside a throwaway `unshare --net --mount` namespace).
 * Only documentation addresses are used (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and
 * locally administered MACs (02:00:00:…), and every device is created by the script itself.
 */

export interface Endpoint { ns: string; dev: string }

export interface Topology {
  id: string;
  /** Row title in the table. */
  title: string;
  /** Namespaces the script uses (`ip netns add` comes first, before `body`). */
  namespaces: string[];
  /** Commands, run in the top namespace (vnet's script namespace; the throwaway one on Linux). */
  body: string[];
  /** Traffic that resolves ARP and teaches bridges before measuring (and proves the path works). */
  prime: string[];
  sender: Endpoint;
  receiver: Endpoint;
  /** The frame the sender injects, 60 bytes (64 on the wire with the FCS). */
  frame: Uint8Array;
  /** Ethertype the receiver counts (the C counter binds its AF_PACKET socket to it). */
  ethertype: number;
  /** How vnet counts deliveries: a protocol handler for `ethertype`, or a PacketTap on the receiver. */
  vnetCount: 'ptype' | 'tap';
}

export const MAC_A = '02:00:00:00:0a:01';
export const MAC_B = '02:00:00:00:0a:02';
export const MAC_RA = '02:00:00:00:0a:11';
export const MAC_RB = '02:00:00:00:0a:12';
/** IEEE 802 local experimental ethertype: no protocol claims it, so only the counter sees it. */
export const ETH_P_BENCH = 0x88b5;

function mac(s: string): number[] { return s.split(':').map((h) => parseInt(h, 16)); }

/** dst, src, ethertype, zero payload up to 60 bytes. */
export function l2Frame(dst: string, src: string, ethertype = ETH_P_BENCH): Uint8Array {
  const f = new Uint8Array(60);
  f.set(mac(dst), 0);
  f.set(mac(src), 6);
  f[12] = ethertype >> 8; f[13] = ethertype & 0xff;
  return f;
}

function ip4(s: string): number[] { return s.split('.').map(Number); }

/** Ethernet + IPv4 + UDP (port 9, discard) with 18 bytes of payload: 60 bytes in all. */
export function udpFrame(dst: string, src: string, ipSrc: string, ipDst: string): Uint8Array {
  const f = new Uint8Array(60);
  f.set(mac(dst), 0);
  f.set(mac(src), 6);
  f[12] = 0x08; f[13] = 0x00;
  const o = 14;
  f[o] = 0x45; f[o + 1] = 0;
  const tot = 60 - 14;
  f[o + 2] = tot >> 8; f[o + 3] = tot & 0xff;
  f[o + 4] = 0x12; f[o + 5] = 0x34; // id
  f[o + 6] = 0x40; f[o + 7] = 0; // DF
  f[o + 8] = 64; f[o + 9] = 17; // TTL, UDP
  f.set(ip4(ipSrc), o + 12);
  f.set(ip4(ipDst), o + 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (f[o + i]! << 8) | f[o + i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const ck = (~sum) & 0xffff;
  f[o + 10] = ck >> 8; f[o + 11] = ck & 0xff;
  const u = o + 20;
  f[u] = 0; f[u + 1] = 9; f[u + 2] = 0; f[u + 3] = 9;
  f[u + 4] = 0; f[u + 5] = tot - 20; // UDP length; checksum 0 = none
  return f;
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

const PING_AB = 'ip netns exec fa ping -c 1 -W 2 192.0.2.2 >/dev/null';

export const TOPOLOGIES: Topology[] = [
  {
    id: 'fwd-macvlan-bridge',
    title: 'forwarding, macvlan bridge mode (2 netns, one lower)',
    namespaces: ['fa', 'fb'],
    body: [
      'ip link add lw0 type veth peer name lw1',
      'ip link set lw1 up',
      'ip link set lw0 up',
      `ip link add mva link lw0 address ${MAC_A} netns fa type macvlan mode bridge`,
      `ip link add mvb link lw0 address ${MAC_B} netns fb type macvlan mode bridge`,
      'ip -n fa addr add 192.0.2.1/24 dev mva',
      'ip -n fb addr add 192.0.2.2/24 dev mvb',
      'ip -n fa link set mva up',
      'ip -n fb link set mvb up',
    ],
    prime: [PING_AB],
    sender: { ns: 'fa', dev: 'mva' },
    receiver: { ns: 'fb', dev: 'mvb' },
    frame: l2Frame(MAC_B, MAC_A),
    ethertype: ETH_P_BENCH,
    vnetCount: 'ptype',
  },
  {
    id: 'fwd-vepa-hairpin',
    title: 'forwarding, macvlan VEPA through a hairpin bridge',
    namespaces: ['fa', 'fb', 'fsw'],
    body: [
      'ip -n fsw link add br0 type bridge',
      'ip link add lw0 type veth peer name swp netns fsw',
      'ip -n fsw link set swp master br0',
      'ip -n fsw link set swp type bridge_slave hairpin on',
      'ip -n fsw link set br0 up',
      'ip -n fsw link set swp up',
      'ip link set lw0 up',
      `ip link add mva link lw0 address ${MAC_A} netns fa type macvlan mode vepa`,
      `ip link add mvb link lw0 address ${MAC_B} netns fb type macvlan mode vepa`,
      'ip -n fa addr add 192.0.2.1/24 dev mva',
      'ip -n fb addr add 192.0.2.2/24 dev mvb',
      'ip -n fa link set mva up',
      'ip -n fb link set mvb up',
    ],
    prime: [PING_AB],
    sender: { ns: 'fa', dev: 'mva' },
    receiver: { ns: 'fb', dev: 'mvb' },
    frame: l2Frame(MAC_B, MAC_A),
    ethertype: ETH_P_BENCH,
    vnetCount: 'ptype',
  },
  {
    id: 'fwd-veth-bridge',
    title: 'forwarding, veth through a Linux bridge',
    namespaces: ['fa', 'fb', 'fsw'],
    body: [
      'ip -n fsw link add br0 type bridge',
      `ip link add va netns fa address ${MAC_A} type veth peer name pa netns fsw`,
      `ip link add vb netns fb address ${MAC_B} type veth peer name pb netns fsw`,
      'ip -n fsw link set pa master br0',
      'ip -n fsw link set pb master br0',
      'ip -n fsw link set br0 up',
      'ip -n fsw link set pa up',
      'ip -n fsw link set pb up',
      'ip -n fa addr add 192.0.2.1/24 dev va',
      'ip -n fb addr add 192.0.2.2/24 dev vb',
      'ip -n fa link set va up',
      'ip -n fb link set vb up',
    ],
    prime: [PING_AB],
    sender: { ns: 'fa', dev: 'va' },
    receiver: { ns: 'fb', dev: 'vb' },
    frame: l2Frame(MAC_B, MAC_A),
    ethertype: ETH_P_BENCH,
    vnetCount: 'ptype',
  },
  {
    id: 'fwd-routed',
    title: 'forwarding, one routed hop (ip_forward=1)',
    namespaces: ['fa', 'fr', 'fb'],
    body: [
      `ip link add va netns fa address ${MAC_A} type veth peer name ra netns fr address ${MAC_RA}`,
      `ip link add vb netns fb address ${MAC_B} type veth peer name rb netns fr address ${MAC_RB}`,
      'ip -n fa addr add 192.0.2.1/24 dev va',
      'ip -n fr addr add 192.0.2.254/24 dev ra',
      'ip -n fr addr add 198.51.100.254/24 dev rb',
      'ip -n fb addr add 198.51.100.2/24 dev vb',
      'ip -n fa link set va up',
      'ip -n fr link set ra up',
      'ip -n fr link set rb up',
      'ip -n fb link set vb up',
      'ip -n fa route add default via 192.0.2.254',
      'ip -n fb route add default via 198.51.100.254',
      'ip netns exec fr sysctl -w net.ipv4.ip_forward=1 >/dev/null',
      // The frames go to an address B does not own, routed to B: B's stack drops them quietly
      // (ip_forward=0 there, no ICMP), so no reply traffic competes with the measured direction.
      'ip -n fr route add 203.0.113.99/32 via 198.51.100.2',
    ],
    prime: ['ip netns exec fa ping -c 1 -W 2 198.51.100.2 >/dev/null'],
    sender: { ns: 'fa', dev: 'va' },
    receiver: { ns: 'fb', dev: 'vb' },
    frame: udpFrame(MAC_RA, MAC_A, '192.0.2.1', '203.0.113.99'),
    ethertype: 0x0800,
    vnetCount: 'tap',
  },
];

/** Two namespaces joined by a veth pair: the ICMP round-trip workload. */
export const PING_TOPOLOGY: Topology = {
  id: 'icmp',
  title: 'ICMP echo round trips (veth pair between 2 netns)',
  namespaces: ['fa', 'fb'],
  body: [
    `ip link add va netns fa address ${MAC_A} type veth peer name vb netns fb address ${MAC_B}`,
    'ip -n fa addr add 192.0.2.1/24 dev va',
    'ip -n fb addr add 192.0.2.2/24 dev vb',
    'ip -n fa link set va up',
    'ip -n fb link set vb up',
  ],
  prime: [PING_AB],
  sender: { ns: 'fa', dev: 'va' },
  receiver: { ns: 'fb', dev: 'vb' },
  frame: new Uint8Array(0),
  ethertype: 0x0800,
  vnetCount: 'tap',
};

export function topologyById(id: string): Topology {
  const t = [...TOPOLOGIES, PING_TOPOLOGY].find((x) => x.id === id);
  if (!t) throw new Error(`no topology ${id}`);
  return t;
}

/** The script vnet runs: namespaces, body, priming. */
export function vnetScript(t: Topology): string {
  return [...t.namespaces.map((n) => `ip netns add ${n}`), ...t.body, ...t.prime].join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Set-up workload: N namespaces, each with one bridge-mode macvlan on the shared lower lw0.

const NETS = ['192.0.2', '198.51.100', '203.0.113'];

/** The i-th namespace's address: the three documentation /24s in turn (repeats after 762; the namespaces never talk). */
export function setupAddr(i: number): string {
  const k = i % (NETS.length * 254);
  return `${NETS[Math.floor(k / 254)]}.${(k % 254) + 1}`;
}

export const SETUP_PRELUDE = ['ip link add lw0 type veth peer name lw1', 'ip link set lw1 up', 'ip link set lw0 up'];

/** vnet: one ip command per line, as a user would write it. */
export function vnetSetupScript(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`ip netns add s${i}`,
      `ip link add sm0 link lw0 netns s${i} type macvlan mode bridge`,
      `ip -n s${i} addr add ${setupAddr(i)}/24 dev sm0`,
      `ip -n s${i} link set sm0 up`);
  }
  return out.join('\n') + '\n';
}

export function vnetTeardownScript(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`ip netns del s${i}`);
  return out.join('\n') + '\n';
}
