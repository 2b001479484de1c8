# world: none
# rule: seed 002's vepa experiment: two vepa-mode macvlans on the same lower cannot reach each other when the lower's switch does not reflect frames (here the lower's other end has no bridge at all); the ping gets no answer (reference 1.6, 1.7)
ip netns add vnet-lan
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11 netns vnet-lan
ip -n vnet-lan link set wire0 up
ip link set eth0 up
ip link add link eth0 dev macvlan4 address 02:00:00:00:00:a4 type macvlan mode vepa
ip netns add vnet-macvlan4
ip link set macvlan4 netns vnet-macvlan4
ip netns exec vnet-macvlan4 ip addr add 203.0.113.4/24 dev macvlan4
ip netns exec vnet-macvlan4 ip link set macvlan4 up
ip link add link eth0 dev macvlan5 address 02:00:00:00:00:a5 type macvlan mode vepa
ip netns add vnet-macvlan5
ip link set macvlan5 netns vnet-macvlan5
ip netns exec vnet-macvlan5 ip addr add 203.0.113.5/24 dev macvlan5
ip netns exec vnet-macvlan5 ip link set macvlan5 up
ip netns exec vnet-macvlan4 ping -c1 -W1 203.0.113.5
ip netns exec vnet-macvlan4 ip neigh
ip netns exec vnet-macvlan5 ip neigh
ip netns exec vnet-macvlan4 ip -d link show macvlan4
