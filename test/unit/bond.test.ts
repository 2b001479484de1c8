// bonding (src/core/drivers/bond.ts) driven through the `ip` tool: creation defaults, enslave
// errors, MAC and MTU handling, carrier, active-backup failover on the MII monitor's clock, the
// transmit policy of each mode, receive on backup slaves, /proc/net/bonding and `ip -d` output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './ip-harness.test.ts';
import { ipSend, openRawIcmp, ICMP_ECHO, ICMP_ECHOREPLY } from '../../src/core/ipv4/ip.ts';
import { parseIp, inetChecksum, wr16, IPPROTO_ICMP } from '../../src/core/ipv4/bytes.ts';
import type { NetNamespace } from '../../src/core/netns.ts';
import type { NetDevice } from '../../src/core/netdev.ts';
import type { TraceEvent } from '../../src/core/trace.ts';

function ping(h: Harness, from: NetNamespace, to: string): boolean {
  const lab = h.lab;
  let got = false;
  const close = openRawIcmp(from, { deliver: (p) => { if (p.bytes[p.hlen] === ICMP_ECHOREPLY) got = true; } });
  const payload = new Uint8Array(64);
  payload[0] = ICMP_ECHO;
  wr16(payload, 4, 42); wr16(payload, 6, 1);
  wr16(payload, 2, inetChecksum(payload, 0, 64));
  const r = ipSend(from, { dst: parseIp(to)!, proto: IPPROTO_ICMP, payload });
  if (r.ok) lab.clock.runUntil(() => got, lab.clock.now + 4e9);
  close();
  return got;
}

function wait(h: Harness, ms: number): void { h.lab.clock.runUntil(() => false, h.lab.clock.now + ms * 1e6); }
function dev(h: Harness, name: string, netns = ''): NetDevice { return h.lab.ns(netns)!.devices.get(name)!; }
function proc(h: Harness, name = 'bond0'): string {
  const r = h.fs.read('', `/proc/net/bonding/${name}`);
  assert.ok(r.ok, `/proc/net/bonding/${name} is readable`);
  return r.ok ? r.value : '';
}

/**
 * eth0 (02:…:10) and eth1 (02:…:20), veths whose peers p0/p1 are ports of bridge br0 in namespace
 * vnet-sw (192.0.2.100), with IPv6 off so only our frames move.
 */
function world(bondArgs = 'mode active-backup miimon 100'): Harness {
  const h = new Harness();
  h.ok(
    'sysctl -q -w net.ipv6.conf.all.disable_ipv6=1',
    'ip netns add vnet-sw',
    'ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11 netns vnet-sw',
    'ip link add eth1 address 02:00:00:00:00:20 type veth peer name p1 address 02:00:00:00:00:21 netns vnet-sw',
    'ip -n vnet-sw link add br0 address 02:00:00:00:00:99 type bridge',
    'ip -n vnet-sw link set p0 master br0', 'ip -n vnet-sw link set p1 master br0',
    'ip -n vnet-sw link set p0 up', 'ip -n vnet-sw link set p1 up', 'ip -n vnet-sw link set br0 up',
    'ip -n vnet-sw addr add 192.0.2.100/24 dev br0',
    `ip link add bond0 type bond ${bondArgs}`,
  );
  return h;
}

function enslaveBoth(h: Harness): void {
  h.ok('ip link set eth0 master bond0', 'ip link set eth1 master bond0', 'ip addr add 192.0.2.1/24 dev bond0',
    'ip link set bond0 up');
  wait(h, 500);
}

