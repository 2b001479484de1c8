# world: none
# rule: `tcpdump -i any` captures on every interface of the namespace with the cooked (SLL2) header: each line starts with the interface name and the direction — `Out` for frames we send, `In` for unicast to us, `B` for broadcast received, `M` for multicast received; with -e the link addresses and ethertype are shown; loopback packets appear once each, as `lo    In` (the outgoing copy is not delivered, though it counts in "packets received by filter") (reference 13.1)
ip netns add vnet-b
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name peer0 address 02:00:00:00:00:20
ip link set peer0 netns vnet-b
ip -n vnet-b link set peer0 name eth0
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n vnet-b addr add 192.0.2.20/24 dev eth0
ip -n vnet-b link set eth0 up
timeout 1 tcpdump -i any --immediate-mode -nn -t &
sleep 0.3
ip netns exec vnet-b ping -c1 -W1 192.0.2.10
ping -c1 -W1 127.0.0.1
wait
timeout 1 tcpdump -i any --immediate-mode -nn -e -t icmp &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
sysctl -q -w net.ipv4.icmp_echo_ignore_broadcasts=0
ip -n vnet-b route add 224.0.0.0/4 dev eth0
timeout 1 tcpdump -i any --immediate-mode -nn -t icmp &
sleep 0.3
ip netns exec vnet-b ping -c1 -W1 -b 192.0.2.255
ip netns exec vnet-b ping -c1 -W1 224.0.0.1
wait
