# world: none
# rule: a macvlan can sit on a Linux bridge device: its frames enter the bridge as if sent by br0 (flooded/forwarded to the ports) and frames for its MAC arriving on a port are handed to br0 and from there to the macvlan; the host (br0's own address) cannot reach its own macvlan, because a lower never receives its macvlans' frames and vice versa (reference 1.5, 1.6, 5.4)
ip netns add vnet-h1
ip netns add vnet-m
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-m sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 address 02:00:00:00:00:fe type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-h1
ip link set p1 master br0 up
ip addr add 192.0.2.254/24 dev br0
ip link set br0 up
ip link set lo up
ip -n vnet-h1 addr add 192.0.2.1/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip link add link br0 name mv0 address 02:00:00:00:00:a1 type macvlan mode bridge
ip link set mv0 netns vnet-m
ip -n vnet-m addr add 192.0.2.50/24 dev mv0
ip -n vnet-m link set mv0 up
ip -n vnet-m link show mv0
ip netns exec vnet-m ping -c1 -W1 192.0.2.1
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.50
ip netns exec vnet-m ping -c1 -W1 192.0.2.254
ip neigh flush dev br0
ping -c1 -W1 192.0.2.50
bridge fdb show br br0 dynamic
ip -d link show br0 | grep -o 'promiscuity [0-9]*'
