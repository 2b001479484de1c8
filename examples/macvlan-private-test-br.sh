# world: none
# seed: 001 ("linux 虚拟网卡之 macvlan"), section "private": a bridge test_br with hairpin on its ports
#       veth1_br/veth2_br, the other ends veth1/veth2 (promiscuous) as macvlan parents, three private
#       macvlans: macvl1 (ns1) and macvl2 (ns2) on veth1, macvl3 (ns3) on veth2; then test_br gets an IP
#       and the namespaces reach the host and the host's LAN (eno2, 36.0/24) through it.
#
# Translation: 192.168.9.0/24 -> 192.0.2.0/24 (test_br 192.0.2.1, ns1 .2, ns2 .3, ns3 .4); the host's
# physical LAN 36.0/24 -> 198.51.100.0/24 (eno2 is a veth here, 36.58 -> 198.51.100.58 on the host, the
# other host 36.66 -> 198.51.100.66 in namespace lan, with a route back to 192.0.2.0/24 via .58).
# The article's iptables rule "allow test_br to forward" is left out: it matters only where the FORWARD
# policy is DROP (Docker hosts) and bridge-nf-call-iptables is 1; a fresh namespace accepts everything.
#
# The article's claims:
#   * "ns1 ping 192.168.9.3: fails; nothing is captured in ns2; ns3 sees the ARP requests; veth1_br shows
#     the frames went back to the parent, where they were dropped" — TRUE: the hairpin bridge sends ns1's
#     ARP broadcast back down veth1, and a broadcast whose source is a private macvlan is given back only
#     to that macvlan (not to macvl2, not to veth1's own stack); macvl3 is on another parent, so for veth2
#     the ARP is an outside broadcast, delivered to every macvlan there.
#   * "private mode only blocks the ARP broadcasts between macvlans of the same parent; with manual ARP
#     entries they talk" — TRUE (the unicast receive path checks no mode). This contradicts seeds 000 and
#     002, which say private blocks everything even with hairpin.
#   * "ns3 sees nothing of the ICMP: the parent did not pass the flooded request to macvl3" — TRUE: macvlan
#     unicast receive is an exact MAC lookup; a frame for macvl2's MAC arriving on veth2 finds no macvlan
#     and goes to veth2's own stack (as OTHERHOST, dropped). Promiscuity on veth2 changes nothing.
#   * "a bridge with an IP still switches at layer 2" and ns1 reaches 36.58/36.66 through it — TRUE.
#
# What the real kernel prints (6.18):
#   ns1 -> 192.0.2.3 (ARP): 100% loss; tcpdump in ns2: 0 packets; tcpdump in ns3: `Request who-has
#   192.0.2.3 tell 192.0.2.2`; tcpdump on veth1_br: each ARP request twice (in, and hairpinned out);
#   with static neighbours: ns1 -> 192.0.2.3 2/2 received; ns3 captures no ICMP;
#   ns1 -> 192.0.2.1 (test_br), -> 198.51.100.58 (the host's eno2), -> 198.51.100.66 (routed by the host): 0% loss.
# Scenarios: test/scenarios/macvlan-private-sibling-broadcast-blocked.sh, macvlan-bcast-from-private-hairpin.sh,
#            macvlan-unicast-static-hairpin.sh, bridge-hairpin-reflects-vepa.sh

ip link set lo up
ip link add test_br type bridge
ip link add veth1 type veth peer name veth1_br
ip link add veth2 type veth peer name veth2_br
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

ip netns add ns1
ip netns add ns2
ip netns add ns3
ip link add link veth1 name macvl1 type macvlan mode private
ip link add link veth1 name macvl2 type macvlan mode private
ip link add link veth2 name macvl3 type macvlan mode private
ip link set macvl1 netns ns1
ip link set macvl2 netns ns2
ip link set macvl3 netns ns3
ip netns exec ns1 ip addr add 192.0.2.2/24 dev macvl1
ip netns exec ns1 ip link set macvl1 up
ip netns exec ns2 ip addr add 192.0.2.3/24 dev macvl2
ip netns exec ns2 ip link set macvl2 up
ip netns exec ns3 ip addr add 192.0.2.4/24 dev macvl3
ip netns exec ns3 ip link set macvl3 up

# same parent, dynamic ARP: fails
ip netns exec ns2 tcpdump -l --immediate-mode -nn -i macvl2 arp or icmp &
T2=$!
ip netns exec ns3 tcpdump -l --immediate-mode -nn -i macvl3 arp &
T3=$!
tcpdump -l --immediate-mode -nn -e -i veth1_br arp &
TB=$!
sleep 1
ip netns exec ns1 ping -c1 -W1 192.0.2.3
sleep 0.5
kill $T2 $T3 $TB
wait

# manual ARP entries on both sides: works
ip netns exec ns1 ip neigh replace 192.0.2.3 lladdr $(ip netns exec ns2 cat /sys/class/net/macvl2/address) dev macvl1
ip netns exec ns2 ip neigh replace 192.0.2.2 lladdr $(ip netns exec ns1 cat /sys/class/net/macvl1/address) dev macvl2
ip netns exec ns2 tcpdump -l --immediate-mode -nn -i macvl2 icmp &
T2=$!
ip netns exec ns3 tcpdump -l --immediate-mode -nn -i macvl3 icmp &
T3=$!
sleep 1
ip netns exec ns1 ping -c2 -i0.2 -W1 192.0.2.3
sleep 0.5
kill $T2 $T3
wait

# the bridge gets an IP; the host routes to its LAN on eno2
ip addr add 192.0.2.1/24 dev test_br
ip netns add lan
ip link add eno2 type veth peer name eth0 netns lan
ip addr add 198.51.100.58/24 dev eno2
ip link set eno2 up
ip -n lan addr add 198.51.100.66/24 dev eth0
ip -n lan link set eth0 up
ip -n lan route add 192.0.2.0/24 via 198.51.100.58
sysctl -w net.ipv4.ip_forward=1
ip netns exec ns1 ip route add default via 192.0.2.1
ip netns exec ns1 ping -c1 -W1 192.0.2.1
ip netns exec ns1 ping -c1 -W1 198.51.100.58
ip netns exec ns1 ping -c1 -W1 198.51.100.66
