# world: none
# rule: /sys/class/net/DEV/{operstate,carrier,address,mtu,ifindex,iflink,type,tx_queue_len,flags} mirror the device (carrier of a down device → "cat: …/carrier: Invalid argument"), /sys/class/net lists the namespace's devices, and /proc/sys/net/ipv4/* can be read with cat and written with echo (same values as sysctl) (reference 10.4)
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ls /sys/class/net
cat /sys/class/net/v0/operstate
cat /sys/class/net/v0/carrier
cat /sys/class/net/v0/address /sys/class/net/v0/mtu /sys/class/net/v0/ifindex /sys/class/net/v0/iflink /sys/class/net/v0/type /sys/class/net/v0/tx_queue_len /sys/class/net/v0/flags
ip link set v0 up
cat /sys/class/net/v0/operstate /sys/class/net/v0/carrier
ip link set v1 up
cat /sys/class/net/v0/operstate /sys/class/net/v0/carrier /sys/class/net/v0/flags
cat /sys/class/net/lo/operstate /sys/class/net/lo/type /sys/class/net/lo/mtu
cat /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward
sysctl net.ipv4.conf.v0.forwarding net.ipv4.conf.all.forwarding
echo 0 > /proc/sys/net/ipv4/conf/v0/forwarding
sysctl net.ipv4.conf.v0.forwarding net.ipv4.ip_forward
cat /proc/sys/net/ipv4/conf/v0/arp_ignore
echo 2 > /proc/sys/net/ipv4/conf/v0/arp_ignore
sysctl net.ipv4.conf.v0.arp_ignore
cat /sys/class/net/nonexist/mtu
ls /sys/class/net/v0/statistics | head -3
