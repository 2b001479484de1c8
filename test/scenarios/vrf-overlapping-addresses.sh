# world: none
# requires: vrf
# rule: two VRFs hold the same 192.0.2.1/24 without clash: each VRF's routes are in its own table (`ip route show vrf`, `ip route add … vrf`, `ip route get … vrf` naming the table), ARP and ICMP echo are answered within the VRF of the receiving device, a ping bound to a VRF (`ping -I VRF`, `ip vrf exec VRF ping`) reaches only that VRF's hosts, and the default VRF has no route at all (l3mdev rule, vrf_l3_rcv, icmp_reply in the VRF)
ip link add red address 02:00:00:00:0a:01 type vrf table 10
ip link add blue address 02:00:00:00:0a:02 type vrf table 20
ip link set red up
ip link set blue up
ip netns add vnet-a
ip netns add vnet-b
ip link add a1 address 02:00:00:00:00:a1 type veth peer name a2 address 02:00:00:00:00:a2 netns vnet-a
ip link add b1 address 02:00:00:00:00:b1 type veth peer name b2 address 02:00:00:00:00:b2 netns vnet-b
ip link set a1 master red
ip link set b1 master blue
ip addr add 192.0.2.1/24 dev a1
ip addr add 192.0.2.1/24 dev b1
ip link set a1 up
ip link set b1 up
ip -n vnet-a addr add 192.0.2.2/24 dev a2
ip -n vnet-a link set a2 up
ip -n vnet-b addr add 192.0.2.3/24 dev b2
ip -n vnet-b link set b2 up
ip -n vnet-b route add default via 192.0.2.1
ip route add 203.0.113.0/24 via 192.0.2.3 vrf blue
ip route show vrf red
ip route show vrf blue
ip route get 192.0.2.2 vrf red
ip route get 203.0.113.9 vrf blue
ip route get 203.0.113.9 vrf red
ip route get 192.0.2.1 vrf blue
ip route get 192.0.2.2
ip netns exec vnet-a ping -c1 -W1 192.0.2.1
ip netns exec vnet-b ping -c1 -W1 192.0.2.1
ping -c1 -W1 -I red 192.0.2.2
ping -c1 -W1 -I blue 192.0.2.3
ping -c1 -W1 -I red 192.0.2.3
ping -c1 -W1 192.0.2.2
ip vrf exec blue ping -c1 -W1 192.0.2.3
ip vrf exec red ping -c1 -W1 192.0.2.1
ip rule show
