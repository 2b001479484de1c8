# world: none
# requires: vlan_filtering 8021q
# rule: vlan_default_pvid N moves the pvid only where it still is the old default (pvid and untagged, as the bridge gave it); ports whose pvid the user changed keep theirs; from 0 every port without the VID gets it as pvid; 0 removes the default VLAN; with vlan_filtering 0 the VLAN sets stay but forwarding ignores them; vlan_protocol 802.1ad makes 802.1Q-tagged frames count as untagged; with vlan_stats_enabled each VLAN counts bytes without the Ethernet header, ports sharing the bridge's counters unless vlan_stats_per_port (settable only while no port has a VLAN: EBUSY)
ip netns add vnet-a
ip netns add vnet-b
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 address 02:00:00:00:0b:00 type bridge vlan_filtering 1 vlan_default_pvid 3
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-a
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-b
ip link add p3 address 02:00:00:00:01:03 type veth peer name p3peer address 02:00:00:00:00:03
ip link set p1 master br0 up
ip link set p2 master br0 up
ip link set p3 master br0
ip link set br0 up
bridge vlan show
bridge vlan add dev p2 vid 3 pvid
bridge vlan add dev p3 vid 7 pvid untagged
bridge vlan add dev p3 vid 4
ip link set br0 type bridge vlan_default_pvid 4
bridge vlan show
ip link set br0 type bridge vlan_default_pvid 4
ip link set br0 type bridge vlan_default_pvid 0
bridge vlan show
ip link set br0 type bridge vlan_default_pvid 9
bridge vlan show
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b link set eth0 up
bridge vlan del dev p1 vid 9
bridge vlan add dev p1 vid 5 pvid untagged
bridge vlan show dev p1
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
ip link set br0 type bridge vlan_filtering 0
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
bridge vlan show dev p1
bridge fdb show br br0 | grep -v self
ip link set br0 type bridge vlan_filtering 1
ip -n vnet-a link add link eth0 name eth0.9 type vlan id 9
ip -n vnet-a addr add 198.51.100.1/24 dev eth0.9
ip -n vnet-a link set eth0.9 up
ip -n vnet-b link add link eth0 name eth0.9 type vlan id 9
ip -n vnet-b addr add 198.51.100.2/24 dev eth0.9
ip -n vnet-b link set eth0.9 up
ip netns exec vnet-a ping -c1 -W1 198.51.100.2
bridge vlan add dev p1 vid 9
ip netns exec vnet-a ping -c1 -W1 198.51.100.2
ip link set br0 type bridge vlan_protocol 802.1ad
ip netns exec vnet-a ping -c1 -W1 198.51.100.2
bridge -s vlan show dev p1
bridge -s -d vlan show dev p1
ip link set br0 type bridge vlan_protocol 802.1Q vlan_stats_enabled 1
ip netns exec vnet-a ping -c2 -i 0.2 -W1 198.51.100.2
ip netns exec vnet-a ping -c1 -W1 192.0.2.2
bridge -s vlan show
bridge -s vlan show vid 9
bridge -s -d vlan show dev br0
bridge -s -j vlan show dev p2
ip link set br0 type bridge vlan_stats_per_port 1
ip link add br1 type bridge vlan_filtering 1 vlan_stats_enabled 1 vlan_stats_per_port 1 mcast_snooping 0
ip link set p3 nomaster
ip link set p3 master br1 up
ip link set p3peer up
bridge vlan add dev br1 vid 1 pvid untagged self
bridge vlan show dev br1
ip link set br1 up
ip addr add 203.0.113.1/24 dev br1
ip link set p3peer netns vnet-b
ip -n vnet-b addr add 203.0.113.2/24 dev p3peer
ip -n vnet-b link set p3peer up
ping -c3 -i 0.2 -W1 203.0.113.2
bridge -s vlan show dev p3
bridge -s vlan show dev br1
ip link set br1 type bridge vlan_stats_per_port 0
