# world: none
# rule: a macvtap in bridge mode behaves like a bridge-mode macvlan for the host stack: it gets carrier from its lower, can hold an address and talk to a bridge-mode macvlan sibling, and tcpdump on it sees its frames; `ip -s link` counts them (reference 2)
ip netns add vnet-a
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link set eth0 up
ip link set wire0 up
ip link add link eth0 name mvt0 address 02:00:00:00:00:a1 type macvtap mode bridge
ip link add link eth0 name mv1 address 02:00:00:00:00:b1 type macvlan mode bridge
ip link set mv1 netns vnet-a
ip addr add 192.0.2.1/24 dev mvt0
ip link set mvt0 up
ip -n vnet-a addr add 192.0.2.2/24 dev mv1
ip -n vnet-a link set mv1 up
ip link show mvt0
timeout 1 tcpdump -i mvt0 --immediate-mode -nn -e -t &
sleep 0.3
ping -c 2 -i 0.2 192.0.2.2
wait
ip -s link show mvt0
ip -n vnet-a neigh show 192.0.2.1
