# world: none
# capture: -/veth1_br -/veth2_br -/test_br -/veth1 -/veth2 vnet1/m1 vnet2/m2 vnet3/m3
# seed: 001 ("linux 虚拟网卡之 macvlan"), section "private": the bridge test_br with hairpin on both
#       ports, private macvlans m1 (ns1) and m2 (ns2) on veth1, m3 (ns3) on veth2 (both parents promisc).
# claims (seed 001): "ns1 ping ns2 fails; nothing captured in ns2; ns3 captures the ARP request;
#       veth1_br shows the frames went back to the parent" — "with manual ARP entries ns1 and ns2 talk;
#       veth2 shows one ICMP request, flooded by the bridge; ns3 sees none of it". The last part of the
#       section (test_br with an IP, routing to eno2) is private-bridge-ip-routes-to-lan.sh.
# claim: vnet3/m3 3 arp.opcode=1 arp.dst.proto_ipv4=192.0.2.3
# claim: vnet2/m2 none arp
# claim: -/veth1_br 6 arp.opcode=1
# claim: -/veth1_br 3 arp.opcode=1 dir=in
# claim: -/veth1 3 arp.opcode=1 dir=in
# claim: -/veth2 1 icmp.type=8
# claim: vnet3/m3 none icmp
# claim: vnet2/m2 2 icmp.type=8 dir=in
# claim: -/test_br none icmp
# rule: a broadcast whose source is a private macvlan of the same lower goes back only to that
#       macvlan; unicast is an exact MAC lookup with no mode check (drivers/net/macvlan.c).

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
ip link set veth1 promisc on
ip link set veth2 promisc on

for n in 1 2 3; do ip netns add vnet$n; ip netns exec vnet$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add link veth1 name m1 address 02:00:00:00:00:02 type macvlan mode private
ip link add link veth1 name m2 address 02:00:00:00:00:03 type macvlan mode private
ip link add link veth2 name m3 address 02:00:00:00:00:04 type macvlan mode private
ip link set m1 netns vnet1
ip link set m2 netns vnet2
ip link set m3 netns vnet3
ip -n vnet1 addr add 192.0.2.2/24 dev m1
ip -n vnet2 addr add 192.0.2.3/24 dev m2
ip -n vnet3 addr add 192.0.2.4/24 dev m3
ip -n vnet1 link set m1 up
ip -n vnet2 link set m2 up
ip -n vnet3 link set m3 up

# same parent, dynamic ARP: never answered (3 requests, 1 s apart; the entry fails at 3 s: -W3.3 waits that out)
ip netns exec vnet1 ping -c1 -W3.3 192.0.2.3

# manual ARP entries on both sides: unicast goes out, the hairpin brings it back, m2 answers
ip -n vnet1 neigh replace 192.0.2.3 lladdr 02:00:00:00:00:03 dev m1
ip -n vnet2 neigh replace 192.0.2.2 lladdr 02:00:00:00:00:02 dev m2
ip netns exec vnet1 ping -c2 -i0.2 -W1 192.0.2.3
