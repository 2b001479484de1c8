# world: none
# requires: 8021q vlan_filtering
# rule: a bridge has NETIF_F_HW_VLAN_CTAG_TX like a veth, so the tag of a VLAN device on the bridge (br0.10) stays in skb metadata through br_dev_xmit and out of the veth port: bridge and port count the frame untagged (140 for an ARP request and an echo request, the VLAN device the same on transmit and the L3 length 112 on receive); with VLAN filtering the bridge takes that metadata tag as the frame's VLAN (learned on vlan 10, not the PVID) and sends it tagged on the trunk port
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-b
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11 netns vnet-b
ip -n vnet-b link add link p0 name p0.10 type vlan id 10
ip -n vnet-b link set p0 up
ip -n vnet-b link set p0.10 up
ip -n vnet-b addr add 192.0.2.2/24 dev p0.10
ip link add br0 address 02:00:00:00:00:20 type bridge mcast_snooping 0
ip link set eth0 master br0
ip link set eth0 up
ip link set br0 up
ip link add link br0 name br0.10 type vlan id 10
ip link set br0.10 up
ip addr add 192.0.2.1/24 dev br0.10
ping -c1 -W1 192.0.2.2
ip -s link show eth0
ip -s link show br0
ip -s link show br0.10
ip link set br0 type bridge vlan_filtering 1
bridge vlan add dev br0 vid 10 self
bridge vlan add dev eth0 vid 10
ip neigh flush dev br0.10
ping -c1 -W1 192.0.2.2
ip -s link show eth0
ip -s link show br0
ip -s link show br0.10
bridge fdb show dev eth0 | grep 02:00:00:00:00:11
