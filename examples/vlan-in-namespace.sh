# world: default
# requires: 8021q
# seed: 002 ("linux虚拟网络之macvlan设备", cnblogs), "实验:vlan设备直接放入到network namespace": on two hosts,
#       `ip link add link eth0 name eth0.888 type vlan id 888`, move it into vlan888_ns, address it
#       (88.8.8.8/24 and 88.8.8.88/24), ping across, "抓包查看,确实携带vlan id 888".
#
# Translation: host 1 is the script's namespace, host 2 is the peer (vnet-peer, whose eth0.888 stays in
# vnet-peer itself, which plays the role of the second host's vlan888_ns); 88.8.8.0/24 -> 203.0.113.0/24
# (.8 here, .88 on the peer). The switch sw0 is a Linux bridge with vlan_filtering off, so it forwards
# tagged frames as they are, like a trunk.
#
# The article's claims, and what the kernel does (net/8021q):
#   * the VLAN device can be put directly into a namespace and used there — TRUE (a VLAN device is not
#     netns-immutable; it keeps its parent in the other namespace and shows as eth0.888@if2 + link-netns).
#   * ping 88.8.8.8 works, and the capture shows VLAN id 888 — TRUE: tcpdump -e on the switch port shows
#     `ethertype 802.1Q (0x8100) ... vlan 888, p 0, ethertype ARP/IPv4`.
#   * "VLAN sub-interfaces share the parent's MAC address; macvlan sub-interfaces have their own" — TRUE
#     (eth0.888 shows link/ether 02:00:00:00:00:10).
#   * "VLANs split broadcast domains; macvlans share one" — TRUE: the untagged LAN (192.0.2.0/24) and
#     VLAN 888 do not see each other's ARP.
#
# Expected kernel result (from the 6.12 source; this machine's 6.18 kernel has no 8021q, so `type vlan`
# fails with "Error: Unknown device type."):
#   `eth0.888@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> ... state UP`, `link/ether 02:00:00:00:00:10`;
#   vlan888_ns -> 203.0.113.88: 0% loss; tcpdump in vnet-sw on sw0p1 shows `vlan 888` on every frame.
# Scenarios: test/scenarios/vlan-subinterface-in-netns.sh (requires 8021q)

ip link add link eth0 name eth0.888 type vlan id 888
ip netns add vlan888_ns
# no IPv6 on the two VLAN devices: its autoconf packets (DAD, MLD, RS) would fill the capture at times
# that depend on the machine's speed
ip netns exec vlan888_ns sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec vnet-peer sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link set eth0.888 netns vlan888_ns
ip netns exec vlan888_ns ip addr add 203.0.113.8/24 dev eth0.888
ip netns exec vlan888_ns ip link set eth0.888 up
sleep 1 # under qemu's TCG linkwatch can lag: UNKNOWN instead of UP right after `up`
ip netns exec vlan888_ns ip -d link show eth0.888

# the second host: the peer
ip -n vnet-peer link add link eth0 name eth0.888 type vlan id 888
ip -n vnet-peer addr add 203.0.113.88/24 dev eth0.888
ip -n vnet-peer link set eth0.888 up

ip netns exec vnet-sw tcpdump -l --immediate-mode -nn -e -i sw0p1 vlan &
T=$!
sleep 1
ip netns exec vlan888_ns ping 203.0.113.88 -c1 -W1
sleep 0.5
kill $T
wait
