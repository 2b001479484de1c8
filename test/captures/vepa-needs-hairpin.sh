# world: none
# capture: -/eth0 vnet-sw/sw0p1 vnet-sw/sw0 vnet1/m1 vnet2/m2
# seed: 000 ("Linux 虚拟网卡技术：Macvlan", VEPA and its alert), 004 (VEPA with an ordinary switch),
#       003/002 (vepa lab: "不通,符合预期").
# claims: "with an ordinary switch, inter-VM traffic leaves the hypervisor but never comes back";
#       with a hairpin bridge "两个 Macvlan 接口之间的通信会经过主接口两次" — every frame between the two
#       vepa macvlans is seen twice on the lower: out, then in.
# Without hairpin (the first ping): ARP requests out of eth0, flooded to the bridge device, never back.
# claim: vnet2/m2 1 arp.opcode=1
# claim: -/eth0 4 arp.opcode=1 dir=out
# claim: -/eth0 1 arp.opcode=1 dir=in
# claim: -/eth0 2 icmp.type=8 dir=out
# claim: -/eth0 2 icmp.type=8 dir=in
# claim: -/eth0 2 icmp.type=0 dir=out
# claim: -/eth0 2 icmp.type=0 dir=in
# claim: vnet-sw/sw0p1 4 icmp.type=8
# claim: vnet-sw/sw0 none icmp
# rule: vepa sends everything to the lower; a bridge port sends a frame back where it came from only
#       with hairpin on (net/bridge/br_forward.c should_deliver).

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-sw
ip netns exec vnet-sw sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-sw link add sw0 address 02:00:00:00:01:00 type bridge mcast_snooping 0
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-sw link set sw0p1 master sw0
ip -n vnet-sw link set sw0 up
ip -n vnet-sw link set sw0p1 up
ip link set eth0 up

for n in 1 2; do ip netns add vnet$n; ip netns exec vnet$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add link eth0 name m1 address 02:00:00:00:00:11 type macvlan mode vepa
ip link add link eth0 name m2 address 02:00:00:00:00:12 type macvlan mode vepa
ip link set m1 netns vnet1
ip link set m2 netns vnet2
ip -n vnet1 addr add 192.0.2.11/24 dev m1
ip -n vnet2 addr add 192.0.2.12/24 dev m2
ip -n vnet1 link set m1 up
ip -n vnet2 link set m2 up

# an ordinary switch: the ARP requests leave and never come back (3 of them; -W3.3 waits until the entry has failed)
ip netns exec vnet1 ping -c1 -W3.3 192.0.2.12

# a hairpin (802.1Qbg reflective relay) switch port: everything comes back, each frame twice on eth0
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
ip netns exec vnet1 ping -c2 -i0.2 -W1 192.0.2.12
