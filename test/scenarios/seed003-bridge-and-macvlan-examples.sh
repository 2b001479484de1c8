# world: none
# rule: seed 003's commands work as written (names adapted: veth for eth0/tap, vnet-net1/vnet-net2): `ip link add br0 type bridge` + `ip link set X master br0` enslaves any Ethernet device; `ip link add macv1 link eth0 type macvlan mode bridge` (name before `link`) creates macv1@eth0; moved to namespaces they show macv1@if2 link-netnsid 0 (reference 1.16, 5.1, 10.1)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name uplink0 address 02:00:00:00:00:11
ip link add tap1 address 02:00:00:00:00:21 type veth peer name vm1 address 02:00:00:00:00:31
ip link add tap2 address 02:00:00:00:00:22 type veth peer name vm2 address 02:00:00:00:00:32
ip link add veth1 address 02:00:00:00:00:23 type veth peer name veth1p address 02:00:00:00:00:33
ip link add br0 type bridge
ip link set eth0 master br0
ip link set tap1 master br0
ip link set tap2 master br0
ip link set veth1 master br0
bridge link show
ip link show br0
ip link set eth0 nomaster
ip link add macv1 link eth0 address 02:00:00:00:00:41 type macvlan mode bridge
ip link add macv2 link eth0 address 02:00:00:00:00:42 type macvlan mode bridge
ip netns add vnet-net1
ip netns add vnet-net2
ip link set macv1 netns vnet-net1
ip link set macv2 netns vnet-net2
ip -n vnet-net1 link show
ip -n vnet-net2 -d link show macv2
