# world: none
# requires: vlan_filtering
# rule: with vlan_filtering 1, access ports (`vid N pvid untagged`, default VLAN 1 removed) forward only within their VLAN: hosts on VLAN 10 reach each other, a host on VLAN 20 does not; the FDB learns each MAC per VLAN (`vlan N` entries) and each port's own MAC is a permanent entry per VLAN; frames arriving on a port for a VLAN it is not in are dropped at ingress
ip netns add vnet-a
ip netns add vnet-b
ip netns add vnet-c
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-c sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 address 02:00:00:00:0b:00 type bridge vlan_filtering 1
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-a
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-b
ip link add p3 address 02:00:00:00:01:03 type veth peer name eth0 address 02:00:00:00:00:03 netns vnet-c
ip link set p1 master br0 up
ip link set p2 master br0 up
ip link set p3 master br0 up
ip link set br0 up
bridge vlan del dev p1 vid 1
bridge vlan del dev p2 vid 1
bridge vlan del dev p3 vid 1
bridge vlan add dev p1 vid 10 pvid untagged
bridge vlan add dev p2 vid 10 pvid untagged
bridge vlan add dev p3 vid 20 pvid untagged
bridge vlan show
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-c addr add 192.0.2.3/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b link set eth0 up
ip -n vnet-c link set eth0 up
ip -n vnet-a link set lo up
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
ip netns exec vnet-a ping -c1 -W1 192.0.2.3
ip netns exec vnet-c ping -c1 -W1 192.0.2.2
bridge fdb show br br0 | grep -v self
bridge fdb show dev p3 | grep -v self
ip -n vnet-a neigh show 192.0.2.2
ip -n vnet-a neigh show 192.0.2.3
ip -n vnet-c neigh show
bridge vlan del dev p3 vid 20
bridge vlan show dev p3
ip netns exec vnet-c ping -c1 -W1 192.0.2.1
ip -s link show p3 | tail -4
ip -s link show br0 | head -4 | tail -1
bridge vlan add dev p3 vid 10 pvid untagged
ip netns exec vnet-c ping -c1 -W1 192.0.2.1
bridge fdb show br br0 vlan 10 | grep -v self
ip link set br0 type bridge vlan_filtering 0
bridge fdb show br br0 | grep -v self | grep -c vlan
