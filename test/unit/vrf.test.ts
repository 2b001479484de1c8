// VRF (src/core/drivers/vrf.ts, src/core/l3mdev.ts) and policy rules (fib.ts) driven through the
// `ip` tool: routes follow a device into and out of a VRF's table, lookups of a VRF's traffic use
// its table, the same address lives in two VRFs, and `ip rule` steers output lookups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './ip-harness.test.ts';
import { ipSend, openRawIcmp, routeOutput, ICMP_ECHO, ICMP_ECHOREPLY } from '../../src/core/ipv4/ip.ts';
import { parseIp, inetChecksum, wr16, IPPROTO_ICMP } from '../../src/core/ipv4/bytes.ts';
import type { NetNamespace } from '../../src/core/netns.ts';
import type { NetDevice } from '../../src/core/netdev.ts';

/** One echo request from `from` (bound to `oif`) to `to`; the address that answered, or null. */
function ping(h: Harness, from: NetNamespace, to: string, oif: NetDevice | null = null): string | null {
  const lab = h.lab;
  let got: string | null = null;
  const close = openRawIcmp(from, {
    deliver: (p) => {
      if (p.bytes[p.hlen] === ICMP_ECHOREPLY && p.src === parseIp(to)) got = `${p.src >>> 24}.${(p.src >>> 16) & 255}.${(p.src >>> 8) & 255}.${p.src & 255}`;
    },
  });
  const payload = new Uint8Array(64);
  payload[0] = ICMP_ECHO;
  wr16(payload, 4, 77); wr16(payload, 6, 1);
  wr16(payload, 2, inetChecksum(payload, 0, 64));
  const r = ipSend(from, { dst: parseIp(to)!, proto: IPPROTO_ICMP, payload, oif });
  if (r.ok) lab.clock.runUntil(() => got !== null, lab.clock.now + 4e9);
  close();
  return got;
}

/** red (table 10) and blue (table 20), each with one veth to its own namespace, both 192.0.2.1/24. */
function twoVrfs(): Harness {
  const h = new Harness();
  h.ok('ip link add red type vrf table 10', 'ip link add blue type vrf table 20', 'ip link set red up',
    'ip link set blue up', 'ip netns add pa', 'ip netns add pb',
    'ip link add a1 type veth peer name a2 netns pa', 'ip link add b1 type veth peer name b2 netns pb',
    'ip link set a1 master red', 'ip link set b1 master blue',
    'ip addr add 192.0.2.1/24 dev a1', 'ip addr add 192.0.2.1/24 dev b1', 'ip link set a1 up', 'ip link set b1 up');
  h.ok('ip -n pa addr add 192.0.2.2/24 dev a2', 'ip -n pa link set a2 up',
    'ip -n pb addr add 192.0.2.3/24 dev b2', 'ip -n pb link set b2 up');
  return h;
}

test('vrf: the same address in two VRFs, each answering and reaching only its own hosts', () => {
  const h = twoVrfs();
  const init = h.lab.init;
  const red = init.devices.get('red')!, blue = init.devices.get('blue')!;
  assert.equal(ping(h, init, '192.0.2.2', red), '192.0.2.2');
  assert.equal(ping(h, init, '192.0.2.3', blue), '192.0.2.3');
  assert.equal(ping(h, init, '192.0.2.3', red), null, 'blue\'s host is not in red');
  assert.equal(ping(h, init, '192.0.2.2'), null, 'the default VRF has no route');
  // Echo requests to 192.0.2.1 are answered within the VRF they arrive in.
  assert.equal(ping(h, h.lab.ns('pa')!, '192.0.2.1'), '192.0.2.1');
  assert.equal(ping(h, h.lab.ns('pb')!, '192.0.2.1'), '192.0.2.1');
  // The VRF's own local address loops through the VRF device.
  assert.equal(ping(h, init, '192.0.2.1', red), '192.0.2.1');
  assert.equal(routeOutput(init, parseIp('192.0.2.1')!, red)?.table, 10);
  assert.equal(routeOutput(init, parseIp('192.0.2.1')!, null), null);
});

