# world: none
# requires: 8021q
# capture: -/eth0 -/eth0.888 vnet888/eth0.888
# seed: 002 ("实验:vlan设备直接放入到network namespace"): a VLAN device eth0.888 moved into a namespace on each
#       side of a link; "ping包测试,通; 抓包查看,确实携带vlan id 888" (the ping works, and a capture on the
#       parent shows the frames carrying VLAN id 888); a capture on the VLAN device shows them untagged.
# The kernel this test runs on has no 802.1Q module: vnet only (the claims are still checked).
# claim: -/eth0 all vlan.id=888
# claim: -/eth0 1 icmp.type=8 dir=out
# claim: -/eth0 1 icmp.type=0 dir=in
# claim: -/eth0.888 none
# claim: vnet888/eth0.888 none vlan.id
# claim: vnet888/eth0.888 1 icmp.type=8 dir=out
# rule: net/8021q: the tag is added on the way out of the VLAN device and taken off (into metadata, which
#       libpcap writes back) on the way in; taps on the parent see it.

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet888
ip netns exec vnet888 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-far
ip netns exec vnet-far sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-far
ip link set eth0 up
ip -n vnet-far link set eth0 up
ip link add link eth0 name eth0.888 type vlan id 888
ip link set eth0.888 netns vnet888
ip -n vnet888 addr add 203.0.113.8/24 dev eth0.888
ip -n vnet888 link set eth0.888 up
ip -n vnet-far link add link eth0 name eth0.888 type vlan id 888
ip -n vnet-far addr add 203.0.113.88/24 dev eth0.888
ip -n vnet-far link set eth0.888 up
ip netns exec vnet888 ping -c1 -W1 203.0.113.88
