# world: default
# seed: 000 ("Linux 虚拟网卡技术：Macvlan"), section "VEPA" (hairpin bridge); seed 004, "VEPA" paragraph
#       ("a Linux box could very well be used in the role of external switch"); seed 002's vepa lab
#
# The articles' claims:
#   * seed 000: with a hairpin-capable (802.1Qbg) switch, "traffic whose source and destination are both
#     local macvlans is sent back to the corresponding interface", so vepa macvlans can talk — TRUE. The
#     default world's switch is a Linux bridge; turning hairpin on for the host's port makes it a
#     reflective relay and the same seed-002 lab that failed in examples/macvlan-vepa.sh now works.
#   * seed 000: "broadcast received from the parent is flooded to all VEPA-mode sub-interfaces" —
#     INCOMPLETE: a broadcast from outside goes to every UP macvlan in private, vepa, bridge and passthru
#     mode (source-mode ones are left out); a reflected broadcast from a vepa sibling goes to the vepa and
#     bridge siblings (not to private ones) and also to the lower's own stack.
#   * seeds 000/004: the sub-interface cannot talk to the parent — only true without hairpin: with the
#     reflecting switch the host's eth0 reaches its vepa macvlans too (and they reach eth0).
#   * seed 000 (the "alert" box): "in VEPA and Passthru mode the traffic between two macvlans crosses the
#     parent twice" — TRUE for vepa (out through eth0, back in through eth0: the switch learns both macvlan
#     MACs on sw0p1), MEANINGLESS for passthru: a lower with a passthru macvlan can have no second macvlan
#     (EINVAL, see examples/macvlan-passthru.sh).
#
# What the real kernel prints (6.18, default world + `hairpin on` on sw0p1):
#   `hairpin on` in `bridge -d link show dev sw0p1`;
#   macvlan4 -> macvlan5: 0% loss; macvlan5 -> macvlan4: 0% loss;
#   host eth0 -> 192.0.2.4: 0% loss; macvlan4 -> host 192.0.2.10: 0% loss;
#   `bridge fdb show br sw0 dynamic` lists both macvlan MACs (random) on `dev sw0p1`;
#   after `hairpin off` again and flushing the neighbour caches: macvlan4 -> macvlan5 100% loss, INCOMPLETE.
# Scenarios: test/scenarios/bridge-hairpin-reflects-vepa.sh, macvlan-bcast-from-vepa-hairpin.sh,
#            macvlan-from-lower-hairpin.sh, macvlan-unicast-static-hairpin.sh

ip link add link eth0 dev macvlan4 type macvlan mode vepa
ip netns add macvlan4_ns
ip link set macvlan4 netns macvlan4_ns
ip netns exec macvlan4_ns ip addr add 192.0.2.4/24 dev macvlan4
ip netns exec macvlan4_ns ip link set macvlan4 up

ip link add link eth0 dev macvlan5 type macvlan mode vepa
ip netns add macvlan5_ns
ip link set macvlan5 netns macvlan5_ns
ip netns exec macvlan5_ns ip addr add 192.0.2.5/24 dev macvlan5
ip netns exec macvlan5_ns ip link set macvlan5 up

# make the switch a VEPA / reflective-relay switch for the host's cable
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
ip netns exec vnet-sw bridge -d link show dev sw0p1

# the siblings now reach each other, through the switch
ip netns exec macvlan4_ns ping -c1 -W1 192.0.2.5
ip netns exec macvlan5_ns ping -c1 -W1 192.0.2.4

# the host and its vepa macvlans reach each other too
ping -c1 -W1 192.0.2.4
ip netns exec macvlan4_ns ping -c1 -W1 192.0.2.10

# the frames really went out and came back: the switch learned both macvlans on the host's port
ip netns exec vnet-sw bridge fdb show br sw0 dynamic

# hairpin off again: the siblings are cut off once their neighbour entries are gone
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin off
ip -n macvlan4_ns neigh flush all
ip -n macvlan5_ns neigh flush all
ip netns exec macvlan4_ns ping -c1 -W1 192.0.2.5
ip netns exec macvlan4_ns ip neigh show
