# world: none
# rule: `ip -s link` counts every frame the device sent and received, without FCS: 3 pings after an ARP exchange = 4 packets of 42+3×98 = 336 bytes each way on a veth (IPv6 off so nothing else is sent); `-s -s` adds the error breakdown lines; lo counts each local ping packet once as TX and once as RX; /sys/class/net/DEV/statistics/* hold the same numbers; a frame sent while the peer is down is counted as a TX drop (a permanent neighbour, so exactly one frame is sent); `-s -s` shows carrier changes as `transns`; lo counts 84 bytes per ping packet (no Ethernet header) (reference 6, 9.2)
ip netns add vnet-b
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name peer0 address 02:00:00:00:00:20
ip link set peer0 netns vnet-b
ip -n vnet-b link set peer0 name eth0
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n vnet-b addr add 192.0.2.20/24 dev eth0
ip -n vnet-b link set eth0 up
ip -s link show eth0
ping -c 3 -i 0.2 192.0.2.20
ip -s link show eth0
ip -n vnet-b -s link show eth0
ip -s -s link show eth0
cat /sys/class/net/eth0/statistics/tx_packets /sys/class/net/eth0/statistics/tx_bytes /sys/class/net/eth0/statistics/rx_packets /sys/class/net/eth0/statistics/rx_bytes
ping -c 2 -i 0.2 127.0.0.1
ip -s link show lo
ip neigh replace 192.0.2.20 lladdr 02:00:00:00:00:20 dev eth0
ip -n vnet-b link set eth0 down
ping -c1 -W1 192.0.2.20
ip -s link show eth0
ip -s -br link
