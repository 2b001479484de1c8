# world: default
# rule: in the default world the switch port sw0p1 has hairpin off, so two vepa macvlans on eth0 reach the gateway and the neighbour but not each other; `ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on` (the world's documented change) makes them reach each other too (reference 1.7, 5.4; worlds/default.sh)
ip netns add vnet-c1
ip netns add vnet-c2
ip link add link eth0 name mv1 address 02:00:00:00:00:b1 type macvlan
ip link add link eth0 name mv2 address 02:00:00:00:00:b2 type macvlan
ip link set mv1 netns vnet-c1
ip link set mv2 netns vnet-c2
ip -n vnet-c1 addr add 192.0.2.101/24 dev mv1
ip -n vnet-c1 link set mv1 up
ip -n vnet-c1 route add default via 192.0.2.1
ip -n vnet-c2 addr add 192.0.2.102/24 dev mv2
ip -n vnet-c2 link set mv2 up
ip netns exec vnet-c1 ping -c1 -W1 192.0.2.1
ip netns exec vnet-c1 ping -c1 -W1 198.51.100.1
ip netns exec vnet-c1 ping -c1 -W1 192.0.2.102
ip netns exec vnet-c1 ping -c1 -W1 192.0.2.10
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
ip -n vnet-sw -d link show sw0p1 | grep -o 'hairpin [a-z]*'
# forget the unanswered ARPs of the first tries, so the new pings ask again at once
ip -n vnet-c1 neigh flush dev mv1
ip netns exec vnet-c1 ping -c1 -W1 192.0.2.102
ip netns exec vnet-c1 ping -c1 -W1 192.0.2.10
ping -c1 -W1 192.0.2.102
