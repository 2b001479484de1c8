# world: none
# rule: on a Linux bridge, a capture on a port sees every frame that enters or leaves through that port, while a capture on the bridge device sees only what is delivered to the bridge itself (broadcasts, frames to its own MAC) and what the bridge sends — unicast between two ports, once learned, never shows on br0 (reference 5.4)
ip netns add vnet-h1
ip netns add vnet-h2
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 address 02:00:00:00:00:fe type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-h1
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-h2
ip link set p1 master br0 up
ip link set p2 master br0 up
ip addr add 192.0.2.254/24 dev br0
ip link set br0 up
ip link set lo up
ip -n vnet-h1 addr add 192.0.2.1/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip -n vnet-h2 addr add 192.0.2.2/24 dev eth0
ip -n vnet-h2 link set eth0 up
sleep 1.5
timeout 1 tcpdump -i br0 --immediate-mode -nn -e -t &
timeout 1 tcpdump -i p2 --immediate-mode -nn -e -t &
sleep 0.3
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
wait
timeout 1 tcpdump -i br0 --immediate-mode -nn -e -t icmp &
timeout 1 tcpdump -i p1 --immediate-mode -nn -e -t icmp &
sleep 0.3
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.254
wait
