# world: none
# requires: 8021q
# rule: QinQ: an 802.1Q VLAN on an 802.1ad VLAN puts two tags on the wire (88a8 outer, 8100 inner) and talks to the same stack on the other side; a frame whose VID (or tag protocol) has no VLAN device on the receiving parent is not for this host (PACKET_OTHERHOST): ARP ignores it, nothing answers, the VLAN devices of other VIDs/protocols count nothing (__netif_receive_skb_core, vlan_do_receive)
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-a
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11 netns vnet-a
ip link set eth0 up
ip -n vnet-a link set p0 up
ip link add link eth0 name s100 type vlan id 100 protocol 802.1ad
ip link add link s100 name c200 type vlan id 200
ip link set s100 up
ip link set c200 up
ip addr add 192.0.2.1/24 dev c200
ip -n vnet-a link add link p0 name s100 type vlan id 100 protocol 802.1ad
ip -n vnet-a link add link s100 name c200 type vlan id 200
ip -n vnet-a link set s100 up
ip -n vnet-a link set c200 up
ip -n vnet-a addr add 192.0.2.2/24 dev c200
ip netns exec vnet-a timeout 3 tcpdump --immediate-mode -nn -e -c 4 -i p0 &
sleep 1
ping -c1 -W1 192.0.2.2
wait
ip link add link eth0 name eth0.10 type vlan id 10
ip link set eth0.10 up
ip addr add 198.51.100.1/24 dev eth0.10
ip -n vnet-a link add link p0 name p0.20 type vlan id 20
ip -n vnet-a link set p0.20 up
ip -n vnet-a addr add 198.51.100.2/24 dev p0.20
ip -n vnet-a link add link p0 name p0.10 type vlan id 10 protocol 802.1ad
ip -n vnet-a link set p0.10 up
ip -n vnet-a addr add 203.0.113.2/24 dev p0.10
ping -c1 -W1.5 198.51.100.2
ip -n vnet-a -s link show p0.20
ip -n vnet-a -s link show p0.10
ip -n vnet-a neigh show dev p0.20
ip -n vnet-a neigh show dev p0.10
