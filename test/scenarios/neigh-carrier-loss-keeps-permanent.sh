# world: none
# rule: losing carrier (the veth peer goes down) flushes the learned and `nud stale/reachable` neighbours of the device but keeps only PERMANENT entries (NOARP ones go too, `neigh_carrier_down` skips only NUD_PERMANENT); a ping to a permanent neighbour without carrier is silently lost (exit 1); admin down flushes them all; `ip neigh change` without `nud` makes the entry PERMANENT, `change` of a missing entry → "RTNETLINK answers: No such file or directory"; `nud permanent` and `nud noarp` filters list only those (reference 8.1, 9.4, 13.13)
ip netns add vnet-b
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name peer0 address 02:00:00:00:00:20
ip link set peer0 netns vnet-b
ip -n vnet-b link set peer0 name eth0
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n vnet-b addr add 192.0.2.20/24 dev eth0
ip -n vnet-b link set eth0 up
ip link show eth0
ping -c1 -W1 192.0.2.20
ip neigh add 192.0.2.50 lladdr 02:00:00:00:00:50 dev eth0
ip neigh add 192.0.2.51 lladdr 02:00:00:00:00:51 dev eth0 nud noarp
ip neigh add 192.0.2.52 lladdr 02:00:00:00:00:52 dev eth0 nud stale
ip neigh change 192.0.2.53 lladdr 02:00:00:00:00:53 dev eth0
ip neigh change 192.0.2.52 lladdr 02:00:00:00:00:5c dev eth0
ip neigh show 192.0.2.52
ip neigh show nud permanent
ip neigh show nud noarp
ip -n vnet-b link set eth0 down
sleep 1.5
ip link show eth0
ip neigh show 192.0.2.20
ip neigh show 192.0.2.52
ip neigh show 192.0.2.50
ip neigh show 192.0.2.51 nud all
ping -c1 -W1 192.0.2.50
ip -n vnet-b link set eth0 up
ip link set eth0 down
ip neigh show nud all
