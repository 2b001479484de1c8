# world: none
# requires: geneve
# rule: a geneve device (`id VNI remote ADDR`) carries Ethernet over UDP port 6081 to its one remote: MTU 1450 (1500 minus 50), maxmtu 65485, `ip -d` shows `ttl auto dstport 6081 noudpcsum udp6zerocsumrx` by default; a second device with the same VNI and remote is refused (EBUSY), iproute2 itself refuses a missing id or remote; the outer UDP checksum is 0 ("[no cksum]"), the source port is flow-hashed, DF unset; the Geneve header is version 0, no options, protocol TEB (0x6558) and the VNI; counters count inner packets without their Ethernet header; the driver loads geneve, udp_tunnel and ip6_udp_tunnel (drivers/net/geneve.c geneve_configure, geneve_xmit_skb, geneve_rx)
ip netns add vnet-a
ip netns add vnet-b
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-a link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-b link set eth0 up
ip -n vnet-a link add gnv0 address 02:00:00:00:aa:01 type geneve id 10 remote 192.0.2.2
ip -n vnet-b link add gnv0 address 02:00:00:00:aa:02 type geneve id 10 remote 192.0.2.1
ip -n vnet-a -d link show gnv0
ip -n vnet-a link add gnv1 type geneve id 10 remote 192.0.2.2
ip -n vnet-a link add gnv1 type geneve id 11 remote 192.0.2.2
ip -n vnet-a link add gnv2 type geneve id 12 remote 192.0.2.3 ttl 10 tos 0x10 df set dstport 7000 noudpcsum
ip -n vnet-a -d link show gnv2
ip -n vnet-a link add gnv3 type geneve remote 192.0.2.3
ip -n vnet-a link add gnv3 type geneve id 13
ip -n vnet-a link add gnv3 type geneve id 13 external
ip -n vnet-a addr add 203.0.113.1/24 dev gnv0
ip -n vnet-b addr add 203.0.113.2/24 dev gnv0
ip -n vnet-a link set gnv0 up
ip -n vnet-b link set gnv0 up
ip -n vnet-a link set gnv1 up
ip -n vnet-a link show gnv0
ip netns exec vnet-b timeout 3 tcpdump -i eth0 --immediate-mode -nn -e -t -vv udp 2>/dev/null | grep -oE '^02:00:00:00:[0-9a-f:]+ > [^(]*|tos 0x[0-9a-f]+, ttl [0-9]+|flags \[[A-Za-z]+\], proto [A-Z]+ \([0-9]+\), length [0-9]+\)|> 192\.0\.2\.[0-9]\.6081: .*|^	02:00:00:00:aa:[^(]*|^    203\..*' &
sleep 1
ip netns exec vnet-a ping -c 1 203.0.113.2
wait
ip -n vnet-a -s link show gnv0
bridge -n vnet-a fdb show dev gnv0
lsmod | grep -E 'geneve|tunnel|udp'
