# world: none
# rule: private mode drops only broadcast/multicast between siblings: even behind a hairpin switch two private macvlans cannot resolve each other by ARP, but with static neighbour entries their unicast gets through (seed 003's private experiment; seed 000's "even with hairpin the traffic is dropped" is wrong for unicast) (reference 1.5, 1.7, 13.6)
ip netns add vnet-sw
ip -n vnet-sw link add sw0 type bridge
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-sw link set sw0p1 master sw0 up
ip -n vnet-sw link set sw0 up
ip netns exec vnet-sw bridge link set dev sw0p1 hairpin on
ip link set eth0 up
ip netns add vnet-ns1
ip netns add vnet-ns2
ip link add link eth0 name macvl1 address 02:00:00:00:00:a1 type macvlan mode private
ip link add link eth0 name macvl2 address 02:00:00:00:00:a2 type macvlan mode private
ip link set macvl1 netns vnet-ns1
ip link set macvl2 netns vnet-ns2
ip -n vnet-ns1 addr add 192.0.2.2/24 dev macvl1
ip -n vnet-ns1 link set macvl1 up
ip -n vnet-ns2 addr add 192.0.2.3/24 dev macvl2
ip -n vnet-ns2 link set macvl2 up
ip netns exec vnet-ns1 ping -c1 -W1 192.0.2.3
ip -n vnet-ns1 neigh show
ip -n vnet-ns2 neigh show
ip -n vnet-ns1 neigh replace 192.0.2.3 lladdr 02:00:00:00:00:a2 dev macvl1
ip -n vnet-ns2 neigh replace 192.0.2.2 lladdr 02:00:00:00:00:a1 dev macvl2
ip netns exec vnet-ns1 ping -c2 -i0.2 -W1 192.0.2.3
ip -n vnet-ns1 neigh show
