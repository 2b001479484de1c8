# world: none
# rule: `bridge fdb add MAC dev P master` without a keyword adds a *permanent* (local) entry: frames to that MAC are delivered up to br0 and NOT forwarded to P (the classic trap); `static` forwards to P and never ages; adding an existing entry → "RTNETLINK answers: File exists", deleting a missing one → "No such file or directory", both exit 255 (reference 5.3, 5.5, 10.3)
ip netns add vnet-h1
ip netns add vnet-h2
# no IPv6 chatter (DAD, MLD, router solicitations) anywhere: the bridge must learn only from what this script sends
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-h2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-h1
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-h2
ip link set p1 master br0 up
ip link set p2 master br0 up
ip link set br0 up
ip -n vnet-h1 addr add 192.0.2.1/24 dev eth0
ip -n vnet-h1 link set eth0 up
ip -n vnet-h2 addr add 192.0.2.2/24 dev eth0
ip -n vnet-h2 link set eth0 up
ip -n vnet-h1 neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0
ip -n vnet-h2 neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev eth0
bridge fdb show br br0
# the trap: no keyword means "permanent", a local entry
bridge fdb add 02:00:00:00:00:02 dev p2 master
bridge fdb show br br0
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
bridge fdb add 02:00:00:00:00:02 dev p2 master
bridge fdb del 02:00:00:00:00:02 dev p2 master
bridge fdb del 02:00:00:00:00:02 dev p2 master
# static: forwarded to p2
bridge fdb add 02:00:00:00:00:02 dev p2 master static
bridge fdb show br br0
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
bridge fdb show br br0
# a static entry pointing at the wrong port wins over learning
bridge fdb replace 02:00:00:00:00:02 dev p1 master static
bridge fdb show br br0 | grep 02:00:00:00:00:02
ip netns exec vnet-h1 ping -c1 -W1 192.0.2.2
