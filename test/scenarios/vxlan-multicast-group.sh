# world: none
# rule: `vxlan … group 239.1.1.1 dev eth0`: the default FDB entry is `00:00:00:00:00:00 dst 239.1.1.1 via eth0 self permanent`; bringing the device up joins the group on eth0 (its multicast list gains 01:00:5e:01:01:01, dropped again when the vxlan goes down), floods (here the ARP request) go to the group with outer TTL 1 and reach every member, and the answers come back unicast from the VTEP the sender's MAC was learned behind (vxlan_multicast_join, vxlan_xmit_one: ttl 1 for a multicast destination)
ip netns add vnet-a
ip netns add vnet-b
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-a link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-b link set eth0 up
ip -n vnet-a link add vxlan0 address 02:00:00:00:aa:01 type vxlan id 42 group 239.1.1.1 dstport 4789 dev eth0
ip -n vnet-b link add vxlan0 address 02:00:00:00:aa:02 type vxlan id 42 group 239.1.1.1 dstport 4789 dev eth0
ip -n vnet-a addr add 203.0.113.1/24 dev vxlan0
ip -n vnet-b addr add 203.0.113.2/24 dev vxlan0
bridge -n vnet-a fdb show dev eth0
ip -n vnet-a link set vxlan0 up
ip -n vnet-b link set vxlan0 up
bridge -n vnet-a fdb show dev eth0
bridge -n vnet-a fdb show dev vxlan0
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t -v udp 2>/dev/null | grep -oE '^02:00:00:00:[0-9a-f:]+ > [^(]*|tos 0x[0-9a-f]+, ttl [0-9]+|flags \[[A-Za-z]+\], proto [A-Z]+ \([0-9]+\), length [0-9]+\)|> (192\.0\.2\.[0-9]|239\.1\.1\.1)\.4789: .*|^02:00:00:00:aa:[^(]*|^    203\..*' &
sleep 0.3
ip netns exec vnet-a ping -c 1 203.0.113.2
wait
bridge -n vnet-a fdb show dev vxlan0
bridge -n vnet-b fdb show dev vxlan0
ip -n vnet-a -s link show vxlan0
ip -n vnet-a link set vxlan0 down
bridge -n vnet-a fdb show dev eth0
