# world: none
# rule: `ip route add` forms: `via GW`, `dev D`, `src S` (must be local: "Error: Invalid prefsrc address."), `metric N` (same prefix with different metrics coexist, listed by metric, the lowest wins in `ip route get`); `replace` creates or overwrites, `change` of a missing route → "RTNETLINK answers: No such file or directory", `append` adds a second route, deleting a missing one → "RTNETLINK answers: No such process", a prefix with host bits → "Error: Invalid prefix for given prefix length." (reference 9.5, 10.3)
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip addr add 192.0.2.10/24 dev v0
ip addr add 198.51.100.10/24 dev v1
ip link set v0 up
ip link set v1 up
ip route add 203.0.113.0/24 via 192.0.2.1
ip route add 203.0.113.0/24 via 198.51.100.1 metric 50
ip route add 203.0.113.0/25 dev v1 src 198.51.100.10
ip route add 203.0.113.128/25 dev v0 src 198.51.100.99
ip route add 203.0.113.1/24 dev v0
ip route
ip route get 203.0.113.200
ip route get 203.0.113.5
ip route replace 203.0.113.0/24 via 192.0.2.2
ip route replace 203.0.113.128/26 via 192.0.2.3 metric 7
ip route change 203.0.113.192/26 via 192.0.2.3
ip route append 203.0.113.0/24 via 198.51.100.2
ip route
ip route del 203.0.113.0/24 metric 50
ip route del 203.0.113.0/24
ip route del 203.0.113.0/24
ip route
ip route del 203.0.113.0/24
ip route show 203.0.113.128/26
ip route show dev v1
ip route flush dev v1
ip route
