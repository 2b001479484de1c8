# world: none
# rule: a passthru macvlan takes every unicast frame that arrives on its lower (its MAC is the lower's), so an outside host reaches the passthru device's namespace, but unicast to the lower's own IP stack no longer arrives: the lower still answers ARP (broadcast reaches both) yet the ping fails (reference 1.5 unicast step 2, 1.8)
ip netns add vnet-ext
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-ext
ip -n vnet-ext addr add 192.0.2.20/24 dev eth0
ip -n vnet-ext link set eth0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip netns exec vnet-ext ping -c1 -W1 192.0.2.10
ip netns add vnet-pt
ip link add link eth0 name pt0 type macvlan mode passthru
ip link set pt0 netns vnet-pt
ip -n vnet-pt addr add 192.0.2.30/24 dev pt0
ip -n vnet-pt link set pt0 up
ip -n vnet-ext neigh flush dev eth0
ip netns exec vnet-ext ping -c1 -W1 192.0.2.30
ip netns exec vnet-ext ping -c1 -W1 192.0.2.10
ip -n vnet-ext neigh show 192.0.2.10
ip -n vnet-ext neigh show 192.0.2.30
ip -n vnet-pt link set pt0 down
ip netns exec vnet-ext ping -c1 -W1 192.0.2.10
