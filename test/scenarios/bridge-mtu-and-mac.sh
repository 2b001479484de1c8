# world: none
# rule: a bridge's MTU follows its ports: it takes the smallest port MTU when ports join or change (unless the MTU was set on the bridge by hand), a port with a larger MTU may join, and a hand-set bridge MTU may exceed every port's (9001) and then stays put; the bridge MAC is the smallest port MAC until one is set by hand, then it stays; /sys/class/net/br0/address and `ip link` agree (reference 5.1)
ip link add br0 type bridge
ip link add p1 address 02:00:00:00:01:09 type veth peer name q1 address 02:00:00:00:00:01
ip link add p2 address 02:00:00:00:01:02 type veth peer name q2 address 02:00:00:00:00:02
ip link set p1 mtu 1400
ip link set p1 master br0
ip link show br0
ip link set p2 master br0
ip link show br0
cat /sys/class/net/br0/address /sys/class/net/br0/mtu
ip link set p1 mtu 9000
ip link show br0
ip link set p2 mtu 9000
ip link show br0
ip link set br0 mtu 1500
ip link set br0 mtu 9001
ip link set p1 mtu 1280
ip link show br0
ip link set p2 nomaster
ip link show br0
ip link set br0 address 02:00:00:00:00:aa
ip link set p2 master br0
ip link show br0
bridge fdb show dev br0
ip link set p1 nomaster
ip link set p2 nomaster
ip link show br0
