# world: none
# rule: enslaving lo → EINVAL, a bridge into a bridge → "Can not enslave a bridge to a bridge" (ELOOP), `master` of a missing device → iproute2 error + empty line (exit 255), `master` a non-bridge → EOPNOTSUPP, a port already in another bridge is moved (reference 5.1, 10.3)
ip link add br0 type bridge
ip link add br1 type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name p1peer address 02:00:00:00:00:01
ip link set lo master br0
ip link set br1 master br0
ip link set br0 master br0
ip link set p1 master nonexist
ip link set p1 master p1peer
ip link set p1 master br0
ip link set p1 master br1
ip link show p1
ip link set p1 nomaster
ip link set p1 nomaster
ip netns add vnet-b
ip link set br0 netns vnet-b
ip link set br0 netns vnet-nonexist
ip link show
