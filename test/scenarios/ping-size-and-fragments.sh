# world: none
# rule: `ping -s N` sends N data bytes (header `N(N+28)`, replies `N+8 bytes from`); up to the MTU the request is one frame, above it (-s 2000 on a 1500-byte link) the kernel fragments it into a 1500-byte first fragment and a tail, tcpdump showing `(frag ID:OFF@LEN)` pieces, and the reply comes back fragmented too; `-M do` refuses to fragment ("message too long, mtu=1500"); -s 65507 (a 65535-byte datagram) still works, -s 65508 is accepted by ping but the kernel refuses the send: "ping: local error: message too long, mtu=1500", +1 errors, exit 1 (reference 9.6)
ip netns add vnet-b
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-b
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n vnet-b addr add 192.0.2.20/24 dev eth0
ip -n vnet-b link set eth0 up
ip -n vnet-b link set lo up
ip link show eth0
ip neigh add 192.0.2.20 lladdr 02:00:00:00:00:20 dev eth0
ip -n vnet-b neigh add 192.0.2.10 lladdr 02:00:00:00:00:10 dev eth0
ping -c1 -W1 -s 1400 192.0.2.20
ping -c1 -W1 -s 1472 192.0.2.20
timeout 1 tcpdump -i eth0 --immediate-mode -nn -t icmp or 'ip[6:2] & 0x1fff != 0' &
sleep 0.3
ping -c1 -W1 -s 2000 192.0.2.20
wait
ping -c1 -W1 -s 1473 -M do 192.0.2.20
ping -c1 -W1 -s 65507 192.0.2.20
ping -c1 -W1 -s 65508 192.0.2.20
