# world: none
# capture: vnet-sw/br0 vnet-sw/p1 vnet-sw/p2 vnet-h1/eth0
# seed: 001 ("在bridge test_br上抓包" vs "在接口veth1_br上抓包"), issue 3 ("on a bridge port vs the bridge
#       device"): a capture on a port sees everything the port carries; a capture on the bridge device
#       (without promiscuous mode) sees only what the bridge hands up to its own stack — broadcasts,
#       and frames for the bridge's MAC — and what the bridge itself sends.
# claim: vnet-sw/br0 1 arp.opcode=1 arp.dst.proto_ipv4=192.0.2.22
# claim: vnet-sw/br0 none icmp ip.dst=192.0.2.22
# claim: vnet-sw/p2 2 icmp.type=8 ip.dst=192.0.2.22 dir=out
# claim: vnet-sw/br0 2 icmp.type=8 ip.dst=192.0.2.1 dir=in
# claim: vnet-sw/br0 2 icmp.type=0 ip.src=192.0.2.1 dir=out
# claim: vnet-sw/p2 none icmp ip.dst=192.0.2.1
# rule: net/bridge/br_input.c br_handle_frame_finish: local_rcv for broadcast, for the bridge's own
#       address, or when the bridge device is promiscuous.

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for n in sw h1 h2; do ip netns add vnet-$n; ip netns exec vnet-$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n vnet-sw link add br0 address 02:00:00:00:01:00 type bridge mcast_snooping 0
ip -n vnet-sw link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:21 netns vnet-h1
ip -n vnet-sw link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:22 netns vnet-h2
ip -n vnet-sw link set p1 master br0
ip -n vnet-sw link set p2 master br0
ip -n vnet-sw addr add 192.0.2.1/24 dev br0
ip -n vnet-sw link set br0 up
ip -n vnet-sw link set p1 up
ip -n vnet-sw link set p2 up
ip -n vnet-h1 addr add 192.0.2.21/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip -n vnet-h2 addr add 192.0.2.22/24 dev eth0
ip -n vnet-h2 link set eth0 up

# host to host through the bridge
ip netns exec vnet-h1 ping -c2 -i0.2 -W1 192.0.2.22
# host to the bridge's own address
ip netns exec vnet-h1 ping -c2 -i0.2 -W1 192.0.2.1
