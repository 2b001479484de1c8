# world: none
# requires: nlmon vrf
# rule: while an nlmon device is up, tcpdump on it (link-type NETLINK, printed UNSUPPORTED with a hex dump) sees each netlink message of the namespace: for `ip link add` the RTM_NEWLINK probe answered ENODEV, the request (IFLA_IFNAME, IFLA_LINKINFO/IFLA_INFO_KIND without NUL, IFLA_INFO_DATA) and the ACK capped to the request's header, or the error echoing the whole request with its extack (netlink_deliver_tap, netlink_ack); sequence numbers and port ids are left out of the comparison
ip link add nlmon0 type nlmon
ip link set nlmon0 up
tcpdump -i nlmon0 -w /tmp/vnet-nl.pcap -c 16 2>/dev/null &
sleep 2
ip link add d0 type dummy
ip link add d0 type dummy
ip link add red type vrf table 10
ip link add blue type vrf
sleep 1
wait
tcpdump -r /tmp/vnet-nl.pcap -nn -t | grep -c UNSUPPORTED
tcpdump -r /tmp/vnet-nl.pcap -nn -t -x | grep -o -E '0x00[0-9a-f]0:  [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}'
