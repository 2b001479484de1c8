# world: default
# requires: ipvlan
# seed: 003 ("Linux虚拟网络接口"), section "IPVLAN": `ip link add ipv1 link eth0 type ipvlan mode l2` (and ipv2),
#       `ip netns add net1|net2`, `ip link set dev ipv1 netns net1` (and ipv2 -> net2); "macvlan和ipvlan不能同时
#       用在同一个父接口下面" (macvlan and ipvlan cannot be used on the same parent).
#
# The article's claims, and what the kernel does (drivers/net/ipvlan, reference section 3):
#   * "the biggest difference: ipvlan sub-interfaces have the parent's MAC address" — TRUE: both slaves
#     show eth0's MAC 02:00:00:00:00:10 (and follow it if it changes).
#   * "ipvlan L2 is almost the same as macvlan bridge mode" — ROUGHLY: slaves switch to each other inside
#     the kernel and see the LAN's broadcasts, but frames are demultiplexed by IP, not by MAC.
#   * "macvlan and ipvlan cannot be used on the same parent" — TRUE: both need the parent's single
#     rx_handler; the macvlan after the ipvlan gets "RTNETLINK answers: Device or resource busy".
#   * the article stops after moving the devices: they arrive DOWN without addresses.
#
# Expected kernel result (from the 6.12 source; this machine's 6.18 kernel has no ipvlan, so `type ipvlan`
# fails here with "Error: Unknown device type."):
#   `ipv1@if2 ... link/ether 02:00:00:00:00:10 ... link-netnsid 0`, `ipvlan  mode l2 bridge` in -d output;
#   net1 (192.0.2.51) -> net2 (192.0.2.52): 0% loss; net1 -> 192.0.2.1: 0% loss; the host's eth0 ->
#   192.0.2.51: 100% loss (host isolation, as with macvlan); the macvlan on eth0: EBUSY.
# Scenarios: test/scenarios/ipvlan-l2-shares-mac.sh (requires ipvlan: shared MAC, `ipvlan  mode l2 bridge`, EBUSY
#            with macvlans on the same lower); TODO ipvlan-l2-host-isolation.sh

ip link add ipv1 link eth0 type ipvlan mode l2
ip link add ipv2 link eth0 type ipvlan mode l2
ip netns add net1
ip netns add net2
ip link set dev ipv1 netns net1
ip link set dev ipv2 netns net2
ip -n net1 -d link show ipv1

ip -n net1 addr add 192.0.2.51/24 dev ipv1
ip -n net1 link set ipv1 up
ip -n net2 addr add 192.0.2.52/24 dev ipv2
ip -n net2 link set ipv2 up
ip netns exec net1 ping -c1 -W1 192.0.2.52
ip netns exec net1 ping -c1 -W1 192.0.2.1
ping -c1 -W1 192.0.2.51

# macvlan and ipvlan on the same parent
ip link add link eth0 name macv1 type macvlan mode bridge
