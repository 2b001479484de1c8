# world: default
# seed: 002 ("linux虚拟网络之macvlan设备", cnblogs), section "实验:vepa模式"; also seed 000 section "VEPA"
#       and seed 004 ("VEPA ... is the default mode")
#
# The articles' claims:
#   * seed 002: two vepa macvlans on eth0, `ip netns exec macvlan4_ns ping 100.0.0.5` — "不通,符合预期"
#     (no reply, as expected) — TRUE: a vepa macvlan sends everything out through the lower, even to a
#     sibling, and an ordinary switch never sends a frame back out of the port it came in on.
#   * seeds 002/004: vepa is the default mode — TRUE (`ip -d link` prints `macvlan mode vepa` for a
#     macvlan created without `mode`).
#   * seed 000: "in a layer-2 network the two macvlans are blocked because of the spanning tree protocol"
#     — WRONG reason: here STP is off on the switch and they are still cut off. A Linux bridge (and any
#     802.1D switch) simply never forwards a frame back out of its ingress port unless that port is in
#     hairpin / reflective-relay mode; STP has nothing to do with it.
#   * vepa macvlans still reach everything outside (gateway, peer, far network) — TRUE.
#
# What the real kernel prints (6.18, default world, switch port sw0p1 hairpin off):
#   `macvlan mode vepa bcqueuelen 1000 usedbcqueuelen 1000` for the mode-less macvlan6;
#   macvlan4 -> macvlan5 (192.0.2.5): 100% loss, exit 1; macvlan4's neighbour entry for .5 INCOMPLETE;
#   macvlan4 -> gateway 192.0.2.1 and peer 192.0.2.20: 0% loss; the host eth0 -> 192.0.2.4: 100% loss.
# The same lab with hairpin on: examples/macvlan-vepa-hairpin.sh.
# Scenarios: test/scenarios/macvlan-seed002-vepa-mode-isolated.sh, macvlan-default-mode-vepa.sh,
#            macvlan-bcast-from-vepa-no-hairpin.sh, macvlan-from-outside-no-hairpin.sh

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
ip netns exec macvlan4_ns ip addr

# vepa is the default mode
ip link add link eth0 dev macvlan6 type macvlan
ip -d link show macvlan6
ip link del macvlan6

# "不通,符合预期": the sibling is unreachable through a plain switch
ip netns exec macvlan4_ns ping -c1 -W1 192.0.2.5
ip netns exec macvlan4_ns ip neigh show

# the outside world is reachable
ip netns exec macvlan4_ns ping -c1 -W1 192.0.2.1
ip netns exec macvlan4_ns ping -c1 -W1 192.0.2.20

# and the host cannot reach it either
ping -c1 -W1 192.0.2.4

# the switch: no hairpin on the host's port, STP off
ip netns exec vnet-sw bridge -d link show dev sw0p1
ip -n vnet-sw -d link show sw0 | grep -o 'stp_state [0-9]'
