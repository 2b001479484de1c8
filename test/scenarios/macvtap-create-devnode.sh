# world: none
# rule: a macvtap is a macvlan with txqueuelen 500 and a real qdisc (pfifo_fast) instead of noqueue; `ip -d link` prints `macvtap mode …` (default vepa); the kernel makes a character device tap<ifindex> (sysfs entry /sys/class/net/DEV/tapN, /dev/tapN) and removes it with the device (reference 2; seed 004's macvtap section)
ip link add eth1 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth1 name macvtap2 address 02:00:22:33:44:55 type macvtap mode bridge
ip link set macvtap2 up
ip link show macvtap2
ip link set wire0 up
ip link set eth1 up
ip -d link show macvtap2
cat /sys/class/net/macvtap2/ifindex
ls /sys/class/net/macvtap2 | grep '^tap'
ls /sys/class/macvtap
test -c /dev/tap$(cat /sys/class/net/macvtap2/ifindex) && echo "/dev/tap$(cat /sys/class/net/macvtap2/ifindex) is a character device"
ip link add link eth1 name eth1_macvtap address 02:00:00:00:00:a2 type macvtap
ip -d link show eth1_macvtap
ls /sys/class/macvtap
ip link del macvtap2
ls /sys/class/macvtap
ip link add link eth1 address 02:00:00:00:00:a3 type macvtap mode private
ip -br link
