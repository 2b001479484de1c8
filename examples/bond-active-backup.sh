# world: default
# requires: bonding
# seed: 003 ("Linux虚拟网络接口"), section "接口捆绑：bonded和team":
#       `ip link add bond1 type bond miimon 100 mode active-backup`, `ip link set eth0 master bond1`,
#       `ip link set eth1 master bond1` — "bond the host's two physical interfaces into one logical
#       interface in active-backup mode, for link redundancy".
#
# The default world has one cable; a second one (eth1, switch port sw0p4) is added first, the way
# worlds/default.sh describes for plugging in another host.
#
# The article's claims, and what the kernel does (drivers/net/bonding, reference section 11):
#   * the commands as written FAIL for an interface that is up: `ip link set eth0 master bond1` ->
#     "Error: Device can not be enslaved while up." (EPERM). Bonding (and team) refuse an UP slave;
#     `ip link set eth0 down` must come first. eth1, freshly created and down, is accepted.
#   * active-backup gives redundancy — TRUE: with miimon 100, unplugging the active slave's cable makes
#     the other one active and traffic continues.
#   * like a bridge port, a bond slave's own address stops working: the address moves to bond1.
#
# Expected kernel result (from the 6.12 source; this machine's 6.18 kernel has no bonding, so `type bond`
# fails here with "Error: Unknown device type."):
#   first `ip link set eth0 master bond1`: "Error: Device can not be enslaved while up.", exit 2;
#   eth1 enslaved (first slave: active, bond1 takes its MAC 02:00:00:00:00:11); after `ip link set eth0 down`
#   eth0 enslaved; `bond1: <BROADCAST,MULTICAST,MASTER,UP,
#   LOWER_UP>`, slaves `SLAVE,UP,LOWER_UP ... master bond1`; bond1 -> 192.0.2.1: 0% loss; after
#   `ip -n vnet-sw link set sw0p4 down` (the active slave eth1's cable): 0% loss again after the failover.
# Scenarios: test/scenarios/bond-active-backup.sh (requires bonding: the EPERM of an UP slave, SLAVE/MASTER,
#            the first slave's MAC); TODO bond-active-backup-failover.sh

# a second cable to the switch
ip link add eth1 address 02:00:00:00:00:11 type veth peer name sw0p4 address 02:00:00:00:01:04 netns vnet-sw
ip -n vnet-sw link set sw0p4 master sw0 up

# the article's commands
ip link add bond1 type bond miimon 100 mode active-backup
ip link set eth0 master bond1
ip link set eth1 master bond1

# eth0 is up: bring it down first
ip link set eth0 down
ip link set eth0 master bond1
ip addr flush dev eth0
ip addr add 192.0.2.10/24 dev bond1
ip link set bond1 up
ip route add default via 192.0.2.1
ip link show master bond1
ip link show bond1
ping -c1 -W1 192.0.2.1

# unplug the active slave's cable (eth1 was enslaved first, so it is active): eth0 takes over
cat /proc/net/bonding/bond1
ip -n vnet-sw link set sw0p4 down
sleep 0.5
ping -c1 -W1 192.0.2.1
