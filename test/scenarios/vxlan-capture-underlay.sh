# world: none
# rule: on the underlay a vxlan packet is UDP to the destination port (4789) from a flow-hashed source port, the outer IPv4 header has no DF by default (`df set` sets it), TTL 64 from ip_default_ttl unless `ttl N`, the TOS from `tos`, a UDP checksum left as the partial pseudo-header sum on these offloading virtual links (`udpcsum`; tcpdump -vv calls it "bad udp cksum 0x…", and the receiver still accepts it), then the 8-byte VXLAN header (flags [I] (0x08), vni N) and the whole inner Ethernet frame; the capture on the overlay device shows only the inner frames (vxlan_xmit_one, udp_tunnel_xmit_skb)
ip netns add vnet-a
ip netns add vnet-b
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-a link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-b link set eth0 up
ip -n vnet-a link add vxlan0 address 02:00:00:00:aa:01 type vxlan id 42 remote 192.0.2.2 dstport 4789
ip -n vnet-b link add vxlan0 address 02:00:00:00:aa:02 type vxlan id 42 remote 192.0.2.1 dstport 4789 ttl 10 tos 0x28 df set
ip -n vnet-a addr add 203.0.113.1/24 dev vxlan0
ip -n vnet-b addr add 203.0.113.2/24 dev vxlan0
ip -n vnet-a link set vxlan0 up
ip -n vnet-b link set vxlan0 up
ip -n vnet-a neigh add 203.0.113.2 lladdr 02:00:00:00:aa:02 dev vxlan0
ip -n vnet-b neigh add 203.0.113.1 lladdr 02:00:00:00:aa:01 dev vxlan0
ip netns exec vnet-b timeout 1 tcpdump -i eth0 --immediate-mode -nn -e -t -vv udp 2>/dev/null | grep -oE '^02:00:00:00:[0-9a-f:]+ > [^(]*|tos 0x[0-9a-f]+, ttl [0-9]+|flags \[[A-Za-z]+\], proto [A-Z]+ \([0-9]+\), length [0-9]+\)|> 192\.0\.2\.[0-9]\.4789: \[bad udp cksum 0x[0-9a-f]+|\] VXLAN.*|^    203\..*' &
ip netns exec vnet-b timeout 1 tcpdump -i vxlan0 --immediate-mode -nn -e -t 2>/dev/null &
sleep 0.3
ip netns exec vnet-a ping -c 1 203.0.113.2
wait
ip -n vnet-a link set vxlan0 type vxlan ttl 20 df set
ip -n vnet-a -d link show vxlan0
