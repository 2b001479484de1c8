# world: none
# For docs/tracing.md, question 1: "why can't my host reach its macvlan container?"
# seeds: 000 ("本机 Macvlan 网卡上面的 IP 无法和物理网卡上面的 IP 通信"), 002, 004 ("there's no
#        connectivity from whatever uses the macvlan to the lower device").
# The host (this namespace, eth0 192.0.2.10) gives a container (vnet-c1) a bridge-mode macvlan m1 on eth0.
#   npx vnet trace --world none examples/trace-host-to-macvlan.sh --ping - 192.0.2.11        # fails
#   npx vnet trace --world none examples/trace-host-to-macvlan.sh --ping vnet-c1 192.0.2.20  # the LAN works
# The kernel: the host's ARP request for 192.0.2.11 leaves through eth0 to the switch and is never seen by
# m1 (what a device sends does not pass its own rx_handler, where macvlan sorts frames); 100% loss.

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

ip netns add vnet-c1
ip netns exec vnet-c1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-c1 link set lo up
ip link add link eth0 name m1 address 02:00:00:00:00:11 type macvlan mode bridge
ip link set m1 netns vnet-c1
ip -n vnet-c1 addr add 192.0.2.11/24 dev m1
ip -n vnet-c1 link set m1 up
