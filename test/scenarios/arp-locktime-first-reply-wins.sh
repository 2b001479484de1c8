# world: none
# rule: net/ipv4/arp.c arp_process + net/core/neighbour.c __neigh_update: when two hosts answer one ARP request with different MACs, the first reply wins — a later reply may replace a valid entry's address only when `time_after(jiffies, n->updated + locktime)` (net.ipv4.neigh.DEV.locktime, 100 jiffies = 1 s) or when it is a gratuitous ARP; `updated` moves only when the state or address really changes (a reply repeating the cached MAC does not restart the lock), so after the lock has run out the *second* differing reply of the next exchange takes over; an ARP request for one of our addresses always overrides (neigh_event_ns, STALE); with locktime 0 a reply a jiffy later replaces the entry
ip netns add vnet-sw
ip netns add vnet-a
ip netns add vnet-b
ip netns add vnet-c
for ns in vnet-sw vnet-a vnet-b vnet-c; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n vnet-sw link add br0 address 02:00:00:00:00:f0 type bridge mcast_snooping 0
ip -n vnet-sw link set br0 up
ip -n vnet-a link add eth0 address 02:00:00:00:00:0a type veth peer name pa address 02:00:00:00:00:1a netns vnet-sw
ip -n vnet-b link add eth0 address 02:00:00:00:00:0b type veth peer name pb address 02:00:00:00:00:1b netns vnet-sw
ip -n vnet-c link add eth0 address 02:00:00:00:00:0c type veth peer name pc address 02:00:00:00:00:1c netns vnet-sw
for p in pa pb pc; do ip -n vnet-sw link set $p master br0; ip -n vnet-sw link set $p up; done
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-c addr add 192.0.2.2/24 dev eth0
for ns in vnet-a vnet-b vnet-c; do ip -n $ns link set eth0 up; done
sleep 0.2
# both b and c answer; the first reply is kept, the second is ignored within the lock time
ip netns exec vnet-a ping -c1 -W1 192.0.2.2 > /dev/null
ip -n vnet-a neigh show 192.0.2.2
# the lock has run out, but the repeated first MAC changes nothing: the second reply takes over
sleep 1.2
ip netns exec vnet-a arping -q -c1 -I eth0 192.0.2.2
ip -n vnet-a neigh show 192.0.2.2
# at once again: the first reply (a different MAC) is now inside the lock time
sleep 0.1
ip netns exec vnet-a arping -q -c1 -I eth0 192.0.2.2
ip -n vnet-a neigh show 192.0.2.2
# gratuitous ARP (sender = target) overrides at once; it is a request, so the entry is STALE
ip netns exec vnet-b arping -q -c1 -U -I eth0 192.0.2.2
ip -n vnet-a neigh show 192.0.2.2
ip netns exec vnet-c arping -q -c1 -U -I eth0 192.0.2.2
ip -n vnet-a neigh show 192.0.2.2
# a request for a's own address overrides too (neigh_event_ns)
ip netns exec vnet-b arping -q -c1 -I eth0 192.0.2.1
ip -n vnet-a neigh show 192.0.2.2
# locktime 0: a reply a jiffy after the last change replaces the entry
ip netns exec vnet-a sysctl -w net.ipv4.neigh.eth0.locktime=0
ip netns exec vnet-a cat /proc/sys/net/ipv4/neigh/eth0/locktime
ip -n vnet-a neigh flush dev eth0
ip netns exec vnet-a ping -c1 -W1 192.0.2.2 > /dev/null
ip -n vnet-a neigh show 192.0.2.2
sleep 0.1
ip netns exec vnet-a arping -q -c1 -I eth0 192.0.2.2
ip -n vnet-a neigh show 192.0.2.2
