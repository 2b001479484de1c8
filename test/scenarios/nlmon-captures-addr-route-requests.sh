# world: none
# requires: nlmon
# rule: the requests `ip addr` and `ip route` send are captured on an up nlmon device with the kernel's answers: RTM_NEWADDR/RTM_DELADDR (ifaddrmsg, IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST), RTM_NEWROUTE/RTM_DELROUTE (rtmsg, RTA_DST, RTA_GATEWAY, RTA_OIF) with their lengths and flags, ACKs and errors (a duplicate delete: ESRCH echoing the request); only their headers are compared (iproute2's RTM_GETLINK name lookups are not modelled by vnet)
ip link add d0 type dummy
ip link set d0 up
ip link add nlmon0 type nlmon
ip link set nlmon0 up
timeout 6 tcpdump -i nlmon0 -w /tmp/vnet-nl2.pcap 2>/dev/null &
sleep 2
ip addr add 192.0.2.1/24 brd + dev d0
ip route add 198.51.100.0/24 via 192.0.2.2
ip route add 203.0.113.0/24 dev d0 metric 7
ip route del 198.51.100.0/24
ip route del 198.51.100.0/24
ip addr del 192.0.2.1/24 dev d0
wait
tcpdump -r /tmp/vnet-nl2.pcap -nn -t -x | grep -o -E '0x0010:  [0-9a-f]{4} 0000 1[4589]00 [0-9a-f]{4}'
tcpdump -r /tmp/vnet-nl2.pcap -nn -t -x | grep -o -E '0x0010:  [0-9a-f]{4} 0000 0200 [0-9a-f]{4}' | grep -v -E '3400 0000 0200 0000$'
