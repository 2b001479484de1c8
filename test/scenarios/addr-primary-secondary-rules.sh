# world: none
# rule: a second address in an existing subnet becomes `secondary` (listed after the primary), one in a new subnet is another primary; any `label` is accepted and shown at the end of the line, `brd +` computes the broadcast (without `brd` none is shown); deleting a primary deletes its secondaries too (promote_secondaries=0 by default), with promote_secondaries=1 the first secondary is promoted instead; `ip addr flush` removes all; /32 addresses get no prefix route (reference 9.3)
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip addr add 192.0.2.1/24 dev v0
ip addr add 192.0.2.2/24 dev v0
ip addr add 192.0.2.3/24 brd + dev v0 label v0:web
ip addr add 198.51.100.1/24 brd 198.51.100.255 dev v0
ip addr add 203.0.113.1/32 dev v0
ip addr add 203.0.113.9/24 dev v0 label web
ip addr show dev v0
ip -4 -o addr show dev v0
ip link set v0 up
ip route
ip addr del 192.0.2.1/24 dev v0
ip -4 addr show dev v0
ip route show table local dev v0
sysctl -w net.ipv4.conf.v0.promote_secondaries=1
ip addr add 192.0.2.1/24 dev v0
ip addr add 192.0.2.2/24 dev v0
ip addr del 192.0.2.1/24 dev v0
ip -4 addr show dev v0
ip addr del 192.0.2.200/24 dev v0
ip addr flush dev v0
ip -4 addr show dev v0
ip route
