# world: none
# rule: a macvlan's admin state is independent of its lower; it copies the lower's carrier: lower admin-down → NO-CARRIER,…,UP,M-DOWN state LOWERLAYERDOWN; lower up but its veth peer down → NO-CARRIER, LOWERLAYERDOWN without M-DOWN; all up → LOWER_UP state UP; a macvlan in another namespace shows state DOWN instead of LOWERLAYERDOWN (reference 1.11, 0 operstate, 9.1)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name mv0 address 02:00:00:00:00:a0 type macvlan mode bridge
ip link set mv0 up
ip link show mv0
ip link set eth0 up
ip link show mv0
ip link set wire0 up
ip link show mv0
ip link set eth0 down
ip link show mv0
ip -br link
ip link set eth0 up
ip link show mv0
ip link set wire0 down
ip link show mv0
ip netns add vnet-a
ip link add link eth0 name mv1 address 02:00:00:00:00:a1 type macvlan mode bridge
ip link set mv1 netns vnet-a
ip -n vnet-a link set mv1 up
ip -n vnet-a link show mv1
ip link set wire0 up
ip -n vnet-a link show mv1
ip link set wire0 down
ip -n vnet-a link show mv1
cat /sys/class/net/mv0/operstate /sys/class/net/mv0/carrier
