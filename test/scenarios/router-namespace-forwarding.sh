# world: none
# rule: two hosts in different subnets talk through a router namespace only when the router forwards: with ip_forward=0 the echo request is silently dropped (the router still answers for its own addresses on both sides — weak host model), `echo 1 > /proc/sys/net/ipv4/ip_forward` turns routing on and replies come back with ttl=63; per-interface forwarding (conf.IF.forwarding) follows the global switch; the hosts need routes back (a missing return route looks like loss) (reference 9.5, 9.6)
ip netns add vnet-h1
ip netns add vnet-r
ip netns add vnet-h2
ip link add eth0 address 02:00:00:00:00:01 type veth peer name r-left address 02:00:00:00:00:fe
ip link set eth0 netns vnet-h1
ip link set r-left netns vnet-r
ip link add eth0 address 02:00:00:00:02:01 type veth peer name r-right address 02:00:00:00:02:fe
ip link set eth0 netns vnet-h2
ip link set r-right netns vnet-r
ip -n vnet-h1 addr add 192.0.2.1/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip -n vnet-h1 link set lo up
ip -n vnet-h1 route add default via 192.0.2.254
ip -n vnet-h2 addr add 198.51.100.1/24 dev eth0
ip -n vnet-h2 link set eth0 up
ip -n vnet-h2 link set lo up
ip -n vnet-r addr add 192.0.2.254/24 dev r-left
ip -n vnet-r addr add 198.51.100.254/24 dev r-right
ip -n vnet-r link set r-left up
ip -n vnet-r link set r-right up
ip -n vnet-r link set lo up
ip netns exec vnet-h1 ping -c1 -W1 198.51.100.254
ip netns exec vnet-h1 ping -c1 -W1 198.51.100.1
ip netns exec vnet-r sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip netns exec vnet-r cat /proc/sys/net/ipv4/ip_forward
ip netns exec vnet-r sysctl net.ipv4.conf.r-left.forwarding net.ipv4.conf.all.forwarding
ip netns exec vnet-h1 ping -c1 -W1 198.51.100.1
ip -n vnet-h2 route add 192.0.2.0/24 via 198.51.100.254
ip netns exec vnet-h1 ping -c 2 -i 0.2 198.51.100.1
ip netns exec vnet-h2 ping -c1 -W1 192.0.2.1
ip netns exec vnet-h1 ip route get 198.51.100.1
ip netns exec vnet-r ip route get 198.51.100.1 from 192.0.2.1 iif r-left
ip -n vnet-r neigh show 198.51.100.1
ip netns exec vnet-r sysctl -w net.ipv4.conf.r-left.forwarding=0
ip netns exec vnet-h1 ping -c1 -W1 198.51.100.1