test('a new bond: balance-rr, miimon 0, MASTER, no carrier, 16 queues, and its -d line', () => {
  const h = new Harness();
  h.ok('ip link add bond0 type bond');
  const show = h.sh('ip -d link show bond0');
  assert.match(show.out, /^\d+: bond0: <BROADCAST,MULTICAST,MASTER> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000/);
  assert.match(show.out, /\n {4}bond mode balance-rr miimon 0 updelay 0 downdelay 0 peer_notify_delay 0 use_carrier 1 arp_interval 0 arp_missed_max 2 arp_validate none arp_all_targets any primary_reselect always fail_over_mac none xmit_hash_policy layer2 resend_igmp 1 num_grat_arp 1 all_slaves_active 0 min_links 0 lp_interval 1 packets_per_slave 1 lacp_active on lacp_rate slow ad_select stable tlb_dynamic_lb 1 /);
  assert.match(show.out, /numtxqueues 16 numrxqueues 16 /);
  h.ok('ip link set bond0 up');
  assert.match(h.sh('ip link show bond0').out, /<NO-CARRIER,BROADCAST,MULTICAST,MASTER,UP> .* state DOWN/);
  // 802.3ad (and tlb/alb) turn the MII monitor on.
  h.ok('ip link add bond1 type bond mode 802.3ad');
  assert.match(h.sh('ip -d link show bond1').out, /bond mode 802\.3ad miimon 100 /);
  assert.match(h.sh('ip -d link show bond1').out, /ad_select stable ad_actor_sys_prio 65535 ad_user_port_key 0 ad_actor_system 00:00:00:00:00:00 tlb_dynamic_lb 1 /);
  // Bonds cannot change namespace.
  h.ok('ip netns add vnet-x');
  assert.equal(h.sh('ip link set bond0 netns vnet-x').code, 2);
});

test('enslave errors: up, itself, rx_handler taken; mode changes need no slaves and a down bond', () => {
  const h = world();
  h.ok('ip link set eth0 up');
  let r = h.sh('ip link set eth0 master bond0');
  assert.deepEqual([r.code, r.err], [2, 'Error: Device can not be enslaved while up.\n']);
  r = h.sh('ip link set bond0 master bond0');
  assert.deepEqual([r.code, r.err], [2, 'Error: Cannot enslave bond to itself.\n']);
  h.ok('ip link set eth0 down', 'ip link add link eth0 name mv0 type macvlan');
  r = h.sh('ip link set eth0 master bond0');
  assert.deepEqual([r.code, r.err], [2, 'Error: Device is in use and cannot be enslaved.\n']);
  h.ok('ip link del mv0', 'ip link set eth0 master bond0');
  r = h.sh('ip link set bond0 type bond mode balance-xor');
  assert.deepEqual([r.code, r.err], [2, 'Error: unable to set option because the bond device has slaves.\n']);
  h.ok('ip link set eth0 nomaster', 'ip link set bond0 up');
  r = h.sh('ip link set bond0 type bond mode balance-xor');
  assert.deepEqual([r.code, r.err], [2, 'Error: unable to set option because the bond is up.\n']);
  // A bond slave takes no macvlan.
  h.ok('ip link set bond0 down', 'ip link set eth0 master bond0');
  r = h.sh('ip link add link eth0 name mv1 type macvlan');
  assert.deepEqual([r.code, r.err], [2, 'RTNETLINK answers: Device or resource busy\n']);
});

