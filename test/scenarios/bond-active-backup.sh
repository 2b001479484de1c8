# world: none
# requires: bonding
# rule: seed 003's bonding example: `ip link add bond1 type bond miimon 100 mode active-backup`; a slave must be down to be enslaved ("Device can not be enslaved while up"), slaves show SLAVE and `master bond1`, the bond shows MASTER and takes the first slave's MAC (reference 11)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0p address 02:00:00:00:00:11
ip link add eth1 address 02:00:00:00:00:20 type veth peer name eth1p address 02:00:00:00:00:21
ip link add bond1 type bond miimon 100 mode active-backup
ip link set eth0 up
ip link set eth0 master bond1
ip link set eth0 down
ip link set eth0 master bond1
ip link set eth1 master bond1
ip link show bond1
ip link show eth0
ip link show eth1
ip link set bond1 master bond1
