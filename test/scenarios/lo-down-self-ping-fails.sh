# world: none
# rule: in a fresh namespace lo is down: pinging 127.0.0.1 fails with "connect: Network is unreachable" (exit 2), and pinging your own address on another interface silently fails (100% loss, exit 1) because local traffic goes through lo; `ip link set lo up` adds 127.0.0.1/8 and fixes both, even for an address on a down interface (seed 002's "ping自己不通") (reference 7.1, 7.2, 13.11)
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip link set v1 up
ping -c1 -W1 127.0.0.1
ping -c1 -W1 192.0.2.1
ip route get 192.0.2.1
ip route show table local
ip link set lo up
ip addr show lo
ping -c1 -W1 127.0.0.1
ping -c1 -W1 192.0.2.1
ip link set v0 down
ping -c1 -W1 192.0.2.1
ip link set lo down
ip addr show lo
ping -c1 -W1 127.0.0.1
