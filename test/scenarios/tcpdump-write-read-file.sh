# world: default
# rule: `tcpdump -w FILE` writes a pcap instead of printing ("listening on …", then "N packets captured" on stderr, nothing on stdout); `tcpdump -r FILE` reads it back ("reading from file FILE, link-type EN10MB (Ethernet), snapshot length 262144" on stderr) and accepts -e/-n/-t and a filter; `-c` limits reading too; a missing file → "tcpdump: FILE: No such file or directory" (exit 1)
# no IPv6 chatter (router solicitations, MLD) during the captures
for ns in vnet-sw vnet-gw vnet-peer vnet-far; do ip netns exec $ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=1; done
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
timeout 1 tcpdump -i eth0 --immediate-mode -w /run/vnet-cap.pcap icmp &
sleep 0.3
ping -c 2 -i 0.2 192.0.2.20
wait
tcpdump -r /run/vnet-cap.pcap -nn -t
tcpdump -r /run/vnet-cap.pcap -nn -e -t 'icmp[icmptype] == icmp-echoreply'
tcpdump -r /run/vnet-cap.pcap -nn -t -c 1
tcpdump -nn -r /run/vnet-none.pcap
