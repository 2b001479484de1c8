# world: none
# rule: `bridge link show` lists only bridge ports as `IFINDEX: NAME@LINK: <FLAGS> mtu N master BR state STATE priority 32 cost 2 ` where @LINK is the port's iflink resolved in the current namespace; ports of a down bridge are `disabled`, ports without carrier too, and they become `forwarding` at once when STP is off; `-d` adds the flags line (reference 5.2, 5.7)
ip link add br0 type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name p1peer address 02:00:00:00:00:01
ip link add p2 address 02:00:00:00:01:02 type veth peer name p2peer address 02:00:00:00:00:02
ip link set p1 master br0
ip link set p2 master br0
bridge link show
ip link set p1 up
ip link set p2 up
ip link set p1peer up
bridge link show
ip link set br0 up
bridge link show
bridge -d link show dev p1
ip -d link show p1
bridge link set dev p2 hairpin on learning off flood off
bridge -d link show dev p2
bridge link set dev p9 hairpin on
bridge link set dev br0 hairpin on
ip link set p2 nomaster
bridge link show
