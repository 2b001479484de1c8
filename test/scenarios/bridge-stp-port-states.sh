# world: none
# rule: with STP on, a port that comes up starts in `listening` (then learning, forwarding after forward_delay each) and `bridge link set … state` is refused with EBUSY while kernel STP runs (exit 255); with STP off a port forwards at once and its state can be set by hand (reference 5.2, 10.3)
ip link add br0 address 02:00:00:00:00:fe type bridge stp_state 1 forward_delay 400
ip link add p1 address 02:00:00:00:01:01 type veth peer name p1peer address 02:00:00:00:00:01
ip link set p1 master br0
ip link set p1peer up
ip link set p1 up
ip link set br0 up
bridge link show
bridge link set dev p1 state 3
ip -d link show br0 | grep -o 'stp_state [0-9]*'
ip link set br0 type bridge stp_state 0
bridge link show
bridge link set dev p1 state 1
bridge link show
bridge link set dev p1 state 3
bridge link show
brctl show
