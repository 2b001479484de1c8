# world: default
# seed: 004 ("There's not a lot of documentation about these interfaces"), end of section "macvlan": "it's
#       also possible to create a macvlan interface and bridge it (eg brctl addif br0 macvlan2); though it's
#       a bit weird, it does work fine." Seed 002 wonders the same ("如果将macvlan attach到bridge ... 这种是
#       无意义的吧").
#
# The claim "it does work fine" is WRONG for anything behind the bridge: enslaving works, and the bridge's
# OWN address works as long as br0 carries the macvlan's MAC, but a VM/namespace behind br0 (with its own
# MAC) gets nothing back: the macvlan's receive path delivers only frames addressed to the macvlan's own
# MAC (exact lookup on the lower; promiscuity, which the bridge turns on, does not change that). The
# gateway's reply to the VM's MAC arrives on eth0, finds no macvlan with that MAC and is dropped by eth0.
# The one macvlan mode that works as a bridge uplink is passthru: it takes every unicast arriving on
# the lower — which amounts to putting eth0 itself in the bridge (the host's address on eth0 stops
# working, see examples/macvlan-passthru.sh).
#
# What the real kernel prints (6.18, default world; macvlan2 02:00:00:00:00:1f, vm1 02:00:00:00:00:1e):
#   `brctl show`: br0 8000.02000000001f with macvlan2 and vm1p; br0 (192.0.2.31, the macvlan's MAC) ->
#   192.0.2.1: 0% loss; vm1 (192.0.2.30) -> 192.0.2.1: 100% loss, vm1's neighbour entry INCOMPLETE,
#   while the gateway shows `192.0.2.30 dev lan0 lladdr 02:00:00:00:00:1e STALE` (it got the request and answered);
#   with macvlan2 re-created in passthru mode (MAC 02:00:00:00:00:10): vm1 -> 192.0.2.1 0% loss.
# Scenarios: test/scenarios/macvlan-passthru-takes-all-unicast.sh, macvlan-rx-handler-ebusy.sh;
#            TODO macvlan-as-bridge-port-only-own-mac.sh

ip link add link eth0 macvlan2 address 02:00:00:00:00:1f type macvlan mode bridge
ip netns add vm1
ip link add vm1p address 02:00:00:00:01:1e type veth peer name eth0 address 02:00:00:00:00:1e netns vm1
ip -n vm1 addr add 192.0.2.30/24 dev eth0
ip -n vm1 link set eth0 up

brctl addbr br0
brctl addif br0 macvlan2
brctl addif br0 vm1p
ip link set macvlan2 up
ip link set vm1p up
ip link set br0 up
ip addr add 192.0.2.31/24 dev br0
brctl show

# the bridge's own address works (br0 has the macvlan's MAC) ...
ping -c1 -W1 -I br0 192.0.2.1
# ... the VM behind it does not
ip netns exec vm1 ping -c1 -W1 192.0.2.1
ip -n vm1 neigh show
ip -n vnet-gw neigh show 192.0.2.30

# passthru as the bridge's uplink
ip addr flush dev br0
brctl delif br0 macvlan2
ip link del macvlan2
ip link add link eth0 macvlan2 type macvlan mode passthru
brctl addif br0 macvlan2
ip link set macvlan2 up
ip link show macvlan2
ip -n vm1 neigh flush all
ip netns exec vm1 ping -c1 -W1 192.0.2.1
