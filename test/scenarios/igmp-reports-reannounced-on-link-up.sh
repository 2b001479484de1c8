# world: none
# rule: a device coming back up re-announces the IPv4 groups kernel users joined on it (ip_mc_up → igmp_group_added): two IGMPv3 to_ex reports, the first two jiffies after up, the second within igmpv3_unsolicited_report_interval, from the device's address; going down drops what is pending and sends nothing (ip_mc_down)
ip netns add vnet-a
ip link add eth0 type veth peer name eth0 netns vnet-a
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip addr add 198.51.100.1/24 dev eth0
ip link set eth0 up
ip -n vnet-a link set eth0 up
ip link add vx0 type vxlan id 5 group 239.1.1.1 dev eth0 dstport 4789
ip link set vx0 up
sleep 1.5
ip netns exec vnet-a timeout 3 tcpdump -i eth0 -nn -t -v igmp &
sleep 0.3
ip link set eth0 down
ip link set eth0 up
wait
ip -s link show eth0
