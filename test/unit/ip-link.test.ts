/**
 * `ip link`: outputs and errors as iproute2 6.1 prints them on the 6.18 kernel (each expected
 * text below was taken from a run of the real `ip` in a throwaway namespace, with fixed MACs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './ip-harness.test.ts';

function veths(h: Harness): void {
  h.ok('ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11');
}

test('ip link add veth: peer first, M-DOWN, -d details', () => {
  const h = new Harness();
  veths(h);
  assert.equal(h.sh('ip link show').out,
    '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' +
    '2: v1@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:11 brd ff:ff:ff:ff:ff:ff\n' +
    '3: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff\n');
  h.ok('ip link set v0 up');
  assert.equal(h.sh('ip -d link show v0').out,
    '3: v0@v1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n');
  assert.equal(h.sh('ip -d link show lo').out,
    '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n');
  h.ok('ip link set v1 up');
  assert.equal(h.sh('ip -br link').out,
    'lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n' +
    'v1@v0            UP             02:00:00:00:00:11 <BROADCAST,MULTICAST,UP,LOWER_UP> \n' +
    'v0@v1            UP             02:00:00:00:00:10 <BROADCAST,MULTICAST,UP,LOWER_UP> \n');
});

test('ip link errors and exit statuses', () => {
  const h = new Harness();
  veths(h);
  const cases: [string, string, number][] = [
    ['ip link set v0 foo', 'Error: either "dev" is duplicate, or "foo" is a garbage.\n', 255],
    ['ip link set nonexist up', 'Cannot find device "nonexist"\n', 1],
    ['ip link show nonexist', 'Device "nonexist" does not exist.\n', 1],
    ['ip link add q1', 'Not enough information: "type" argument is required\n', 1],
    ['ip link add q1 type bogus', 'Error: Unknown device type.\n', 2],
    ['ip link set v0 master nonexist', 'Error: argument "nonexist" is wrong: Device does not exist\n\n', 255],
    ['ip link add x link nonexist type macvlan', 'Cannot find device "nonexist"\n', 1],
    ['ip link add mv type macvlan', 'RTNETLINK answers: Invalid argument\n', 2],
    ['ip link add mv link v0 type macvlan mode', 'Command line is not complete. Try option "help"\n', 255],
    ['ip link add mv link v0 type macvlan mode foo',
      'Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "foo"\n', 1],
    ['ip link set lo netns zz', 'Error: argument "zz" is wrong: Invalid "netns" value\n\n', 255],
    ['ip foo', 'Object "foo" is unknown, try "ip help".\n', 1],
    ['ip link foo', 'Command "foo" is unknown, try "ip link help".\n', 255],
    ['ip link add v0 type veth peer name v1', 'RTNETLINK answers: File exists\n', 2],
    ['ip link set v0 mtu 70000', 'Error: mtu greater than device maximum.\n', 2],
    ['ip link set v0 mtu 10', 'Error: mtu less than device minimum.\n', 2],
    ['ip link set v0 mtu -1', 'Error: mtu less than device minimum.\n', 2],
    ['ip link set v0 address 01:11:22:33:44:55', 'RTNETLINK answers: Cannot assign requested address\n', 2],
    ['ip link set v0 address 00:11:22', 'Invalid address length 3 - must be 6 bytes\n', 1],
    ['ip link set v0 address zz', '"zz" is invalid lladdr.\n', 1],
    ['ip link set v0 carrier off', 'RTNETLINK answers: Operation not supported\n', 2],
    ['ip link set v0 index 5', 'index can be used only when creating devices or when moving device to another netns.\n', 255],
    ['ip link set v0 name waytoolongname12345', 'Error: argument "waytoolongname12345" is wrong: "name" not a valid ifname\n', 255],
    ['ip link add waytoolongname12345 type veth', 'Error: Attribute failed policy validation.\n', 2],
    ['ip link set dev v0 dev lo', 'Error: either "dev" is duplicate, or "lo" is a garbage.\n', 255],
    ['ip link set v0 master', 'Command line is not complete. Try option "help"\n', 255],
    ['ip link del nonexist type foo', 'Cannot find device "nonexist"\n', 1],
  ];
  for (const [cmd, err, code] of cases) {
    const r = h.sh(cmd);
    assert.equal(r.err, err, cmd);
    assert.equal(r.code, code, cmd);
    assert.equal(r.out, '', cmd);
  }
  const usage = h.sh('ip link add mv link v0 type macvlan foo');
  assert.equal(usage.code, 1);
  assert.equal(usage.err,
    'macvlan: unknown option "foo"?\n' +
    'Usage: ... macvlan mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]\n' +
    '\n' +
    'MODE: private | vepa | bridge | passthru | source\n' +
    'MODE_FLAG: null | nopromisc | nodst\n' +
    'MODE_OPTS: for mode "source":\n' +
    '\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }\n' +
    'BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]\n');
});

test('ip link set: several changes, last up/down wins, rename, alias, qlen -1, oneline', () => {
  const h = new Harness();
  veths(h);
  h.ok('ip link set v0 up down', 'ip link set v1 name v9', 'ip link set v9 txqueuelen -1', 'ip link set v9 alias hello');
  assert.equal(h.sh('ip link show v0').out.split('\n')[0],
    '3: v0@v9: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000');
  assert.equal(h.sh('ip -o link show v9').out,
    '2: v9@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen -1\\' +
    '    link/ether 02:00:00:00:00:11 brd ff:ff:ff:ff:ff:ff\\    alias hello\n');
  assert.ok(h.lab.init.sysctl.has('net.ipv4.conf.v9.forwarding'));
  assert.ok(!h.lab.init.sysctl.has('net.ipv4.conf.v1.forwarding'));
  h.ok('ip link set lo mtu 70000');
  assert.match(h.sh('ip link show lo').out, /mtu 70000 /);
  h.ok('ip link set v0 promisc on', 'ip link set v0 arp off', 'ip link set v0 multicast off');
  assert.match(h.sh('ip link show v0').out, /<BROADCAST,NOARP,PROMISC,M-DOWN>/);
});

test('veth peer in another namespace: @ifN, link-netns / link-netnsid, ids', () => {
  const h = new Harness();
  h.ok('ip netns add a', 'ip netns add b');
  assert.equal(h.sh('ip netns list').out, 'b\na\n');
  h.ok('ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11 netns a');
  assert.equal(h.sh('ip netns list').out, 'b\na (id: 0)\n');
  assert.equal(h.sh('ip -n a netns list').out, 'b\na\n');
  assert.equal(h.sh('ip link show v0').out,
    '2: v0@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff link-netns a\n');
  assert.equal(h.sh('ip -n a link show v1').out,
    '2: v1@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:11 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n');
  assert.equal(h.sh('ip -j link show v0').out,
    '[{"ifindex":2,"link_index":2,"ifname":"v0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop",' +
    '"operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether",' +
    '"address":"02:00:00:00:00:10","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0}]\n');
});

test('ip link set netns moves the device and gives the target an id', () => {
  const h = new Harness();
  h.ok('ip netns add a', 'ip link add v0 type veth peer name v1', 'ip link set v1 netns a');
  assert.equal(h.sh('ip netns list').out, 'a (id: 0)\n');
  assert.equal(h.lab.named.get('a')!.devices.has('v1'), true);
  const r = h.sh('ip link set lo netns a');
  assert.equal(r.err, 'Error: The interface netns is immutable.\n');
  assert.equal(r.code, 2);
});

test('macvlan/macvtap -d lines and JSON', () => {
  const h = new Harness();
  veths(h);
  h.ok('ip link add mv0 link v1 type macvlan mode bridge', 'ip link add mvt link v1 type macvtap');
  const mv = h.sh('ip -d link show mv0').out.split('\n');
  assert.equal(mv[2], '    macvlan mode bridge bcqueuelen 1000 usedbcqueuelen 1000 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ');
  const mvt = h.sh('ip -d link show mvt').out.split('\n');
  assert.match(mvt[0]!, /^5: mvt@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 500$/);
  assert.match(mvt[2]!, /^    macvtap mode vepa bcqueuelen 1000 usedbcqueuelen 1000 addrgenmode eui64 /);
  assert.match(h.sh('ip -j link show mv0').out, /^\[\{"ifindex":4,"link":"v1","ifname":"mv0","flags":\["BROADCAST","MULTICAST","M-DOWN"\]/);
});

test('ip link help TYPE prints to stdout; veth without peer keyword prints usage to stdout', () => {
  const h = new Harness();
  const r = h.sh('ip link add v0 type veth foo');
  assert.equal(r.code, 1);
  assert.equal(r.out, "Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n");
});

test('global options: -V, unknown option, abbreviations', () => {
  const h = new Harness();
  assert.equal(h.sh('ip -V').out, 'ip utility, iproute2-6.1.0, libbpf 1.1.2\n');
  assert.equal(h.sh('ip -Version').code, 0);
  const u = h.sh('ip -zz link');
  assert.equal(u.err, 'Option "-zz" is unknown, try "ip -help".\n');
  assert.equal(u.code, 255);
  assert.equal(h.sh('ip l').out, h.sh('ip link show').out);
  assert.equal(h.sh('ip -br l sh').out, 'lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n');
  assert.equal(h.sh('ip').code, 255);
});

test('bridge and bridge_slave -d lines match iproute2 6.1 field by field', () => {
  const h = new Harness();
  h.ok('ip link add br0 address 02:00:00:00:00:99 type bridge',
    'ip link add p1 address 02:00:00:00:00:01 type veth peer name p2', 'ip link set p1 master br0');
  assert.equal(h.sh('ip -d link show br0').out.split('\n')[2],
    '    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.2:0:0:0:0:99 designated_root 8000.2:0:0:0:0:99 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ');
  h.ok('ip link set p1 type bridge_slave hairpin on');
  const p1 = h.sh('ip -d link show p1').out.split('\n');
  assert.equal(p1[0], '4: p1@p2: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop master br0 state DOWN mode DEFAULT group default qlen 1000');
  assert.equal(p1[2], '    veth ');
  assert.equal(p1[3],
    '    bridge_slave state disabled priority 32 cost 2 hairpin on guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.2:0:0:0:0:99 designated_root 8000.2:0:0:0:0:99 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ');
  assert.match(h.sh('ip -j -d link show p1').out,
    /"linkinfo":\{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":\{"state":"disabled","priority":32,"cost":2,"hairpin":true,.*"id":"0x8001","no":"0x1",.*"hold_timer":0\.00,/);
  // sysfs view of the same port
  assert.deepEqual(h.fs.read('', '/sys/class/net/br0/brif/p1/hairpin_mode'), { ok: true, value: '1\n' });
  assert.deepEqual(h.fs.write('', '/sys/class/net/br0/brif/p1/hairpin_mode', '0\n', false), { ok: true, value: undefined });
  assert.match(h.sh('ip -d link show p1').out, / hairpin off /);
  assert.deepEqual(h.fs.read('', '/sys/class/net/br0/bridge/ageing_time'), { ok: true, value: '30000\n' });
});
