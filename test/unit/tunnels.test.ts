/**
 * gre/gretap (drivers/gre.ts) and geneve (drivers/geneve.ts). Expected texts come from Debian's
 * 6.1 kernel under qemu (test/scenarios/gre-gretap-tunnels.sh and geneve-tunnel.sh pin the same
 * against it); these tests pin what the scenarios cannot: header bytes, the receive lookup,
 * the fallback devices' life cycle and bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';
import type { CommandRecord } from '../../src/shell/index.ts';

const UNDERLAY = `
ip netns add vnet-a
ip netns add vnet-b
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-a link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-b link set eth0 up
`;

function run(text: string): CommandRecord[] {
  return runScript(text, { world: 'none', seed: 3 }).records;
}

function hexOf(cap: string): string {
  return cap.split('\n').filter((l) => l.trim().startsWith('0x')).map((l) => l.replace(/^\s*0x[0-9a-f]+:\s+/, '')).join('').replace(/\s+/g, '');
}

test('gre with a key: MTU 1472, header 0x2000 0x0800 + key, the inner packet, and the key must match on receive', () => {
  const r = run(UNDERLAY + `
ip -n vnet-a link add gre1 type gre remote 192.0.2.2 local 192.0.2.1 key 7
ip -n vnet-b link add gre1 type gre remote 192.0.2.1 local 192.0.2.2 key 7
ip -n vnet-a addr add 203.0.113.1/30 dev gre1
ip -n vnet-b addr add 203.0.113.2/30 dev gre1
ip -n vnet-a link set gre1 up
ip -n vnet-b link set gre1 up
ip -n vnet-a link show gre1
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -t -x -c 1 proto gre 2>/dev/null &
sleep 0.1
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2
wait
ip -n vnet-b link set gre1 type gre ikey 8 okey 7
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2`);
  assert.match(r.find((x) => x.command.includes('link show gre1'))!.stdout, /gre1@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1472 /);
  const hex = hexOf(r.find((x) => x.command.includes('tcpdump'))!.stdout);
  assert.equal(hex.slice(18, 20), '2f', 'IP protocol 47');
  assert.equal(hex.slice(40, 56), '2000080000000007', 'GRE: key present, IPv4, key 7');
  assert.equal(hex.slice(56, 58), '45', 'the inner IPv4 header follows');
  const pings = r.filter((x) => x.command.includes('ping'));
  assert.equal(pings[0]!.exit, 0);
  assert.equal(pings[1]!.exit, 1, 'a different ikey on the receiver: the packets find no tunnel');
});

test('a GRE packet no tunnel claims gets ICMP port unreachable once ip_gre is loaded', () => {
  const r = run(UNDERLAY + `
ip -n vnet-b link add gre9 type gre remote 192.0.2.77 local 192.0.2.2
ip -n vnet-a link add gre1 type gre remote 192.0.2.2 local 192.0.2.1
ip -n vnet-a addr add 203.0.113.1/30 dev gre1
ip -n vnet-a link set gre1 up
ip netns exec vnet-a timeout 1 tcpdump -i eth0 --immediate-mode -nn -t icmp 2>/dev/null &
sleep 0.1
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2
wait`);
  const cap = r.find((x) => x.command.includes('tcpdump'))!.stdout;
  // gre_rcv: icmp_send(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH); tcpdump quotes the GRE protocol word as the "port".
  assert.match(cap, /^IP 192\.0\.2\.2 > 192\.0\.2\.1: ICMP 192\.0\.2\.2 protocol 47 port 2048 unreachable, length 116$/m);
});

test('fallback devices: created in every namespace on load and in later ones, and never deleted', () => {
  const r = run(`
ip netns add vnet-x
modprobe ip_gre
ip -n vnet-x link show gre0
ip link del gre0
ip link show gre0
ip netns add vnet-y
ip -n vnet-y link show gretap0
ip link add gre0x type gre
`);
  assert.equal(r[2]!.exit, 0);
  assert.match(r[2]!.stdout, /gre0@NONE: <NOARP> mtu 1476/);
  assert.equal(r[3]!.exit, 0, 'ip link del gre0 "succeeds"');
  assert.match(r[4]!.stdout, /gre0@NONE/, 'but gre0 is still there');
  assert.match(r[6]!.stdout, /gretap0@NONE: <BROADCAST,MULTICAST> mtu 1462 .*\n    link\/ether 00:00:00:00:00:00/);
  assert.equal(r[7]!.stderr, 'RTNETLINK answers: File exists\n', 'a keyless any-to-any gre is gre0');
});

test('gretap bridges Ethernet: ARP and ping cross, counters as the kernel counts them', () => {
  const r = run(UNDERLAY + `
ip -n vnet-a link add gt1 address 02:00:00:00:bb:01 type gretap remote 192.0.2.2 local 192.0.2.1
ip -n vnet-b link add gt1 address 02:00:00:00:bb:02 type gretap remote 192.0.2.1 local 192.0.2.2
ip -n vnet-a addr add 198.51.100.1/24 dev gt1
ip -n vnet-b addr add 198.51.100.2/24 dev gt1
ip -n vnet-a link set gt1 up
ip -n vnet-b link set gt1 up
ip netns exec vnet-a ping -c 1 198.51.100.2
ip -n vnet-a -s link show gt1`);
  assert.equal(r[r.length - 2]!.exit, 0);
  // Sent: ARP request 28 + echo 84 (no Ethernet header); received: ARP reply 42 + echo reply 98.
  assert.match(r[r.length - 1]!.stdout, /RX: .*\n\s+140\s+2\s/);
  assert.match(r[r.length - 1]!.stdout, /TX: .*\n\s+112\s+2\s/);
});

test('geneve: header bytes, the remote must match the outer source, EBUSY for a duplicate', () => {
  const r = run(UNDERLAY + `
ip -n vnet-a link add gnv0 address 02:00:00:00:aa:01 type geneve id 10 remote 192.0.2.2
ip -n vnet-b link add gnv0 address 02:00:00:00:aa:02 type geneve id 10 remote 192.0.2.1
ip -n vnet-a link add gnv1 type geneve id 10 remote 192.0.2.2
ip -n vnet-a addr add 203.0.113.1/24 dev gnv0
ip -n vnet-b addr add 203.0.113.2/24 dev gnv0
ip -n vnet-a link set gnv0 up
ip -n vnet-b link set gnv0 up
ip -n vnet-a neigh add 203.0.113.2 lladdr 02:00:00:00:aa:02 dev gnv0
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -t -x -c 1 udp 2>/dev/null &
sleep 0.1
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2
wait
ip -n vnet-b link del gnv0
ip -n vnet-b link add gnv0 address 02:00:00:00:aa:02 type geneve id 10 remote 192.0.2.99
ip -n vnet-b addr add 203.0.113.2/24 dev gnv0
ip -n vnet-b link set gnv0 up
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2`);
  assert.equal(r.find((x) => x.command.includes('gnv1'))!.stderr, 'RTNETLINK answers: Device or resource busy\n');
  const hex = hexOf(r.find((x) => x.command.includes('tcpdump'))!.stdout);
  assert.equal(hex.slice(44, 48), '17c1', 'destination port 6081');
  assert.equal(hex.slice(52, 56), '0000', 'no UDP checksum by default');
  assert.equal(hex.slice(56, 72), '0000655800000a00', 'Geneve: v0, no options, TEB, VNI 10');
  const pings = r.filter((x) => x.command.includes('ping'));
  assert.equal(pings[0]!.exit, 0);
  assert.equal(pings[1]!.exit, 1, 'the receiver expects 192.0.2.99: nothing is delivered');
});

test('ip link parsing errors for geneve and gre are iproute2\'s', () => {
  const r = run(`
ip link add g1 type geneve remote 192.0.2.3
ip link add g1 type geneve id 13
ip link add g1 type geneve id 13 external
ip link add g1 type geneve id 1 remote 192.0.2.1 ttl 300
ip link add g1 type geneve id 1 remote 192.0.2.1 bogus
ip link add t1 type gre remote 192.0.2.7 dev nosuch
ip link add t1 type gre ttl 300`);
  assert.deepEqual(r.map((x) => [x.exit, x.stderr.split('\n')[0]]), [
    [1, 'geneve: missing virtual network identifier'],
    [1, 'geneve: remote link partner not specified'],
    [1, "geneve: both 'external' and vni cannot be specified"],
    [255, 'Error: argument "300" is wrong: TTL must be <= 255'],
    [1, 'geneve: unknown command "bogus"?'],
    [255, 'Cannot find device "nosuch"'],
    [255, 'Error: argument "300" is wrong: invalid TTL'],
  ]);
});
