# world: none
# rule: a macvlan moved to another namespace keeps its lower: seen from there it is m1@ifN (N = the lower's ifindex in its own namespace) with ` link-netnsid ID` when the lower's namespace has no name, ` link-netns NAME` when it has one; it arrives DOWN and without addresses; M-DOWN is never shown across namespaces (reference 1.13, 7.3, 9.1, 9.2)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name m1 address 02:00:00:00:00:a1 type macvlan mode bridge
ip addr add 192.0.2.11/24 dev m1
ip link set m1 up
ip link show m1
ip netns add vnet-a
ip link set m1 netns vnet-a
ip link show m1
ip -n vnet-a link show m1
ip -n vnet-a addr show m1
ip -n vnet-a -d link show m1
ip netns list
# now the lower itself goes to a named namespace: the macvlan left here points across, by name
ip link add link eth0 name m2 address 02:00:00:00:00:a2 type macvlan mode bridge
ip netns add vnet-lower
ip link set eth0 netns vnet-lower
ip link show m2
ip -n vnet-a link show m1
ip -n vnet-lower link show
ip netns list
