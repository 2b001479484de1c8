# world: none
# rule: `ip neigh flush` needs a selector ("Flush requires arguments.", exit 1); `flush dev D`, `flush to PREFIX` and `flush ADDR` remove matching non-permanent entries, `flush nud permanent` removes permanent ones too, and `-s` reports the rounds ("*** Round 1, deleting N entries ***" / "*** Flush is complete after 1 round ***"); flushing nothing prints nothing, with -s "Nothing to flush."; an unknown device → 'Cannot find device "X"' (exit 1) (reference 9.4)
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name peer0 address 02:00:00:00:00:20
ip addr add 192.0.2.10/24 dev eth0
ip addr add 198.51.100.10/24 dev eth0
ip link set eth0 up
ip link set peer0 up
ip neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev eth0 nud stale
ip neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud reachable
ip neigh add 198.51.100.1 lladdr 02:00:00:00:02:01 dev eth0 nud stale
ip neigh add 198.51.100.2 lladdr 02:00:00:00:02:02 dev eth0
ip neigh flush
ip neigh flush 192.0.2.1
ip neigh show 192.0.2.1
ip -s neigh flush to 198.51.100.0/24
ip neigh show 198.51.100.1
ip neigh show 198.51.100.2
ip -s neigh flush dev eth0
ip neigh show 192.0.2.2
ip -s neigh flush dev eth0
ip neigh flush nud permanent dev eth0
ip neigh show dev eth0 nud all
ip neigh flush dev nonexist
