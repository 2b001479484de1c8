# world: none
# rule: brctl (bridge-utils) prints `bridge name/bridge id/STP enabled/interfaces` with the id as prio.mac-without-colons; addif of a port already in a bridge, of a missing device, and delbr of an up bridge fail with bridge-utils' own messages (reference 5.1, 5.5)
brctl addbr br0
brctl addbr br1
ip link add p1 address 02:00:00:00:01:01 type veth peer name p1peer address 02:00:00:00:00:01
ip link add p2 address 02:00:00:00:01:02 type veth peer name p2peer address 02:00:00:00:00:02
brctl addif br0 p1
brctl addif br0 p2
brctl show
brctl addif br1 p2
brctl addif br1 nonexist
brctl stp br1 on
brctl show br1
ip link set br0 up
brctl delbr br0
brctl delif br0 p2
brctl show
brctl showmacs br0
ip link set br0 down
brctl delbr br0
brctl delbr br0
brctl show
