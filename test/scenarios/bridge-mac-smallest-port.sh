# world: none
# rule: a bridge without a user-set MAC takes the numerically smallest port MAC, recomputed when ports come and go; after the last port leaves its MAC becomes 00:00:00:00:00:00; a user-set MAC sticks and appears in the fdb as `dev br0 master br0 permanent` (reference 5.1, 5.5)
ip link add br0 type bridge
ip link add p1 address 02:00:00:00:00:30 type veth peer name p1peer address 02:00:00:00:01:01
ip link add p2 address 02:00:00:00:00:20 type veth peer name p2peer address 02:00:00:00:01:02
ip link add p3 address 02:00:00:00:00:40 type veth peer name p3peer address 02:00:00:00:01:03
ip link set p1 master br0
ip link show br0
ip link set p2 master br0
ip link show br0
ip link set p3 master br0
ip link show br0
ip link set p2 nomaster
ip link show br0
ip link set p1 nomaster
ip link set p3 nomaster
ip link show br0
ip link set br0 address 02:00:00:00:00:fe
ip link set p2 master br0
ip link show br0
bridge fdb show br br0
