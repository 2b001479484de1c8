# world: none
# rule: NUD timeline: a neighbour confirmed by an ARP reply is REACHABLE for reachable_time (base_reachable_time ×0.5–1.5) and then STALE (when delay_first_probe_time has passed since it was last used); sending to a STALE entry makes it DELAY, and after delay_first_probe_time it goes PROBE and sends a *unicast* ARP request to the cached MAC (tcpdump -e shows the unicast destination), whose reply makes it REACHABLE again; the pinged side holds the pinger as DELAY (reference 8.1, 9.4)
ip netns add vnet-b
ip link add eth0 address 02:00:00:00:00:10 type veth peer name peer0 address 02:00:00:00:00:20
ip link set peer0 netns vnet-b
ip -n vnet-b link set peer0 name eth0
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n vnet-b addr add 192.0.2.20/24 dev eth0
ip -n vnet-b link set eth0 up
ip link show eth0
sysctl -w net.ipv4.neigh.eth0.base_reachable_time_ms=400
sysctl -w net.ipv4.neigh.eth0.delay_first_probe_time=0
ping -c1 -W1 192.0.2.20
ip neigh show 192.0.2.20
sleep 1.5
ip neigh show 192.0.2.20
ip neigh show nud stale
ip -n vnet-b neigh show 192.0.2.10
sysctl -w net.ipv4.neigh.eth0.base_reachable_time_ms=30000
sysctl -w net.ipv4.neigh.eth0.delay_first_probe_time=1
ip netns exec vnet-b timeout 2 tcpdump -i eth0 --immediate-mode -nn -e -t arp &
sleep 0.3
ping -c1 -W1 192.0.2.20
ip neigh show 192.0.2.20
wait
ip neigh show 192.0.2.20
ip neigh show nud reachable
