# world: none
# rule: `ip link set DEV type macvlan mode M` takes effect at once on a running device: two bridge-mode macvlans on one lower talk directly; switching one to private (or vepa) cuts them off without a hairpin switch (its frames leave through the lower); switching back restores it; the mode shows in `ip -d link` (reference 1.5, 1.6, 1.14)
ip netns add vnet-a
ip netns add vnet-b
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link set eth0 up
ip link set wire0 up
ip link add link eth0 name mva address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name mvb address 02:00:00:00:00:b1 type macvlan mode bridge
ip link set mva netns vnet-a
ip link set mvb netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev mva
ip -n vnet-a link set mva up
ip -n vnet-b addr add 192.0.2.2/24 dev mvb
ip -n vnet-b link set mvb up
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
ip -n vnet-b link set mvb type macvlan mode private
ip -n vnet-b -d link show mvb | grep -o 'macvlan mode [a-z]*'
ip -n vnet-a neigh flush dev mva
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
ip -n vnet-b link set mvb type macvlan mode vepa
ip -n vnet-a neigh flush dev mva
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
ip -n vnet-b link set mvb type macvlan mode bridge
ip -n vnet-a neigh flush dev mva
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
ip -n vnet-a link set mva type macvlan mode source
ip -n vnet-a -d link show mva | grep -o 'macvlan mode [a-z]*'
ip -n vnet-a neigh flush dev mva
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
