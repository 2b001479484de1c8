# world: none
# capture: -/eth0 -/mt0 vnet2/m2 vnet-lan/eth0
# seed: 004 (macvtap notes): "All traffic for guests connected to a macvtap does show up if running
#       tcpdump on the lower device, even in bridge mode and for guest-to-guest traffic. However,
#       tcpdump (on the host) on the macvtap device itself shows no traffic."
# What the kernel says: the lower shows the guest-to-guest traffic (inbound, bridge mode) — TRUE; the
# macvtap itself shows it too (6.18: taps run on the macvtap before its rx handler, and what it sends
# goes through dev_queue_xmit on it) — the article's second claim is from older kernels. Here the
# macvtap has no reader, so its own stack answers (it behaves as a macvlan).
# claim: -/eth0 2 icmp.type=8 dir=in
# claim: -/eth0 2 icmp.type=0 dir=in
# claim: -/mt0 2 icmp.type=8 dir=in
# claim: vnet-lan/eth0 none icmp
# rule: drivers/net/tap.c tap_handle_frame (PASS without a queue), macvlan bridge-mode forwarding.

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-lan
ip netns exec vnet-lan sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:42 netns vnet-lan
ip -n vnet-lan addr add 192.0.2.66/24 dev eth0
ip -n vnet-lan link set eth0 up
ip link set eth0 up

ip link add link eth0 name mt0 address 02:00:00:00:00:11 type macvtap mode bridge
ip addr add 192.0.2.11/24 dev mt0
ip link set mt0 up
ip netns add vnet2
ip netns exec vnet2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add link eth0 name m2 address 02:00:00:00:00:12 type macvlan mode bridge
ip link set m2 netns vnet2
ip -n vnet2 addr add 192.0.2.12/24 dev m2
ip -n vnet2 link set m2 up

# "guest to guest": m2 -> mt0, both bridge mode on eth0
ip netns exec vnet2 ping -c2 -i0.2 -W1 192.0.2.11
