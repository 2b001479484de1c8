# world: none
# rule: a vxlan enslaved to a bridge stretches the LAN across the IP underlay: hosts behind two bridges ping each other, the bridge learns the remote host's MAC on the vxlan port (`master br0`) while the vxlan's own FDB learns it behind the remote VTEP (`dst IP self`), and `bridge fdb show` lists the bridge's entries for the port before the device's own; the bridge takes the vxlan's smaller MTU and gives the port the path cost of the `dev` lower device's speed (vxlan_get_link_ksettings); the bridges' own IGMP reports for 224.0.0.106 (snooping on) cross the tunnel too and count in its stats (vxlan_rcv → netif_rx on the port, br_handle_frame)
ip netns add vnet-s1
ip netns add vnet-s2
ip netns add vnet-h1
ip netns add vnet-h2
for ns in vnet-s1 vnet-s2 vnet-h1 vnet-h2; do ip netns exec $ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=1; done
ip -n vnet-s1 link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:01:02 netns vnet-s2
ip -n vnet-s1 addr add 198.51.100.1/24 dev eth0
ip -n vnet-s2 addr add 198.51.100.2/24 dev eth0
ip -n vnet-s1 link set eth0 up
ip -n vnet-s2 link set eth0 up
ip -n vnet-s1 link add vxlan0 address 02:00:00:00:aa:01 type vxlan id 1000 remote 198.51.100.2 dstport 4789 dev eth0
ip -n vnet-s2 link add vxlan0 address 02:00:00:00:aa:02 type vxlan id 1000 remote 198.51.100.1 dstport 4789 dev eth0
ip -n vnet-s1 link add br0 address 02:00:00:00:bb:01 type bridge
ip -n vnet-s2 link add br0 address 02:00:00:00:bb:02 type bridge
ip -n vnet-s1 link add p1 address 02:00:00:00:cc:01 type veth peer name eth0 address 02:00:00:00:dd:01 netns vnet-h1
ip -n vnet-s2 link add p1 address 02:00:00:00:cc:02 type veth peer name eth0 address 02:00:00:00:dd:02 netns vnet-h2
ip -n vnet-s1 link set vxlan0 master br0
ip -n vnet-s1 link set p1 master br0
ip -n vnet-s2 link set vxlan0 master br0
ip -n vnet-s2 link set p1 master br0
ip -n vnet-s1 link set vxlan0 up
ip -n vnet-s2 link set vxlan0 up
ip -n vnet-s1 link set p1 up
ip -n vnet-s2 link set p1 up
ip -n vnet-s1 link set br0 up
ip -n vnet-s2 link set br0 up
ip -n vnet-h1 addr add 203.0.113.1/24 dev eth0
ip -n vnet-h2 addr add 203.0.113.2/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip -n vnet-h2 link set eth0 up
ip -n vnet-s1 link show br0
sleep 1.1
ip netns exec vnet-h1 ping -c 2 -i 0.2 203.0.113.2
bridge -n vnet-s1 fdb show br br0 dynamic
bridge -n vnet-s1 fdb show dev vxlan0
ip -n vnet-s2 -s link show vxlan0
ip -n vnet-s1 -d link show vxlan0
