# world: none
# requires: 8021q
# rule: IFLA_VLAN_FLAGS and the QoS maps are only in `ip -d link` when set (reorder_hdr off alone prints no `<…>`; no mapping → no ingress-/egress-qos-map lines); ingress FROM is the PCP masked to 3 bits, a mapping to 0 removes it; an egress entry set to 0 stays in /proc/net/vlan/DEV but not in netlink; `type vlan id`/`protocol` on an existing device are ignored (exit 0); a parent's MTU drop lowers its VLANs' MTU and a VLAN cannot exceed it (ERANGE); loose_binding keeps a VLAN up when its parent goes down (net/8021q/vlan_netlink.c, vlan_dev.c, vlanproc.c)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name p0 address 02:00:00:00:00:11
ip link add link eth0 name v2 type vlan id 2
ip -d link show v2
ip link add link eth0 name v3 type vlan id 3 egress-qos-map 1:2 ingress-qos-map 3:4
ip -d link show v3
ip link add link eth0 name v4 type vlan id 4 protocol 802.1ad reorder_hdr off
ip -d link show v4
ip link add link v4 name v4.5 type vlan id 5
ip -d link show v4.5
cat /proc/net/vlan/config
cat /proc/net/vlan/v3
ip link set v2 type vlan egress-qos-map 0:3 0:0 5:2
ip -d link show v2
cat /proc/net/vlan/v2
ip link set v2 type vlan ingress-qos-map 1:2 1:0 9:4
ip -d link show v2
ip -j -d link show v2
ip link set v2 type vlan id 11
ip link set v2 type vlan protocol 802.1ad
ip -d link show v2
ip link add link eth0 name eth0.0 type vlan id 0
ip link set eth0 mtu 1400
ip link show v2
ip link set v2 mtu 1450
ip link set v2 mtu 1300
ip link set eth0 up
ip link set v2 up
ip link add link eth0 name lb type vlan id 30 loose_binding on
ip link set lb up
ip link set eth0 down
ip link show v2
ip -d link show lb
ip link del eth0
ls /proc/net/vlan
cat /proc/net/vlan/config
