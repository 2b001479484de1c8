# world: none
# rule: frames between two bridge-mode macvlans never leave the host, yet a capture on their lower device shows them (they are delivered through the lower's receive path, so its taps see them as incoming); a capture on each macvlan shows only its own traffic; only the broadcast ARP request reaches the wire; with `-Q in` the lower shows both the request and the reply as incoming, with `-Q out` nothing — yet "packets received by filter" still counts the 2 frames libpcap dropped for their direction (reference 1.5, 1.6)
ip netns add vnet-a
ip netns add vnet-b
ip netns add vnet-w
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-w sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link set wire0 netns vnet-w
ip -n vnet-w link set wire0 up
ip link set eth0 up
ip link add link eth0 name mva address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name mvb address 02:00:00:00:00:b1 type macvlan mode bridge
ip link set mva netns vnet-a
ip link set mvb netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev mva
ip -n vnet-a link set mva up
ip -n vnet-b addr add 192.0.2.2/24 dev mvb
ip -n vnet-b link set mvb up
sleep 1.5
timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t &
ip netns exec vnet-w timeout 1 tcpdump -i wire0 --immediate-mode -nn -e -t &
ip netns exec vnet-b timeout 1 tcpdump -i mvb --immediate-mode -nn -e -t &
sleep 0.3
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
wait
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t -Q in icmp &
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t -Q out icmp &
sleep 0.3
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
wait
