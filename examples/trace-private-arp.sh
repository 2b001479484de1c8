# world: none
# For docs/tracing.md, question 3: "why does private mode block ARP?"
# seeds: 000 (private: "丢弃广播/多播数据,这就意味着以太网地址解析 arp 将不可运行"), 001 (private with a
#        hairpin bridge: the ARP request reaches the macvlan on the other parent but never the sibling),
#        004 (private: "no macvlans on the same lower device can communicate").
# Two private macvlans on eth0 (vnet-c1, vnet-c2); the switch port reflects frames (hairpin on), so only the
# private rule is left to stop them.
#   npx vnet trace --world none examples/trace-private-arp.sh --ping vnet-c1 192.0.2.12
# The kernel: the ARP request goes out, comes back down eth0, and a group frame whose source is a private
# macvlan is handed back to that macvlan only: 100% loss. With static neighbours on both sides unicast passes.

# IPv6 off everywhere before any device exists (no DAD, MLD or router solicitations in the trace)
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link set lo up
ip netns add vnet-sw
ip netns exec vnet-sw sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-peer
ip netns exec vnet-peer sysctl -qw net.ipv6.conf.all.disable_ipv6=1
# a small LAN: the host's eth0 and a peer on a Linux-bridge switch (no hairpin, no multicast snooping)
ip -n vnet-sw link add sw0 address 02:00:00:00:01:00 type bridge mcast_snooping 0
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-sw link add sw0p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-peer
ip -n vnet-sw link set sw0p1 master sw0
ip -n vnet-sw link set sw0p2 master sw0
ip -n vnet-sw link set sw0 up
ip -n vnet-sw link set sw0p1 up
ip -n vnet-sw link set sw0p2 up
ip -n vnet-peer link set lo up
ip -n vnet-peer addr add 192.0.2.20/24 dev eth0
ip -n vnet-peer link set eth0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up

ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
ip netns add vnet-c1
ip netns exec vnet-c1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-c1 link set lo up
ip link add link eth0 name m1 address 02:00:00:00:00:11 type macvlan mode private
ip link set m1 netns vnet-c1
ip -n vnet-c1 addr add 192.0.2.11/24 dev m1
ip -n vnet-c1 link set m1 up
ip netns add vnet-c2
ip netns exec vnet-c2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-c2 link set lo up
ip link add link eth0 name m2 address 02:00:00:00:00:12 type macvlan mode private
ip link set m2 netns vnet-c2
ip -n vnet-c2 addr add 192.0.2.12/24 dev m2
ip -n vnet-c2 link set m2 up
