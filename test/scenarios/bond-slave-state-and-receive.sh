# world: none
# requires: bonding
# rule: bond_handle_frame: in active-backup a frame the switch floods to both slaves reaches the bond once (the backup slave keeps its copy), in balance-rr twice (every slave is active), so the bond answers an ARP request twice; balance-rr spreads pings over both slaves; without miimon a slave's link counts as up whatever its carrier (reference 11)
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
sleep 1
timeout 3 tcpdump --immediate-mode -nn -e -t -i bond0 arp &
sleep 1
ip netns exec vnet-sw ping -c1 -W1 192.0.2.1
wait
ip link set eth0 nomaster
ip link set eth1 nomaster
ip link set bond0 down
ip link set bond0 type bond mode balance-rr miimon 0
ip link set eth0 master bond0
ip link set eth1 master bond0
ip link set bond0 up
ip -n vnet-sw neigh flush dev sw0
sleep 1
timeout 3 tcpdump --immediate-mode -nn -e -t -i bond0 arp &
sleep 1
ip netns exec vnet-sw ping -c1 -W1 192.0.2.1
wait
ip neigh replace 192.0.2.100 lladdr 02:00:00:00:01:00 dev bond0
cat /sys/class/net/eth0/statistics/tx_packets /sys/class/net/eth1/statistics/tx_packets
ping -c4 -i0.2 -W1 192.0.2.100
cat /sys/class/net/eth0/statistics/tx_packets /sys/class/net/eth1/statistics/tx_packets
ip link add eth2 address 02:00:00:00:00:30 type veth peer name eth2p address 02:00:00:00:00:31
ip link set eth2 master bond0
grep -v Driver /proc/net/bonding/bond0
