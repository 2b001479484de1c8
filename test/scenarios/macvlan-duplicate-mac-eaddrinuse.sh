# world: none
# rule: a macvlan MAC equal to its lower's or to an UP sibling's is accepted at `add` but refused with EADDRINUSE at `up`; `ip link set … address` to a busy MAC is refused even while the macvlan is down; two DOWN macvlans may share a MAC and the first one up wins (reference 1.2, 1.3, 1.4, 13.7)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name mv1 address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name mv2 address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name mv3 address 02:00:00:00:00:10 type macvlan mode vepa
ip -br link
ip link set mv3 up
ip link set mv1 up
ip link set mv2 up
ip link set mv1 down
ip link set mv2 up
ip link set mv1 up
ip link set mv3 address 02:00:00:00:00:a1
ip link set mv3 address 02:00:00:00:00:a3
ip link set mv3 up
ip link set mv1 address 02:00:00:00:00:a3
ip link set mv1 address 02:00:00:00:00:10
ip link set mv1 address ff:ff:ff:ff:ff:ff
ip link set eth0 address 02:00:00:00:00:a1
ip -br link
