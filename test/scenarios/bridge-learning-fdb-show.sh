# world: none
# rule: a bridge learns each source MAC on the port it arrived on (entries `MAC dev PORT master br0 ` with an empty state word), each port's own MAC is a `permanent` local entry, `self` lines are the ports' own address lists, `bridge fdb show dev P` leaves out `dev P`, `dynamic` hides permanent entries (reference 5.3, 5.5)
ip netns add vnet-h1
ip netns add vnet-h2
ip link add br0 type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-h1
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-h2
ip link set p1 master br0
ip link set p2 master br0
ip link set p1 up
ip link set p2 up
ip link set br0 up
ip -n vnet-h1 addr add 192.0.2.1/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip -n vnet-h2 addr add 192.0.2.2/24 dev eth0
ip -n vnet-h2 link set eth0 up
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
bridge fdb show br br0 | grep -v self
bridge fdb show dev p1 | grep -v self
bridge fdb show br br0 dynamic
bridge fdb show br br0 | grep -c self
brctl showmacs br0
