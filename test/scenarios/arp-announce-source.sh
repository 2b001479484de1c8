# world: none
# rule: the sender IP of an ARP request is the source address of the packet that triggered it with arp_announce=0 (even an address from another subnet, here the `-I` source), while arp_announce=2 picks the interface's address in the target's subnet; tcpdump shows it as "Request who-has T tell S" (reference 8.1)
ip netns add vnet-b
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name peer0 address 02:00:00:00:00:20
ip link set peer0 netns vnet-b
ip -n vnet-b link set peer0 name eth0
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip addr add 192.0.2.10/24 dev eth0
ip addr add 198.51.100.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n vnet-b addr add 198.51.100.20/24 dev eth0
ip -n vnet-b link set eth0 up
ip -n vnet-b route add 192.0.2.0/24 dev eth0
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -t arp &
sleep 0.3
ping -c1 -W1 -I 192.0.2.10 198.51.100.20
wait
ip -n vnet-b neigh show 192.0.2.10
ip neigh flush dev eth0
ip -n vnet-b neigh flush dev eth0
sysctl -w net.ipv4.conf.eth0.arp_announce=2
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -t arp &
sleep 0.3
ping -c1 -W1 -I 192.0.2.10 198.51.100.20
wait
ip -n vnet-b neigh show 198.51.100.10
