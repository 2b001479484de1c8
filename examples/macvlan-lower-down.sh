# world: default
# seed: 000 ("Linux 虚拟网卡技术：Macvlan"), section "Bridge", alert box: "if the parent goes down, all macvlan
#       sub-interfaces go down too, and they can no longer talk to each other"; seed 001: "Sub-interface
#       state is bound to its parent's state – if eth0 is down, so is the mac0@eth0".
#
# The articles' claims:
#   * "all macvlans go down" — WRONG as stated: a macvlan's ADMIN state is independent of its lower; it
#     stays UP and only loses its carrier (copied from the lower): `NO-CARRIER,...,UP,M-DOWN ... state
#     LOWERLAYERDOWN` next to the lower, `NO-CARRIER,...,UP ... state DOWN` in another namespace (the lower
#     cannot be found there). When the lower comes back they work again by themselves — no `ip link set
#     ... up` needed (unlike VLAN devices, which ARE closed with their parent, and re-opened with it).
#   * "they can no longer talk to each other" — TRUE: without carrier a device transmits nothing, so
#     even bridge-mode siblings (delivered inside the kernel) are cut off.
#   * the same happens when the lower stays up but loses its carrier (cable unplugged: the switch port,
#     i.e. eth0's veth peer, goes down): `NO-CARRIER,...,UP` without M-DOWN, LOWERLAYERDOWN.
#   * seed 000 puts this under bridge mode; it applies to every mode.
#
# What the real kernel prints (6.18, default world):
#   eth0 down: `mac0@eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> ... state LOWERLAYERDOWN`;
#   in macvlan2_ns: `macvlan2@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> ... state DOWN`;
#   macvlan2 -> macvlan3 (bridge mode): 100% loss;
#   eth0 up again: `state UP` everywhere, macvlan2 -> macvlan3 0% loss;
#   switch port sw0p1 down: `eth0@if3: <NO-CARRIER,BROADCAST,MULTICAST,UP> ... state DOWN` (its peer is in
#   another namespace), `mac0@eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> ... state LOWERLAYERDOWN`, 100% loss.
# Carrier changes reach the macvlans (and their transmit queues) through the kernel's linkwatch worker,
# asynchronously: the script waits a second after each change, or the first ping may still get through
# (or still fail) right after it.
# Scenarios: test/scenarios/macvlan-lower-down-lowerlayerdown.sh, macvlan-bridge-mode-needs-lower-carrier.sh

ip link add link eth0 dev mac0 type macvlan mode bridge
ip link set mac0 up
ip link add link eth0 dev macvlan2 type macvlan mode bridge
ip netns add macvlan2_ns
ip link set macvlan2 netns macvlan2_ns
ip -n macvlan2_ns addr add 192.0.2.2/24 dev macvlan2
ip -n macvlan2_ns link set macvlan2 up
ip link add link eth0 dev macvlan3 type macvlan mode bridge
ip netns add macvlan3_ns
ip link set macvlan3 netns macvlan3_ns
ip -n macvlan3_ns addr add 192.0.2.3/24 dev macvlan3
ip -n macvlan3_ns link set macvlan3 up
ip netns exec macvlan2_ns ping -c1 -W1 192.0.2.3

# the parent goes down
ip link set eth0 down
sleep 1
ip link show mac0
ip -n macvlan2_ns link show macvlan2
ip netns exec macvlan2_ns ping -c1 -W1 192.0.2.3

# and comes back: nothing else to do
ip link set eth0 up
sleep 1
ip link show mac0
ip -n macvlan2_ns link show macvlan2
ip netns exec macvlan2_ns ping -c1 -W1 192.0.2.3

# the cable is unplugged (the switch port goes down), eth0 stays admin-up
ip -n vnet-sw link set sw0p1 down
sleep 1
ip link show eth0
ip link show mac0
ip netns exec macvlan2_ns ping -c1 -W1 192.0.2.3
