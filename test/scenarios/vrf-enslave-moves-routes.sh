# world: none
# requires: vrf
# rule: enslaving a device to a VRF moves all its address routes (connected, local, broadcast) into the VRF's table, for an up device at once (it is cycled down and up) and for a down one as addresses come; `nomaster` and deleting the VRF move them back to main/local; an address on the VRF device itself routes in its table; `ip route show vrf X` is table X without local/broadcast routes and `ip -d link show` names the slave `vrf_slave table N` (fib_netdev_event NETDEV_CHANGEUPPER, vrf_add_slave/cycle_netdev)
ip link add red address 02:00:00:00:0a:01 type vrf table 10
ip link add blue address 02:00:00:00:0a:02 type vrf table 20
ip link set red up
ip link set blue up
ip link add v1 address 02:00:00:00:00:01 type veth peer name v2 address 02:00:00:00:00:02
ip link add v3 address 02:00:00:00:00:03 type veth peer name v4 address 02:00:00:00:00:04
ip addr add 192.0.2.1/24 dev v1
ip link set v1 up
ip -4 route show table all
ip link set v1 master red
ip -4 route show table all
ip -d link show v1
ip link show master red
ip link set v3 master blue
ip addr add 192.0.2.1/24 dev v3
ip -4 route show table all
ip link set v3 up
ip route show vrf red
ip route show vrf blue
ip route show table 10
ip addr add 198.51.100.1/24 dev red
ip route show vrf red
ip link set red down
ip route show vrf red
ip link show v1
ip link set red up
ip route show vrf red
ip link set v1 master blue
ip route show vrf red
ip route show vrf blue
ip link set v1 nomaster
ip -4 route show table all
ip link del blue
ip -4 route show table all
ip -d link show v3
