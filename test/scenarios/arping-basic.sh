# world: default
# rule: arping here is Thomas Habets' arping 2.23 (Debian `arping`): `arping -c N -I DEV IP` prints "ARPING IP", one "42 bytes from MAC (IP): index=N time=T usec" per answer and a statistics block "N packets transmitted, N packets received,   0% unanswered (0 extra)" + rtt line, exit 0; unanswered → "Timeout" lines and 100% unanswered, exit 1; `-D` prints only "!" (address in use, exit 0) or "." (free, exit 1) with a loss line; `-U` sends an unsolicited broadcast request for the own address (tell = who-has = own IP; libnet builds a 58-byte frame that tcpdump decodes as an ARP of length 44); `-q` prints nothing; without -I the device comes from the route
# no IPv6 chatter (router solicitations, MLD) during the captures
for ns in vnet-sw vnet-gw vnet-peer vnet-far; do ip netns exec $ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=1; done
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
arping -c 2 -I eth0 192.0.2.20
arping -c 1 192.0.2.1
arping -c 1 -w 1 -I eth0 192.0.2.99
arping -c 1 -w 1 -D -I eth0 192.0.2.99
arping -c 1 -w 1 -D -I eth0 192.0.2.20
arping -q -c 1 -I eth0 192.0.2.20
ip -n vnet-peer neigh flush dev eth0
ip netns exec vnet-peer timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t arp &
sleep 0.3
arping -c 1 -U -I eth0 192.0.2.10
wait
ip -n vnet-peer neigh show 192.0.2.10
arping -c 1 -I nonexist 192.0.2.20
arping
