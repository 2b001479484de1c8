# world: none
# requires: 8021q
# capture: -/veth1_br -/veth1.11 -/veth2.12 -/veth2.11 vnet1/m1 vnet2/m2 vnet4/m4 vnet5/m5
# seed: 001, section "vepa": a bridge test_br whose ports veth1_br/veth2_br (hairpin on) act as trunks;
#       VLAN sub-interfaces veth1.11 and veth2.12 (promisc) are the macvlan parents: m1 (ns1) and m2 (ns2)
#       on veth1.11, m4 (ns4) on veth2.12; later veth2.11 with m5 (ns5).
# claims: "在网桥中的veth1_br接口上抓包,可以看到数据帧都带有vlan tag,并且又都发回veth1_br接口,所以数据包是双份的"
#       (every frame on veth1_br carries VLAN 11 and appears twice: in, and hairpinned out);
#       "在veth2.12和ns4中的macvl4接口上都没有抓到数据包" (nothing on veth2.12 nor on m4);
#       "在veth2.11上抓包,可以看到vlan子接口上的vlan tag信息已经被去掉了" (veth2.11 shows untagged frames).
# The kernel this test runs on has no 802.1Q module: vnet only (the claims are still checked).
# claim: -/veth1_br all vlan.id=11
# claim: -/veth1_br 2 icmp.type=8 ip.dst=192.0.2.3
# claim: -/veth1_br 1 icmp.type=8 ip.dst=192.0.2.3 dir=in
# claim: -/veth2.12 none
# claim: vnet4/m4 none
# claim: -/veth2.11 none vlan.id
# claim: -/veth2.11 1 icmp.type=8 ip.dst=192.0.2.5
# rule: net/8021q/vlan_core.c vlan_do_receive (a tag with no sub-interface is not delivered to it);
#       the tag is added on the way out of the sub-interface.

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add test_br address 02:00:00:00:01:00 type bridge mcast_snooping 0
ip link add veth1 address 02:00:00:00:01:01 type veth peer name veth1_br address 02:00:00:00:01:11
ip link add veth2 address 02:00:00:00:01:02 type veth peer name veth2_br address 02:00:00:00:01:12
ip link set veth1_br master test_br
ip link set veth2_br master test_br
ip link set dev veth1_br type bridge_slave hairpin on
ip link set dev veth2_br type bridge_slave hairpin on
ip link set test_br up
ip link set veth1_br up
ip link set veth2_br up
ip link set veth1 up
ip link set veth2 up
ip link add link veth1 name veth1.11 type vlan id 11
ip link add link veth2 name veth2.12 type vlan id 12
ip link set veth1.11 promisc on up
ip link set veth2.12 promisc on up

for n in 1 2 4 5; do ip netns add vnet$n; ip netns exec vnet$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add link veth1.11 name m1 address 02:00:00:00:00:02 type macvlan mode vepa
ip link add link veth1.11 name m2 address 02:00:00:00:00:03 type macvlan mode vepa
ip link add link veth2.12 name m4 address 02:00:00:00:00:05 type macvlan mode vepa
ip link set m1 netns vnet1
ip link set m2 netns vnet2
ip link set m4 netns vnet4
ip -n vnet1 addr add 192.0.2.2/24 dev m1
ip -n vnet2 addr add 192.0.2.3/24 dev m2
ip -n vnet4 addr add 192.0.2.4/24 dev m4
ip -n vnet1 link set m1 up
ip -n vnet2 link set m2 up
ip -n vnet4 link set m4 up

# same parent, vepa, hairpin: works; veth1_br carries everything twice, tagged 11
ip netns exec vnet1 ping -c1 -W1 192.0.2.3

# across parents: veth2.11 with m5
ip link add link veth2 name veth2.11 type vlan id 11
ip link set veth2.11 promisc on up
ip link add link veth2.11 name m5 address 02:00:00:00:00:06 type macvlan mode vepa
ip link set m5 netns vnet5
ip -n vnet5 addr add 192.0.2.5/24 dev m5
ip -n vnet5 link set m5 up
ip netns exec vnet1 ping -c1 -W1 192.0.2.5
