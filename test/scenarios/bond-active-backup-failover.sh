# world: none
# requires: bonding
# timing: tcpdump gets 2 s to start before the carrier drops (under qemu TCG it can need more than 1 s)
# rule: active-backup with miimon 100: the first slave with link becomes active and carries the traffic; when its carrier drops the MII monitor marks it down (link failure count 1) at its next poll and makes the other slave active, which sends a gratuitous ARP for the bond's address; the old slave coming back stays a backup; /proc/net/bonding/bond0 and `ip -d link` show it (reference 11; bond_procfs.c, bond_netlink.c)
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
ip link add bond0 type bond mode active-backup miimon 100
ip link set eth0 master bond0
ip link set eth1 master bond0
ip addr add 192.0.2.1/24 dev bond0
ip link set bond0 up
sleep 2
ip link show bond0
ip link show eth0
grep -v Driver /proc/net/bonding/bond0
ping -c1 -W1 192.0.2.100
ip netns exec vnet-sw timeout 5 tcpdump --immediate-mode -nn -e -t -i sw0p2 arp &
sleep 2
ip -n vnet-sw link set sw0p1 down
wait
grep -v Driver /proc/net/bonding/bond0
ip -d link show bond0 | grep -o 'active_slave [a-z0-9]*'
ip -d link show eth0 | grep -o 'bond_slave .* prio 0'
ping -c1 -W1 192.0.2.100
ip -n vnet-sw link set sw0p1 up
sleep 1
grep 'Currently Active' /proc/net/bonding/bond0
grep 'MII Status' /proc/net/bonding/bond0
