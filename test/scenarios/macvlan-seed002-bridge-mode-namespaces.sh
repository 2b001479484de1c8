# world: none
# rule: seed 002's bridge-mode experiment on a modern kernel: two bridge-mode macvlans in two namespaces ping each other; pinging your own address fails (100% loss, exit 1) only because the fresh namespace's lo is down; the moved macvlan shows as macvlan2@if2 with link-netnsid 0 and state UP (the seed's `state UNKNOWN` is an old kernel) (reference 1.7, 1.11, 7.2, 9.3)
# eth0 stands for the seed's physical NIC: a veth whose other end is up in another namespace
ip netns add vnet-lan
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11 netns vnet-lan
ip -n vnet-lan link set wire0 up
ip link set eth0 up
ip link add link eth0 dev macvlan2 address 36:57:39:7d:74:41 type macvlan mode bridge
ip netns add vnet-macvlan2
ip link set macvlan2 netns vnet-macvlan2
ip netns exec vnet-macvlan2 ip addr add 203.0.113.2/24 dev macvlan2
ip netns exec vnet-macvlan2 ip link set macvlan2 up
ip link add link eth0 dev macvlan3 address 36:57:39:7d:74:42 type macvlan mode bridge
ip netns add vnet-macvlan3
ip link set macvlan3 netns vnet-macvlan3
ip netns exec vnet-macvlan3 ip addr add 203.0.113.3/24 dev macvlan3
ip netns exec vnet-macvlan3 ip link set macvlan3 up
ip netns exec vnet-macvlan2 ip a s macvlan2
ip netns exec vnet-macvlan2 ping 203.0.113.2 -c1
ip netns exec vnet-macvlan2 ping 203.0.113.3 -c1
ip netns exec vnet-macvlan3 ping 203.0.113.2 -c1
ip netns exec vnet-macvlan3 ip link set lo up
ip netns exec vnet-macvlan3 ping 203.0.113.3 -c1
