# world: none
# rule: tcpdump decoding levels: with -v (or -w) the banner reads "tcpdump: listening on …" and the "verbose output suppressed" line is gone; `-v` on ARP adds "Ethernet (len 6), IPv4 (len 4)", `-x` adds the packet in hex below each line (ARP: 28 bytes + no padding on a veth), `-e` shows the 42-byte frame; ping -p sets the padding pattern and prints "PATTERN: 0x61" first (reference 13.1)
ip netns add vnet-b
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name peer0 address 02:00:00:00:00:20
ip link set peer0 netns vnet-b
ip -n vnet-b link set peer0 name eth0
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip -n vnet-b addr add 192.0.2.20/24 dev eth0
ip -n vnet-b link set eth0 up
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t -v arp &
sleep 0.3
ping -c1 -W1 -p 61 192.0.2.20
wait
ip neigh flush dev eth0
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t -x arp &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
ip neigh flush dev eth0
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t -e -xx arp &
sleep 0.3
ping -c1 -W1 192.0.2.20
wait