test('MAC and MTU: the bond takes the first slave\'s MAC and gives it to the rest; release gives them back', () => {
  const h = world();
  h.ok('ip link set eth1 mtu 1400', 'ip link set eth0 master bond0', 'ip link set eth1 master bond0');
  assert.match(h.sh('ip link show bond0').out, /link\/ether 02:00:00:00:00:10 /);
  const e1 = h.sh('ip link show eth1').out;
  assert.match(e1, /<BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 .* master bond0 /, 'opened, SLAVE, bond MTU');
  assert.match(e1, /link\/ether 02:00:00:00:00:10 /);
  assert.match(h.sh('ip -d link show eth1').out,
    /\n {4}bond_slave state BACKUP mii_status UP link_failure_count 0 perm_hwaddr 02:00:00:00:00:20 queue_id 0 prio 0 /);
  h.ok('ip link set eth1 nomaster');
  const after = h.sh('ip link show eth1').out;
  assert.match(after, /<BROADCAST,MULTICAST> mtu 1400 /, 'closed, old MTU');
  assert.match(after, /link\/ether 02:00:00:00:00:20 /);
  // The last slave gone, the bond gets a new random MAC.
  h.ok('ip link set eth0 nomaster');
  assert.doesNotMatch(h.sh('ip link show bond0').out, /02:00:00:00:00:10/);
  // A MAC set by hand is kept and handed to the slaves.
  h.ok('ip link set bond0 address 02:00:00:00:00:b0', 'ip link set eth0 master bond0');
  assert.match(h.sh('ip link show eth0').out, /link\/ether 02:00:00:00:00:b0 /);
  assert.match(h.sh('ip link show bond0').out, /link\/ether 02:00:00:00:00:b0 /);
  // Slaves get no IPv6 link-local (IFF_SLAVE is set before they are opened).
  h.ok('sysctl -q -w net.ipv6.conf.all.disable_ipv6=0');
  wait(h, 3000);
  assert.equal(dev(h, 'eth0').inet6.length, 0);
});

test('carrier: without miimon every slave counts as up; with it the slaves\' carrier decides', () => {
  const h = new Harness();
  h.ok('ip link add a0 type veth peer name a1', 'ip link add bond0 type bond', 'ip link set a0 master bond0',
    'ip link set bond0 up');
  assert.match(h.sh('ip link show bond0').out, /<BROADCAST,MULTICAST,MASTER,UP,LOWER_UP>/);
  assert.match(proc(h), /Slave Interface: a0\nMII Status: up\n/);
  h.ok('ip link add b0 type veth peer name b1', 'ip link add bond1 type bond miimon 100', 'ip link set b0 master bond1',
    'ip link set bond1 up');
  assert.match(h.sh('ip link show bond1').out, /NO-CARRIER/);
  h.ok('ip link set b1 up');
  wait(h, 150);
  assert.match(h.sh('ip link show bond1').out, /<BROADCAST,MULTICAST,MASTER,UP,LOWER_UP>/);
});

test('active-backup: traffic on the active slave only, failover on the MII monitor\'s clock, a gratuitous ARP', () => {
  const h = world();
  enslaveBoth(h);
  assert.match(proc(h), /Currently Active Slave: eth0\n/);
  assert.ok(ping(h, h.lab.init, '192.0.2.100'));
  assert.ok(dev(h, 'eth0').stats.txPackets > 0);
  assert.equal(dev(h, 'eth1').stats.txPackets, 0);
  // Frames arriving on the backup (the switch floods) are not passed up.
  const evs: TraceEvent[] = [];
  h.lab.tracer = (e) => { evs.push(e); };
  h.ok('ip -n vnet-sw neigh flush all');
  assert.ok(ping(h, h.lab.ns('vnet-sw')!, '192.0.2.1'));
  assert.ok(evs.some((e) => e.reason === 'BOND_INACTIVE_SLAVE' && e.dev === 'eth1'));
  // The active slave loses carrier: nothing happens before the next MII poll, then eth1 takes over.
  const p1 = dev(h, 'p1', 'vnet-sw');
  const garps: Uint8Array[] = [];
  h.lab.ns('vnet-sw')!.taps.push({ dev: p1, deliver: (skb, _d, out) => { if (!out && skb.ethertype === 0x0806) garps.push(skb.data); } });
  h.ok('ip -n vnet-sw link set p0 down');
  assert.match(proc(h), /Currently Active Slave: eth0\n/);
  wait(h, 110);
  const info = proc(h);
  assert.match(info, /Currently Active Slave: eth1\n/);
  assert.match(info, /Slave Interface: eth0\nMII Status: down\nSpeed: 10000 Mbps\nDuplex: full\nLink Failure Count: 1\n/);
  assert.ok(garps.some((f) => f[21] === 1 && f[28] === 192 && f[31] === 1 && f[38] === 192 && f[41] === 1),
    'who-has 192.0.2.1 tell 192.0.2.1 on the new path');
  assert.match(h.sh('ip -d link show bond0').out, /bond mode active-backup active_slave eth1 miimon 100 /);
  assert.ok(ping(h, h.lab.init, '192.0.2.100'));
  // eth0 comes back: it is a backup now (no primary), and its link is up again.
  h.ok('ip -n vnet-sw link set p0 up');
  wait(h, 250);
  assert.match(proc(h), /Currently Active Slave: eth1\n[\s\S]*Slave Interface: eth0\nMII Status: up\n/);
});

