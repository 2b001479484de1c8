# world: none
# requires: bonding
# rule: balance-tlb and balance-alb (bond_alb.c bond_alb_init_slave): the bond still takes the first slave's MAC, but every slave keeps its own address; both modes use an active slave (Primary Slave/Currently Active Slave in /proc/net/bonding) and turn miimon on (100) (reference 11)
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
ip link add bond0 type bond mode balance-tlb
ip link set eth0 master bond0
ip link set eth1 master bond0
ip addr add 192.0.2.1/24 dev bond0
ip link set bond0 up
sleep 1
grep -v Driver /proc/net/bonding/bond0
ip link show bond0
ip link show eth1
ip -d link show eth1
ping -c1 -W1 192.0.2.100
ip link del bond0
ip link add bond1 type bond mode balance-alb
ip link set eth0 master bond1
ip link set eth1 master bond1
ip link show eth1
ip link set bond1 up
sleep 1
grep -v Driver /proc/net/bonding/bond1
