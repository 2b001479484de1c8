# world: none
# requires: ipvlan
# rule: mode and flags belong to the port: every creation sets the mode (l3 when `mode` is not given) and, when any option is given, the flags (0 = bridge); changelink does the same; l3/l3s slaves get NOARP when the mode is set or when they are opened (a new slave has it only after `up`); with the master's carrier a slave never gets a link event, so it shows state UNKNOWN (reference 3.1, 3.4)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link set wire0 up
ip link set eth0 up
ip link add link eth0 name ipv1 type ipvlan mode l2 private
ip link set ipv1 up
ip link show ipv1
ip -d link show ipv1
ip link add link eth0 name ipv2 type ipvlan
ip link show ipv1
ip link show ipv2
ip -d link show ipv2
ip link set ipv2 up
ip link show ipv2
ip link set ipv2 type ipvlan mode l3s vepa
ip -d link show ipv1
ip link set ipv1 type ipvlan mode l2
ip -d link show ipv2
ip link show ipv2
ip link add link eth0 name ipv3 type ipvlan mode l3 bridge
ip -d link show ipv1
