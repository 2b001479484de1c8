# world: none
# rule: per-port flags: `learning off` stops the bridge from learning source MACs arriving on that port (its hosts stay unknown, so frames to them keep being flooded); `flood off` keeps unknown-unicast floods from leaving through that port (broadcasts still do, unless bcast_flood off); the flags show in `bridge -d link` (reference 5.3, 5.4, 5.7)
ip netns add vnet-h1
ip netns add vnet-h2
ip netns add vnet-h3
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h3 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-h1
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-h2
ip link add p3 address 02:00:00:00:01:03 type veth peer name eth0 address 02:00:00:00:00:03 netns vnet-h3
ip link set p1 master br0 up
ip link set p2 master br0 up
ip link set p3 master br0 up
ip link set br0 up
ip -n vnet-h1 addr add 192.0.2.1/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip -n vnet-h2 addr add 192.0.2.2/24 dev eth0
ip -n vnet-h2 link set eth0 up
ip -n vnet-h3 addr add 192.0.2.3/24 dev eth0
ip -n vnet-h3 link set eth0 up
bridge link set dev p2 learning off
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
bridge fdb show br br0 dynamic
ip netns exec vnet-h3 timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t icmp &
sleep 0.3
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
wait
bridge link set dev p2 learning on
bridge link set dev p3 flood off
bridge -d link show dev p3
ip link set p2 type bridge_slave learning off
bridge fdb del 02:00:00:00:00:01 dev p1 master
ip netns exec vnet-h3 timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t &
sleep 0.3
ip netns exec vnet-h2 ping -c1 -W1 192.0.2.1
wait
bridge link set dev p3 bcast_flood off
ip -n vnet-h1 neigh flush dev eth0
ip netns exec vnet-h3 timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t &
sleep 0.3
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
wait
bridge -d link show dev p3
