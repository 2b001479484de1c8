# world: none
# rule: bridge-mode siblings talk inside the kernel, but only while the lower has carrier: with the lower down (or its veth peer down) the macvlans stay admin-UP yet lose carrier and cannot reach each other; it works again when the lower comes back (seed 000's "if the parent goes down, all macvlans go down": they do not go down, they lose carrier) (reference 0 carrier, 1.6, 1.11)
ip netns add vnet-lan
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link set wire0 netns vnet-lan
ip -n vnet-lan link set wire0 up
ip link set eth0 up
ip netns add vnet-a
ip netns add vnet-b
ip link add link eth0 name mva address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name mvb address 02:00:00:00:00:a2 type macvlan mode bridge
ip link set mva netns vnet-a
ip link set mvb netns vnet-b
ip -n vnet-a addr add 192.0.2.11/24 dev mva
ip -n vnet-a link set mva up
ip -n vnet-b addr add 192.0.2.12/24 dev mvb
ip -n vnet-b link set mvb up
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip link set eth0 down
ip -n vnet-a link show mva
ip -n vnet-a neigh show
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip link set eth0 up
# forget the unanswered ARP of the try without carrier, so the new ping asks again at once
ip -n vnet-a neigh flush dev mva
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip -n vnet-lan link set wire0 down
ip -n vnet-a link show mva
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
