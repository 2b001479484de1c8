# world: none
# rule: the host cannot talk to its own macvlan guests through the lower (frames leave on the wire, the lower's stack never sees them); the seeds' workaround works: give the host its own bridge-mode macvlan on the same lower and route the guest through it (reference 1.6, 1.7; seeds 000, 001, 004)
ip netns add vnet-lan
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11 netns vnet-lan
ip -n vnet-lan link set wire0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip netns add vnet-guest
ip link add link eth0 name mvguest address 02:00:00:00:00:21 type macvlan mode bridge
ip link set mvguest netns vnet-guest
ip -n vnet-guest addr add 192.0.2.21/24 dev mvguest
ip -n vnet-guest link set mvguest up
ping -c1 -W1 192.0.2.21
ip neigh show
# the workaround: a macvlan for the host itself, and a host route to the guest through it
ip link add link eth0 name mvhost address 02:00:00:00:00:09 type macvlan mode bridge
ip addr add 192.0.2.9/32 dev mvhost
ip link set mvhost up
ip route add 192.0.2.21/32 dev mvhost
ip route get 192.0.2.21
ping -c1 -W1 192.0.2.21
ip netns exec vnet-guest ping -c1 -W1 192.0.2.9
ip neigh show dev mvhost
ip neigh show dev eth0
