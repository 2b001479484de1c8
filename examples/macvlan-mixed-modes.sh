# world: default
# seed: 004 ("There's not a lot of documentation about these interfaces"), section "macvlan": "the operating
#       mode is per-macvlan interface rather than global ... not sure what would happen, for instance, if a
#       macvlan using VEPA mode tries to communicate with another one using bridge mode, or viceversa.
#       This may well be worth investigating." Also seed 004's bridge-mode paragraph: "sent directly to the
#       target (if the target macvlan is also in bridge mode)".
#
# What the kernel does (drivers/net/macvlan.c):
#   * the mode is per macvlan — TRUE (each macvlan has its own; `ip link set DEV type macvlan mode M`
#     even changes it later, except to/from passthru).
#   * TRANSMIT depends on the SENDER's mode: only a bridge-mode sender delivers locally, and only to a
#     bridge-mode sibling; everything else leaves through the lower.
#   * UNICAST RECEIVE checks no mode: whatever comes back from the switch to a sibling's MAC is delivered.
#   * BROADCAST RECEIVE depends on the sender's mode: from a bridge-mode sibling, a reflected broadcast goes
#     only to vepa siblings (the bridge ones already had it); from a vepa sibling, to vepa and bridge ones.
#   So bridge <-> vepa behaves like vepa <-> vepa: it needs a hairpin switch. Private never gets a
#   sibling's broadcast and its own broadcasts reach no sibling, so ARP between private and any sibling
#   fails even with hairpin (seed 004 guessed "it is the mode of the target that decides": it is both,
#   and for unicast neither — see examples/macvlan-private.sh).
#
# What the real kernel prints (6.18, default world; bridge21, vepa22, private23 in their own namespaces):
#   no hairpin:  bridge21 -> vepa22 100% loss, vepa22 -> bridge21 100% loss;
#   hairpin on:  bridge21 -> vepa22 0% loss, vepa22 -> bridge21 0% loss,
#                bridge21 -> private23 100% loss, vepa22 -> private23 100% loss (their ARP never reaches a
#                private sibling: the TARGET's mode matters), private23 -> bridge21 100% loss (a private
#                sender's reflected ARP comes back only to itself: the SENDER's mode matters);
#   the peer 192.0.2.20 -> private23: 0% loss (an outside host's broadcast reaches every mode but source).
# Scenarios: test/scenarios/macvlan-bcast-from-bridge-hairpin.sh, macvlan-bcast-from-bridge-no-hairpin.sh,
#            macvlan-bcast-from-vepa-hairpin.sh, macvlan-bcast-from-vepa-no-hairpin.sh,
#            macvlan-unicast-static-hairpin.sh, macvlan-mode-changelink.sh

ip netns add bridge21_ns
ip link add link eth0 dev bridge21 type macvlan mode bridge
ip link set bridge21 netns bridge21_ns
ip -n bridge21_ns addr add 192.0.2.21/24 dev bridge21
ip -n bridge21_ns link set bridge21 up

ip netns add vepa22_ns
ip link add link eth0 dev vepa22 type macvlan mode vepa
ip link set vepa22 netns vepa22_ns
ip -n vepa22_ns addr add 192.0.2.22/24 dev vepa22
ip -n vepa22_ns link set vepa22 up

ip netns add private23_ns
ip link add link eth0 dev private23 type macvlan mode private
ip link set private23 netns private23_ns
ip -n private23_ns addr add 192.0.2.23/24 dev private23
ip -n private23_ns link set private23 up

# a plain switch
ip netns exec bridge21_ns ping -c1 -W1 192.0.2.22
ip netns exec vepa22_ns ping -c1 -W1 192.0.2.21

# a hairpin switch
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
ip -n bridge21_ns neigh flush all
ip -n vepa22_ns neigh flush all
ip netns exec bridge21_ns ping -c1 -W1 192.0.2.22
ip netns exec vepa22_ns ping -c1 -W1 192.0.2.21
ip netns exec bridge21_ns ping -c1 -W1 192.0.2.23
ip netns exec vepa22_ns ping -c1 -W1 192.0.2.23
ip netns exec private23_ns ping -c1 -W1 192.0.2.21
ip netns exec vnet-peer ping -c1 -W1 192.0.2.23
