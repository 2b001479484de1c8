# world: none
# requires: 8021q vconfig
# rule: Debian 12's vconfig (package vlan 2.0.5) is a `sh -e` script over ip: it always prints a deprecation warning on stderr; `add` names the device by /run/network/vlan/name-type (default DEV_PLUS_VID_NO_PAD: eth0.2; VLAN_PLUS_VID: vlan0003; VLAN_PLUS_VID_NO_PAD: vlan4; DEV_PLUS_VID: eth0.0005, whose printf fails on a non-number with exit 1; an unknown type leaves the name empty); ip's error passes through and the exit status says which command failed (add 3, rem 4, egress 5, ingress 6, set_flag 7); set_flag echoes its arguments and switches reorder_hdr whatever the flag number; 1 or more than 3 arguments print the usage (exit 1); /proc/net/vlan/config keeps the kernel's own name type (RAW_PLUS_VID_NO_PAD)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11
vconfig
vconfig add eth0 2
ls /proc/net/vlan
cat /proc/net/vlan/config
cat /proc/net/vlan/eth0.2
vconfig add eth0 2
vconfig add eth0 4095
vconfig add eth0 abc
vconfig add nosuch 5
vconfig set_name_type VLAN_PLUS_VID
cat /run/network/vlan/name-type
vconfig add eth0 3
vconfig set_name_type VLAN_PLUS_VID_NO_PAD
vconfig add eth0 4
vconfig set_name_type DEV_PLUS_VID
vconfig add eth0 5
vconfig add eth0 abc
vconfig set_name_type DEV_PLUS_VID_NO_PAD
vconfig add eth0 6
vconfig set_name_type BOGUS
vconfig add eth0 7
cat /proc/net/vlan/config
vconfig set_flag eth0.2 1 0
ip -d link show eth0.2
vconfig set_flag eth0.2 1 1
vconfig set_flag eth0.2 2 7
vconfig set_egress_map eth0.2 1 5
vconfig set_ingress_map eth0.2 3 4
vconfig set_egress_map eth0.2 x 5
vconfig set_ingress_map nosuch 1 1
cat /proc/net/vlan/eth0.2
ip -d link show eth0.2
vconfig rem eth0.2
vconfig rem eth0.2
vconfig rem
vconfig foo bar
vconfig add eth0 8 9 10
ip link show
