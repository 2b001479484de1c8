# world: none
# capture: -/eth0 vnet-lan/eth0 vnet4/m4 vnet5/m5
# seed: 001, section "bridge" (macvlans on the NIC eno2): "在宿主机的父接口抓包 … 父接口相当于一个bridge转发
#       其上macvlan接口之间的单播报文" and "在和宿主机同一物理网络的其它主机抓包,抓到了arp广播报文".
# claims: unicast between two bridge-mode macvlans shows on the lower (inbound: it is injected into the
#       lower's receive path, "send to lowerdev first for its network taps") but never on the wire;
#       their ARP broadcasts do go out on the wire.
# claim: -/eth0 1 arp.opcode=1 dir=out arp.dst.proto_ipv4=192.0.2.5
# claim: -/eth0 none arp.opcode=2 dir=out
# claim: -/eth0 2 icmp.type=8 dir=in eth.dst=02:00:00:00:00:05
# claim: vnet-lan/eth0 1 arp.opcode=1 arp.dst.proto_ipv4=192.0.2.5
# claim: vnet-lan/eth0 none icmp.type=8 ip.dst=192.0.2.5
# claim: vnet-lan/eth0 1 icmp.type=8 ip.dst=192.0.2.66
# rule: macvlan_queue_xmit, bridge mode: dev_forward_skb(lowerdev) for a bridge-mode destination,
#       macvlan_broadcast to bridge siblings then out of the lower for group frames.

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-lan
ip netns exec vnet-lan sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:42 netns vnet-lan
ip -n vnet-lan addr add 192.0.2.66/24 dev eth0
ip -n vnet-lan link set eth0 up
ip link set eth0 up

for n in 4 5; do ip netns add vnet$n; ip netns exec vnet$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add link eth0 name m4 address 02:00:00:00:00:04 type macvlan mode bridge
ip link add link eth0 name m5 address 02:00:00:00:00:05 type macvlan mode bridge
ip link set m4 netns vnet4
ip link set m5 netns vnet5
ip -n vnet4 addr add 192.0.2.4/24 dev m4
ip -n vnet5 addr add 192.0.2.5/24 dev m5
ip -n vnet4 link set m4 up
ip -n vnet5 link set m5 up

# sibling to sibling: ARP broadcast goes out on the wire too, unicast stays inside (seen on eth0 inbound)
ip netns exec vnet4 ping -c2 -i0.2 -W1 192.0.2.5
# to the other host on the LAN
ip netns exec vnet4 ping -c1 -W1 192.0.2.66
