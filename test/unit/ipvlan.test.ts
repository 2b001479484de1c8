// ipvlan / ipvtap (src/core/drivers/ipvlan.ts) driven through the `ip` tool: creation rules and
// errors, the port-wide mode, shared MAC and MTU, address uniqueness, and the receive/transmit
// rules of l2 and l3 mode checked with raw ICMP sockets and the tracer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './ip-harness.test.ts';
import { ipSend, openRawIcmp, ICMP_ECHO, ICMP_ECHOREPLY } from '../../src/core/ipv4/ip.ts';
import { parseIp, inetChecksum, wr16, IPPROTO_ICMP } from '../../src/core/ipv4/bytes.ts';
import { openTap } from '../../src/core/drivers/macvlan.ts';
import type { NetNamespace } from '../../src/core/netns.ts';
import type { TraceEvent } from '../../src/core/trace.ts';

function ok(h: Harness, ...lines: string[]): void { h.ok(...lines); }

function ns(h: Harness, name: string): NetNamespace { return h.lab.ns(name)!; }

/** One echo request from `from` to `to`; true when the reply came back. */
function ping(h: Harness, from: NetNamespace, to: string): boolean {
  const lab = h.lab;
  let got = false;
  const close = openRawIcmp(from, { deliver: (p) => { if (p.bytes[p.hlen] === ICMP_ECHOREPLY) got = true; } });
  const payload = new Uint8Array(64);
  payload[0] = ICMP_ECHO;
  wr16(payload, 4, 99); wr16(payload, 6, 1);
  wr16(payload, 2, inetChecksum(payload, 0, 64));
  const r = ipSend(from, { dst: parseIp(to)!, proto: IPPROTO_ICMP, payload });
  if (r.ok) lab.clock.runUntil(() => got, lab.clock.now + 4e9);
  close();
  return got;
}

function trace(h: Harness): TraceEvent[] {
  const evs: TraceEvent[] = [];
  h.lab.tracer = (e) => { evs.push(e); };
  return evs;
}

/** eth0 (02:…:10) with its peer wire0 in namespace vnet-out at 192.0.2.100, eth0 = 192.0.2.1. */
function world(): Harness {
  const h = new Harness();
  ok(h,
    'ip netns add vnet-out',
    'ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11 netns vnet-out',
    'ip -n vnet-out addr add 192.0.2.100/24 dev wire0',
    'ip -n vnet-out link set wire0 up',
    'ip link set eth0 up',
    'ip addr add 192.0.2.1/24 dev eth0',
  );
  return h;
}

/** Two slaves of eth0 in namespaces vnet-a and vnet-b, with the given addresses and mode words. */
function slaves(h: Harness, mode: string, a: string, b: string): void {
  ok(h,
    'ip netns add vnet-a', 'ip netns add vnet-b',
    `ip link add link eth0 name ipva type ipvlan ${mode}`,
    `ip link add link eth0 name ipvb type ipvlan ${mode}`,
    'ip link set ipva netns vnet-a', 'ip link set ipvb netns vnet-b',
    `ip -n vnet-a addr add ${a} dev ipva`, `ip -n vnet-b addr add ${b} dev ipvb`,
    'ip -n vnet-a link set ipva up', 'ip -n vnet-b link set ipvb up',
  );
}

test('ipvlan slaves share the master MAC, print `ipvlan  mode l2 bridge`, and refuse a MAC of their own', () => {
  const h = world();
  ok(h, 'ip link add link eth0 name ipv1 type ipvlan mode l2');
  const show = h.sh('ip -d link show ipv1');
  assert.match(show.out, /^\d+: ipv1@eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN/);
  assert.match(show.out, /link\/ether 02:00:00:00:00:10 /);
  assert.match(show.out, /\n {4}ipvlan {2}mode l2 bridge /);
  const r = h.sh('ip link set ipv1 address 02:00:00:00:00:99');
  assert.equal(r.code, 2);
  assert.equal(r.err, 'RTNETLINK answers: Operation not supported\n');
  // The master's later MAC and MTU changes are followed, both ways for the MTU.
  ok(h, 'ip link set eth0 address 02:00:00:00:00:77', 'ip link set eth0 mtu 1400');
  assert.match(h.sh('ip link show ipv1').out, /mtu 1400 .*\n.*02:00:00:00:00:77/);
  ok(h, 'ip link set eth0 mtu 1500');
  assert.match(h.sh('ip link show ipv1').out, /mtu 1500 /);
});

