# world: default
# seed: 000 ("Linux 虚拟网卡技术：Macvlan"), section "Private"; seed 002, "private 模式"; seed 004, "Private mode"
#
# The articles' claims:
#   * seed 000: private mode "completely blocks communication between macvlans of the same parent, even
#     if Hairpin sends the traffic back, it is still dropped ... it is done by dropping broadcast/multicast,
#     so ARP cannot work" — HALF WRONG. Only broadcast/multicast is blocked; with static neighbour entries
#     the unicast goes out, the hairpin switch sends it back, and the sibling receives it (the macvlan
#     unicast receive path looks up the destination MAC only and checks no mode).
#   * seed 002: "isolated from each other, cannot communicate; even traffic steered back by the external
#     switch is mercilessly dropped" — WRONG for unicast (same reason).
#   * seed 004: "I suppose it is the mode of the *target* macvlan that decides" — WRONG: for broadcasts
#     it is the *sender's* mode (a reflected broadcast whose source is a private macvlan goes back only to
#     that macvlan), and a private target receives unicast from anyone.
#   * seed 001 got it right: "private mode only blocks the ARP broadcasts between sub-interfaces of the
#     same parent; to talk they need static ARP entries" (see examples/macvlan-private-test-br.sh).
#
# What the real kernel prints (6.18, default world):
#   no hairpin:  private6 -> private7 (ARP) 100% loss; with static entries still 100% loss (the switch
#                does not reflect);
#   hairpin on:  private6 -> private7 (ARP) 100% loss, neighbour entry INCOMPLETE;
#                with `ip neigh replace ... lladdr` on both sides: 0% loss;
#                host eth0 -> private6: 0% loss (eth0's ARP comes from an outside MAC, so private6 takes it);
#   the peer 192.0.2.20 -> private6: 0% loss (hairpin or not).
# Scenarios: test/scenarios/macvlan-private-sibling-broadcast-blocked.sh, macvlan-bcast-from-private-hairpin.sh,
#            macvlan-unicast-static-hairpin.sh, macvlan-unicast-static-no-hairpin.sh, macvlan-from-lower-hairpin.sh

ip link add link eth0 dev private6 address 02:00:00:00:00:06 type macvlan mode private
ip netns add private6_ns
ip link set private6 netns private6_ns
ip netns exec private6_ns ip addr add 192.0.2.6/24 dev private6
ip netns exec private6_ns ip link set private6 up

ip link add link eth0 dev private7 address 02:00:00:00:00:07 type macvlan mode private
ip netns add private7_ns
ip link set private7 netns private7_ns
ip netns exec private7_ns ip addr add 192.0.2.7/24 dev private7
ip netns exec private7_ns ip link set private7 up
ip -n private6_ns -d link show private6

# 1. plain switch: nothing between the siblings, with or without ARP
ip netns exec private6_ns ping -c1 -W1 192.0.2.7
ip netns exec private6_ns ip neigh replace 192.0.2.7 lladdr 02:00:00:00:00:07 dev private6
ip netns exec private7_ns ip neigh replace 192.0.2.6 lladdr 02:00:00:00:00:06 dev private7
ip netns exec private6_ns ping -c1 -W1 192.0.2.7

# the outside reaches a private macvlan
ip netns exec vnet-peer ping -c1 -W1 192.0.2.6

# 2. hairpin switch: ARP between private siblings still fails ...
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
# (`neigh flush` keeps PERMANENT entries: delete the static ones by hand)
ip netns exec private6_ns ip neigh del 192.0.2.7 dev private6
ip netns exec private7_ns ip neigh del 192.0.2.6 dev private7
ip netns exec private6_ns ping -c1 -W1 192.0.2.7
ip netns exec private6_ns ip neigh show

# ... but unicast with static neighbour entries goes through (seeds 000/002 are wrong here)
ip netns exec private6_ns ip neigh replace 192.0.2.7 lladdr 02:00:00:00:00:07 dev private6
ip netns exec private7_ns ip neigh replace 192.0.2.6 lladdr 02:00:00:00:00:06 dev private7
ip netns exec private6_ns ping -c2 -i0.2 -W1 192.0.2.7

# with the hairpin the host reaches its private macvlan too
ping -c1 -W1 192.0.2.6
ip netns exec private6_ns ip neigh show
