# world: none
# seed: 000 ("Linux 虚拟网卡技术：Macvlan"), section "Bridge": "Linux hosts can inspect the bridge configuration
#       with brctl (package bridge-utils)", `brctl show` listing br0 (8000.080006ad34d1, eth0 + veth0) and
#       br1 (8000.080021d2a187, veth1 + veth2); "a bridge may meet layer-2 loops; enable STP if needed";
#       "a bridge learns MAC addresses from the traffic between hosts".
#
# The setup builds the article's two bridges with its MAC addresses; veth0/veth1 is one veth pair
# joining the two bridges, eth0 and veth2 are cables to namespaces lan and ns2 (192.0.2.1 and .2).
#
# The article's claims:
#   * the `brctl show` layout — TRUE: `bridge name<TAB>bridge id<TAB><TAB>STP enabled<TAB>interfaces`, the id
#     is priority 8000 + the bridge MAC without colons, and a bridge without a MAC of its own takes the
#     numerically smallest port MAC (08:00:06:ad:34:d1 on br0, 08:00:21:d2:a1:87 on br1).
#   * STP is off by default and can be turned on (`brctl stp br0 on` -> `STP enabled yes`) — TRUE.
#   * the bridge learns source MACs — TRUE: after lan pings ns2 across both bridges, `brctl showmacs`
#     lists both hosts' MACs (`is local? no`) besides the ports' own (`yes`).
#
# What the real kernel prints (6.18): `br0  8000.080006ad34d1  no  eth0 veth0`, `br1  8000.080021d2a187  no
# veth1 veth2`; then `yes` for br0 after `brctl stp br0 on`; lan -> 192.0.2.2: 0% loss; showmacs lists
# 02:00:00:00:00:01 and 02:00:00:00:00:02 as learned entries on br0.
# Scenarios: test/scenarios/bridge-brctl-show.sh, bridge-mac-smallest-port.sh, bridge-learning-fdb-show.sh,
#            bridge-stp-port-states.sh

ip netns add lan
ip netns add ns2
ip link add eth0 address 08:00:06:ad:34:d1 type veth peer name eth0 address 02:00:00:00:00:01 netns lan
ip link add veth0 address 0a:00:00:00:00:01 type veth peer name veth1 address 08:00:21:d2:a1:87
ip link add veth2 address 0a:00:00:00:00:02 type veth peer name eth0 address 02:00:00:00:00:02 netns ns2

brctl addbr br0
brctl addif br0 eth0
brctl addif br0 veth0
brctl addbr br1
brctl addif br1 veth1
brctl addif br1 veth2
brctl show

for dev in eth0 veth0 veth1 veth2 br0 br1; do ip link set $dev up; done
ip -n lan addr add 192.0.2.1/24 dev eth0
ip -n lan link set eth0 up
ip -n ns2 addr add 192.0.2.2/24 dev eth0
ip -n ns2 link set eth0 up
ip netns exec lan ping -c1 -W1 192.0.2.2
brctl showmacs br0

brctl stp br0 on
brctl show br0
