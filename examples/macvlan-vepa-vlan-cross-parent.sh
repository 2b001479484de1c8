# world: none
# requires: 8021q
# seed: 001 ("linux 虚拟网卡之 macvlan"), section "vepa" — "验证跨父接口macvlan接口的连通性": the same
#       lab as examples/macvlan-vepa-vlan-hairpin.sh, plus a second VLAN-11 sub-interface veth2.11 on the
#       other veth, a vepa macvlan macvl5 on it in ns5 (192.168.9.5), and ns1 pings it.
#
# Translation: 192.168.9.0/24 -> 192.0.2.0/24 (ns1 .2, ns2 .3, ns3 .2, ns4 .3, ns5 .5).
#
# The article's claims, and what the kernel does:
#   * "ns1 ping 192.168.9.5: works" — TRUE: macvl1's VLAN-11 frames cross test_br from veth1_br to
#     veth2_br (an ordinary forward, no hairpin needed) and veth2's VID-11 sub-interface veth2.11 takes
#     them; for veth2.11's macvlan port macvl1 is an outside host, so its broadcast goes to macvl5.
#   * "capturing on veth2.11 shows the VLAN tag already removed" — TRUE: the tag is moved to metadata on
#     veth2 and stripped when the frame is handed to veth2.11 (tcpdump -e on veth2 shows `vlan 11`,
#     on veth2.11 a plain Ethernet header).
#   * "when sending, the kernel adds the 802.1Q header and the parent transmits it; when receiving, the
#     kernel removes the tag when passing the frame from the parent to the VLAN sub-interface" — TRUE.
#
# Expected kernel result (from the 6.12 source; this machine's 6.18 kernel has no 8021q, so `type vlan`
# fails with "Error: Unknown device type." and the lab cannot work here):
#   ns1 -> 192.0.2.5: 0% loss; tcpdump -e on veth2 shows `802.1Q (0x8100) ... vlan 11, p 0, ethertype
#   IPv4 ... ICMP echo request`; tcpdump -e on veth2.11 shows `ethertype IPv4 (0x0800) ... ICMP echo request`.
# Scenarios: TODO vlan-macvlan-vepa-cross-parent.sh (needs a kernel with 8021q)

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

# a VLAN-11 sub-interface on the other parent, and a macvlan on it in ns5
ip link add link veth2 name veth2.11 type vlan id 11
ip link set veth2.11 promisc on
ip link set veth2.11 up
ip netns add ns5
ip link add link veth2.11 name macvl5 type macvlan mode vepa
ip link set macvl5 netns ns5
ip netns exec ns5 ip addr add 192.0.2.5/24 dev macvl5
ip netns exec ns5 ip link set macvl5 up

tcpdump -l --immediate-mode -nn -e -i veth2 icmp or vlan &
T1=$!
tcpdump -l --immediate-mode -nn -e -i veth2.11 icmp &
T2=$!
sleep 1
ip netns exec ns1 ping -c1 -W1 192.0.2.5
sleep 0.5
kill $T1 $T2
wait
ip netns exec ns1 ip neigh show
