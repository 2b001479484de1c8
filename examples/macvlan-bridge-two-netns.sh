# world: default
# seed: 003 ("Linux虚拟网络接口"), section "MACVLAN": "the most used mode is bridge; these commands create two
#       bridge-mode macvlans and put them in two namespaces":
#       `ip link add macv1 link eth0 type macvlan mode bridge` (and macv2), `ip netns add net1|net2`,
#       `ip link set macv1 netns net1` (and macv2 -> net2).
#
# The article's claims:
#   * "without macvlan you need TAP/veth devices plus a Linux bridge with the physical interface in it;
#     with macvlan the namespaces are bound to the physical interface directly, no bridge" — TRUE: the
#     namespaces below reach the LAN and each other with no bridge on the host.
#   * the article stops after moving the devices: they are DOWN and unaddressed in net1/net2 (a move
#     brings a device down and drops its addresses). They must be addressed and brought up there.
#
# What the real kernel prints (6.18, default world):
#   in net1: `macv1@if2: <BROADCAST,MULTICAST> ... state DOWN ... link-netnsid 0` right after the move;
#   after addressing (192.0.2.41, .42) and `up`: net1 -> 192.0.2.42 0% loss, net1 -> 192.0.2.1 0% loss,
#   the peer 192.0.2.20 -> 192.0.2.42 0% loss; the host's eth0 -> 192.0.2.41 100% loss.
# Scenarios: test/scenarios/macvlan-seed002-bridge-mode-namespaces.sh, macvlan-netns-move-link-netns.sh,
#            netns-move-drops-addresses.sh, macvlan-from-lower-no-hairpin.sh

ip link add macv1 link eth0 type macvlan mode bridge
ip link add macv2 link eth0 type macvlan mode bridge
ip netns add net1
ip netns add net2
ip link set macv1 netns net1
ip link set macv2 netns net2
ip -n net1 link show macv1

ip -n net1 addr add 192.0.2.41/24 dev macv1
ip -n net1 link set macv1 up
ip -n net2 addr add 192.0.2.42/24 dev macv2
ip -n net2 link set macv2 up
ip netns exec net1 ping -c1 -W1 192.0.2.42
ip netns exec net1 ping -c1 -W1 192.0.2.1
ip netns exec vnet-peer ping -c1 -W1 192.0.2.42
ping -c1 -W1 192.0.2.41
