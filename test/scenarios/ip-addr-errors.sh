# world: none
# rule: `ip addr` errors: duplicate → "Error: ipv4: Address already assigned." (exit 2), deleting a missing one → "Error: ipv4: Address not found." (exit 2), bad prefix → "any valid prefix is expected" (exit 1), unknown device (exit 1); a second address in a covered subnet is `secondary`; addresses stay when the device goes down but the prefix route goes (reference 9.3, 9.5)
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip addr add 192.0.2.1/24 dev v0
ip addr add 192.0.2.1/24 dev v0
ip addr add 192.0.2.3/24 dev v0
ip addr add 198.51.100.1/16 brd + dev v0
ip addr add 203.0.113.300/24 dev v0
ip addr add 203.0.113.1/33 dev v0
ip addr add 203.0.113.1/24 dev nonexist
ip addr del 203.0.113.9/24 dev v0
ip addr add 203.0.113.1/24 dev v0 label v0:1
ip -4 addr show dev v0
ip link set v0 up
ip link set v1 up
ip route
ip link set v0 down
ip -4 addr show dev v0
ip route
ip route show table local
ip addr flush dev v0
ip -4 addr show dev v0
ip -br addr
