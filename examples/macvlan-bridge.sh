# world: default
# seed: 002 ("linux虚拟网络之macvlan设备", cnblogs), section "macvlan实验" (bridge mode), plus the
#       host-workaround of seeds 000/001/004 ("create another macvlan sub-interface and assign it to the host")
#
# The article's claims:
#   * "bridge mode: sub-interfaces can talk to each other directly" — TRUE: macvlan2 <-> macvlan3 works
#     without any help from the switch (bridge-mode siblings are delivered inside the kernel).
#   * its `ip a s macvlan2` shows "macvlan2@if2 ... state UNKNOWN ... link-netnsid 0" — the name is right
#     (the lower is in another namespace, so it is shown as @ifN plus link-netnsid), but a modern kernel
#     copies the lower's carrier and shows `state UP`; UNKNOWN was an old kernel.
#   * "ping 100.0.0.2 -c1  #ping自己不通????" (pinging my own address fails) — TRUE but not a macvlan
#     thing: a fresh namespace has `lo` DOWN and local traffic goes through lo. `ip link set lo up` fixes it.
#   * "sub-interfaces cannot talk to the parent" (seeds 000/001/004) — TRUE with an ordinary switch:
#     what a macvlan sends leaves through eth0 onto the wire, eth0's own stack never receives it,
#     and the switch never sends a frame back out of the port it came in on (hairpin off).
#   * workaround "add another macvlan for the host" — TRUE: a bridge-mode macvlan on the host talks to
#     the bridge-mode guests inside the kernel.
#
# What the real kernel prints (6.18, run on the default world):
#   `3: macvlan2@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> ... state UP` and `link-netnsid 0` (the script's
#   namespace has no name, so no `link-netns NAME`); addresses 192.0.2.2, .3 here (the article's
#   100.0.0.2, .3); ping own address: 100% loss, exit 1; after `lo up`: 0% loss;
#   macvlan2 <-> macvlan3: 0% loss both ways; macvlan2 -> gateway 192.0.2.1 and -> 198.51.100.1: 0% loss;
#   host (eth0 192.0.2.10) -> 192.0.2.2: 100% loss (exit 1), `ip neigh show dev eth0` shows `192.0.2.2 INCOMPLETE`;
#   with the host macvlan mac0 (192.0.2.9/32 + host route): host -> 192.0.2.2 and 192.0.2.3 0% loss.
# Scenarios: test/scenarios/macvlan-seed002-bridge-mode-namespaces.sh, macvlan-from-lower-no-hairpin.sh,
#            macvlan-host-reaches-guest-via-extra-macvlan.sh, lo-down-self-ping-fails.sh

# --- the article's commands (100.0.0.0/24 becomes the LAN 192.0.2.0/24 of the default world)
ip link add link eth0 dev macvlan2 type macvlan mode bridge
ip netns add macvlan2_ns
ip link set macvlan2 netns macvlan2_ns
ip netns exec macvlan2_ns ip addr add 192.0.2.2/24 dev macvlan2
ip netns exec macvlan2_ns ip link set macvlan2 up

ip link add link eth0 dev macvlan3 type macvlan mode bridge
ip netns add macvlan3_ns
ip link set macvlan3 netns macvlan3_ns
ip netns exec macvlan3_ns ip addr add 192.0.2.3/24 dev macvlan3
ip netns exec macvlan3_ns ip link set macvlan3 up

ip netns exec macvlan2_ns ip a s macvlan2

# "ping自己不通????": lo is down in a fresh namespace
ip netns exec macvlan2_ns ping 192.0.2.2 -c1 -W1
ip netns exec macvlan2_ns ip link set lo up
ip netns exec macvlan2_ns ping 192.0.2.2 -c1 -W1

# bridge-mode siblings reach each other (inside the kernel, no switch needed)
ip netns exec macvlan2_ns ping 192.0.2.3 -c1 -W1
ip netns exec macvlan3_ns ping 192.0.2.2 -c1 -W1

# and the rest of the LAN, and beyond the gateway (same broadcast domain as eth0)
ip netns exec macvlan2_ns ping -c1 -W1 192.0.2.1
ip netns exec macvlan2_ns ip route add default via 192.0.2.1
ip netns exec macvlan2_ns ping -c1 -W1 198.51.100.1
ip netns exec macvlan2_ns ping -c1 -W1 192.0.2.20

# the host's eth0 cannot reach its own macvlan: the ARP request leaves on the wire and the
# (non-hairpin) switch never sends it back down the same cable
ping -c1 -W1 192.0.2.2
ip neigh show dev eth0

# --- the workaround: a macvlan for the host itself, and host routes to the guests through it
ip link add link eth0 dev mac0 type macvlan mode bridge
ip addr add 192.0.2.9/32 dev mac0
ip link set mac0 up
ip route add 192.0.2.2/32 dev mac0
ip route add 192.0.2.3/32 dev mac0
ping -c1 -W1 192.0.2.2
ping -c1 -W1 192.0.2.3
ip netns exec macvlan2_ns ip neigh show
