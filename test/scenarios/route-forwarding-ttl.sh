# world: none
# rule: a namespace with two interfaces routes between them only with net.ipv4.ip_forward=1; each routed hop lowers the TTL, so the reply from behind one router shows ttl=63; without forwarding the packet is silently dropped; a destination without a route gives "connect: Network is unreachable" (exit 2); with -t1 the router answers "Time to live exceeded" (reference 9.5, 9.6)
ip netns add vnet-r
ip netns add vnet-far
ip link add eth0 address 02:00:00:00:00:10 type veth peer name lan0 address 02:00:00:00:00:01 netns vnet-r
ip -n vnet-r link add wan0 address 02:00:00:00:02:fe type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-far
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip -n vnet-r addr add 192.0.2.1/24 dev lan0
ip -n vnet-r addr add 198.51.100.254/24 dev wan0
ip -n vnet-r link set lan0 up
ip -n vnet-r link set wan0 up
ip -n vnet-far addr add 198.51.100.1/24 dev eth0
ip -n vnet-far link set eth0 up
ip -n vnet-far route add default via 198.51.100.254
ping -c1 -W1 198.51.100.1
ip route add 198.51.100.0/24 via 192.0.2.1
ip route
ip route get 198.51.100.1
ip netns exec vnet-r sysctl net.ipv4.ip_forward
ping -c1 -W1 198.51.100.1
ip netns exec vnet-r sysctl -w net.ipv4.ip_forward=1
ping -c1 -W1 198.51.100.1
ping -c1 -W1 198.51.100.254
ping -c1 -W1 -t1 198.51.100.1
ip netns exec vnet-far ping -c1 -W1 192.0.2.10
ip route del 198.51.100.0/24
ip route add default via 192.0.2.1
ip route
ping -c1 -W1 198.51.100.1
