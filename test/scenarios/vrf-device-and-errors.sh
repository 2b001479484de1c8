# world: none
# requires: vrf
# rule: a VRF is `<NOARP,MASTER>` with mtu 65575 (min 1280), one queue and tso_max_size 65536, UP (not UNKNOWN) once opened, with no IPv6 link-local; the first VRF adds the `1000: lookup [l3mdev-table]` rule, which stays after the last VRF goes; a table id is required and not 0, VRFs may share a table, the table cannot be changed, and neither lo nor another VRF can be enslaved (drivers/net/vrf.c, net/l3mdev)
ip rule show
ip link add red address 02:00:00:00:0a:01 type vrf table 10
ip rule show
ip -d link show red
ip link set red up
ip -d link show red
ip -j -d link show red
ip addr show red
ip link add blue type vrf
ip link add blue type vrf table 0
ip link add blue address 02:00:00:00:0a:02 type vrf table 10
ip link set red type vrf table 30
ip link set red master blue
ip link set lo master red
ip vrf show
ip vrf
ip -j vrf show
ip vrf show red
ip vrf show nosuch
ip vrf identify
ip vrf pids red
ip vrf pids
ip vrf exec red
ip vrf exec nosuch true
ip vrf frob
ip route show vrf nosuch
ip route show vrf red
ip route show table 10
ip link del red
ip link del blue
ip rule show
ip vrf show
