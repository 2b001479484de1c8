# world: none
# rule: bridge carrier is on iff a port forwards, but it is only recomputed when the port states are (port added/removed/changed, bridge MAC set): a new bridge brought up with no ports is UNKNOWN with LOWER_UP, while one created with `address` (which recomputes) is NO-CARRIER state DOWN; one forwarding port makes it UP; when the ports go away it is NO-CARRIER DOWN, not UNKNOWN again. A bridge has no lower, so its carrier-loss event is handled by linkwatch up to a second later: the script waits before looking (reference 5.1, 0 operstate)
ip link add br1 type bridge
ip link set br1 up
ip link show br1
ip link add br0 address 02:00:00:00:00:fe type bridge
ip link set br0 up
ip link show br0
ip link add p1 address 02:00:00:00:01:01 type veth peer name p1peer address 02:00:00:00:00:01
ip link set p1 master br0
sleep 1.5
ip link show br0
ip link set p1 up
ip link set p1peer up
ip link show br0
bridge link show
ip link set p1peer down
sleep 1.5
ip link show br0
bridge link show
ip link set p1peer up
ip link show br0
ip link set p1 nomaster
sleep 1.5
ip link show br0
ip link del br0
