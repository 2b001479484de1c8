/**
 * vxlan (drivers/vxlan.ts) and the UDP receive demux under it (ipv4/udp.ts). Expected texts and
 * rules come from the 6.18 host kernel (test/scenarios/vxlan-*.sh pin the same behaviour against
 * it); these tests pin the pieces a scenario cannot see: the packet layout, the source-port hash,
 * ageing on the virtual clock, and what bad input does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript, type RunOptions } from '../../src/index.ts';
import type { CommandRecord } from '../../src/shell/index.ts';
import { vxlanPriv } from '../../src/core/drivers/vxlan.ts';
import { udpState } from '../../src/core/ipv4/udp.ts';

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
const OVERLAY = `
ip -n vnet-a link add vxlan0 address 02:00:00:00:aa:01 type vxlan id 42 remote 192.0.2.2 dstport 4789 dev eth0
ip -n vnet-b link add vxlan0 address 02:00:00:00:aa:02 type vxlan id 42 remote 192.0.2.1 dstport 4789 dev eth0
ip -n vnet-a addr add 203.0.113.1/24 dev vxlan0
ip -n vnet-b addr add 203.0.113.2/24 dev vxlan0
ip -n vnet-a link set vxlan0 up
ip -n vnet-b link set vxlan0 up
`;

function run(text: string, opts: RunOptions = {}): { records: CommandRecord[]; session: ReturnType<typeof runScript>['session'] } {
  const r = runScript(text, { world: 'none', seed: 7, ...opts });
  return { records: r.records, session: r.session };
}

function last(records: CommandRecord[]): CommandRecord { return records[records.length - 1]!; }

test('ping crosses the overlay and both ends learn the other inner MAC behind its VTEP', () => {
  const { records } = run(UNDERLAY + OVERLAY + `
ip netns exec vnet-a ping -c 1 203.0.113.2
bridge -n vnet-a fdb show dev vxlan0`);
  const ping = records[records.length - 2]!;
  assert.equal(ping.exit, 0, ping.stdout + ping.stderr);
  assert.match(ping.stdout, /1 received/);
  assert.equal(last(records).stdout,
    '02:00:00:00:aa:02 dst 192.0.2.2 self \n00:00:00:00:00:00 dst 192.0.2.2 via eth0 self permanent\n');
});

test('the encapsulation: UDP to 4789, VXLAN flags 0x08 and the VNI, then the inner frame', () => {
  const { records } = run(UNDERLAY + OVERLAY + `
ip -n vnet-a neigh add 203.0.113.2 lladdr 02:00:00:00:aa:02 dev vxlan0
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -t -x -c 1 udp 2>/dev/null &
sleep 0.1
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2
wait`);
  const cap = records.find((r) => r.command.includes('tcpdump'))!.stdout;
  // The hex dump starts at the IP header: 20 bytes of IP, then UDP (sport, dport 0x12b5 = 4789,
  // length 134-20 = 114 = 0x72, checksum), then 08 00 00 00 | 00 00 2a 00 (VNI 42).
  const hex = cap.split('\n').filter((l) => l.trim().startsWith('0x')).map((l) => l.replace(/^\s*0x[0-9a-f]+:\s+/, '')).join(' ').replace(/\s+/g, '');
  assert.equal(hex.slice(44, 48), '12b5', 'destination port 4789');
  assert.equal(hex.slice(48, 52), '0072', 'UDP length');
  assert.equal(hex.slice(56, 72), '0800000000002a00', 'VXLAN header, VNI 42');
  assert.equal(hex.slice(72, 84), '02000000aa02', 'inner destination MAC');
});

test('the UDP source port is flow-hashed inside ip_local_port_range, the same both ways, and reproducible', () => {
  const script = UNDERLAY + OVERLAY + `
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -t udp 2>/dev/null &
sleep 0.1
ip netns exec vnet-a ping -c 1 203.0.113.2
wait`;
  const ports = (recs: CommandRecord[]): number[] => {
    const cap = recs.find((r) => r.command.includes('tcpdump'))!.stdout;
    return [...cap.matchAll(/IP 192\.0\.2\.\d\.(\d+) > 192\.0\.2\.\d\.4789: VXLAN[^\n]*\n[^\n]*ICMP echo/g)].map((m) => Number(m[1]));
  };
  const a = ports(run(script).records);
  const b = ports(run(script).records);
  assert.equal(a.length, 2);
  assert.deepEqual(a, b);
  assert.equal(a[0], a[1], 'request and reply hash alike');
  assert.ok(a[0]! >= 32768 && a[0]! < 60999);
  const ranged = ports(run(script.replace('dstport 4789 dev eth0\nip -n vnet-b', 'dstport 4789 dev eth0 srcport 5000 5010\nip -n vnet-b')).records);
  assert.ok(ranged[0]! >= 5000 && ranged[0]! < 5010, `port ${ranged[0]}`);
});

test('learned entries age out after `ageing` seconds without traffic; permanent ones stay', () => {
  const { records } = run(UNDERLAY + OVERLAY.replace('dstport 4789 dev eth0\nip -n vnet-b', 'dstport 4789 dev eth0 ageing 20\nip -n vnet-b') + `
ip netns exec vnet-a ping -c 1 203.0.113.2
bridge -n vnet-a fdb show dev vxlan0
sleep 15
bridge -n vnet-a fdb show dev vxlan0
sleep 20
bridge -n vnet-a fdb show dev vxlan0`);
  const shows = records.filter((r) => r.command.startsWith('bridge'));
  assert.match(shows[0]!.stdout, /02:00:00:00:aa:02 dst 192\.0\.2\.2 self \n/);
  assert.match(shows[1]!.stdout, /02:00:00:00:aa:02/);
  assert.equal(shows[2]!.stdout, '00:00:00:00:00:00 dst 192.0.2.2 via eth0 self permanent\n');
});

test('the encap socket exists only while a device of that port is up, and is shared by port', () => {
  const { session } = run(UNDERLAY + `
ip -n vnet-a link add vx1 type vxlan id 1 dstport 4789
ip -n vnet-a link add vx2 type vxlan id 2 dstport 4789
ip -n vnet-a link set vx1 up
ip -n vnet-a link set vx2 up`);
  const ns = session.lab.named.get('vnet-a')!;
  assert.equal(udpState(ns).socks.length, 1);
  assert.equal(udpState(ns).socks[0]!.port, 4789);
  session.runScript('ip -n vnet-a link set vx1 down', { name: 's' });
  assert.equal(udpState(ns).socks.length, 1);
  session.runScript('ip -n vnet-a link set vx2 down', { name: 's' });
  assert.equal(udpState(ns).socks.length, 0);
});

test('without an encap socket on the port, a datagram gets ICMP port unreachable; a wrong VNI is dropped silently', () => {
  const { records, session } = run(UNDERLAY + OVERLAY.replace('id 42 remote 192.0.2.1', 'id 43 remote 192.0.2.1') + `
ip -n vnet-a neigh add 203.0.113.2 lladdr 02:00:00:00:aa:02 dev vxlan0
ip netns exec vnet-a timeout 1 tcpdump -i eth0 --immediate-mode -nn -t icmp 2>/dev/null &
sleep 0.1
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2
wait
ip -n vnet-b link set vxlan0 down
ip netns exec vnet-a timeout 1 tcpdump -i eth0 --immediate-mode -nn -t icmp 2>/dev/null &
sleep 0.1
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2
wait`);
  const caps = records.filter((r) => r.command.includes('tcpdump'));
  assert.equal(caps[0]!.stdout.trim(), '', 'VNI 42 is not on the other side: no answer at all');
  assert.match(caps[1]!.stdout, /192\.0\.2\.2 > 192\.0\.2\.1: ICMP 192\.0\.2\.2 udp port 4789 unreachable/);
  assert.equal(vxlanPriv(session.lab.named.get('vnet-b')!.devices.get('vxlan0')!).fdb.length, 1);
});

test('a remote reached only through the vxlan itself is a circular route: collisions and tx errors', () => {
  const { records } = run(UNDERLAY + `
ip -n vnet-a link add vxlan0 type vxlan id 5 remote 198.51.100.9 dstport 4789
ip -n vnet-a addr add 198.51.100.1/24 dev vxlan0
ip -n vnet-a link set vxlan0 up
ip -n vnet-a neigh add 198.51.100.2 lladdr 02:00:00:00:00:99 dev vxlan0
ip netns exec vnet-a ping -c 1 -W 1 198.51.100.2
ip -n vnet-a -s link show vxlan0`);
  const stats = last(records).stdout.split('\n');
  const tx = stats[stats.indexOf(stats.find((l) => l.includes('TX:'))!) + 1]!.trim().split(/\s+/).map(Number);
  assert.equal(tx[1], 0, 'nothing sent');
  assert.equal(tx[2], 1, 'one tx error');
  assert.equal(tx[5], 1, 'one collision');
});

test('bridge fdb argument errors are iproute2\'s, and IPv6 destinations are refused by an IPv4 vxlan', () => {
  const { records } = run(`
ip link add vxlan0 type vxlan id 42 dstport 4789
bridge fdb add 02:00:00:00:00:01 dev vxlan0 dst foo
bridge fdb add 02:00:00:00:00:01 dev vxlan0 dst 192.0.2.1 port abc
bridge fdb add 02:00:00:00:00:01 dev vxlan0 dst 192.0.2.1 vni 16777216
bridge fdb add 02:00:00:00:00:01 dev vxlan0 dst 2001:db8::1
bridge fdb add 02:00:00:00:00:01 dev vxlan0
bridge fdb add 02:00:00:00:00:04 dev vxlan0 dst 192.0.2.1 port 4790 vni 43 via lo
bridge fdb show dev vxlan0`);
  const r = records.slice(1);
  assert.deepEqual(r.slice(0, 6).map((x) => [x.exit, x.stderr]), [
    [1, 'Error: any valid address is expected rather than "foo".\n'],
    [255, 'Error: argument "abc" is wrong: invalid port\n\n'],
    [255, 'Error: argument "16777216" is wrong: invalid VNI\n\n'],
    [255, 'RTNETLINK answers: Address family not supported by protocol\n'],
    [255, 'RTNETLINK answers: Invalid argument\n'],
    [0, ''],
  ]);
  assert.equal(last(records).stdout, '02:00:00:00:00:04 dst 192.0.2.1 port 4790 vni 43 via lo self permanent\n');
});

test('deleting the vxlan releases its socket and a failed creation leaves nothing behind', () => {
  const { records, session } = run(`
ip link add vx0 type vxlan id 1 dstport 4789
ip link set vx0 up
ip link add vx1 type vxlan id 1 dstport 4789
ip link del vx0
ip link show`);
  assert.equal(records[2]!.stderr, 'Error: A VXLAN device with the specified VNI already exists.\n');
  assert.equal(udpState(session.lab.init).socks.length, 0);
  assert.doesNotMatch(last(records).stdout, /vx/);
});

test('a multicast group is joined on the lower device while the vxlan is up, with IGMPv3 reports', () => {
  const { records } = run(UNDERLAY + `
ip -n vnet-a link add vxlan0 type vxlan id 42 group 239.1.1.1 dstport 4789 dev eth0
ip netns exec vnet-b timeout 2 tcpdump -i eth0 --immediate-mode -nn -t -x igmp 2>/dev/null &
sleep 0.1
ip -n vnet-a link set vxlan0 up
bridge -n vnet-a fdb show dev eth0
sleep 1.2
ip -n vnet-a link set vxlan0 down
bridge -n vnet-a fdb show dev eth0
wait`);
  const shows = records.filter((r) => r.command.startsWith('bridge'));
  assert.match(shows[0]!.stdout, /^01:00:5e:01:01:01 self permanent$/m);
  assert.doesNotMatch(shows[1]!.stdout, /01:00:5e:01:01:01/);
  const cap = records.find((r) => r.command.includes('tcpdump'))!.stdout;
  const hex = cap.split(/\n(?=IP )/).map(hexOf);
  // Two CHANGE_TO_EXCLUDE (4) reports on join, then CHANGE_TO_INCLUDE (3) on leave; IP header with
  // Router Alert (46 c0 ... 94 04 00 00), IGMPv3 report 0x22 for 239.1.1.1.
  assert.ok(hex.length >= 3, cap);
  assert.equal(hex[0]!.slice(0, 4), '46c0');
  assert.equal(hex[0]!.slice(40, 48), '94040000');
  assert.deepEqual(hex.slice(0, 3).map((h) => h.slice(48, 50) + '/' + h.slice(64, 66) + '/' + h.slice(72, 80)),
    ['22/04/ef010101', '22/04/ef010101', '22/03/ef010101']);
});

function hexOf(block: string): string {
  return block.split('\n').filter((l) => l.trim().startsWith('0x')).map((l) => l.replace(/^\s*0x[0-9a-f]+:\s+/, '')).join('').replace(/\s+/g, '');
}
