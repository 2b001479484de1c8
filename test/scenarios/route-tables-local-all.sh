# world: none
# rule: every address adds `local A` and (for prefixes < 31) `broadcast` routes to the local table (with `proto kernel scope host src A`), the subnet route goes to main; `ip route show table local` lists them by type and address, `ip -4 route show table all` shows main then local, `table main` is plain `ip route`, and `table 100` holds user routes apart from main (reference 7.2, 9.5)
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip link set lo up
ip addr add 192.0.2.10/24 dev v0
ip addr add 198.51.100.1/31 dev v1
ip addr add 203.0.113.5/32 dev v1
ip link set v0 up
ip link set v1 up
ip route show table local
ip route show table main
ip route add 203.0.113.0/24 via 192.0.2.1 table 100
ip route show table 100
ip -4 route show table all
ip route get 203.0.113.9
ip route list table local type broadcast
