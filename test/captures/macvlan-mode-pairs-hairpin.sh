# world: none
# capture: -/eth0 vnet-sw/sw0p1 vnet-v/mv vnet-v2/mv2 vnet-b/mb vnet-p/mp vnet-s/ms
# seeds 000/004 with a hairpin switch port (the "802.1Qbg switch" the articles ask for): who receives a
#       sibling's broadcast once the switch sends it back down eth0.
#   from vepa -> the other vepa and the bridge-mode macvlans (not itself, not private);
#   from bridge -> vepa only (bridge siblings already had it on the way out);
#   from private -> only the sender itself (its own request comes back to it);
#   source mode (ms lists mv's MAC) gets a copy of every frame with mv's MAC as source coming in.
#   Unicast between any two modes works (no mode check on unicast): vepa -> vepa (ARP through the
#   switch), and private <-> vepa once both have static neighbour entries (ARP cannot work there).
# claim: vnet-v2/mv2 1 arp.opcode=1 eth.src=02:00:00:00:00:11
# claim: vnet-b/mb 1 arp.opcode=1 eth.src=02:00:00:00:00:11
# claim: vnet-p/mp none arp.opcode=1 eth.src=02:00:00:00:00:11
# claim: vnet-v/mv 1 arp.opcode=1 eth.src=02:00:00:00:00:12 dir=in
# claim: vnet-v2/mv2 1 arp.opcode=1 eth.src=02:00:00:00:00:12
# claim: vnet-p/mp 1 arp.opcode=1 eth.src=02:00:00:00:00:13 dir=in
# claim: vnet-v/mv none arp.opcode=1 eth.src=02:00:00:00:00:13
# claim: vnet-b/mb none arp.opcode=1 eth.src=02:00:00:00:00:13
# claim: vnet-s/ms all eth.src=02:00:00:00:00:11
# claim: vnet-v/mv 1 icmp.type=8 ip.src=192.0.2.13 dir=in
# claim: vnet-p/mp 1 icmp.type=0 ip.src=192.0.2.11 dir=in
# rule: drivers/net/macvlan.c macvlan_handle_frame (group frame whose source is a local macvlan:
#       private/passthru/source -> back to that one; vepa -> vepa+bridge; bridge -> vepa).

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
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
ip -n vnet-sw link set sw0 up
ip -n vnet-sw link set sw0p1 up
ip -n vnet-sw link set sw0p2 up
ip -n vnet-out addr add 192.0.2.99/24 dev eth0
ip -n vnet-out link set eth0 up
ip link set eth0 up

for n in v v2 b p s; do ip netns add vnet-$n; ip netns exec vnet-$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add link eth0 name mv address 02:00:00:00:00:11 type macvlan mode vepa
ip link add link eth0 name mv2 address 02:00:00:00:00:14 type macvlan mode vepa
ip link add link eth0 name mb address 02:00:00:00:00:12 type macvlan mode bridge
ip link add link eth0 name mp address 02:00:00:00:00:13 type macvlan mode private
ip link add link eth0 name ms address 02:00:00:00:00:15 type macvlan mode source macaddr add 02:00:00:00:00:11
ip link set mv netns vnet-v
ip link set mv2 netns vnet-v2
ip link set mb netns vnet-b
ip link set mp netns vnet-p
ip link set ms netns vnet-s
ip -n vnet-v addr add 192.0.2.11/24 dev mv
ip -n vnet-v2 addr add 192.0.2.14/24 dev mv2
ip -n vnet-b addr add 192.0.2.12/24 dev mb
ip -n vnet-p addr add 192.0.2.13/24 dev mp
ip -n vnet-s addr add 192.0.2.15/24 dev ms
ip -n vnet-v link set mv up
ip -n vnet-v2 link set mv2 up
ip -n vnet-b link set mb up
ip -n vnet-p link set mp up
ip -n vnet-s link set ms up

# one broadcast from each mode (the ARP request for the outside host)
ip netns exec vnet-v ping -c1 -W1 192.0.2.99
ip netns exec vnet-b ping -c1 -W1 192.0.2.99
ip netns exec vnet-p ping -c1 -W1 192.0.2.99
# unicast: vepa -> vepa, then private -> vepa with static neighbours on both sides
ip netns exec vnet-v2 ping -c1 -W1 192.0.2.11
ip -n vnet-p neigh replace 192.0.2.11 lladdr 02:00:00:00:00:11 dev mp
ip -n vnet-v neigh replace 192.0.2.13 lladdr 02:00:00:00:00:13 dev mv
ip netns exec vnet-p ping -c1 -W1 192.0.2.11
