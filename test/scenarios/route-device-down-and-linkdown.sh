# world: none
# rule: taking a device down removes its subnet route and every route through it (static `via` routes are gone for good, they do not come back with `up`), its local routes stay; losing carrier (peer down) keeps the routes but marks them `linkdown`, and a default route through it still shows (reference 9.3, 9.5)
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip link set lo up
ip addr add 192.0.2.10/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add 198.51.100.0/24 via 192.0.2.1
ip route add default via 192.0.2.254 metric 100
ip route
ip link set v1 down
ip route
ip route get 198.51.100.7
ip link set v1 up
ip route
ip link set v0 down
ip route
ip route show table local
ip route get 198.51.100.7
ip link set v0 up
ip route
ip addr flush dev v0
ip route
ip route show table local
