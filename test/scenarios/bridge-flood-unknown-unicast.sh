# world: none
# rule: a bridge floods a unicast frame whose destination it has not learned to every other port (a third host's tcpdump sees it), and once it has learned the destination it forwards only to that port; `ageing_time 0` turns learning off so it floods everything (reference 5.3, 5.4)
ip netns add vnet-h1
ip netns add vnet-h2
ip netns add vnet-h3
# no IPv6 chatter (DAD, MLD, router solicitations): the bridge must learn only from what this script sends
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
# static neighbours: no ARP broadcast will teach the bridge anything
ip -n vnet-h1 neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0
ip -n vnet-h2 neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev eth0
bridge fdb show br br0 dynamic
# h3 listens for one second while h1 pings h2
ip netns exec vnet-h3 timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t icmp &
sleep 0.3
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
wait
bridge fdb show br br0 dynamic
ip netns exec vnet-h3 timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t icmp &
sleep 0.3
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
wait
ip link set br0 type bridge ageing_time 0
bridge fdb show br br0 dynamic
ip netns exec vnet-h3 timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t icmp &
sleep 0.3
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
wait
