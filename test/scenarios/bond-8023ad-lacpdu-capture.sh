# world: none
# requires: bonding
# timing: both tcpdumps get 2 s to start before the bond comes up (under qemu TCG one can need more than 1 s); -c ends each after its count, timeout only guards
# rule: an 802.3ad bond with no LACP partner sends LACPDUs (slow protocols 0x8809, subtype 1, from the port's own MAC to 01:80:c2:00:00:02, 124 bytes) on each port as its LACP machines start: actor = the bond's MAC, system priority 65535, port priority 255, key 15 (10G full duplex veth), port number 1, 2… in enslave order, state Activity+Aggregation+Default+Expired while the rx machine waits in EXPIRED (partner Timeout), Synchronization once the mux machine attached the port of the active aggregator, Expired and the partner's Timeout gone once DEFAULTED; the partner is the default one (system 00:…, key 1, port 1); collector max delay 0; tcpdump -v decodes the TLVs, -x shows the bytes (bond_3ad.c ad_lacpdu_send, print-slow.c)
ip netns add vnet-sw
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip link add eth1 address 02:00:00:00:00:20 type veth peer name sw0p2 address 02:00:00:00:01:02 netns vnet-sw
ip netns exec vnet-sw sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-sw link add sw0 address 02:00:00:00:01:00 type bridge
ip -n vnet-sw link set sw0p1 master sw0
ip -n vnet-sw link set sw0p2 master sw0
ip -n vnet-sw link set sw0p1 up
ip -n vnet-sw link set sw0p2 up
ip -n vnet-sw link set sw0 up
ip link add bond0 type bond mode 802.3ad
ip link set eth0 master bond0
ip link set eth1 master bond0
timeout 10 tcpdump -i eth0 --immediate-mode -nn -e -v -t -c 5 ether proto 0x8809 &
ip netns exec vnet-sw timeout 10 tcpdump -i sw0p2 --immediate-mode -nn -e -x -t -c 2 ether proto 0x8809 &
sleep 2
ip link set bond0 up
wait
