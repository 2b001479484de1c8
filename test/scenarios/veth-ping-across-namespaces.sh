# world: none
# rule: a veth pair joins two namespaces like a cable: after both ends are up and addressed the namespaces ping each other with ttl=64, the neighbour entries become REACHABLE on the pinging side and DELAY/STALE on the answering side (reference 6, 8.1)
ip netns add vnet-ns1
ip netns add vnet-ns2
ip link add veth1 address 02:00:00:00:00:01 netns vnet-ns1 type veth peer name veth2 address 02:00:00:00:00:02 netns vnet-ns2
ip -n vnet-ns1 addr add 192.0.2.1/24 dev veth1
ip -n vnet-ns2 addr add 192.0.2.2/24 dev veth2
ip -n vnet-ns1 link set veth1 up
ip -n vnet-ns2 link set veth2 up
ip -n vnet-ns1 link show veth1
ip netns exec vnet-ns1 ping -c2 -i0.2 192.0.2.2
ip -n vnet-ns1 neigh show
ip -n vnet-ns2 neigh show
ip -n vnet-ns1 route show
ip -br link