test('updelay/downdelay are kept in miimon units and delay the state change', () => {
  const h = world('mode active-backup miimon 100 downdelay 200 updelay 250');
  assert.match(h.sh('ip -d link show bond0').out, /miimon 100 updelay 200 downdelay 200 /);
  enslaveBoth(h);
  h.ok('ip -n vnet-sw link set p0 down');
  wait(h, 150);
  assert.match(proc(h), /Currently Active Slave: eth0\n[\s\S]*Slave Interface: eth0\nMII Status: going down\n/);
  wait(h, 300);
  assert.match(proc(h), /Currently Active Slave: eth1\n/);
  const r = new Harness().sh('ip link add bondx type bond updelay 100');
  assert.deepEqual([r.code, r.err], [2, 'RTNETLINK answers: Operation not permitted\n']);
});

test('balance-rr alternates slaves, broadcast sends on all, balance-xor keeps a flow on one slave', () => {
  for (const [m, check] of [
    ['balance-rr', (a: number, b: number) => a > 0 && b > 0 && Math.abs(a - b) <= 1],
    ['broadcast', (a: number, b: number) => a > 0 && a === b],
    ['balance-xor', (a: number, b: number) => (a === 0) !== (b === 0)],
  ] as const) {
    const h = world(`mode ${m}`);
    enslaveBoth(h);
    const e0 = dev(h, 'eth0'), e1 = dev(h, 'eth1');
    h.ok('ip neigh add 192.0.2.100 lladdr 02:00:00:00:00:99 dev bond0');
    const t0 = e0.stats.txPackets, t1 = e1.stats.txPackets;
    for (let i = 0; i < 6; i++) ping(h, h.lab.init, '192.0.2.100');
    assert.ok(check(e0.stats.txPackets - t0, e1.stats.txPackets - t1),
      `${m}: eth0 sent ${e0.stats.txPackets - t0}, eth1 ${e1.stats.txPackets - t1}`);
    assert.doesNotMatch(proc(h), /Currently Active Slave/);
    if (m === 'balance-xor') assert.match(proc(h), /Transmit Hash Policy: layer2 \(0\)\n/);
  }
});

test('/proc/net/bonding follows bond_procfs.c and exists once the module is loaded', () => {
  const h = new Harness();
  assert.ok(!h.fs.exists('', '/proc/net/bonding'));
  h.ok('ip link add e0 address 02:00:00:00:00:30 type veth peer name e1', 'ip link add bond7 type bond mode active-backup',
    'ip link set e0 master bond7');
  assert.deepEqual(h.fs.list('', '/proc/net/bonding'), { ok: true, value: ['bond7'] });
  assert.equal(proc(h, 'bond7'), 'Ethernet Channel Bonding Driver: v6.18.0-vnet\n\n' +
    'Bonding Mode: fault-tolerance (active-backup)\n' +
    'Primary Slave: None\n' +
    'Currently Active Slave: e0\n' +
    'MII Status: up\n' +
    'MII Polling Interval (ms): 0\n' +
    'Up Delay (ms): 0\n' +
    'Down Delay (ms): 0\n' +
    'Peer Notification Delay (ms): 0\n' +
    '\nSlave Interface: e0\n' +
    'MII Status: up\n' +
    'Speed: 10000 Mbps\n' +
    'Duplex: full\n' +
    'Link Failure Count: 0\n' +
    'Permanent HW addr: 02:00:00:00:00:30\n' +
    'Slave queue ID: 0\n');
});

