# world: none
# requires: 8021q bonding
# rule: a bond has NETIF_F_HW_VLAN_CTAG_TX: the tag of a VLAN device on the bond (bond0.10) stays in skb metadata through bond_start_xmit down to the slave veth, which counts the frame untagged (140 for an ARP request and an echo request, as the peer's receive side); the bond's counters are its slaves' (bond_get_stats)
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-b
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11 netns vnet-b
ip link add eth1 address 02:00:00:00:00:12 type veth peer name p1 address 02:00:00:00:00:13 netns vnet-b
ip -n vnet-b link add link p0 name p0.10 type vlan id 10
ip -n vnet-b link set p0 up
ip -n vnet-b link set p1 up
ip -n vnet-b link set p0.10 up
ip -n vnet-b addr add 192.0.2.2/24 dev p0.10
ip link add bond0 address 02:00:00:00:00:30 type bond mode active-backup
ip link set eth0 master bond0
ip link set eth1 master bond0
ip link set bond0 up
ip link add link bond0 name bond0.10 type vlan id 10
ip link set bond0.10 up
ip addr add 192.0.2.1/24 dev bond0.10
sleep 1
ping -c1 -W1 192.0.2.2
ip -s link show eth0
ip -s link show eth1
ip -s link show bond0
