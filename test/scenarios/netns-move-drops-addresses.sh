# world: none
# rule: moving a device to another namespace brings it down and drops its addresses, routes and neighbours; it keeps its ifindex if that number is free in the target, otherwise it gets the target's next free index; moving it back does the same again (reference 7.3, 13.9)
ip netns add vnet-b
ip -n vnet-b link add x0 address 02:00:00:00:00:30 type veth peer name x1 address 02:00:00:00:00:31
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip neigh add 192.0.2.9 lladdr 02:00:00:00:00:99 dev v0
ip -4 addr show v0
ip link set v0 netns vnet-b
ip -n vnet-b link show v0
ip -n vnet-b addr show v0
ip -n vnet-b neigh show
ip route show
ip link show v1
ip link set v1 netns vnet-b
ip -n vnet-b -br link
ip netns add vnet-c
ip -n vnet-b link set v1 netns vnet-c
ip -n vnet-c -br link
ip -br link
