# world: none
# requires: 8021q
# seed: 001 ("linux 虚拟网卡之 macvlan"), section "vepa" — "验证同一父接口下macvlan子接口的连通性":
#       a bridge test_br whose ports veth1_br/veth2_br have hairpin on acts as a VEPA switch with trunk
#       ports; VLAN sub-interfaces veth1.11 and veth2.12 on the other ends are the macvlan parents; vepa
#       macvlans macvl1 (ns1), macvl2 (ns2) on veth1.11 and macvl3 (ns3), macvl4 (ns4) on veth2.12.
#
# Translation: 192.168.9.0/24 -> 192.0.2.0/24. As the article's output implies ("192.168.9.3's MAC is
# macvl2's, not ns4's macvl4"), both VLANs use the same addresses: ns1/ns3 = .2, ns2/ns4 = .3.
# The article's iptables rule "allow test_br to forward" is left out: a fresh namespace's FORWARD policy
# is ACCEPT.
#
# The article's claims, and what the kernel does (net/8021q, drivers/net/macvlan.c, net/bridge):
#   * "the veth ports of the bridge act like trunk ports of a physical switch" — TRUE: with
#     vlan_filtering off (the default) a Linux bridge forwards tagged frames untouched (fdb key VID 0).
#   * "ns1 ping 192.168.9.3 works thanks to the bridge; the MAC learned is macvl2's, not macvl4's" —
#     TRUE: the hairpin sends ns1's VLAN-11 ARP back down veth1, where veth1.11 (VID 11) takes it and its
#     macvlan port hands the reflected vepa broadcast to the vepa sibling macvl2. On veth2 no VID-11
#     sub-interface exists, so the frame stays on veth2, is marked OTHERHOST and dropped: macvl4 never
#     sees it.
#   * "capturing on veth1_br shows every frame with a VLAN tag, twice (in, and sent back)" — TRUE.
#   * "nothing is captured on veth2.12 nor on macvl4: frames of another VLAN are dropped at the parent"
#     — TRUE (they are still visible to tcpdump on veth2 itself).
#   * "create a VLAN sub-interface and turn promiscuous mode on" — promisc is NOT needed on a software
#     parent or VLAN device; it only changes a counter (kept here because the article does it).
#   * "the VLAN sub-interface has the same MAC as its parent" — TRUE (inherited, and it follows the
#     parent's MAC changes until set explicitly).
#
# Expected kernel result (from the 6.12 source; this machine's 6.18 kernel has no 8021q, so
# `type vlan` fails here with "Error: Unknown device type." and the rest of the lab cannot work):
#   ns1 -> 192.0.2.3: 0% loss, `ip neigh` in ns1 shows macvl2's MAC; tcpdump -e on veth1_br shows
#   `ethertype 802.1Q (0x8100), length 46: vlan 11, p 0, ethertype ARP` twice per request; tcpdump on
#   veth2.12 and in ns4: nothing.
# Scenarios: TODO vlan-macvlan-vepa-trunk-hairpin.sh (needs a kernel with 8021q)

ip link add test_br type bridge
ip link add veth1 type veth peer name veth1_br
ip link add veth2 type veth peer name veth2_br
ip link set veth1_br master test_br
ip link set veth2_br master test_br
bridge link set dev veth1_br hairpin on
bridge link set dev veth2_br hairpin on
ip link set test_br up
ip link set veth1_br up
ip link set veth2_br up
ip link set veth1 up
ip link set veth2 up

ip link add link veth1 name veth1.11 type vlan id 11
ip link add link veth2 name veth2.12 type vlan id 12
ip link set veth1.11 promisc on
ip link set veth2.12 promisc on
ip link set veth1.11 up
ip link set veth2.12 up
ip -d link show veth1.11

ip netns add ns1
ip netns add ns2
ip netns add ns3
ip netns add ns4
ip link add link veth1.11 name macvl1 type macvlan mode vepa
ip link add link veth1.11 name macvl2 type macvlan mode vepa
ip link add link veth2.12 name macvl3 type macvlan mode vepa
ip link add link veth2.12 name macvl4 type macvlan mode vepa
ip link set macvl1 netns ns1
ip link set macvl2 netns ns2
ip link set macvl3 netns ns3
ip link set macvl4 netns ns4
ip netns exec ns1 ip addr add 192.0.2.2/24 dev macvl1
ip netns exec ns1 ip link set macvl1 up
ip netns exec ns2 ip addr add 192.0.2.3/24 dev macvl2
ip netns exec ns2 ip link set macvl2 up
ip netns exec ns3 ip addr add 192.0.2.2/24 dev macvl3
ip netns exec ns3 ip link set macvl3 up
ip netns exec ns4 ip addr add 192.0.2.3/24 dev macvl4
ip netns exec ns4 ip link set macvl4 up

tcpdump -l --immediate-mode -nn -e -i veth1_br &
T1=$!
tcpdump -l --immediate-mode -nn -e -i veth2.12 &
T2=$!
ip netns exec ns4 tcpdump -l --immediate-mode -nn -e -i macvl4 arp or icmp &
T4=$!
sleep 1
ip netns exec ns1 ping -c1 -W1 192.0.2.3
sleep 0.5
kill $T1 $T2 $T4
wait
ip netns exec ns1 ip neigh show
ip netns exec ns2 ip link show macvl2
