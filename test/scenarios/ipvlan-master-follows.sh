# world: none
# requires: ipvlan
# rule: slaves follow the master's MTU both ways and its MAC; a slave's own MTU may be set freely up to 65535; the master moved to another namespace keeps its slaves, deleted it takes them along (reference 3.1)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name ipv1 type ipvlan mode l2
ip link add link eth0 name ipv2 mtu 9000 type ipvlan mode l2
ip link show ipv2
ip link set eth0 mtu 1400
ip link show ipv1
ip link show ipv2
ip link set eth0 mtu 1600
ip link show ipv1
ip link set ipv1 mtu 8000
ip link show ipv1
ip link set eth0 address 02:00:00:00:00:77
ip link show ipv1
cat /sys/class/net/ipv1/address
ip netns add vnet-m
ip link set eth0 netns vnet-m
ip link show ipv1
ip -n vnet-m link del eth0
ip link show ipv1
ip link show ipv2
