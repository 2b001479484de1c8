# world: none
# rule: sysctl accepts dotted or slash names, `-w k=v` echoes "k = v", `-n` prints only the value, `-q` nothing, several keys at once; writes are per namespace; errors: unknown key → "sysctl: cannot stat /proc/sys/…: No such file or directory" (exit 1), a value that is not a number → "sysctl: setting key \"…\": Invalid argument" (exit 1), -w without `=` → "sysctl: command line(0): invalid syntax, continuing..." (exit 1); net.ipv4.ip_default_ttl changes the TTL of locally generated packets (reference 10.4)
ip netns add vnet-b
sysctl net.ipv4.ip_forward
sysctl -n net.ipv4.ip_forward
sysctl net/ipv4/ip_forward
sysctl -w net.ipv4.ip_forward=1
sysctl -q -w net.ipv4.icmp_echo_ignore_broadcasts=0
sysctl net.ipv4.ip_forward net.ipv4.icmp_echo_ignore_broadcasts
ip netns exec vnet-b sysctl net.ipv4.ip_forward net.ipv4.icmp_echo_ignore_broadcasts
sysctl -w net.ipv4.ip_forward=0 net.ipv4.conf.all.arp_announce=2
sysctl net.ipv4.conf.default.arp_announce net.ipv4.conf.all.arp_announce
sysctl net.ipv4.nonexistent
echo "status $?"
sysctl -w net.ipv4.ip_forward=abc
echo "status $?"
sysctl -w net.ipv4.ip_forward
echo "status $?"
sysctl -n net.ipv4.conf.lo.forwarding
sysctl net.ipv4.ip_default_ttl
sysctl -w net.ipv4.ip_default_ttl=5
ip link set lo up
ping -c1 -W1 127.0.0.1
