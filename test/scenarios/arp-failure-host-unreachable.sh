# world: none
# rule: when nobody answers ARP, resolution fails after 3 broadcast probes (~3 s): ping prints "From <own IP> icmp_seq=N Destination Host Unreachable", `+N errors` in the statistics and exits 1 at once, and the neighbour entry is FAILED (INCOMPLETE while probing). The report is an ICMP error the kernel sends to itself, so it needs lo up (see arp-failure-unreported-when-lo-down) (reference 8.1, 9.6)
ip netns add vnet-far
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-far
ip -n vnet-far link set eth0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ping -c1 -W1 192.0.2.99
ip neigh show 192.0.2.99
ping -c1 192.0.2.99
ip neigh show 192.0.2.99
ip neigh show nud failed
