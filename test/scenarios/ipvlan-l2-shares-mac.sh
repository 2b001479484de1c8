# world: none
# requires: ipvlan
# rule: seed 003's ipvlan example: ipvlan slaves share their master's MAC, show as ipv1@eth0 and `ipvlan  mode l2 bridge` in `ip -d link`; a lower with macvlans cannot take ipvlans (EBUSY) and the MAC of a slave cannot be set (reference 3.1, 3.4)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add ipv1 link eth0 type ipvlan mode l2
ip link add ipv2 link eth0 type ipvlan mode l2
ip netns add vnet-net1
ip netns add vnet-net2
ip link set dev ipv1 netns vnet-net1
ip link set dev ipv2 netns vnet-net2
ip -n vnet-net1 -d link show ipv1
ip -n vnet-net2 link show ipv2
ip -n vnet-net1 link set ipv1 address 02:00:00:00:00:99
ip link add link wire0 name mv0 address 02:00:00:00:00:a0 type macvlan
ip link add link wire0 name ipv3 type ipvlan mode l2
ip link add link eth0 name ipv4 type ipvlan mode l4
