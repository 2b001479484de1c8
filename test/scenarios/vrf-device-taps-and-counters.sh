# world: none
# requires: vrf
# rule: a VRF device's packet taps see the IPv4 packets its slaves receive (with the header they came with) and those its sockets send (with a made-up header: the VRF's MAC to 00:00:00:00:00:00); traffic to the VRF's own addresses loops through the VRF device and is seen once each way; the VRF counts received packets (IP length for slaves' packets, frame length for looped ones) and transmits only the looped ones (vrf_ip_rcv, vrf_output_direct, vrf_local_xmit)
ip link add red address 02:00:00:00:0a:01 type vrf table 10
ip link set red up
ip netns add vnet-a
ip link add a1 address 02:00:00:00:00:a1 type veth peer name a2 address 02:00:00:00:00:a2 netns vnet-a
ip link set a1 master red
ip addr add 192.0.2.1/24 dev a1
ip link set a1 up
ip -n vnet-a addr add 192.0.2.2/24 dev a2
ip -n vnet-a link set a2 up
sleep 2
ip -s link show red
tcpdump -i red -e -nn -c 6 2>&1 &
sleep 2
ping -c1 -W1 -I red 192.0.2.2
ip netns exec vnet-a ping -c1 -W1 192.0.2.1
ping -c1 -W1 -I red 192.0.2.1
sleep 1
wait
ip -s link show red
