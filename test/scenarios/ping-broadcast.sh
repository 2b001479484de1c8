# world: none
# rule: pinging a broadcast address needs `-b` ("Do you want to ping broadcast? Then -b…", exit 2); with -b ping warns "WARNING: pinging broadcast address" and hosts answer only when their net.ipv4.icmp_echo_ignore_broadcasts is 0 (the default is 1, so no reply, exit 1) (reference 9.6)
ip netns add vnet-b
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-b
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n vnet-b addr add 192.0.2.20/24 dev eth0
ip -n vnet-b link set eth0 up
ip link show eth0
ip netns exec vnet-b sysctl net.ipv4.icmp_echo_ignore_broadcasts
ping -c1 -W1 192.0.2.255
ping -c1 -W1 -b 192.0.2.255
ip netns exec vnet-b sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0
ping -c1 -W1 -b 192.0.2.255
ping -c1 -W1 -b 255.255.255.255
ip neigh show 192.0.2.20
