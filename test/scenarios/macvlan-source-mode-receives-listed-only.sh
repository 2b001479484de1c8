# world: none
# rule: a source-mode macvlan receives only frames whose source MAC is in its list (unicast and broadcast); unlisted hosts cannot reach it even by unicast to its MAC, and adding their MAC lets them in (reference 1.9)
ip netns add vnet-ext
ip netns add vnet-ext2
ip netns add vnet-sw
ip -n vnet-sw link add sw0 type bridge
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-ext link add eth0 address 02:00:00:00:00:20 type veth peer name sw0p2 address 02:00:00:00:01:02 netns vnet-sw
ip -n vnet-ext2 link add eth0 address 02:00:00:00:00:21 type veth peer name sw0p3 address 02:00:00:00:01:03 netns vnet-sw
ip -n vnet-sw link set sw0p1 master sw0 up
ip -n vnet-sw link set sw0p2 master sw0 up
ip -n vnet-sw link set sw0p3 master sw0 up
ip -n vnet-sw link set sw0 up
ip -n vnet-ext addr add 192.0.2.20/24 dev eth0
ip -n vnet-ext link set eth0 up
ip -n vnet-ext2 addr add 192.0.2.21/24 dev eth0
ip -n vnet-ext2 link set eth0 up
ip link set eth0 up
ip netns add vnet-s
ip link add link eth0 name src0 address 02:00:00:00:00:30 type macvlan mode source macaddr add 02:00:00:00:00:20
ip link set src0 netns vnet-s
ip -n vnet-s addr add 192.0.2.30/24 dev src0
ip -n vnet-s link set src0 up
ip netns exec vnet-ext ping -c1 -W1 192.0.2.30 &
ip netns exec vnet-ext2 ping -c1 -W1 192.0.2.30 &
wait
ip -n vnet-s neigh show
ip -n vnet-ext2 neigh replace 192.0.2.30 lladdr 02:00:00:00:00:30 dev eth0
ip -n vnet-s neigh replace 192.0.2.21 lladdr 02:00:00:00:00:21 dev src0
ip netns exec vnet-ext2 ping -c1 -W1 192.0.2.30
ip -n vnet-s link set src0 type macvlan macaddr add 02:00:00:00:00:21
ip -n vnet-s -d link show src0
ip netns exec vnet-ext2 ping -c1 -W1 192.0.2.30
