# world: none
# For docs/tracing.md, question 2: "why does VEPA not work with my switch?"
# seeds: 000 (VEPA needs an 802.1Qbg/hairpin switch), 002 (vepa lab: "不通,符合预期"), 004 ("if using VEPA
#        mode with an ordinary switch, inter-VM traffic leaves the hypervisor but never comes back").
# Two vepa macvlans on eth0, in vnet-c1 and vnet-c2; the switch port sw0p1 has hairpin off.
#   npx vnet trace --world none examples/trace-vepa-plain-switch.sh --ping vnet-c1 192.0.2.12
# The kernel: the ARP request goes out of eth0 and the bridge never sends it back where it came from
# (should_deliver: hairpin off); 100% loss. With `ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on`
# it works, and every frame crosses eth0 twice.

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
ip link add link eth0 name m1 address 02:00:00:00:00:11 type macvlan mode vepa
ip link set m1 netns vnet-c1
ip -n vnet-c1 addr add 192.0.2.11/24 dev m1
ip -n vnet-c1 link set m1 up
ip netns add vnet-c2
ip netns exec vnet-c2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-c2 link set lo up
ip link add link eth0 name m2 address 02:00:00:00:00:12 type macvlan mode vepa
ip link set m2 netns vnet-c2
ip -n vnet-c2 addr add 192.0.2.12/24 dev m2
ip -n vnet-c2 link set m2 up
