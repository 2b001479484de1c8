# world: default
# rule: your own addresses are local routes through lo: pinging eth0's address works while eth0 is down (its local route stays), `-I eth0` to it too while eth0 is up, but a neighbour on the down interface's subnet is "Network is unreachable"; with the default route gone as well, a remote host is unreachable too; `ip route get` of the own address answers `local … dev lo` (reference 7.2, 9.5)
ping -c1 -W1 192.0.2.10
ping -c1 -W1 -I eth0 192.0.2.10
ip link set eth0 down
ip route
ping -c1 -W1 192.0.2.10
ip route get 192.0.2.10
ping -c1 -W1 192.0.2.20
ping -c1 -W1 198.51.100.1
ip link set eth0 up
ip route
ping -c1 -W1 198.51.100.1
ip route add default via 192.0.2.1
ping -c1 -W1 198.51.100.1
