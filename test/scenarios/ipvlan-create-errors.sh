# world: none
# requires: ipvlan
# rule: ipvlan_link_new: no `link` → EINVAL; a loopback master → EINVAL; a master whose rx_handler is taken (it has macvlans) → EBUSY, and a macvlan on an ipvlan master → EBUSY too; a slave carries IFF_NO_RX_HANDLER, so a macvlan on it → EINVAL; a slave given as link means its master; iproute2 takes one of bridge|private|vepa only; a slave's MAC cannot be set; an address can belong to one slave of a port only, the master may share it (reference 3.1, 3.4, 10.3)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add ipx type ipvlan mode l2
ip link add link lo name ipx type ipvlan
ip link add link eth0 name ipv1 type ipvlan mode l2
ip link add link eth0 name mv0 address 02:00:00:00:00:a0 type macvlan
ip link add link wire0 name mv1 address 02:00:00:00:00:a1 type macvlan
ip link add link wire0 name ipv2 type ipvlan
ip link add link ipv1 name mv2 address 02:00:00:00:00:a2 type macvlan
ip link add link ipv1 name ipv3 type ipvlan mode l2
ip link show ipv3
ip link add link eth0 name ipv4 type ipvlan mode l2 bridge private
ip link add link eth0 name ipv4 type ipvlan mode l4
ip link set ipv1 address 02:00:00:00:00:99
ip addr add 192.0.2.11/24 dev ipv1
ip addr add 192.0.2.11/32 dev ipv3
ip addr add 192.0.2.11/24 dev eth0
ip -4 addr show ipv3
ip link del eth0
ip link show ipv1
ip link show ipv3
