# world: default
# seed: 000 ("Linux 虚拟网卡技术：Macvlan"), section "Passthru"; seed 002, "passthru 模式"; seed 004, "Passthru mode"
#
# The articles' claims:
#   * seed 000: "each parent can be bound to only one macvlan, and the macvlan inherits the parent's MAC" —
#     TRUE: a second macvlan of any mode on that lower is refused with EINVAL ("Invalid argument"), and
#     the passthru device shows eth0's MAC 02:00:00:00:00:10.
#   * seed 000: "the advantage is that the VM/container can change the MAC" — TRUE, and it goes further:
#     setting the passthru device's MAC sets the lower's MAC too.
#   * seed 002: "only one sub-interface may connect to the parent, and it must be set to promiscuous mode"
#     — the kernel does that itself: while the passthru device is UP the lower's promiscuity counter is 1
#     (`ip -d link` shows `promiscuity 1`, no PROMISC flag); `flag nopromisc` turns that off.
#   * seed 000's alert "in VEPA and Passthru mode the communication between two macvlans crosses the parent
#     twice" — IMPOSSIBLE for passthru: there are never two macvlans on a passthru lower.
#   * Not in the articles: a passthru macvlan takes EVERY unicast frame arriving on the lower (whatever the
#     destination MAC), so once it is up the host's own eth0 no longer receives unicast: the host loses
#     its IPv4 connectivity on eth0 (it still sees broadcasts, so it still answers ARP).
#
# What the real kernel prints (6.18, default world):
#   `macvlan mode passthru` with `link/ether 02:00:00:00:00:10`; eth0 `promiscuity 1` while it is up;
#   `ip link add link eth0 name macvlan9 type macvlan mode bridge` -> "RTNETLINK answers: Invalid argument";
#   passthru8 (192.0.2.8) -> gateway 192.0.2.1 and the peer: 0% loss;
#   host eth0 -> gateway 192.0.2.1: 100% loss (the gateway's reply went to passthru8), `192.0.2.1 INCOMPLETE`;
#   after the container sets 02:00:00:00:00:88, `ip link show eth0` shows `link/ether 02:00:00:00:00:88`;
#   after `ip link del passthru8` the host reaches the gateway again (0% loss), promiscuity 0.
# Scenarios: test/scenarios/macvlan-passthru-mac-and-promiscuity.sh, macvlan-passthru-second-einval.sh,
#            macvlan-passthru-takes-all-unicast.sh

ip link add link eth0 dev passthru8 type macvlan mode passthru
ip -d link show passthru8

# only one macvlan per passthru lower, whatever its mode
ip link add link eth0 name macvlan9 type macvlan mode bridge
ip link add link eth0 name macvlan9 type macvlan mode passthru

ip netns add passthru8_ns
ip link set passthru8 netns passthru8_ns
ip netns exec passthru8_ns ip addr add 192.0.2.8/24 dev passthru8
ip netns exec passthru8_ns ip link set passthru8 up
ip netns exec passthru8_ns ip link set lo up
ip -d link show eth0 | grep -o 'promiscuity [0-9]*'

# the container is on the LAN
ip netns exec passthru8_ns ping -c1 -W1 192.0.2.1
ip netns exec passthru8_ns ping -c1 -W1 192.0.2.20

# the host's eth0 no longer receives unicast: the gateway's ARP reply goes to passthru8
ping -c1 -W1 192.0.2.1
ip neigh show dev eth0

# the container can change "its" MAC: that changes eth0's MAC too
ip netns exec passthru8_ns ip link set passthru8 address 02:00:00:00:00:88
ip link show eth0
ip netns exec passthru8_ns ip link set passthru8 address 02:00:00:00:00:10

# give the lower back to the host
ip netns exec passthru8_ns ip link del passthru8
ip -d link show eth0 | grep -o 'promiscuity [0-9]*'
ping -c1 -W1 192.0.2.1
