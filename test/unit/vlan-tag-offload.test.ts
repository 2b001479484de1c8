// VLAN tag offload (NETIF_F_HW_VLAN_CTAG_TX): a VLAN device puts its tag in skb metadata; a veth
// keeps it there and counts the frame untagged, a device without the feature (macvlan, dummy)
// gets it written into the bytes first. Captures always show the tag. Numbers seen on 6.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';

type Rec = { command: string; stdout: string; stderr: string; exit: number };
function run(text: string): Rec[] { return runScript(text, { world: 'none' }).records as Rec[]; }
function out(rs: Rec[], command: string): string {
  const r = rs.find((x) => x.command === command);
  assert.ok(r, `no record for ${command}`);
  return r.stdout;
}

const SETUP = `
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-b
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11 netns vnet-b
ip -n vnet-b link add link p0 name p0.10 type vlan id 10
ip link set eth0 up
ip -n vnet-b link set p0 up
ip -n vnet-b link set p0.10 up
ip -n vnet-b addr add 192.0.2.2/24 dev p0.10
`;

const bytes = (s: string, dir: 'RX' | 'TX') => Number(new RegExp(`${dir}:[^\\n]*\\n\\s+(\\d+)`).exec(s)![1]);

test('veth under a VLAN device counts the frames without their tag, both ends; tcpdump still shows it', () => {
  const rs = run(`${SETUP}
ip link add link eth0 name eth0.10 type vlan id 10
ip link set eth0.10 up
ip addr add 192.0.2.1/24 dev eth0.10
ip netns exec vnet-b timeout 1 tcpdump -i p0 --immediate-mode -nn -e -t -c 1 vlan and icmp &
sleep 0.5
ping -c1 -W1 192.0.2.2
wait
ip -s link show eth0
ip -s link show eth0.10
ip -n vnet-b -s link show p0
`);
  // an ARP request (42) and an echo request (98) each way
  assert.equal(bytes(out(rs, 'ip -s link show eth0'), 'TX'), 140);
  assert.equal(bytes(out(rs, 'ip -s link show eth0'), 'RX'), 140);
  assert.equal(bytes(out(rs, 'ip -n vnet-b -s link show p0'), 'RX'), 140);
  assert.equal(bytes(out(rs, 'ip -s link show eth0.10'), 'TX'), 140);
  assert.equal(bytes(out(rs, 'ip -s link show eth0.10'), 'RX'), 112);
  assert.match(out(rs, 'ip netns exec vnet-b timeout 1 tcpdump -i p0 --immediate-mode -nn -e -t -c 1 vlan and icmp'),
    /^02:00:00:00:00:10 > 02:00:00:00:00:11, ethertype 802\.1Q \(0x8100\), length 102: vlan 10, p 0, ethertype IPv4 \(0x0800\), 192\.0\.2\.1 > 192\.0\.2\.2: ICMP echo request/);
});

test('with reorder_hdr off the tag is in the frame: the veth counts it', () => {
  const rs = run(`${SETUP}
ip link add link eth0 name eth0.10 type vlan id 10 reorder_hdr off
ip link set eth0.10 up
ip addr add 192.0.2.1/24 dev eth0.10
ping -c1 -W1 192.0.2.2
ip -s link show eth0
`);
  assert.equal(bytes(out(rs, 'ip -s link show eth0'), 'TX'), 148);
  assert.equal(bytes(out(rs, 'ip -s link show eth0'), 'RX'), 140);
});

test('a bridge under a VLAN device offloads the tag too: bridge and veth port count the frames untagged', () => {
  const rs = run(`${SETUP}
ip link add br0 type bridge mcast_snooping 0
ip link set eth0 master br0
ip link set br0 up
ip link add link br0 name br0.10 type vlan id 10
ip link set br0.10 up
ip addr add 192.0.2.1/24 dev br0.10
ping -c1 -W1 192.0.2.2
ip -s link show eth0
ip -s link show br0
`);
  assert.equal(bytes(out(rs, 'ip -s link show eth0'), 'TX'), 140);
  assert.equal(bytes(out(rs, 'ip -s link show eth0'), 'RX'), 140);
  assert.equal(bytes(out(rs, 'ip -s link show br0'), 'TX'), 140);
});
