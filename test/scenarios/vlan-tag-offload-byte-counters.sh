# world: none
# requires: 8021q
# rule: a VLAN device on a veth leaves its tag in the skb's metadata (veth has NETIF_F_HW_VLAN_CTAG_TX/STAG_TX), so the veth counts each tagged frame 4 bytes shorter than it is on the wire, on both ends (the VLAN device counts the untagged frame on transmit and, on receive, the length after the Ethernet header: 28 + 84 = 112 for an ARP request and an echo request)
# timing: `sleep 1` lets linkwatch settle the veths' operstate before they are shown (under qemu TCG p0 was once still NO-CARRIER/DOWN with its counters already right)
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet-b
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec vnet-b sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11 netns vnet-b
ip link add link eth0 name eth0.10 type vlan id 10
ip -n vnet-b link add link p0 name p0.10 type vlan id 10
ip link set eth0 up
ip -n vnet-b link set p0 up
ip link set eth0.10 up
ip -n vnet-b link set p0.10 up
ip addr add 192.0.2.1/24 dev eth0.10
ip -n vnet-b addr add 192.0.2.2/24 dev p0.10
ping -c1 -W1 192.0.2.2
sleep 1
ip -s link show eth0
ip -s link show eth0.10
ip -n vnet-b -s link show p0
ip -n vnet-b -s link show p0.10
