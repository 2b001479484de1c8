# world: none
# rule: a bridge with mcast_snooping on (the default) joins 224.0.0.106 and ff02::6a on its own device when it opens (br_multicast_join_snoopers), so IGMPv3 reports (from 0.0.0.0 without an address: two jiffies after up, again within igmpv3_unsolicited_report_interval, robustness 2) leave through its ports; its MLDv2 reports (two from :: at link-local setup, two from the link-local after DAD) list ff02::6a after the solicited-node group; with no port carrier the IGMP reports are lost and ff02::6a is first reported with the link-local once carrier comes; turning snooping off/on on an open bridge sends to_in/to_ex change reports (IGMP alone, and MLD with the other groups as to_ex); mcast_querier 0 means no queries
ip netns add vnet-h1
ip netns add vnet-h2
ip netns exec vnet-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 address 02:00:00:00:00:fe type bridge
ip link add br1 address 02:00:00:00:01:fe type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-h1
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-h2
sysctl -q -w net.ipv6.conf.p1.disable_ipv6=1
sysctl -q -w net.ipv6.conf.p2.disable_ipv6=1
sysctl -q -w net.ipv6.conf.br1.disable_ipv6=1
ip link set p1 master br0 up
ip link set p2 master br1 up
ip -n vnet-h1 link set eth0 up
timeout 3 ip netns exec vnet-h1 tcpdump -i eth0 --immediate-mode -nn -e -t -v igmp &
timeout 4.5 ip netns exec vnet-h1 tcpdump -i eth0 --immediate-mode -nn -e -t -v ip6 dst ff02::16 &
sleep 0.3
ip link set br0 up
wait
ip -s link show p1
ip -n vnet-h2 link set eth0 up
ip link set br1 up
sleep 1.5
timeout 3 ip netns exec vnet-h2 tcpdump -i eth0 --immediate-mode -nn -e -t -v igmp &
sleep 0.3
ip link set br1 type bridge mcast_snooping 0
sleep 1.1
ip link set br1 type bridge mcast_snooping 1
wait
timeout 2 ip netns exec vnet-h1 tcpdump -i eth0 --immediate-mode -nn -e -t -v igmp &
timeout 2 ip netns exec vnet-h1 tcpdump -i eth0 --immediate-mode -nn -e -t -v ip6 dst ff02::16 &
sleep 0.3
ip link set br0 type bridge mcast_snooping 0
wait
ip link set p1 down
ip link set br0 down
ip link set br0 type bridge mcast_snooping 1
timeout 5.5 ip netns exec vnet-h1 tcpdump -i eth0 --immediate-mode -nn -e -t -v igmp or ip6 dst ff02::16 &
sleep 0.3
ip link set br0 up
sleep 1.2
ip link set p1 up
wait
