# world: none
# capture: -/eth0 vnet-sw/sw0p1 vnet-v/mv vnet-b/mb vnet-b2/mb2 vnet-p/mp vnet-s/ms
# seeds 000/002/004, the modes: who receives a sibling's broadcast (here, each macvlan's ARP request for
#       the host on the switch), and which sibling unicast works, behind an ordinary (no hairpin) switch.
#   vepa -> nobody (it all leaves through eth0 and nothing comes back);
#   bridge -> the other bridge-mode macvlan only, directly;
#   private -> nobody;
#   source mode (ms lists the outside host's MAC) gets a copy of every frame that host sends.
#   Unicast: bridge <-> bridge works without the switch; vepa -> bridge does not.
# claim: vnet-b2/mb2 1 arp.opcode=1 eth.src=02:00:00:00:00:12
# claim: vnet-b2/mb2 none arp.opcode=1 eth.src=02:00:00:00:00:11
# claim: vnet-b2/mb2 none arp.opcode=1 eth.src=02:00:00:00:00:13
# claim: vnet-v/mv none arp.opcode=1 dir=in
# claim: vnet-p/mp none arp.opcode=1 dir=in
# claim: vnet-b/mb 1 icmp.type=8 ip.src=192.0.2.14 dir=in
# claim: vnet-b/mb none icmp.type=8 ip.src=192.0.2.11
# claim: -/eth0 1 icmp.type=8 ip.src=192.0.2.11 ip.dst=192.0.2.12 dir=out
# claim: vnet-s/ms all eth.src=02:00:00:00:00:99
# rule: drivers/net/macvlan.c macvlan_queue_xmit (bridge mode: macvlan_broadcast to MACVLAN_MODE_BRIDGE,
#       then out), macvlan_handle_frame / macvlan_forward_source.

sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-sw
ip netns exec vnet-sw sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-out
ip netns exec vnet-out sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-sw link add sw0 address 02:00:00:00:01:00 type bridge mcast_snooping 0
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-sw link add sw0p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:99 netns vnet-out
ip -n vnet-sw link set sw0p1 master sw0
ip -n vnet-sw link set sw0p2 master sw0
ip -n vnet-sw link set sw0 up
ip -n vnet-sw link set sw0p1 up
ip -n vnet-sw link set sw0p2 up
ip -n vnet-out addr add 192.0.2.99/24 dev eth0
ip -n vnet-out link set eth0 up
ip link set eth0 up

for n in v b b2 p s; do ip netns add vnet-$n; ip netns exec vnet-$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add link eth0 name mv address 02:00:00:00:00:11 type macvlan mode vepa
ip link add link eth0 name mb address 02:00:00:00:00:12 type macvlan mode bridge
ip link add link eth0 name mb2 address 02:00:00:00:00:14 type macvlan mode bridge
ip link add link eth0 name mp address 02:00:00:00:00:13 type macvlan mode private
ip link add link eth0 name ms address 02:00:00:00:00:15 type macvlan mode source macaddr add 02:00:00:00:00:99
ip link set mv netns vnet-v
ip link set mb netns vnet-b
ip link set mb2 netns vnet-b2
ip link set mp netns vnet-p
ip link set ms netns vnet-s
ip -n vnet-v addr add 192.0.2.11/24 dev mv
ip -n vnet-b addr add 192.0.2.12/24 dev mb
ip -n vnet-b2 addr add 192.0.2.14/24 dev mb2
ip -n vnet-p addr add 192.0.2.13/24 dev mp
ip -n vnet-s addr add 192.0.2.15/24 dev ms
ip -n vnet-v link set mv up
ip -n vnet-b link set mb up
ip -n vnet-b2 link set mb2 up
ip -n vnet-p link set mp up
ip -n vnet-s link set ms up

# every mode reaches the outside host (its ARP request is a broadcast the siblings may see)
ip netns exec vnet-v ping -c1 -W1 192.0.2.99
ip netns exec vnet-b ping -c1 -W1 192.0.2.99
ip netns exec vnet-p ping -c1 -W1 192.0.2.99
# bridge <-> bridge: direct
ip netns exec vnet-b2 ping -c1 -W1 192.0.2.12
# vepa -> bridge, with the bridge one's MAC known: the request leaves and never comes back
ip -n vnet-v neigh replace 192.0.2.12 lladdr 02:00:00:00:00:12 dev mv
ip netns exec vnet-v ping -c1 -W1 192.0.2.12
