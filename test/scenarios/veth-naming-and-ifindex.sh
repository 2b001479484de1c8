# world: none
# rule: `ip link add A type veth peer name B` registers the peer first (B gets the lower ifindex); without names both ends are called veth%d with the peer named first; the same name twice → EEXIST, and that failed attempt uses up the ifindex the peer had been given; deleting either end deletes both (reference 6, 7.3)
ip link add veth0 type veth peer name veth1
ip link show
ip link add type veth
ip -br link
ip link add vA type veth peer name vA
ip link add vA address 02:00:00:00:00:0a type veth peer name vB address 02:00:00:00:00:0b mtu 9000
ip link show vA
ip link show vB
ip -d link show vB
ip link del vB
ip link show vA
ip -br link
ip link del veth2
ip link del veth3
ip -br link
