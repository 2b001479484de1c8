// team (src/core/drivers/team.ts) and teamd/teamdctl (src/tools/teamd.ts), driven by scripts:
// the kernel's port rules, teamd's activebackup failover with traffic on the wire, the transmit
// policy of loadbalance/roundrobin/broadcast, teamd's lifetime, and the jansson-style config errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';
import { jsonDumps, jsonLoads, JsonError } from '../../src/tools/teamd-json.ts';

type Rec = { command: string; stdout: string; stderr: string; exit: number };

function run(text: string): Rec[] {
  return runScript(text, { world: 'none' }).records as Rec[];
}
function rec(rs: Rec[], command: string, nth = 0): Rec {
  const hits = rs.filter((r) => r.command === command);
  assert.ok(hits[nth], `no record #${nth} for ${command}`);
  return hits[nth]!;
}

/** Two veths d0/d1 whose peers are bridged in vnet-sw with 192.0.2.100; IPv6 off. */
const WORLD = `
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns add vnet-sw
ip netns exec vnet-sw sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-sw sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add d0 address 02:00:00:00:00:10 type veth peer name s0 address 02:00:00:00:01:10 netns vnet-sw
ip link add d1 address 02:00:00:00:00:20 type veth peer name s1 address 02:00:00:00:01:20 netns vnet-sw
ip -n vnet-sw link add br0 address 02:00:00:00:01:00 type bridge
ip -n vnet-sw link set s0 master br0
ip -n vnet-sw link set s1 master br0
ip -n vnet-sw link set s0 up
ip -n vnet-sw link set s1 up
ip -n vnet-sw link set br0 up
ip -n vnet-sw addr add 192.0.2.100/24 dev br0
`;

test('kernel: team_port_add refuses up, loopback, itself; opens the port; removal closes it and restores MTU', () => {
  const rs = run(`
ip link add team0 address 02:00:00:00:09:00 type team
ip link add d0 address 02:00:00:00:00:10 type veth peer name d0p
ip link set d0 up
ip link set d0 master team0
ip link set lo master team0
ip link set team0 master team0
ip link set d0 down
ip link set d0 master team0
ip link show d0
ip link set team0 mtu 1400
ip link show d0
ip link set d0 nomaster
ip link show d0
ip -d link show team0
`);
  assert.equal(rec(rs, 'ip link set d0 master team0').stderr, 'Error: Device is up. Set it down before adding it as a team port.\n');
  assert.equal(rec(rs, 'ip link set d0 master team0').exit, 2);
  assert.equal(rec(rs, 'ip link set lo master team0').stderr, "Error: Loopback device can't be added as a team port.\n");
  assert.equal(rec(rs, 'ip link set team0 master team0').stderr, 'Error: Cannot enslave team device to itself.\n');
  assert.equal(rec(rs, 'ip link set d0 master team0', 1).exit, 0);
  assert.match(rec(rs, 'ip link show d0').stdout, /<NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue master team0 state LOWERLAYERDOWN/);
  assert.match(rec(rs, 'ip link show d0', 1).stdout, / mtu 1400 .*master team0/);
  assert.match(rec(rs, 'ip link show d0', 2).stdout, /<BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noqueue state DOWN/);
  const d = rec(rs, 'ip -d link show team0').stdout;
  assert.match(d, /team0: <BROADCAST,MULTICAST> mtu 1400 qdisc noop state DOWN/);
  assert.match(d, /minmtu 68 maxmtu 65535 \n {4}team addrgenmode eui64 numtxqueues 16 numrxqueues 16 .*tso_max_size 65536 /);
});

