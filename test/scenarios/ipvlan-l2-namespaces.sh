# world: none
# requires: ipvlan
# rule: l2 mode: slaves in their own namespaces reach each other and the outside, ARP included, all at the master's MAC; the master and its slaves cannot reach each other (the master's ARP goes out on the wire, a slave's ARP for the master never reaches it); each slave's link-local uses its dev_id in place of ff:fe without flipping the U/L bit (reference 3.1, 3.2, 3.3)
ip netns add vnet-out
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11 netns vnet-out
ip -n vnet-out addr add 192.0.2.100/24 dev wire0
ip -n vnet-out link set wire0 up
ip link set eth0 up
ip addr add 192.0.2.1/24 dev eth0
ip netns add vnet-a
ip netns add vnet-b
ip link add link eth0 name ipva type ipvlan mode l2
ip link add link eth0 name ipvb type ipvlan mode l2
ip link set ipva netns vnet-a
ip link set ipvb netns vnet-b
ip -n vnet-a addr add 192.0.2.11/24 dev ipva
ip -n vnet-b addr add 192.0.2.12/24 dev ipvb
ip -n vnet-a link set ipva up
ip -n vnet-b link set ipvb up
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip netns exec vnet-b ping -c1 -W1 192.0.2.100
ip netns exec vnet-out ping -c1 -W1 192.0.2.11
ip -n vnet-out neigh show 192.0.2.11
ip -n vnet-a neigh show 192.0.2.12
ip netns exec vnet-a ping -c1 -W1 192.0.2.1
ping -c1 -W1 192.0.2.12
sleep 2
ip -n vnet-a -6 addr show ipva
ip -n vnet-b -6 addr show ipvb
ip -6 addr show eth0
