# world: none
# capture: -/eth0 -/mh vnet1/m1 vnet-lan/eth0
# seeds 000 ("本机 Macvlan 网卡上面的 IP 无法和物理网卡上面的 IP 通信"), 002, 004 ("there's no connectivity
#       from whatever uses the macvlan to the lower device … just create another macvlan on the host").
# claims: the host's ARP request for the container leaves through eth0 to the wire; m1 never sees it
#       (frames the lower sends never pass the macvlan rx handler). With a host-side bridge-mode macvlan
#       mh, the request goes to m1 directly and nothing reaches the wire.
# claim: vnet1/m1 none arp.opcode=1 arp.src.proto_ipv4=192.0.2.10
# claim: vnet-lan/eth0 3 arp.opcode=1 arp.src.proto_ipv4=192.0.2.10
# claim: vnet1/m1 1 arp.opcode=1 arp.src.proto_ipv4=192.0.2.9
# claim: vnet1/m1 1 icmp.type=8 ip.src=192.0.2.9
# claim: vnet-lan/eth0 none icmp
# rule: the lower's own transmissions go to the wire (dev_queue_xmit), its rx_handler sees only what it
#       receives; bridge-mode siblings talk through macvlan_queue_xmit.

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
sysctl -qw
ip netns add vnet-lan
ip netns exec vnet-lan sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:42 netns vnet-lan
ip addr add 192.0.2.10/24 dev eth0
ip -n vnet-lan addr add 192.0.2.66/24 dev eth0
ip -n vnet-lan link set eth0 up
ip link set eth0 up

ip netns add vnet1
ip netns exec vnet1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add link eth0 name m1 address 02:00:00:00:00:11 type macvlan mode bridge
ip link set m1 netns vnet1
ip -n vnet1 addr add 192.0.2.11/24 dev m1
ip -n vnet1 link set m1 up

# the host cannot reach its container (3 ARP requests; -W3.3 waits until the entry has failed)
ping -c1 -W3.3 192.0.2.11

# the fix: a macvlan for the host too, with a host route to the container through it
ip link add link eth0 name mh address 02:00:00:00:00:09 type macvlan mode bridge
ip addr add 192.0.2.9/32 dev mh
ip link set mh up
ip route add 192.0.2.11/32 dev mh
ping -c1 -W1 192.0.2.11
