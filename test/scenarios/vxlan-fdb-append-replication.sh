# world: none
# rule: a vxlan without `remote` has an empty FDB and drops what it sends (tx_dropped); `bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst IP` adds remotes to the all-zeros entry (appending one already there changes nothing, `add` of an existing entry is "File exists", `replace` of the all-zeros entry "Operation not supported") and a frame to a MAC the FDB does not know goes to each of them (head-end replication), as the captures on two underlay hosts show, until the reply teaches the FDB where that MAC is; `bridge fdb del … dst IP` removes one remote, without dst the whole entry (vxlan_fdb_update, __vxlan_fdb_delete, vxlan_xmit)
ip netns add vnet-a
ip netns add vnet-b
ip netns add vnet-c
ip netns add vnet-u
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-c sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-u sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-u link add br0 type bridge
ip -n vnet-u link set br0 up
ip -n vnet-u link add pa type veth peer name eth0 address 02:00:00:00:01:01 netns vnet-a
ip -n vnet-u link add pb type veth peer name eth0 address 02:00:00:00:01:02 netns vnet-b
ip -n vnet-u link add pc type veth peer name eth0 address 02:00:00:00:01:03 netns vnet-c
ip -n vnet-u link set pa master br0 up
ip -n vnet-u link set pb master br0 up
ip -n vnet-u link set pc master br0 up
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-c addr add 192.0.2.3/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b link set eth0 up
ip -n vnet-c link set eth0 up
ip -n vnet-a link add vxlan0 address 02:00:00:00:aa:01 type vxlan id 7 dstport 4789 dev eth0
ip -n vnet-b link add vxlan0 address 02:00:00:00:aa:02 type vxlan id 7 dstport 4789 dev eth0
ip -n vnet-c link add vxlan0 address 02:00:00:00:aa:03 type vxlan id 7 dstport 4789 dev eth0
bridge -n vnet-a fdb show dev vxlan0
ip -n vnet-a addr add 203.0.113.1/24 dev vxlan0
ip -n vnet-b addr add 203.0.113.2/24 dev vxlan0
ip -n vnet-c addr add 203.0.113.3/24 dev vxlan0
ip -n vnet-a link set vxlan0 up
ip -n vnet-b link set vxlan0 up
ip -n vnet-c link set vxlan0 up
ip -n vnet-a neigh add 203.0.113.2 lladdr 02:00:00:00:aa:02 dev vxlan0 nud permanent
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2
ip -n vnet-a -s link show vxlan0
bridge -n vnet-a fdb append 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.2
bridge -n vnet-a fdb append 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.3
bridge -n vnet-a fdb append 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.3
bridge -n vnet-a fdb add 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.4
bridge -n vnet-a fdb replace 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.4
bridge -n vnet-b fdb append 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.1
bridge -n vnet-c fdb append 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.1
bridge -n vnet-a fdb show dev vxlan0
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t udp 2>/dev/null | grep -oE ' > 192\.0\.2\.[0-9]+\.4789: VXLAN.*|^02:00:00:00:aa:.*' &
ip netns exec vnet-c timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t udp 2>/dev/null | grep -oE ' > 192\.0\.2\.[0-9]+\.4789: VXLAN.*|^02:00:00:00:aa:.*' &
sleep 0.3
ip netns exec vnet-a ping -c 1 -W 1 203.0.113.2
wait
bridge -n vnet-a fdb show dev vxlan0
bridge -n vnet-b fdb show dev vxlan0
bridge -n vnet-c fdb show dev vxlan0
bridge -n vnet-a fdb del 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.3
bridge -n vnet-a fdb show dev vxlan0
bridge -n vnet-a fdb del 02:00:00:00:aa:02 dev vxlan0 dst 192.0.2.9
bridge -n vnet-a fdb del 02:00:00:00:aa:02 dev vxlan0
bridge -n vnet-a fdb del 02:00:00:00:aa:02 dev vxlan0
bridge -n vnet-a fdb show dev vxlan0
