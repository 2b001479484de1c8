# world: none
# rule: a veth end has carrier only while BOTH ends are admin-UP: UP with the peer down shows NO-CARRIER,…,UP,M-DOWN state LOWERLAYERDOWN (same namespace); down shows state DOWN whatever the peer; both up → LOWER_UP state UP; a device that was up once keeps `qdisc noqueue` after going down (reference 6 carrier table, 0 operstate, 9.1)
ip link add veth0 address 02:00:00:00:00:10 type veth peer name veth1 address 02:00:00:00:00:11
ip link show
ip link set veth0 up
ip link show
cat /sys/class/net/veth0/carrier /sys/class/net/veth0/operstate
ip link set veth1 up
ip link show
cat /sys/class/net/veth0/carrier /sys/class/net/veth0/operstate
ip link set veth0 down
ip link show
ip -br link
ip link set veth0 up
ip -br link
ip link set veth1 down
ip -br link
ip link set veth0 down
ip link show
