# world: none
# requires: 8021q
# rule: seed 001's VLAN experiment: VLAN devices eth0.888 on both ends of a cable, each moved to its own namespace, ping each other (tagged on the wire); VID 4095 → "Error: 8021q: Invalid VLAN id.", lo → "VLANs not supported on device", a second device for the same VID → "VLAN device already exists" (reference 4.1, 4.4, 10.3)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth1 address 02:00:00:00:00:11
ip link set eth0 up
ip link set eth1 up
ip link add link eth0 name eth0.888 type vlan id 888
ip link add link eth1 name eth1.888 type vlan id 888
ip -d link show eth0.888
ip netns add vnet-vlan888a
ip netns add vnet-vlan888b
ip link set eth0.888 netns vnet-vlan888a
ip link set eth1.888 netns vnet-vlan888b
ip netns exec vnet-vlan888a ip addr add 203.0.113.8/24 dev eth0.888
ip netns exec vnet-vlan888a ip link set eth0.888 up
ip netns exec vnet-vlan888b ip addr add 203.0.113.88/24 dev eth1.888
ip netns exec vnet-vlan888b ip link set eth1.888 up
ip netns exec vnet-vlan888a ping -c1 -W1 203.0.113.88
ip link add link eth0 name eth0.4095 type vlan id 4095
ip link add link lo name lo.5 type vlan id 5
ip link add link eth0 name eth0.10 type vlan id 10
ip link add link eth0 name eth0.10b type vlan id 10
ip link show eth0.10