test('ipvlan creation errors: no link, lo, a macvlan lower and back, a bad mode word', () => {
  const h = world();
  let r = h.sh('ip link add ipx type ipvlan mode l2');
  assert.deepEqual([r.code, r.err], [2, 'RTNETLINK answers: Invalid argument\n']);
  r = h.sh('ip link add link lo name ipx type ipvlan');
  assert.deepEqual([r.code, r.err], [2, 'RTNETLINK answers: Invalid argument\n']);
  ok(h, 'ip link add link eth0 name ipv1 type ipvlan mode l2');
  r = h.sh('ip link add link eth0 name mv0 type macvlan');
  assert.deepEqual([r.code, r.err], [2, 'RTNETLINK answers: Device or resource busy\n']);
  ok(h, 'ip -n vnet-out link add link wire0 name mv0 type macvlan');
  r = h.sh('ip -n vnet-out link add link wire0 name ipv9 type ipvlan');
  assert.deepEqual([r.code, r.err], [2, 'RTNETLINK answers: Device or resource busy\n']);
  // An ipvlan slave takes no rx_handler: no macvlan, bridge port or bond slave on it.
  r = h.sh('ip link add link ipv1 name mv1 type macvlan');
  assert.deepEqual([r.code, r.err], [2, 'RTNETLINK answers: Invalid argument\n']);
  r = h.sh('ip link add link eth0 name ipv4 type ipvlan mode l4');
  assert.equal(r.code, 1);
  assert.equal(r.err, 'Error: argument of "mode" must be either "l2", "l3" or "l3s"\n');
  // A slave given as link means its master.
  ok(h, 'ip link add link ipv1 name ipv2 type ipvlan mode l2');
  assert.match(h.sh('ip link show ipv2').out, /ipv2@eth0:/);
});

test('mode and flags belong to the port: the newest creation wins, no mode means l3, NOARP follows', () => {
  const h = world();
  ok(h, 'ip link add link eth0 name ipv1 type ipvlan mode l2 private', 'ip link set ipv1 up');
  assert.match(h.sh('ip link show ipv1').out, /<BROADCAST,MULTICAST,UP,LOWER_UP>/);
  ok(h, 'ip link add link eth0 name ipv2 type ipvlan');
  // Created without options: mode attribute absent → l3; flags not sent → private kept.
  assert.match(h.sh('ip -d link show ipv1').out, /ipvlan {2}mode l3 private /);
  assert.match(h.sh('ip link show ipv1').out, /<BROADCAST,MULTICAST,NOARP,UP,LOWER_UP>/);
  // A new slave gets NOARP only when it is opened.
  assert.match(h.sh('ip link show ipv2').out, /<BROADCAST,MULTICAST> /);
  ok(h, 'ip link set ipv2 up');
  assert.match(h.sh('ip link show ipv2').out, /<BROADCAST,MULTICAST,NOARP,UP,LOWER_UP>/);
  ok(h, 'ip link set ipv2 type ipvlan mode l2 vepa');
  assert.match(h.sh('ip -d link show ipv1').out, /ipvlan {2}mode l2 vepa /);
  assert.match(h.sh('ip link show ipv1').out, /<BROADCAST,MULTICAST,UP,LOWER_UP>/);
  // With the master's carrier the slaves never get a link event: state UNKNOWN.
  assert.match(h.sh('ip link show ipv1').out, /state UNKNOWN/);
});

