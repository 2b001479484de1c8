# world: none
# requires: bonding
# rule: 802.3ad with no LACP partner (a plain bridge as switch): miimon is forced to 100, every port becomes an individual aggregator (ids from 1 in enslave order), the first port's aggregator is activated with its ports enabled (the rx machine first waits 3 s in EXPIRED: actor state 197, partner short_timeout 2; then DEFAULTED: actor 77 <active,aggregating,in_sync,defaulted> on the active port, 69 and BACKUP on the others, partner the default one: key 1, MAC 00:…, state 0), the bond has carrier as soon as it is up and traffic flows on the active port (bond_3ad.c ad_agg_selection_logic, bond_procfs.c, bond_netlink.c) — the LACPDUs themselves: bond-8023ad-lacpdu-capture.sh
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
ip -n vnet-sw addr add 192.0.2.100/24 dev sw0
ip link add bond0 type bond mode 802.3ad
ip link set eth0 master bond0
ip link set eth1 master bond0
ip addr add 192.0.2.1/24 dev bond0
ip link set bond0 up
ip link show bond0
sleep 1
grep -v Driver /proc/net/bonding/bond0
ip -d link show bond0
ip -d link show eth0
ip -d link show eth1
ping -c1 -W1 192.0.2.100
sleep 3
grep -v Driver /proc/net/bonding/bond0
ip -d link show eth0
ip -d link show eth1
