# world: none
# requires: gre
# rule: the first gre/gretap device loads ip_gre (with gre and ip_tunnel), which adds the fallback devices gre0 (`link/gre 0.0.0.0 brd 0.0.0.0`, NOARP, no IPv6), gretap0 and erspan0 (all-zero MAC) to every namespace, new ones too, and `ip link del` leaves them in place; a `gre` device is `NAME@NONE: <POINTOPOINT,NOARP>` with `link/gre LOCAL peer REMOTE`, MTU 1476 (1472 with a key), a `gretap` is Ethernet with MTU 1462; a second tunnel with the same endpoints and key is "File exists"; packets go out as IP protocol 47 with DF (pmtudisc), the GRE header (v0, protocol IPv4 or TEB 0x6558) and the inner packet or frame; gre counts inner IP packets, gretap counts sent frames without and received ones with their Ethernet header (net/ipv4/ip_gre.c, ip_tunnel.c)
ip netns add vnet-a
ip netns add vnet-b
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-a link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-b
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-b addr add 192.0.2.2/24 dev eth0
ip -n vnet-b link set eth0 up
# let linkwatch settle (its once-a-second batch): this scenario is about the tunnels, not operstate timing
sleep 1
ip -n vnet-a link show
ip -n vnet-a link add gre1 type gre remote 192.0.2.2 local 192.0.2.1 ttl 64
ip -n vnet-a link show
ip -n vnet-b link show
ip -n vnet-a -d link show gre1
ip -n vnet-a -d link show gre0
ip -n vnet-a -d link show gretap0
ip -n vnet-a -d link show erspan0
ip -n vnet-b link add gre1 type gre remote 192.0.2.1 local 192.0.2.2 ttl 64
ip -n vnet-a addr add 203.0.113.1/30 dev gre1
ip -n vnet-b addr add 203.0.113.2/30 dev gre1
ip -n vnet-a link set gre1 up
ip -n vnet-b link set gre1 up
ip -n vnet-a link show gre1
ip -n vnet-a addr show gre1
ip -n vnet-a route show
ip netns exec vnet-b timeout 3 tcpdump -i eth0 --immediate-mode -nn -e -t -vv proto gre 2>/dev/null | grep -oE '^02:00:00:00:[0-9a-f:]+ > [^(]*|tos 0x[0-9a-f]+, ttl [0-9]+|flags \[[A-Za-z]+\], proto [A-Z]+ \([0-9]+\), length [0-9]+\)|    192\.0\.2\.[0-9] > .*|^	02:00[^(]*|^    (203|198)\..*' &
sleep 1
ip netns exec vnet-a ping -c 1 203.0.113.2
wait
ip -n vnet-a -s link show gre1
ip -n vnet-a link add gre2 type gre remote 192.0.2.2 local 192.0.2.1
ip -n vnet-a link add gre2 type gre remote 192.0.2.2 local 192.0.2.1 key 5
ip -n vnet-a -d link show gre2
ip -n vnet-a link add gt1 address 02:00:00:00:bb:01 type gretap remote 192.0.2.2 local 192.0.2.1
ip -n vnet-b link add gt1 address 02:00:00:00:bb:02 type gretap remote 192.0.2.1 local 192.0.2.2
ip -n vnet-a -d link show gt1
ip -n vnet-a addr add 198.51.100.1/24 dev gt1
ip -n vnet-b addr add 198.51.100.2/24 dev gt1
ip -n vnet-a link set gt1 up
ip -n vnet-b link set gt1 up
ip netns exec vnet-b timeout 3 tcpdump -i eth0 --immediate-mode -nn -e -t -vv proto gre 2>/dev/null | grep -oE '^02:00:00:00:[0-9a-f:]+ > [^(]*|tos 0x[0-9a-f]+, ttl [0-9]+|flags \[[A-Za-z]+\], proto [A-Z]+ \([0-9]+\), length [0-9]+\)|    192\.0\.2\.[0-9] > .*|^	02:00[^(]*|^    (203|198)\..*' &
sleep 1
ip netns exec vnet-a ping -c 1 198.51.100.2
wait
ip -n vnet-a -s link show gt1
ip -n vnet-a link add gt2 type gretap remote 192.0.2.9 dev eth0
ip -n vnet-a -d link show gt2
ip -n vnet-a link add gre3 type gre
ip -n vnet-a link add gre4 type gre remote 192.0.2.7 dev nosuch
ip -n vnet-a link set gre0 down
ip -n vnet-a link del gre0
ip -n vnet-a link del gretap0
ip netns add vnet-c
ip -n vnet-c link show
ip -n vnet-c -d link show gre0
lsmod | grep -E 'gre|tunnel|udp'
ip -n vnet-a link del gre1
ip -n vnet-a link del gt1
