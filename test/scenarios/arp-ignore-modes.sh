# world: none
# rule: arp_ignore decides which ARP requests for a local address get a reply: 0 (default) answers for any local address on any interface (weak host model, the reply carries the receiving interface's MAC), 1 only if the target address is configured on the receiving interface, 2 also requires the sender's address to be in the target address's subnet; the effective value is max(all, interface) (reference 8.1, 13.13)
ip netns add vnet-a
ip link add eth0 address 02:00:00:00:00:10 type veth peer name peer0 address 02:00:00:00:00:20
ip link set peer0 netns vnet-a
ip -n vnet-a link set peer0 name eth0
ip link add eth1 address 02:00:00:00:02:10 type veth peer name stub0 address 02:00:00:00:02:11
ip addr add 192.0.2.10/24 dev eth0
ip addr add 203.0.113.10/24 dev eth0
ip addr add 198.51.100.10/24 dev eth1
ip link set eth0 up
ip link set eth1 up
ip link set stub0 up
ip -n vnet-a addr add 192.0.2.20/24 dev eth0
ip -n vnet-a link set eth0 up
ip link show eth0
sysctl net.ipv4.conf.all.arp_ignore net.ipv4.conf.eth0.arp_ignore
ip netns exec vnet-a arping -c1 -w1 -i eth0 -S 192.0.2.20 198.51.100.10
ip netns exec vnet-a arping -c1 -w1 -i eth0 -S 192.0.2.20 203.0.113.10
sysctl -w net.ipv4.conf.eth0.arp_ignore=1
ip netns exec vnet-a arping -c1 -w1 -i eth0 -S 192.0.2.20 198.51.100.10
ip netns exec vnet-a arping -c1 -w1 -i eth0 -S 192.0.2.20 203.0.113.10
sysctl -w net.ipv4.conf.eth0.arp_ignore=0
sysctl -w net.ipv4.conf.all.arp_ignore=2
ip netns exec vnet-a arping -c1 -w1 -i eth0 -S 192.0.2.20 192.0.2.10
ip netns exec vnet-a arping -c1 -w1 -i eth0 -S 192.0.2.20 203.0.113.10
ip netns exec vnet-a arping -c1 -w1 -i eth0 -S 192.0.2.20 198.51.100.10
