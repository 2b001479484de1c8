# world: none
# capture: vnet-a/eth0 vnet-b/eth0 vnet-b/vxlan0
# claims: the underlay carries only UDP (IP protocol 17) between the VTEPs, each datagram holding a whole inner
#       Ethernet frame (the ARP and the ICMP echo of the overlay, decoded through VXLAN); the overlay device sees
#       the same inner frames without any outer header.
# claim: vnet-b/eth0 all ip
# claim: vnet-b/eth0 1 arp.opcode=1 arp.dst.proto_ipv4=203.0.113.2
# claim: vnet-b/eth0 1 icmp.type=8
# claim: vnet-b/vxlan0 1 icmp.type=8 dir=in
# claim: vnet-b/vxlan0 1 icmp.type=0 dir=out
# claim: vnet-b/vxlan0 none ip.proto=17
# rule: vxlan_xmit_one → udp_tunnel_xmit_skb on the sender, vxlan_rcv → gro_cells_receive on the receiver
#       (drivers/net/vxlan/vxlan_core.c).

ip netns add vnet-a
ip netns add vnet-b
ip netns exec vnet-a sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-a link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-b link set eth0 up
ip -n vnet-b neigh add 192.0.2.1 lladdr 02:00:00:00:01:01 dev eth0
ip -n vnet-a neigh add 192.0.2.2 lladdr 02:00:00:00:02:01 dev eth0
ip -n vnet-a link add vxlan0 address 02:00:00:00:aa:01 type vxlan id 42 remote 192.0.2.2 dstport 4789 dev eth0
ip -n vnet-b link add vxlan0 address 02:00:00:00:aa:02 type vxlan id 42 remote 192.0.2.1 dstport 4789 dev eth0
ip -n vnet-a addr add 203.0.113.1/24 dev vxlan0
ip -n vnet-b addr add 203.0.113.2/24 dev vxlan0
ip -n vnet-a link set vxlan0 up
ip -n vnet-b link set vxlan0 up
sleep 0.5
ip netns exec vnet-a ping -c1 -W1 203.0.113.2
