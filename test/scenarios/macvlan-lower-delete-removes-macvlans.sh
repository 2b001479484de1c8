# world: none
# rule: deleting a lower deletes all its macvlans and macvtaps, even those moved to other namespaces; deleting one end of a veth deletes the other end too (reference 1.13, 6)
ip netns add vnet-a
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name mv0 address 02:00:00:00:00:a0 type macvlan
ip link add link eth0 name mv1 address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name mvt0 address 02:00:00:00:00:a2 type macvtap
ip link add link eth0 name mv2 address 02:00:00:00:00:a3 type macvlan mode private
ip link set mv2 netns vnet-a
ip -br link
ip -n vnet-a -br link
ip link del wire0
ip -br link
ip -n vnet-a -br link
ip link del mv0
