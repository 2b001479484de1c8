# world: none
# requires: dummy
# rule: a dummy device has no peer and no lower: it is `dummy0: <BROADCAST,NOARP>` when created, UNKNOWN when up (it never changes carrier), and takes addresses like any device (reference 0 operstate, 9.1)
ip link add dummy0 address 02:00:00:00:00:d0 type dummy
ip link show dummy0
ip link set dummy0 up
ip link show dummy0
ip addr add 198.51.100.7/24 dev dummy0
ip -4 addr show dummy0
ip -d link show dummy0