test('vrf: enslaving moves address routes into the table and nomaster moves them back', () => {
  const h = new Harness();
  h.ok('ip link add red type vrf table 10', 'ip link add v1 type veth peer name v2',
    'ip addr add 192.0.2.1/24 dev v1', 'ip link set v1 up');
  const tables = (): number[] => [...new Set(h.lab.init.fib.all().filter((r) => r.dev?.name === 'v1').map((r) => r.table))].sort();
  assert.deepEqual(tables(), [254, 255]);
  h.ok('ip link set v1 master red');
  assert.deepEqual(tables(), [10]);
  assert.match(h.sh('ip route show vrf red').out, /^192\.0\.2\.0\/24 dev v1 proto kernel scope link src 192\.0\.2\.1 linkdown \n$/);
  h.ok('ip link set v1 nomaster');
  assert.deepEqual(tables(), [254, 255]);
  h.ok('ip link set v1 master red', 'ip link del red');
  assert.deepEqual(tables(), [254, 255], 'deleting the VRF releases its slaves');
  assert.match(h.sh('ip rule show').out, /^1000:\tfrom all lookup \[l3mdev-table\]$/m, 'the l3mdev rule stays');
});

test('vrf: creation and enslaving errors', () => {
  const h = new Harness();
  assert.equal(h.sh('ip link add red type vrf').err, 'Error: VRF table id is missing.\n');
  assert.equal(h.sh('ip link add red type vrf table 0').err, 'Error: Invalid VRF table id.\n');
  h.ok('ip link add red type vrf table 10', 'ip link add blue type vrf table 10');
  assert.equal(h.sh('ip link set red master blue').err, 'Error: Can not enslave an L3 master device to a VRF.\n');
  assert.equal(h.sh('ip link set lo master red').err, 'Error: Can not enslave loopback device to a VRF.\n');
  assert.equal(h.sh('ip link set red type vrf table 30').code, 2);
  assert.equal(h.lab.init.devices.get('red')!.master, null);
});

test('ip rule: a source rule sends bound traffic to another table; unreachable rules stop the lookup', () => {
  const h = new Harness();
  h.ok('ip link add v1 type veth peer name v2', 'ip link add v3 type veth peer name v4',
    'ip addr add 192.0.2.1/24 dev v1', 'ip addr add 192.0.2.11/24 dev v1', 'ip addr add 198.51.100.1/24 dev v3',
    'ip link set v1 up', 'ip link set v2 up', 'ip link set v3 up', 'ip link set v4 up',
    'ip route add 203.0.113.0/24 via 192.0.2.2', 'ip route add 203.0.113.0/24 via 198.51.100.2 table 100');
  const ns = h.lab.init;
  const dst = parseIp('203.0.113.5')!;
  assert.equal(routeOutput(ns, dst, null, parseIp('192.0.2.11')!)?.dev?.name, 'v1', 'no rule yet');
  h.ok('ip rule add from 192.0.2.11 table 100 pref 100');
  assert.equal(routeOutput(ns, dst, null, parseIp('192.0.2.11')!)?.dev?.name, 'v3');
  assert.equal(routeOutput(ns, dst, null, parseIp('192.0.2.1')!)?.dev?.name, 'v1');
  h.ok('ip rule add to 203.0.113.5 unreachable pref 50');
  assert.equal(routeOutput(ns, dst, null), null);
  assert.equal(h.sh('ip route get 203.0.113.5').err, 'RTNETLINK answers: Network is unreachable\n');
  h.ok('ip rule del pref 50', 'ip rule del pref 100');
  assert.equal(h.sh('ip rule del pref 100').err, 'RTNETLINK answers: No such file or directory\n');
  assert.equal(routeOutput(ns, dst, null, parseIp('192.0.2.11')!)?.dev?.name, 'v1');
});

test('vrf: a slave deleted or moved to another namespace leaves its VRF', () => {
  const h = new Harness();
  h.ok('ip link add red type vrf table 10', 'ip link set red up', 'ip netns add other',
    'ip link add v1 type veth peer name v2', 'ip link add v3 type veth peer name v4',
    'ip link set v1 master red', 'ip link set v3 master red', 'ip addr add 192.0.2.1/24 dev v1', 'ip link set v1 up');
  h.ok('ip link del v1', 'ip link set v3 netns other');
  assert.equal(h.lab.ns('other')!.devices.get('v3')!.master, null);
  assert.equal(h.sh('ip link show master red').out, '');
  assert.equal(h.sh('ip route show table 10').out, '');
  h.ok('ip link del red');
});
