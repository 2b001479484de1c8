# world: none
# rule: with lo down (a fresh namespace) an ARP failure is never reported: the kernel's ICMP "host unreachable" to itself is sent through lo and dropped, so ping prints no "Destination Host Unreachable" line and no "+1 errors", and waits out its full timeout (the reference's ARP-failure sample assumes lo is up) (reference 7.2, 8.1, 9.6)
ip netns add vnet-far
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-far
ip -n vnet-far link set eth0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ping -c1 -W4 192.0.2.99
ip neigh show 192.0.2.99