test('teamd activebackup: first port gives the MAC, prio picks the active port, failover on carrier loss', () => {
  const rs = run(`${WORLD}
teamd -d -t team0 -c '{"runner":{"name":"activebackup"},"ports":{"d0":{},"d1":{"prio":10}}}'
ip addr add 192.0.2.1/24 dev team0
ip link set team0 up
sleep 1
ip link show team0
ip link show d1
teamdctl team0 state item get runner.active_port
ping -c1 -W1 192.0.2.100
ip netns exec vnet-sw timeout 2 tcpdump -nn -e -c 1 -i s0 arp &
sleep 0.5
ip -n vnet-sw link set s1 down
wait
teamdctl team0 state item get runner.active_port
teamdctl team0 state item get ports.d1.link_watches.list.link_watch_0.down_count
ping -c1 -W1 192.0.2.100
teamd -t team0 -k
ip link show d0
ip link show team0
`);
  // team0 took d0's address (the first port); d1 took the team's
  assert.match(rec(rs, 'ip link show team0').stdout, /<BROADCAST,MULTICAST,UP,LOWER_UP> .*state UP[^]*link\/ether 02:00:00:00:00:10 /);
  assert.match(rec(rs, 'ip link show d1').stdout, /link\/ether 02:00:00:00:00:10 /);
  assert.equal(rec(rs, 'teamdctl team0 state item get runner.active_port').stdout, 'd1\n');
  assert.equal(rec(rs, 'ping -c1 -W1 192.0.2.100').exit, 0);
  // the new active port announces the team's address (notify_peers)
  const cap = rs.find((r) => r.command.startsWith('ip netns exec vnet-sw timeout 2 tcpdump'))!;
  assert.match(cap.stdout, /02:00:00:00:00:10 > ff:ff:ff:ff:ff:ff, ethertype ARP .*Request who-has 192\.0\.2\.1 tell 192\.0\.2\.1/);
  assert.equal(rec(rs, 'teamdctl team0 state item get runner.active_port', 1).stdout, 'd0\n');
  assert.equal(rec(rs, 'teamdctl team0 state item get ports.d1.link_watches.list.link_watch_0.down_count').stdout, '1\n');
  assert.equal(rec(rs, 'ping -c1 -W1 192.0.2.100', 1).exit, 0);
  // -k: ports leave (closed, own MAC back), the device goes
  assert.match(rec(rs, 'ip link show d0').stdout, /<BROADCAST,MULTICAST> .*state DOWN[^]*02:00:00:00:00:10/);
  assert.equal(rec(rs, 'ip link show team0', 1).stderr, 'Device "team0" does not exist.\n');
});

test('loadbalance hashes flows over the enabled ports; roundrobin alternates; broadcast copies', () => {
  for (const [runner, expect] of [['roundrobin', 'alternate'], ['broadcast', 'both'], ['loadbalance', 'hash']] as const) {
    const rs = run(`${WORLD}
teamd -d -t team0 -c '{"runner":{"name":"${runner}"},"ports":{"d0":{},"d1":{}}}'
ip addr add 192.0.2.1/24 dev team0
ip link set team0 up
sleep 1
ping -c4 -i 0.2 -W1 192.0.2.100
ip -s link show d0
ip -s link show d1
`);
    assert.equal(rec(rs, 'ping -c4 -i 0.2 -W1 192.0.2.100').exit, 0, runner);
    const tx = (r: Rec) => Number(/TX:[^\n]*\n\s+\d+\s+(\d+)/.exec(r.stdout)![1]);
    const a = tx(rec(rs, 'ip -s link show d0')), b = tx(rec(rs, 'ip -s link show d1'));
    if (expect === 'both') assert.equal(a, b, 'broadcast sends every frame on both ports');
    else if (expect === 'alternate') assert.ok(Math.abs(a - b) <= 1 && a > 0 && b > 0, `roundrobin ${a}/${b}`);
    // one flow (same MACs and IPs): every frame of it hashes to the same port
    else assert.ok((a === 0) !== (b === 0), `loadbalance keeps one flow on one port: ${a}/${b}`);
  }
});

test('teamd lifetime: deleting the team ends teamd; -e/-k; the pid file', () => {
  const rs = run(`
ip link add d0 type veth peer name d0p
teamd -d -t team0 -c '{"runner":{"name":"activebackup"}}'
teamd -e -t team0
ls /run/teamd
ip link del team0
teamd -e -t team0
ls /run/teamd
teamd -t team0 -k
`);
  assert.equal(rec(rs, 'teamd -e -t team0').exit, 0);
  assert.equal(rec(rs, 'ls /run/teamd').stdout, 'team0.pid\nteam0.sock\n');
  assert.equal(rec(rs, 'teamd -e -t team0', 1).exit, 1);
  assert.equal(rec(rs, 'ls /run/teamd', 1).stdout, '');
  assert.equal(rec(rs, 'teamd -t team0 -k').stderr, 'Daemon not running\n');
});

test('jansson-style parsing and dumping', () => {
  const err = (t: string) => { try { jsonLoads(t); return ''; } catch (e) { assert.ok(e instanceof JsonError); return (e as Error).message; } };
  assert.equal(err('garbage'), "'[' or '{' expected near 'garbage' on line 1, column 7");
  assert.equal(err('{"runner":{"name":"activebackup"}'), "'}' expected near end of file on line 1, column 33");
  assert.equal(err('{"a":1,"a":2}'), "duplicate object key near '\"a\"' on line 1, column 10");
  assert.deepEqual(jsonLoads('{"b":[1,true,null],"a":"x"}'), { b: [1, true, null], a: 'x' });
  assert.equal(jsonDumps({ b: [1, 'é'], a: {} }, 4), '{\n    "a": {},\n    "b": [\n        1,\n        "\\u00e9"\n    ]\n}');
  assert.equal(jsonDumps({ b: [1], a: { c: 2 } }, 0), '{"a": {"c": 2}, "b": [1]}');
});
