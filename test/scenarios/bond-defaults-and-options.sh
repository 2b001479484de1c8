# world: none
# requires: bonding
# rule: a new bond is balance-rr with miimon 0, MASTER, 16 tx/rx queues, no carrier (NO-CARRIER state DOWN once up); `ip -d link` prints every bond option; 802.3ad/balance-tlb/balance-alb set miimon 100 when it is 0; updelay/downdelay are kept in miimon units and refused without miimon (EPERM); the mode cannot change while the bond is up or has slaves (bond_options.c extack messages) (reference 11)
ip link add bond0 type bond
ip -d link show bond0
ip link set bond0 up
sleep 1
ip link show bond0
ip link set bond0 type bond mode active-backup
ip link set bond0 down
ip link set bond0 type bond mode active-backup miimon 50 updelay 120 downdelay 200
ip -d link show bond0
ip link add bond1 type bond mode 802.3ad
ip -d link show bond1
ip link add bond2 type bond mode balance-alb
ip link add bond3 type bond updelay 100
ip link add bond4 type bond mode 9
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0p address 02:00:00:00:00:11
ip link set eth0 master bond0
ip link set bond0 type bond mode balance-xor
