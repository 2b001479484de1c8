# world: default
# seed: 001 ("linux 虚拟网卡之 macvlan"), section "bridge" (macvlans in bridge mode directly on the physical
#       NIC eno2, addressed in the NIC's own network 36.0/24, gateway 36.1, neighbour host 36.66)
#
# Translation: eno2 -> eth0, 36.x -> 192.0.2.x (gateway 36.1 -> 192.0.2.1, host 36.66 -> the peer 192.0.2.20),
# the remote network 10.138.10.161 -> 198.51.100.1 behind the gateway; ns4/ns5 keep their names.
#
# The article's claims:
#   * "ns4 pings ns5: works" — TRUE (bridge-mode siblings, delivered inside the kernel).
#   * "capturing on the parent shows the unicast between the macvlans: the parent acts as a bridge
#     forwarding it" — TRUE: a bridge-mode macvlan hands a frame for a bridge-mode sibling to the lower's
#     receive path (dev_forward_skb), so tcpdump on eth0 sees the echo request/reply although they never
#     reach the wire.
#   * "capturing on the other host (36.66) shows the ARP broadcasts: the macvlans share the parent's
#     broadcast domain" — TRUE: a bridge-mode macvlan's broadcast goes to its bridge-mode siblings AND out
#     through the lower, so the peer sees macvl4's ARP request for 192.0.2.5.
#   * "pinging another subnet goes through the gateway 36.1" and "no NAT rules needed" — TRUE (ordinary
#     routing; the macvlans are first-class hosts on the LAN).
#
# What the real kernel prints (6.18, default world):
#   ns4 -> 192.0.2.5: 0% loss; tcpdump on eth0 shows `<macvl4 MAC> > <macvl5 MAC> ... ICMP echo request`
#   and the reply; the peer's tcpdump shows `Request who-has 192.0.2.5 tell 192.0.2.4` (broadcast) and no
#   ICMP; ns4 -> 192.0.2.20 and -> 198.51.100.1 (via 192.0.2.1): 0% loss; tcpdump on eth0 shows the
#   echo request to 198.51.100.1 addressed to the gateway's MAC 02:00:00:00:00:01.
# Scenarios: test/scenarios/macvlan-bcast-from-bridge-no-hairpin.sh, macvlan-unicast-static-no-hairpin.sh,
#            macvlan-from-outside-no-hairpin.sh; TODO macvlan-bridge-sibling-unicast-seen-on-lower.sh

ip netns add ns4
ip netns add ns5
ip link add link eth0 name macvl4 type macvlan mode bridge
ip link add link eth0 name macvl5 type macvlan mode bridge
ip link set macvl4 netns ns4
ip link set macvl5 netns ns5
ip netns exec ns4 ip addr add 192.0.2.4/24 dev macvl4
ip netns exec ns4 ip link set macvl4 up
ip netns exec ns4 ip route add default via 192.0.2.1
ip netns exec ns5 ip addr add 192.0.2.5/24 dev macvl5
ip netns exec ns5 ip link set macvl5 up
ip netns exec ns5 ip route add default via 192.0.2.1

# capture on the parent and on the other host of the LAN while ns4 pings ns5
tcpdump -l --immediate-mode -nn -e -i eth0 icmp &
T1=$!
ip netns exec vnet-peer tcpdump -l --immediate-mode -nn -i eth0 arp or icmp &
T2=$!
sleep 1
ip netns exec ns4 ping -c1 -W1 192.0.2.5
sleep 0.5
kill $T1 $T2
wait

# the LAN and the far network (through the gateway)
tcpdump -l --immediate-mode -nn -e -i eth0 icmp &
T1=$!
sleep 1
ip netns exec ns4 ping -c1 -W1 192.0.2.20
ip netns exec ns4 ping -c1 -W1 198.51.100.1
sleep 0.5
kill $T1
wait
ip netns exec ns4 ip neigh show
