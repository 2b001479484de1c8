# world: default
# seed: none of the seeds shows source mode — seeds 000, 002 and 004 all say macvlan has "four modes"
#       (private, vepa, bridge, passthru). This lab shows the fifth one (added to the kernel in 2014).
#
# The articles' claim "macvlan supports four modes" is OUTDATED: `mode source` exists; iproute2 6.1's own
# error message lists it ("must be "private", "vepa", "bridge", "passthru" or "source"").
#
# What source mode does (drivers/net/macvlan.c): a source-mode macvlan has a list of remote MACs
# (`macaddr add|del|set|flush`). It receives a copy of every frame, unicast or broadcast, whose SOURCE MAC
# is in its list — and nothing else: unicast to its own MAC from an unlisted host falls through to the
# lower (and is dropped there), and it is left out of the broadcasts from unlisted hosts. It transmits
# like vepa (out through the lower).
#
# What the real kernel prints (6.18, default world):
#   `macvlan mode source bcqueuelen 1000 usedbcqueuelen 1000 remotes (1) 02:00:00:00:00:20`;
#   peer 192.0.2.20 (listed) -> source11: 0% loss; gateway 192.0.2.1 (not listed) -> source11: 100% loss;
#   after `macaddr add 02:00:00:00:00:01` the gateway gets through (0% loss), `remotes (2) ...`;
#   `macaddr` on a bridge-mode macvlan -> "RTNETLINK answers: Invalid argument".
# Scenarios: test/scenarios/macvlan-source-mode-receives-listed-only.sh, macvlan-source-macaddr-commands.sh,
#            macvlan-bcast-from-source-no-hairpin.sh, macvlan-seed004-mode-error-message.sh

ip link add link eth0 dev source11 address 02:00:00:00:00:0b type macvlan mode source macaddr add 02:00:00:00:00:20
ip netns add source11_ns
ip link set source11 netns source11_ns
ip netns exec source11_ns ip addr add 192.0.2.11/24 dev source11
ip netns exec source11_ns ip link set source11 up
ip netns exec source11_ns ip -d link show source11

# the listed peer gets in, the unlisted gateway does not
ip netns exec vnet-peer ping -c1 -W1 192.0.2.11
ip netns exec vnet-gw ping -c1 -W1 192.0.2.11

# list the gateway too
ip netns exec source11_ns ip link set source11 type macvlan macaddr add 02:00:00:00:00:01
# forget the gateway's unanswered ARP of the first try (its retries race the next ping otherwise)
ip -n vnet-gw neigh flush dev lan0
ip netns exec source11_ns ip -d link show source11
ip netns exec vnet-gw ping -c1 -W1 192.0.2.11

# the list exists only in source mode
ip link add link eth0 dev macvlan12 type macvlan mode bridge
ip link set macvlan12 type macvlan macaddr add 02:00:00:00:00:20
ip link del macvlan12
