/**
 * ARP lock time (net/ipv4/arp.c arp_process, net/core/neighbour.c __neigh_update), checked on vnet
 * alone; test/scenarios/arp-locktime-first-reply-wins.sh judges the same sequence on the kernel,
 * whose answers these are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';

const SETUP = `ip netns add vnet-sw
ip netns add vnet-a
ip netns add vnet-b
ip netns add vnet-c
for ns in vnet-sw vnet-a vnet-b vnet-c; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n vnet-sw link add br0 address 02:00:00:00:00:f0 type bridge mcast_snooping 0
ip -n vnet-sw link set br0 up
ip -n vnet-a link add eth0 address 02:00:00:00:00:0a type veth peer name pa address 02:00:00:00:00:1a netns vnet-sw
ip -n vnet-b link add eth0 address 02:00:00:00:00:0b type veth peer name pb address 02:00:00:00:00:1b netns vnet-sw
ip -n vnet-c link add eth0 address 02:00:00:00:00:0c type veth peer name pc address 02:00:00:00:00:1c netns vnet-sw
for p in pa pb pc; do ip -n vnet-sw link set $p master br0; ip -n vnet-sw link set $p up; done
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-c addr add 192.0.2.2/24 dev eth0
for ns in vnet-a vnet-b vnet-c; do ip -n $ns link set eth0 up; done
sleep 0.2
`;
const SHOW = 'ip -n vnet-a neigh show 192.0.2.2';
const B = '192.0.2.2 dev eth0 lladdr 02:00:00:00:00:0b', C = '192.0.2.2 dev eth0 lladdr 02:00:00:00:00:0c';

/** The `ip neigh show` answers of the script, in order. */
function neighs(body: string): string[] {
  const { records } = runScript(SETUP + body, { world: 'none' });
  return records.filter((r) => r.command === SHOW).map((r) => r.stdout.trim());
}

test('two different replies: the first wins; after the lock only a real change moves `updated`', () => {
  assert.deepEqual(neighs(`ip netns exec vnet-a ping -c1 -W1 192.0.2.2 > /dev/null
${SHOW}
sleep 1.2
ip netns exec vnet-a arping -q -c1 -I eth0 192.0.2.2
${SHOW}
sleep 0.1
ip netns exec vnet-a arping -q -c1 -I eth0 192.0.2.2
${SHOW}
`), [`${C} REACHABLE`, `${B} REACHABLE`, `${C} REACHABLE`]);
});

test('gratuitous ARP and requests for our address override inside the lock time', () => {
  assert.deepEqual(neighs(`ip netns exec vnet-a ping -c1 -W1 192.0.2.2 > /dev/null
ip netns exec vnet-b arping -q -c1 -U -I eth0 192.0.2.2
${SHOW}
ip netns exec vnet-c arping -q -c1 -U -I eth0 192.0.2.2
${SHOW}
ip netns exec vnet-b arping -q -c1 -I eth0 192.0.2.1
${SHOW}
`), [`${B} STALE`, `${C} STALE`, `${B} STALE`]);
});

test('locktime is compared in whole jiffies: 0 lets a later reply in, not one in the same tick', () => {
  assert.deepEqual(neighs(`ip netns exec vnet-a sysctl -qw net.ipv4.neigh.eth0.locktime=0
ip netns exec vnet-a ping -c1 -W1 192.0.2.2 > /dev/null
${SHOW}
sleep 0.1
ip netns exec vnet-a arping -q -c1 -I eth0 192.0.2.2
${SHOW}
`), [`${C} REACHABLE`, `${B} REACHABLE`]);
});
