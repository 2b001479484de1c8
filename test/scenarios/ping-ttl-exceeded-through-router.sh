# world: default
# rule: `ping -t 1` to a host behind a router: the router decrements the TTL to 0, drops the packet and answers "From <router's LAN address> icmp_seq=N Time to live exceeded" (+1 errors, exit 1); tcpdump shows the ICMP time exceeded in-transit message; `-t 2` reaches the host with ttl=63 (reference 9.6)
# no IPv6 chatter (router solicitations, MLD) during the captures
for ns in vnet-sw vnet-gw vnet-peer vnet-far; do ip netns exec $ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=1; done
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ping -c1 -W1 198.51.100.1
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t icmp &
sleep 0.3
ping -c1 -W1 -t 1 198.51.100.1
wait
ping -c1 -W1 -t 2 198.51.100.1
ping -c2 -i 0.2 -W1 -t 1 198.51.100.1
ping -c1 -W1 -t 1 192.0.2.20
