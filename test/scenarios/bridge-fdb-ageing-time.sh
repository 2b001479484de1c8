# world: none
# rule: learned fdb entries expire ageing_time after the source was last seen (`ageing_time 200` = 2 s; times in centiseconds); after `sleep 3` they are gone while permanent entries stay; `/sys/class/net/br0/bridge/ageing_time` shows centiseconds; `bridge fdb show` of a dynamic entry has an empty state word (reference 5.3, 5.5)
ip netns add vnet-h1
ip netns add vnet-h2
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 type bridge ageing_time 200
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-h1
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-h2
ip link set p1 master br0 up
ip link set p2 master br0 up
ip link set br0 up
ip -n vnet-h1 addr add 192.0.2.1/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip -n vnet-h2 addr add 192.0.2.2/24 dev eth0
ip -n vnet-h2 link set eth0 up
cat /sys/class/net/br0/bridge/ageing_time
ip -d link show br0 | grep -o 'ageing_time [0-9]*'
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
bridge fdb show br br0 dynamic
sleep 3
bridge fdb show br br0 dynamic
bridge fdb show br br0 | grep -v self
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
bridge fdb show dev p2 | grep -v self
echo 30000 > /sys/class/net/br0/bridge/ageing_time
ip -d link show br0 | grep -o 'ageing_time [0-9]*'
