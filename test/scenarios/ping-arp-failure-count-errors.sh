# world: none
# rule: when ARP for the target fails, every echo request queued or sent while the neighbour was INCOMPLETE is answered by a local "Destination Host Unreachable" (one line per icmp_seq), the statistics show `+N errors` and, when several requests were outstanding at once, `pipe N`; the neighbour ends FAILED; with a deadline (-w) and -c, ping keeps sending until the count is *answered*, and stops at the first error (iputils: `if (deadline && nerrors) break`); with -W and no error at all there is no `pipe` line (reference 8.1, 9.6)
ip netns add vnet-b
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-b
ip -n vnet-b link set eth0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ping -c 4 -i 0.2 192.0.2.99
ip neigh show 192.0.2.99
ip neigh flush dev eth0
ping -c 2 -i 0.5 -W 1 192.0.2.99
ip neigh flush dev eth0
ip neigh show 192.0.2.99
ping -c 1 -w 5 -i 0.9 192.0.2.99
