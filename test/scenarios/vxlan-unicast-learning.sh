# world: none
# rule: two namespaces joined only by an IP underlay: a vxlan with `remote` gets the default FDB entry `00:00:00:00:00:00 dst REMOTE via DEV self permanent`, an MTU 50 below its `dev`, and carries pings across; each side learns the other's inner MAC behind the outer source address (`MAC dst IP self`, newest entry first); the overlay counts inner packets without their Ethernet header (drivers/net/vxlan/vxlan_core.c vxlan_snoop, vxlan_xmit_one)
ip netns add vnet-a
ip netns add vnet-b
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-a link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-b link set eth0 up
ip -n vnet-a link add vxlan0 address 02:00:00:00:aa:01 type vxlan id 42 remote 192.0.2.2 dstport 4789 dev eth0
ip -n vnet-b link add vxlan0 address 02:00:00:00:aa:02 type vxlan id 42 remote 192.0.2.1 dstport 4789 dev eth0
ip -n vnet-a -d link show vxlan0
bridge -n vnet-a fdb show dev vxlan0
ip -n vnet-a addr add 203.0.113.1/24 dev vxlan0
ip -n vnet-b addr add 203.0.113.2/24 dev vxlan0
ip -n vnet-a link set vxlan0 up
ip -n vnet-b link set vxlan0 up
ip -n vnet-a link show vxlan0
ip netns exec vnet-a ping -c 2 -i 0.2 203.0.113.2
bridge -n vnet-a fdb show dev vxlan0
bridge -n vnet-b fdb show dev vxlan0
bridge -n vnet-b fdb show
ip -n vnet-a -s link show vxlan0
ip -n vnet-b -s link show vxlan0
ip -n vnet-a -s link show eth0
ip -n vnet-a neigh show
ip -n vnet-a link set vxlan0 down
bridge -n vnet-a fdb show dev vxlan0
ip -n vnet-a link del eth0
ip -n vnet-a link show
