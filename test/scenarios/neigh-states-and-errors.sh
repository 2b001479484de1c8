# world: none
# rule: `ip neigh add` defaults to PERMANENT, `add` of an existing entry → EEXIST, `del` of a missing one → ENOENT, no lladdr → "No link layer address given"; a pinged host becomes REACHABLE, the pinged side holds the pinger as DELAY; `flush` keeps PERMANENT and NOARP entries; admin-down flushes everything, PERMANENT included; NOARP entries are hidden unless `nud all` (reference 8.1, 9.4)
ip netns add vnet-b
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:20 netns vnet-b
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip -n vnet-b addr add 192.0.2.2/24 dev v1
ip -n vnet-b link set v1 up
ping -c1 -W1 192.0.2.2
ip neigh show 192.0.2.2
ip -n vnet-b neigh show
ip neigh add 192.0.2.50 lladdr 02:00:00:00:00:50 dev v0
ip neigh add 192.0.2.50 lladdr 02:00:00:00:00:51 dev v0
ip neigh replace 192.0.2.50 lladdr 02:00:00:00:00:51 dev v0
ip neigh show 192.0.2.50
ip neigh add 192.0.2.51 lladdr 02:00:00:00:00:52 dev v0 nud stale
ip neigh add 192.0.2.52 lladdr 02:00:00:00:00:53 dev v0 nud noarp
ip neigh add 192.0.2.53 dev v0
ip neigh del 192.0.2.99 dev v0
ip neigh show 192.0.2.51
ip neigh show 192.0.2.52
ip neigh show 192.0.2.52 nud all
ip neigh show dev v0 192.0.2.50
ip neigh flush dev v0
ip neigh show 192.0.2.2
ip neigh show 192.0.2.50
ip neigh show 192.0.2.51
ip neigh show 192.0.2.52 nud all
ip link set v0 down
ip link set v0 up
ip neigh show nud all
