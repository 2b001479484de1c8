# world: none
# requires: ipvlan
# rule: the port's flags decide slave-to-slave traffic: bridge switches it inside the kernel, private drops it (the outside is still reachable), vepa sends it out to the switch with the shared MAC as source and destination, so it needs a hairpin port to come back (reference 3.3)
ip netns add vnet-sw
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-sw link add sw0 address 02:00:00:00:01:00 type bridge
ip -n vnet-sw link set sw0p1 master sw0
ip -n vnet-sw link set sw0p1 up
ip -n vnet-sw link set sw0 up
ip -n vnet-sw addr add 192.0.2.100/24 dev sw0
ip link set eth0 up
ip netns add vnet-a
ip netns add vnet-b
ip link add link eth0 name ipva type ipvlan mode l2 private
ip link add link eth0 name ipvb type ipvlan mode l2 private
ip link set ipva netns vnet-a
ip link set ipvb netns vnet-b
ip -n vnet-a addr add 192.0.2.11/24 dev ipva
ip -n vnet-b addr add 192.0.2.12/24 dev ipvb
ip -n vnet-a link set ipva up
ip -n vnet-b link set ipvb up
ip netns exec vnet-a ping -c1 -W1 192.0.2.100
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip -n vnet-a link set ipva type ipvlan mode l2 vepa
ip -n vnet-a neigh flush dev ipva
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
ip -n vnet-a neigh flush dev ipva
ip -n vnet-b neigh flush dev ipvb
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip -n vnet-a link set ipva type ipvlan mode l2 bridge
ip -n vnet-a neigh flush dev ipva
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
