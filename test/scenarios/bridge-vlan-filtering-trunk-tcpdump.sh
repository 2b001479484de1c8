# world: none
# requires: vlan_filtering 8021q
# rule: a trunk port (tagged member of VLANs 10 and 20) carries frames with 802.1Q tags (`vlan 10, p 0, ethertype IPv4` in `tcpdump -e`), access ports carry them untagged; a VLAN device on the far end of the trunk reaches the access host of its VLAN only; the bridge device itself takes part in VLAN 10 with `self` and a vlan device br0.10
ip netns add vnet-a
ip netns add vnet-t
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-a sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec vnet-t sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip link add br0 address 02:00:00:00:0b:00 type bridge vlan_filtering 1
ip link add p1 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:00:01 netns vnet-a
ip link add p2 address 02:00:00:00:01:02 type veth peer name eth0 address 02:00:00:00:00:02 netns vnet-t
ip link set p1 master br0 up
ip link set p2 master br0 up
ip link set br0 up
bridge vlan add dev p1 vid 10 pvid untagged
bridge vlan add dev p2 vid 10
bridge vlan add dev p2 vid 20
bridge vlan show
ip -n vnet-a addr add 192.0.2.1/24 dev eth0
ip -n vnet-a link set eth0 up
ip -n vnet-t link set eth0 up
ip -n vnet-t link add link eth0 name eth0.10 type vlan id 10
ip -n vnet-t link add link eth0 name eth0.20 type vlan id 20
ip -n vnet-t addr add 192.0.2.10/24 dev eth0.10
ip -n vnet-t addr add 198.51.100.20/24 dev eth0.20
ip -n vnet-t link set eth0.10 up
ip -n vnet-t link set eth0.20 up
sleep 1
timeout 1 tcpdump -i p2 --immediate-mode -nn -e -t &
timeout 1 tcpdump -i p1 --immediate-mode -nn -e -t &
sleep 0.3
ip netns exec vnet-t ping -c1 -W1 192.0.2.1
wait
bridge fdb show br br0 | grep -v self
bridge vlan add dev br0 vid 20 self
ip link add link br0 name br0.20 type vlan id 20
ip addr add 198.51.100.1/24 dev br0.20
ip link set br0.20 up
sleep 0.5
timeout 1 tcpdump -i p2 --immediate-mode -nn -e -t &
sleep 0.3
ping -c1 -W1 198.51.100.20
wait
ip netns exec vnet-t ping -c1 -W1 198.51.100.1
bridge vlan del dev p2 vid 20
ip netns exec vnet-t ping -c1 -W1 198.51.100.1
