// 802.1Q (src/core/drivers/vlan.ts): QoS maps as netlink and /proc/net/vlan show them, the PCP
// they put on the wire, QinQ tags, and vconfig (src/tools/vconfig.ts), all driven by scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';

type Rec = { command: string; stdout: string; stderr: string; exit: number };
function run(text: string): Rec[] { return runScript(text, { world: 'none' }).records as Rec[]; }
function rec(rs: Rec[], command: string, nth = 0): Rec {
  const hits = rs.filter((r) => r.command === command);
  assert.ok(hits[nth], `no record #${nth} for ${command}`);
  return hits[nth]!;
}

test('QoS maps: merged per entry, zero mappings hidden from netlink, kept in /proc', () => {
  const rs = run(`
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0
ip link add link eth0 name v2 type vlan id 2 reorder_hdr off
ip -d link show v2
ip link set v2 type vlan egress-qos-map 0:3 0:0 5:2 21:4
ip link set v2 type vlan ingress-qos-map 1:2 1:0 9:4
ip -d link show v2
cat /proc/net/vlan/v2
ip link set v2 type vlan id 7
ip -j -d link show v2
`);
  assert.match(rec(rs, 'ip -d link show v2').stdout, /\n {4}vlan protocol 802\.1Q id 2 addrgenmode/);
  assert.match(rec(rs, 'ip -d link show v2', 1).stdout,
    /vlan protocol 802\.1Q id 2 \n {6}ingress-qos-map \{ 1:4 \} \n {6}egress-qos-map \{ 21:4 5:2 \} addrgenmode/);
  const proc = rec(rs, 'cat /proc/net/vlan/v2').stdout;
  assert.match(proc, /^v2 {2}VID: 2\t REORDER_HDR: 0 {2}dev->priv_flags: 81021\n/);
  assert.match(proc, /INGRESS priority mappings: 0:0 {2}1:4 {2}2:0 {2}3:0 {2}4:0 {2}5:0 {2}6:0 7:0\n EGRESS priority mappings: 0:0 21:4 5:2 \n$/);
  assert.equal(rec(rs, 'ip link set v2 type vlan id 7').exit, 0);
  assert.match(rec(rs, 'ip -j -d link show v2').stdout, /"info_data":\{"protocol":"802.1Q","id":2,"ingress_qos":\[\{"from":1,"to":4\}\],"egress_qos":\[\{"from":21,"to":4\},\{"from":5,"to":2\}\]\}/);
});

test('egress map sets the PCP of the tag; QinQ puts 88a8 outside 8100', () => {
  const rs = run(`
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11
ip link set eth0 up
ip link set p0 up
ip link add link eth0 name s100 type vlan id 100 protocol 802.1ad
ip link add link s100 name c200 type vlan id 200 egress-qos-map 0:5
ip link set s100 up
ip link set c200 up
ip addr add 192.0.2.1/24 dev c200
timeout 2 tcpdump -nn -e -c 1 -i p0 &
sleep 0.5
ping -c1 -W1 192.0.2.2
wait
`);
  const cap = rs.find((r) => r.command.startsWith('timeout 2 tcpdump'))!;
  assert.match(cap.stdout, /\(0x88a8\), length 50: vlan 100, p 0, ethertype 802\.1Q[^,]*, vlan 200, p 5, ethertype ARP/);
});

test('/proc/net/vlan exists once 8021q is loaded and lists VLANs in ifindex order', () => {
  const rs = run(`
ls /proc/net
ip link add eth0 type veth peer name p0
ip link add link eth0 name b type vlan id 9
ip link add link eth0 name a type vlan id 3
ls /proc/net
cat /proc/net/vlan/config
lsmod
`);
  assert.doesNotMatch(rec(rs, 'ls /proc/net').stdout, /vlan/);
  assert.match(rec(rs, 'ls /proc/net', 1).stdout, /vlan/);
  assert.equal(rec(rs, 'cat /proc/net/vlan/config').stdout,
    'VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\nb              | 9  | eth0\na              | 3  | eth0\n');
  assert.match(rec(rs, 'lsmod').stdout, /^8021q {18}40960 {2}0\ngarp {19}16384 {2}1 8021q\nmrp {20}20480 {2}1 8021q\n/m);
});

test('vconfig: names by name-type, exit status per command, usage', () => {
  const rs = run(`
ip link add eth0 type veth peer name p0
vconfig add eth0 2
vconfig set_name_type VLAN_PLUS_VID
vconfig add eth0 3
vconfig set_name_type DEV_PLUS_VID
vconfig add eth0 0x10
vconfig add eth0 x
vconfig set_flag eth0.2 1 0
vconfig rem nosuch
vconfig
ip -br link show
`);
  const warn = '\nWarning: vconfig is deprecated and might be removed in the future, please migrate to ip(route2) as soon as possible!\n\n';
  assert.equal(rec(rs, 'vconfig add eth0 2').stderr, warn);
  assert.equal(rec(rs, 'vconfig add eth0 x').stderr, `${warn}/usr/sbin/vconfig: 94: printf: x: expected numeric value\n`);
  assert.equal(rec(rs, 'vconfig add eth0 x').exit, 1);
  assert.equal(rec(rs, 'vconfig set_flag eth0.2 1 0').stdout, 'eth0.2 1 0\n');
  assert.equal(rec(rs, 'vconfig rem nosuch').exit, 4);
  assert.equal(rec(rs, 'vconfig').exit, 1);
  assert.match(rec(rs, 'vconfig').stderr, /Expecting argc to be 3-5, inclusive\. {2}Was: 1\n$/);
  const names = rec(rs, 'ip -br link show').stdout.split('\n').map((l) => l.split(/\s+/)[0]);
  assert.ok(names.includes('eth0.2@eth0') && names.includes('vlan0003@eth0') && names.includes('eth0.0016@eth0'), names.join(' '));
});
