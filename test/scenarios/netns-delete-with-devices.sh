# world: none
# rule: `ip netns del` destroys the namespace's devices: a macvlan moved there is deleted (its lower stays), a veth end there is deleted and takes its peer with it; deleting a lower deletes macvlans in other namespaces too; deleting a missing namespace fails (reference 1.13, 7)
ip netns add vnet-a
ip netns add vnet-b
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name mva address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name mvb address 02:00:00:00:00:b1 type macvlan mode bridge
ip link set mva netns vnet-a
ip link set mvb netns vnet-b
ip link add v0 address 02:00:00:00:00:20 type veth peer name v0b address 02:00:00:00:00:21
ip link set v0b netns vnet-a
ip -n vnet-a link set mva up
ip -n vnet-a -br link
ip netns del vnet-a
sleep 1
ip -br link
ip netns list
ip -n vnet-b -br link
ip link del eth0
sleep 0.5
ip -n vnet-b -br link
ip -br link
ip netns del vnet-a
ip netns exec vnet-a ip link
