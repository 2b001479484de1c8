# world: default
# rule: tcpdump on a veth end sees both directions; BPF filters select frames: `arp`, `icmp`, `host X`, `ether src MAC`, `not arp and not ip6` (the default world's hosts send IPv6 router solicitations now and then), `icmp and host X`; `-c N` stops after N packets (then "N packets captured", no trailing empty line); `-e` adds the MAC header, `-q` the short form; a filter that matches nothing prints only the stderr banner and "0 packets captured" (reference 13.1)
# no IPv6 chatter (router solicitations, MLD) during the captures
for ns in vnet-sw vnet-gw vnet-peer vnet-far; do ip netns exec $ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=1; done
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip neigh flush dev eth0
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t arp &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t icmp &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t host 198.51.100.1 &
sleep 0.3
ping -c1 -W1 192.0.2.20
ping -c1 -W1 198.51.100.1
wait
timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t ether src 02:00:00:00:00:20 and not ip6 &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
ip neigh flush dev eth0
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t not arp and not ip6 &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
timeout 2 tcpdump -i eth0 --immediate-mode -nn -t -c 2 icmp and host 192.0.2.1 &
sleep 0.3
ping -c 3 -i 0.2 192.0.2.1
wait
timeout 1 tcpdump -i eth0 --immediate-mode -nn -q -t icmp &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t udp &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
