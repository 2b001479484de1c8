# world: none
# requires: ipvlan
# rule: an ipvtap is an ipvlan with txqueuelen 500 and a character device tap<ifindex> (/sys/class/net/DEV/tapN, /dev/tapN) removed with the device; `ip -d link` prints `ipvtap  mode …` (reference 2, 3.4)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name ipvt0 type ipvtap mode l2
ip link show ipvt0
ip -d link show ipvt0
ls /sys/class/net/ipvt0 | grep '^tap'
test -c /dev/tap$(cat /sys/class/net/ipvt0/ifindex) && echo "/dev/tap$(cat /sys/class/net/ipvt0/ifindex) is a character device"
cat /sys/class/net/ipvt0/dev_id
ip link add link eth0 name mv0 type macvtap
ip link del ipvt0
test -c /dev/tap4 || echo gone
