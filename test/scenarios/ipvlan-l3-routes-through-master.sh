# world: none
# requires: ipvlan
# rule: l3 mode: slaves are NOARP, switch to each other inside the kernel, and reach the outside through routing in the master's namespace (the outside sees the master's MAC, for the master's own address as next hop); nobody answers ARP for a slave's address, so an outside host on the slaves' subnet cannot reach them — it must route via the master (reference 3.2, 3.3)
ip netns add vnet-out
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11 netns vnet-out
ip -n vnet-out addr add 192.0.2.100/24 dev wire0
ip -n vnet-out link set wire0 up
ip link set eth0 up
ip addr add 192.0.2.1/24 dev eth0
ip netns add vnet-a
ip netns add vnet-b
ip link add link eth0 name ipva type ipvlan mode l3
ip link add link eth0 name ipvb type ipvlan mode l3
ip link set ipva netns vnet-a
ip link set ipvb netns vnet-b
ip -n vnet-a addr add 198.51.100.11/24 dev ipva
ip -n vnet-b addr add 198.51.100.12/24 dev ipvb
ip -n vnet-a link set ipva up
ip -n vnet-b link set ipvb up
ip -n vnet-a route add default dev ipva
ip -n vnet-b route add default dev ipvb
ip -n vnet-a link show ipva
ip netns exec vnet-a ping -c1 -W1 198.51.100.12
ip -n vnet-out route add 198.51.100.0/24 via 192.0.2.1
ip netns exec vnet-a ping -c1 -W1 192.0.2.100
ip netns exec vnet-out ping -c1 -W1 198.51.100.12
ip -n vnet-out neigh show 192.0.2.1
ip neigh show 192.0.2.100
ip -n vnet-out route del 198.51.100.0/24
ip -n vnet-out addr add 198.51.100.100/24 dev wire0
ip netns exec vnet-out ping -c1 -W1 198.51.100.12
ip -n vnet-out neigh show 198.51.100.12