test('deleting a slave releases it; deleting the bond releases every slave', () => {
  const h = world();
  enslaveBoth(h);
  h.ok('ip link del eth0');
  assert.doesNotMatch(proc(h), /eth0/);
  assert.match(proc(h), /Currently Active Slave: eth1\n/);
  h.ok('ip link del bond0');
  const e1 = h.sh('ip link show eth1').out;
  assert.match(e1, /^\d+: eth1@if\d+: <BROADCAST,MULTICAST> /);
  assert.match(e1, /link\/ether 02:00:00:00:00:20 /);
  assert.equal(dev(h, 'eth1').master, null);
});

test('802.3ad without a partner: individual aggregators, the first one active, EXPIRED for 3 s then DEFAULTED', () => {
  const h = world('mode 802.3ad');
  enslaveBoth(h);
  assert.match(h.sh('ip link show bond0').out, /MASTER,UP,LOWER_UP/);
  assert.match(h.sh('ip -d link show eth0').out, /bond_slave state ACTIVE .* ad_aggregator_id 1 ad_actor_oper_port_state 197 ad_actor_oper_port_state_str <active,aggregating,defaulted,expired> ad_partner_oper_port_state 2 ad_partner_oper_port_state_str <short_timeout> /);
  wait(h, 3000);
  assert.match(h.sh('ip -d link show eth0').out, /ad_actor_oper_port_state 77 ad_actor_oper_port_state_str <active,aggregating,in_sync,defaulted> ad_partner_oper_port_state 0 ad_partner_oper_port_state_str <> /);
  assert.match(h.sh('ip -d link show eth1').out, /bond_slave state BACKUP .* ad_aggregator_id 2 ad_actor_oper_port_state 69 /);
  assert.match(h.sh('ip -d link show bond0').out, /ad_select stable ad_aggregator 1 ad_num_ports 1 ad_actor_key 15 ad_partner_key 1 ad_partner_mac 00:00:00:00:00:00 ad_actor_sys_prio 65535 /);
  assert.match(proc(h), /Active Aggregator Info:\n\tAggregator ID: 1\n\tNumber of ports: 1\n\tActor Key: 15\n/);
  // LACPDUs: ticks 2, 11, 20, 23 (in_sync once attached; eth1's aggregator is not active: no sync) and 32;
  // then the slow periodic timer (30 s). Data goes on the active aggregator only.
  wait(h, 1000);
  const lacpdus = dev(h, 'eth1').stats.txPackets;
  assert.equal(lacpdus, 5, 'eth1 has sent its five LACPDUs and nothing else');
  assert.ok(ping(h, h.lab.init, '192.0.2.100'));
  assert.equal(dev(h, 'eth1').stats.txPackets, lacpdus, 'only the active aggregator carries traffic');
});

test('balance-tlb/alb: slaves keep their own MAC; the bond counts its slaves\' traffic', () => {
  const h = world('mode balance-tlb');
  enslaveBoth(h);
  assert.match(h.sh('ip link show eth1').out, /link\/ether 02:00:00:00:00:20 /);
  assert.match(h.sh('ip link show bond0').out, /link\/ether 02:00:00:00:00:10 /);
  assert.match(proc(h), /Currently Active Slave: eth0\n/);
  const before = dev(h, 'bond0').stats.txPackets;
  assert.ok(ping(h, h.lab.init, '192.0.2.100'));
  const b = dev(h, 'bond0').stats;
  assert.equal(b.txPackets - before, 2, 'ARP request and echo request, counted from eth0');
  // bond_get_stats: released slaves' traffic stays counted.
  const tx = b.txPackets;
  h.ok('ip link set eth0 nomaster');
  assert.equal(dev(h, 'bond0').stats.txPackets, tx);
});