test('an address can belong to only one slave of a port; the master may share it', () => {
  const h = world();
  ok(h, 'ip link add link eth0 name ipv1 type ipvlan mode l2', 'ip link add link eth0 name ipv2 type ipvlan mode l2',
    'ip addr add 192.0.2.11/24 dev ipv1');
  const r = h.sh('ip addr add 192.0.2.11/32 dev ipv2');
  assert.equal(r.code, 2);
  assert.equal(r.err, 'Error: Address already assigned to an ipvlan device.\n');
  // Down slaves count too; the master is not checked.
  ok(h, 'ip addr add 192.0.2.12/24 dev ipv2', 'ip addr add 192.0.2.13/24 dev eth0');
  assert.equal(h.sh('ip addr add 192.0.2.1/24 dev ipv1').code, 0);
});

test('dev_id per slave and the EUI-64 link-local built from it (no U/L flip)', () => {
  const h = world();
  ok(h, 'ip link add link eth0 name ipv1 type ipvlan mode l2', 'ip link add link eth0 name ipv2 type ipvlan mode l2',
    'ip link set ipv1 up');
  const id1 = h.fs.read('', '/sys/class/net/ipv1/dev_id');
  const id2 = h.fs.read('', '/sys/class/net/ipv2/dev_id');
  assert.deepEqual([id1.ok && id1.value, id2.ok && id2.value], ['0x1\n', '0x2\n']);
  h.lab.clock.runUntil(() => false, h.lab.clock.now + 3e9);
  assert.match(h.sh('ip -6 addr show ipv1').out, /inet6 fe80::200:0:100:10\/64 scope link/);
  assert.match(h.sh('ip -6 addr show eth0').out, /inet6 fe80::ff:fe00:10\/64 scope link/);
});

test('the master deleted deletes its slaves; moved to another namespace it keeps them', () => {
  const h = world();
  ok(h, 'ip link add link eth0 name ipv1 type ipvlan', 'ip netns add vnet-m', 'ip link set eth0 netns vnet-m');
  assert.equal(h.sh('ip link show ipv1').code, 0);
  ok(h, 'ip -n vnet-m link del eth0');
  assert.equal(h.sh('ip link show ipv1').code, 1);
});

test('l2: slaves reach each other and the outside; the master and its slaves are isolated', () => {
  const h = world();
  slaves(h, 'mode l2', '192.0.2.11/24', '192.0.2.12/24');
  assert.ok(ping(h, ns(h, 'vnet-a'), '192.0.2.12'), 'slave to slave');
  assert.ok(ping(h, ns(h, 'vnet-a'), '192.0.2.100'), 'slave to the outside');
  assert.ok(ping(h, ns(h, 'vnet-out'), '192.0.2.12'), 'outside to slave');
  assert.ok(!ping(h, ns(h, 'vnet-a'), '192.0.2.1'), 'slave to master');
  assert.ok(!ping(h, h.lab.init, '192.0.2.11'), 'master to slave');
  // The outside learnt the slaves at the shared MAC.
  assert.match(h.sh('ip -n vnet-out neigh show 192.0.2.12').out, /lladdr 02:00:00:00:00:10 /);
});

test('l2: unicast to the shared MAC that is no slave\'s address goes up the master\'s stack', () => {
  const h = world();
  slaves(h, 'mode l2', '192.0.2.11/24', '192.0.2.12/24');
  ok(h, 'ip -n vnet-a neigh add 192.0.2.1 lladdr 02:00:00:00:00:10 dev ipva');
  const evs = trace(h);
  ping(h, ns(h, 'vnet-a'), '192.0.2.1');
  assert.ok(evs.some((e) => e.netns === '' && e.where === 'icmp_echo' && e.disposition === 'delivered'),
    'the master answered the echo request');
});

test('l2 private: slave to slave is dropped, the outside still works; vepa sends it out to the switch', () => {
  const h = world();
  slaves(h, 'mode l2 private', '192.0.2.11/24', '192.0.2.12/24');
  const evs = trace(h);
  assert.ok(!ping(h, ns(h, 'vnet-a'), '192.0.2.12'));
  assert.ok(evs.some((e) => e.reason === 'IPVLAN_PRIVATE'));
  assert.ok(ping(h, ns(h, 'vnet-a'), '192.0.2.100'));
  ok(h, 'ip -n vnet-a link set ipva type ipvlan mode l2 vepa', 'ip -n vnet-a neigh flush dev ipva');
  const wire = ns(h, 'vnet-out').devices.get('wire0')!;
  const before = wire.stats.rxPackets;
  assert.ok(!ping(h, ns(h, 'vnet-a'), '192.0.2.12'), 'no hairpin switch: the frame is lost on the wire');
  assert.ok(wire.stats.rxPackets > before, 'the frames went out to the wire');
});

