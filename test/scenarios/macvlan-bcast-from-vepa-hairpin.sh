# world: none
# rule: a vepa-mode macvlan's ARP broadcast, reflected by a hairpin switch: reflected back, the broadcast reaches bridge and vepa siblings, the source-mode device that lists the sender, and the lower, and all of them answer through the hairpin; private siblings never get it (reference 1.5 receiver set, 1.6, 1.7)
# Each macvlan sits in its own namespace. The sender pings every receiver at once (dynamic ARP);
# a receiver's neighbour table then shows whether the sender's broadcast ARP request reached it.
# the upstream switch: a Linux bridge sw0 in vnet-sw. Port sw0p1 is the cable to our eth0 (the
# macvlan lower), port sw0p2 the cable to an outside host in vnet-ext.
ip netns add vnet-sw
ip netns add vnet-ext
ip -n vnet-sw link add sw0 type bridge
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-ext link add eth0 address 02:00:00:00:00:20 type veth peer name sw0p2 address 02:00:00:00:01:02 netns vnet-sw
ip -n vnet-sw link set sw0p1 master sw0 up
ip -n vnet-sw link set sw0p2 master sw0 up
ip -n vnet-sw link set sw0 up
ip -n vnet-ext addr add 192.0.2.20/24 dev eth0
ip -n vnet-ext link set eth0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
# reflective relay: the switch may send a frame back out of the port it came in on
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
# the sender: mode vepa
ip netns add vnet-v
ip link add link eth0 name mvv address 02:00:00:00:00:13 type macvlan mode vepa
ip link set mvv netns vnet-v
ip -n vnet-v addr add 192.0.2.13/24 dev mvv
ip -n vnet-v link set mvv up
# the receivers, one per mode (the source-mode one lists the sender's MAC)
ip netns add vnet-b
ip link add link eth0 name mvb address 02:00:00:00:00:11 type macvlan mode bridge
ip link set mvb netns vnet-b
ip -n vnet-b addr add 192.0.2.11/24 dev mvb
ip -n vnet-b link set mvb up
ip netns add vnet-v2
ip link add link eth0 name mvv2 address 02:00:00:00:00:14 type macvlan mode vepa
ip link set mvv2 netns vnet-v2
ip -n vnet-v2 addr add 192.0.2.14/24 dev mvv2
ip -n vnet-v2 link set mvv2 up
ip netns add vnet-p
ip link add link eth0 name mvp address 02:00:00:00:00:15 type macvlan mode private
ip link set mvp netns vnet-p
ip -n vnet-p addr add 192.0.2.15/24 dev mvp
ip -n vnet-p link set mvp up
ip netns add vnet-s
ip link add link eth0 name mvs address 02:00:00:00:00:17 type macvlan mode source macaddr set 02:00:00:00:00:13
ip link set mvs netns vnet-s
ip -n vnet-s addr add 192.0.2.17/24 dev mvs
ip -n vnet-s link set mvs up
# ping everybody at the same time, then look at who learned the sender
ip netns exec vnet-v ping -c1 -W1 192.0.2.11 &
ip netns exec vnet-v ping -c1 -W1 192.0.2.14 &
ip netns exec vnet-v ping -c1 -W1 192.0.2.15 &
ip netns exec vnet-v ping -c1 -W1 192.0.2.17 &
ip netns exec vnet-v ping -c1 -W1 192.0.2.10 &
ip netns exec vnet-v ping -c1 -W1 192.0.2.20 &
wait
ip -n vnet-b neigh show
ip -n vnet-v2 neigh show
ip -n vnet-p neigh show
ip -n vnet-s neigh show
ip neigh show
ip -n vnet-ext neigh show
