# world: none
# rule: with no route to the destination, ping fails at connect(): "ping: connect: Network is unreachable", exit 2, no header; an address on a down interface loses its subnet route, so its neighbours become unreachable too; a default route makes every address routable (then the ARP for the gateway decides) (reference 9.5, 9.6)
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip addr add 192.0.2.10/24 dev v0
ping -c1 -W1 192.0.2.20
echo "exit $?"
ip link set v0 up
ip link set v1 up
ip link set lo up
ping -c1 -W1 203.0.113.5
ping -c1 -W1 0.0.0.0
ip link set v0 down
ping -c1 -W1 192.0.2.20
ip link set v0 up
ip route add default via 192.0.2.1
ping -c1 -W1 203.0.113.5
ip neigh show 192.0.2.1
