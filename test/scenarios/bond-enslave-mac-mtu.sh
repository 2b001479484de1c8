# world: none
# requires: bonding
# rule: bond_enslave: the first slave gives the bond its MAC (a MAC set by hand is kept), every slave gets the bond's MAC and MTU, is opened and marked SLAVE; a slave in use (macvlan lower) → "Device is in use and cannot be enslaved"; nomaster closes the slave and gives back its MAC and MTU; the last slave gone, the bond draws a new random MAC (reference 11)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0p address 02:00:00:00:00:11
ip link add eth1 address 02:00:00:00:00:20 mtu 1400 type veth peer name eth1p address 02:00:00:00:00:21
ip link add eth2 address 02:00:00:00:00:30 type veth peer name eth2p address 02:00:00:00:00:31
# let the veths' link events from creation settle (linkwatch batches them, up to 1 s apart)
sleep 1.5
ip link add bond0 type bond mode balance-xor
ip link set eth0 master bond0
ip link set eth1 master bond0
ip link show bond0
ip link show eth1
ip -d link show eth1
ip link add link eth2 name mv0 address 02:00:00:00:00:a0 type macvlan
ip link set eth2 master bond0
ip link del mv0
ip link set eth1 nomaster
ip link show eth1
ip link set eth0 nomaster
ip link show eth0
ip link show bond0 | grep -c 02:00:00:00:00:10
ip link set bond0 address 02:00:00:00:00:b0
ip link set eth2 master bond0
ip link show eth2
ip link show bond0
ip link del bond0
ip link show eth2
