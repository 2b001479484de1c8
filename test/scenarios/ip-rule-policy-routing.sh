# world: none
# rule: policy rules steer lookups: `from` a bound source address, `to` a prefix and `iif` pick a table, `unreachable`/`prohibit` rules end the lookup with that error; without rules `ip route get` of a local address shows no table (local is merged into main), after the first rule it shows `table local` (fib_rules_lookup, fib_unmerge)
ip netns add vnet-a
ip netns add vnet-b
ip link add ga address 02:00:00:00:01:01 type veth peer name ra address 02:00:00:00:01:02 netns vnet-a
ip link add gb address 02:00:00:00:02:01 type veth peer name rb address 02:00:00:00:02:02 netns vnet-b
ip addr add 192.0.2.1/24 dev ga
ip addr add 192.0.2.11/24 dev ga
ip addr add 198.51.100.1/24 dev gb
ip link set ga up
ip link set gb up
ip -n vnet-a addr add 192.0.2.2/24 dev ra
ip -n vnet-a link set ra up
ip -n vnet-b addr add 198.51.100.2/24 dev rb
ip -n vnet-b link set rb up
ip -n vnet-a addr add 203.0.113.1/32 dev lo
ip -n vnet-a link set lo up
ip -n vnet-b addr add 203.0.113.1/32 dev lo
ip -n vnet-b link set lo up
ip -n vnet-a route add default via 192.0.2.1
ip -n vnet-b route add default via 198.51.100.1
ip route get 192.0.2.1
ip route add 203.0.113.0/24 via 192.0.2.2
ip route add 203.0.113.0/24 via 198.51.100.2 table 100
ip route get 203.0.113.1
ip rule add from 192.0.2.11 table 100 pref 100
ip rule show
ip route get 192.0.2.1
ip route get 203.0.113.1
ip route get 203.0.113.1 from 192.0.2.11
ping -c1 -W1 -I 192.0.2.11 203.0.113.1
ip -n vnet-b neigh show
ip rule add to 203.0.113.7 unreachable pref 90
ip rule add to 203.0.113.8 prohibit pref 91
ip route get 203.0.113.7
ip route get 203.0.113.8
ping -c1 -W1 203.0.113.7
ping -c1 -W1 203.0.113.8
ip rule del pref 100
ip route get 203.0.113.1 from 192.0.2.11
ip route show table 100
ip route show table 101
