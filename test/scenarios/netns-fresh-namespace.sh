# world: none
# rule: a fresh network namespace holds only lo (ifindex 1, DOWN, no addresses, qdisc noop); `ip netns exec` and `ip -n` see it; lo up shows <LOOPBACK,UP,LOWER_UP> state UNKNOWN with 127.0.0.1/8 and ::1 (reference 7.1, 9.1)
ip link show
ip addr show
ip route show
ip netns add vnet-new
ip netns list
ip -n vnet-new link show
ip netns exec vnet-new ip addr
ip netns exec vnet-new ls /sys/class/net
ip -n vnet-new link set lo up
ip -n vnet-new addr show lo
ip -n vnet-new -d link show lo
ip -n vnet-new route show table local
ip netns exec vnet-new ping -c1 -W1 127.0.0.1
