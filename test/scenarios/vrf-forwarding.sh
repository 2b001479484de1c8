# world: none
# requires: vrf
# rule: a router forwards between the devices of one VRF using the VRF's table; traffic arriving on another VRF's device is looked up in that VRF's table and, with no route there (nor in main), answered with ICMP net unreachable from the VRF's own address; an input `ip route get … iif` on a VRF device names the VRF's table (vrf_l3_rcv, ip_route_input in the l3mdev table, icmp_send routed in the VRF)
sysctl -qw net.ipv4.ip_forward=1
ip link add red address 02:00:00:00:0a:01 type vrf table 10
ip link add blue address 02:00:00:00:0a:02 type vrf table 20
ip link set red up
ip link set blue up
ip netns add vnet-a
ip netns add vnet-b
ip netns add vnet-c
ip link add a1 address 02:00:00:00:00:a1 type veth peer name a2 address 02:00:00:00:00:a2 netns vnet-a
ip link add b1 address 02:00:00:00:00:b1 type veth peer name b2 address 02:00:00:00:00:b2 netns vnet-b
ip link add c1 address 02:00:00:00:00:c1 type veth peer name c2 address 02:00:00:00:00:c2 netns vnet-c
ip link set a1 master red
ip link set c1 master red
ip link set b1 master blue
ip addr add 192.0.2.1/24 dev a1
ip addr add 192.0.2.1/24 dev b1
ip addr add 198.51.100.1/24 dev c1
ip link set a1 up
ip link set b1 up
ip link set c1 up
ip -n vnet-a addr add 192.0.2.2/24 dev a2
ip -n vnet-b addr add 192.0.2.2/24 dev b2
ip -n vnet-c addr add 198.51.100.2/24 dev c2
ip -n vnet-a link set a2 up
ip -n vnet-b link set b2 up
ip -n vnet-c link set c2 up
ip -n vnet-a route add default via 192.0.2.1
ip -n vnet-b route add default via 192.0.2.1
ip -n vnet-c route add default via 198.51.100.1
ip netns exec vnet-a ping -c1 -W1 198.51.100.2
ip netns exec vnet-b ping -c1 -W1 198.51.100.2
ip netns exec vnet-c ping -c1 -W1 192.0.2.2
ip route get 198.51.100.2 from 192.0.2.2 iif a1
ip route get 198.51.100.2 from 192.0.2.2 iif b1
ip route show vrf red
ip -n vnet-c neigh show
