# world: none
# requires: nlmon
# rule: an nlmon device is ARPHRD_NETLINK (`link/netlink`, no address: one given at creation is ignored), `<NOARP>`, mtu 3776 with min 16 and no max, one queue, noqueue and UNKNOWN when up (drivers/net/nlmon.c)
ip link add nlmon0 type nlmon
ip -d link show nlmon0
ip link set nlmon0 up
ip -d link show nlmon0
ip -j link show nlmon0
ip link add nlmon1 type nlmon address 02:00:00:00:00:01
ip link show nlmon1
ip link set nlmon0 mtu 1000
ip link set nlmon0 mtu 16384
ip link set nlmon0 mtu 15
ip link show nlmon0
ip -br link show
ip link del nlmon1
