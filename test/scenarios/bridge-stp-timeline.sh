# world: none
# rule: with STP on and forward_delay 400 (4 s) a port goes listening → learning (after 4 s) → forwarding (after 8 s); the bridge has no carrier until a port forwards, so a ping through it fails while the ports listen/learn and works once they forward; `brctl showstp`-like details are in `ip -d link show br0` (stp_state 1, forward_delay 400) (reference 5.2)
ip netns add vnet-h1
ip link add br0 address 02:00:00:00:00:fe type bridge stp_state 1 forward_delay 400
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-h1
ip link set p1 master br0 up
ip addr add 192.0.2.254/24 dev br0
ip link set br0 up
ip link set lo up
ip -n vnet-h1 addr add 192.0.2.1/24 dev eth0
ip -n vnet-h1 link set eth0 up
bridge link show
ip -d link show br0 | grep -o 'stp_state [0-9]*'
ip -d link show br0 | grep -o 'forward_delay [0-9]*'
ip link show br0
ping -c1 -W1 192.0.2.1
ip neigh flush dev br0
sleep 5
bridge link show
cat /sys/class/net/br0/brif/p1/state
sleep 4
bridge link show
cat /sys/class/net/br0/brif/p1/state
ip link show br0
ping -c1 -W1 192.0.2.1
brctl show br0
