# world: none
# capture: -/test_br -/eno2 -/veth2 vnet1/m1 vnet-lan/eth0
# seed: 001, section "private", last part: test_br (hairpin ports veth1_br/veth2_br; private macvlans m1 on
#       veth1 in ns1, m3 on veth2 in ns3) gets 192.0.2.1 and the host routes to its LAN on eno2.
# claims: "bridge配置ip后就具备了三层路由功能,但这并不影响其二层转发功能"; "在eno2上抓包,可以看到36.66相关的报文
#       已经从eno2接口转发出去!注意并没有和36.58相关的交互报文" (pinging the host's own eno2 address shows
#       nothing on eno2; pinging the LAN host is routed out of eno2).
# Also seen on the kernel: ns1's ARP request for 192.0.2.1 is flooded to veth2 too, and the host answers it
# twice (arp_ignore=0: test_br and veth2 both answer for a local address). The first answer (test_br's MAC)
# wins: a different answer within locktime (1 s) does not replace it, so every packet goes to test_br.
# claim: vnet1/m1 2 arp.opcode=2 dir=in
# claim: -/veth2 1 arp.opcode=2 dir=out
# claim: -/eno2 none ip.dst=198.51.100.58
# claim: -/eno2 1 icmp.type=8 ip.dst=198.51.100.66 dir=out
# claim: -/test_br 1 icmp.type=8 ip.dst=198.51.100.58 dir=in
# claim: -/test_br 1 icmp.type=8 ip.dst=198.51.100.66 dir=in
# claim: vnet-lan/eth0 1 icmp.type=8 ip.src=192.0.2.2 ip.ttl=63
# rule: net/ipv4/arp.c arp_process: `override = time_after(jiffies, n->updated + locktime)` for replies.

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add test_br address 02:00:00:00:01:00 type bridge mcast_snooping 0
ip link add veth1 address 02:00:00:00:01:01 type veth peer name veth1_br address 02:00:00:00:01:11
ip link add veth2 address 02:00:00:00:01:02 type veth peer name veth2_br address 02:00:00:00:01:12
ip link set veth1_br master test_br
ip link set veth2_br master test_br
ip link set dev veth1_br type bridge_slave hairpin on
ip link set dev veth2_br type bridge_slave hairpin on
ip link set test_br up
ip link set veth1_br up
ip link set veth2_br up
ip link set veth1 up
ip link set veth2 up
ip link set veth1 promisc on
ip link set veth2 promisc on
for n in 1 3; do ip netns add vnet$n; ip netns exec vnet$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add link veth1 name m1 address 02:00:00:00:00:02 type macvlan mode private
ip link add link veth2 name m3 address 02:00:00:00:00:04 type macvlan mode private
ip link set m1 netns vnet1
ip link set m3 netns vnet3
ip -n vnet1 addr add 192.0.2.2/24 dev m1
ip -n vnet3 addr add 192.0.2.4/24 dev m3
ip -n vnet1 link set m1 up
ip -n vnet3 link set m3 up

# the bridge gets an IP; the host routes to its LAN on eno2 (seed: 36.58 -> 198.51.100.58, 36.66 -> .66)
ip addr add 192.0.2.1/24 dev test_br
ip netns add vnet-lan
ip netns exec vnet-lan sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add eno2 address 02:00:00:00:02:58 type veth peer name eth0 address 02:00:00:00:02:66 netns vnet-lan
ip addr add 198.51.100.58/24 dev eno2
ip link set eno2 up
ip -n vnet-lan addr add 198.51.100.66/24 dev eth0
ip -n vnet-lan link set eth0 up
ip -n vnet-lan route add 192.0.2.0/24 via 198.51.100.58
sysctl -qw net.ipv4.ip_forward=1
ip -n vnet1 route add default via 192.0.2.1
ip netns exec vnet1 ping -c1 -W1 198.51.100.58
ip netns exec vnet1 ping -c1 -W1 198.51.100.66
