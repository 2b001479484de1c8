# world: none
# rule: special route types: locally `unreachable` → ping "connect: No route to host", `prohibit` → connect() fails with EACCES, which iputils reports as "Do you want to ping broadcast? Then -b…", `blackhole` → "connect: Invalid argument" (all exit 2; `ip route get` answers "RTNETLINK answers: No route to host|Permission denied|Invalid argument"); on a router the same routes make it answer a forwarded packet with ICMP "Destination Host Unreachable" (unreachable), "Packet filtered" (prohibit), nothing (blackhole), and "Destination Net Unreachable" when it has no route at all (reference 9.5, 9.6)
ip netns add vnet-r
ip link add eth0 address 02:00:00:00:00:10 type veth peer name lan0 address 02:00:00:00:00:01 netns vnet-r
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n vnet-r addr add 192.0.2.1/24 dev lan0
ip -n vnet-r link set lan0 up
ip -n vnet-r link set lo up
ip netns exec vnet-r sysctl -q -w net.ipv4.ip_forward=1
ip route add unreachable 203.0.113.0/26
ip route add prohibit 203.0.113.64/26
ip route add blackhole 203.0.113.128/26
ip route
ping -c1 -W1 203.0.113.1
ping -c1 -W1 203.0.113.65
ping -c1 -W1 203.0.113.129
ip route get 203.0.113.1
ip route get 203.0.113.65
ip route get 203.0.113.129
ip route add default via 192.0.2.1
ip route del unreachable 203.0.113.0/26
ip route del prohibit 203.0.113.64/26
ip route del blackhole 203.0.113.128/26
ip -n vnet-r route add unreachable 203.0.113.0/26
ip -n vnet-r route add prohibit 203.0.113.64/26
ip -n vnet-r route add blackhole 203.0.113.128/26
ip -n vnet-r route
ping -c1 -W1 203.0.113.1
ping -c1 -W1 203.0.113.65
ping -c1 -W1 203.0.113.129
ping -c1 -W1 198.51.100.7
