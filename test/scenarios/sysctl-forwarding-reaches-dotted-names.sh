# world: none
# rule: writing net.ipv4.ip_forward (or conf.all.forwarding), net.ipv6.conf.all.forwarding or all.disable_ipv6 sets that knob on every device, including devices whose names contain a dot (vlan-style names such as eth0.100, shown with '/' by sysctl); deleting a device leaves the sysctls of another whose name only starts the same (devinet_sysctl_forward, addrconf_fixup_forwarding, __addrconf_sysctl_unregister)
ip link add a type veth peer name x
ip link add a.1 type veth peer name y
sysctl -w net.ipv4.ip_forward=1
cat /proc/sys/net/ipv4/conf/a.1/forwarding /proc/sys/net/ipv4/conf/a/forwarding /proc/sys/net/ipv4/conf/default/forwarding
sysctl net.ipv4.conf.a/1.forwarding
sysctl -w net.ipv4.conf.all.forwarding=0
sysctl net.ipv4.ip_forward net.ipv4.conf.a/1.forwarding
sysctl -w net.ipv6.conf.all.forwarding=1
cat /proc/sys/net/ipv6/conf/a.1/forwarding
sysctl -w net.ipv6.conf.all.disable_ipv6=1
cat /proc/sys/net/ipv6/conf/a.1/disable_ipv6
sysctl -w net.ipv6.conf.all.disable_ipv6=0
sysctl -w net.ipv4.conf.a/1.arp_ignore=1
ip link del a
cat /proc/sys/net/ipv4/conf/a.1/arp_ignore
ls /proc/sys/net/ipv4/conf
sysctl net.ipv4.conf.a.forwarding