test('l3: slaves switch locally, route out through the master (its MAC and ARP), and answer no ARP', () => {
  const h = world();
  ok(h, 'ip -n vnet-out route add 198.51.100.0/24 via 192.0.2.1');
  slaves(h, 'mode l3', '198.51.100.11/24', '198.51.100.12/24');
  ok(h, 'ip -n vnet-a route add default dev ipva', 'ip -n vnet-b route add default dev ipvb');
  assert.match(h.sh('ip -n vnet-a link show ipva').out, /NOARP,UP,LOWER_UP/);
  assert.ok(ping(h, ns(h, 'vnet-a'), '198.51.100.12'), 'slave to slave');
  assert.ok(ping(h, ns(h, 'vnet-a'), '192.0.2.100'), 'slave to the outside');
  assert.ok(ping(h, ns(h, 'vnet-out'), '198.51.100.12'), 'outside to slave (routed to the master)');
  // The outside resolved the master, never a slave.
  assert.match(h.sh('ip -n vnet-out neigh show 192.0.2.1').out, /lladdr 02:00:00:00:00:10 /);
  // Nobody answers ARP for an l3 slave: the request reaches the NOARP slave and dies there.
  ok(h, 'ip -n vnet-out route del 198.51.100.0/24', 'ip -n vnet-out addr add 198.51.100.100/24 dev wire0');
  const evs = trace(h);
  assert.ok(!ping(h, ns(h, 'vnet-out'), '198.51.100.12'));
  assert.ok(evs.some((e) => e.reason === 'ARP_NOARP' && e.netns === 'vnet-b'));
});

test('l3: group frames from a slave are dropped; private drops slave to slave', () => {
  const h = world();
  slaves(h, 'mode l3 private', '198.51.100.11/24', '198.51.100.12/24');
  const evs = trace(h);
  assert.ok(!ping(h, ns(h, 'vnet-a'), '198.51.100.12'));
  assert.ok(evs.some((e) => e.reason === 'IPVLAN_PRIVATE'));
  const payload = new Uint8Array(8);
  payload[0] = ICMP_ECHO;
  wr16(payload, 2, inetChecksum(payload, 0, 8));
  assert.ok(ipSend(ns(h, 'vnet-a'), { dst: parseIp('198.51.100.255')!, proto: IPPROTO_ICMP, payload, broadcast: true }).ok);
  h.lab.clock.runUntil(() => false, h.lab.clock.now + 1e9);
  assert.ok(evs.some((e) => e.reason === 'IPVLAN_L3_GROUP'), 'a broadcast from an l3 slave is dropped');
});

test('ipvtap: /dev/tapN queues take the slave\'s frames while open', () => {
  const h = world();
  ok(h, 'ip link add link eth0 name ipt0 type ipvtap mode l2', 'ip addr add 192.0.2.21/24 dev ipt0', 'ip link set ipt0 up');
  const dev = h.lab.init.devices.get('ipt0')!;
  assert.equal(dev.txqueuelen, 500);
  assert.ok(h.fs.exists('', `/dev/tap${dev.ifindex}`));
  assert.match(h.sh('ip -d link show ipt0').out, /\n {4}ipvtap {2}mode l2 bridge /);
  const q = openTap(dev, { vnetHdr: false });
  assert.ok(q.ok);
  ping(h, ns(h, 'vnet-out'), '192.0.2.21');
  const frame = q.ok ? q.value.read() : null;
  assert.ok(frame, 'the ARP request or echo request was queued to the reader');
  assert.deepEqual([...frame!.subarray(6, 12)], [2, 0, 0, 0, 0, 0x11]);
});
