# world: none
# rule: with static neighbour entries (no ARP) and a hairpin switch, unicast works between every pair of modes, private included: the macvlan unicast receive path only matches the destination MAC, it checks no mode (reference 1.5 unicast, 1.7 last row, 13.6)
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
ip netns add vnet-b
ip link add link eth0 name mvb address 02:00:00:00:00:11 type macvlan mode bridge
ip link set mvb netns vnet-b
ip -n vnet-b addr add 192.0.2.11/24 dev mvb
ip -n vnet-b link set mvb up
ip netns add vnet-b2
ip link add link eth0 name mvb2 address 02:00:00:00:00:12 type macvlan mode bridge
ip link set mvb2 netns vnet-b2
ip -n vnet-b2 addr add 192.0.2.12/24 dev mvb2
ip -n vnet-b2 link set mvb2 up
ip netns add vnet-v
ip link add link eth0 name mvv address 02:00:00:00:00:13 type macvlan mode vepa
ip link set mvv netns vnet-v
ip -n vnet-v addr add 192.0.2.13/24 dev mvv
ip -n vnet-v link set mvv up
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
ip netns add vnet-p2
ip link add link eth0 name mvp2 address 02:00:00:00:00:16 type macvlan mode private
ip link set mvp2 netns vnet-p2
ip -n vnet-p2 addr add 192.0.2.16/24 dev mvp2
ip -n vnet-p2 link set mvp2 up
# every macvlan knows every other one's MAC: no broadcast is ever needed
for a in b:11 b2:12 v:13 v2:14 p:15 p2:16; do
  for b in b:11 b2:12 v:13 v2:14 p:15 p2:16; do
    [ "$a" = "$b" ] && continue
    ip -n vnet-${a%%:*} neigh add 192.0.2.${b#*:} lladdr 02:00:00:00:00:${b#*:} dev mv${a%%:*} nud permanent
  done
done
ip netns exec vnet-b ping -c1 -W1 192.0.2.12 &
ip netns exec vnet-b ping -c1 -W1 192.0.2.13 &
ip netns exec vnet-v ping -c1 -W1 192.0.2.11 &
ip netns exec vnet-v ping -c1 -W1 192.0.2.14 &
ip netns exec vnet-b ping -c1 -W1 192.0.2.15 &
ip netns exec vnet-p ping -c1 -W1 192.0.2.11 &
ip netns exec vnet-p ping -c1 -W1 192.0.2.16 &
ip netns exec vnet-v ping -c1 -W1 192.0.2.15 &
ip netns exec vnet-p ping -c1 -W1 192.0.2.13 &
wait
