# world: none
# rule: a device has one receive hook: a bridge port cannot be a macvlan lower (EBUSY) and a macvlan lower cannot join a bridge (EBUSY); the bridge device itself can be a lower; lo cannot (EINVAL) (reference 0 rx_handler, 1.2, 5.1)
ip link add br0 type bridge
ip link add p1 address 02:00:00:00:00:11 type veth peer name p1peer address 02:00:00:00:00:21
ip link add p2 address 02:00:00:00:00:12 type veth peer name p2peer address 02:00:00:00:00:22
ip link set p1 master br0
ip link add link p1 name mv1 address 02:00:00:00:00:a1 type macvlan
ip link add link p2 name mv2 address 02:00:00:00:00:a2 type macvlan
ip link set p2 master br0
ip link add link br0 name mvbr address 02:00:00:00:00:a3 type macvlan mode bridge
ip link set mv2 master br0
ip link show
