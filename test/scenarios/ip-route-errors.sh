# world: none
# rule: `ip route` errors: no route → `ip route get` "RTNETLINK answers: Network is unreachable" and ping "connect: Network is unreachable" (exit 2); a gateway not on a connected subnet of an UP device → "Error: Nexthop has invalid gateway." (exit 2); an existing route → "File exists"; deleting a missing one → "No such process"; routes through a device whose carrier is gone are marked `linkdown` (reference 9.5, 10.3)
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip addr add 192.0.2.1/24 dev v0
ip route get 198.51.100.7
ping -c1 -W1 198.51.100.7
ip route add 198.51.100.0/24 via 192.0.2.254
ip link set v0 up
ip link set v1 up
ip route add 198.51.100.0/24 via 203.0.113.1
ip route add 198.51.100.0/24 via 192.0.2.254
ip route add 198.51.100.0/24 via 192.0.2.254
ip route del 203.0.113.0/24
ip route add 203.0.113.0/24 dev v0
ip route add 203.0.113.0/33 dev v0
ip route add default via 192.0.2.254 dev nonexist
ip route
ip route get 203.0.113.7
ip link set v1 down
ip route
