# world: none
# rule: `ip -d link show` of a vxlan prints the kernel's options in iproute2's order (id, remote/group, local, dev, srcport, dstport, [no]learning, tos, ttl, df, ageing, udpcsum…); without `dev` the MTU is 1500 and TSO limits are the default 65536, with `dev` the MTU is the lower MTU minus 50 and may not be raised above it; no `dstport` means 8472; a second device with the same VNI and destination port in a namespace is refused with "A VXLAN device with the specified VNI already exists" (another port is fine); deleting the `dev` lower device deletes the vxlan devices on it (vxlan_config_validate, vxlan_vni_in_use, vxlan_change_mtu, vxlan_handle_lowerdev_unregister)
ip link add eth0 type veth peer name eth1
ip addr add 192.0.2.1/24 dev eth0
ip link add vx0 address 02:00:00:00:aa:01 type vxlan id 100 dstport 4789
ip -d link show vx0
ip link add vx1 address 02:00:00:00:aa:02 type vxlan id 101 dstport 4789 nolearning ttl 10 tos 0x10 srcport 1000 2000 ageing 100 df set local 192.0.2.1 remote 192.0.2.2
ip -d link show vx1
ip link add vx2 address 02:00:00:00:aa:03 type vxlan id 102 dstport 4789 ttl inherit tos inherit df inherit ageing 0 noudpcsum maxaddress 10 dev eth0
ip -d link show vx2
ip link add vx3 address 02:00:00:00:aa:04 type vxlan id 103 dev eth0 2>&1
ip -d link show vx3
ip link add vx4 address 02:00:00:00:aa:05 type vxlan id 104 group 239.1.1.1 dev eth0 dstport 4789
ip -d link show vx4
bridge fdb show dev vx4
bridge fdb show dev vx1
ip link add vx5 type vxlan id 100 dstport 4789
ip link add vx5 type vxlan id 100 dstport 4789 remote 192.0.2.9 dev eth0
ip link add vx5 address 02:00:00:00:aa:06 type vxlan id 100 dstport 4790
ip link add vx6 type vxlan remote 192.0.2.3 dstport 4789
ip link add vx6 type vxlan id 16777216 dstport 4789
ip link add vx6 type vxlan id 5 group 239.1.1.1 dstport 4789
ip link add vx6 type vxlan id 5 remote 239.1.1.1 dstport 4789
ip link add vx6 type vxlan id 5 group 192.0.2.1 dev eth0 dstport 4789
ip link add vx6 type vxlan id 5 dev nosuch dstport 4789
ip link set vx2 mtu 1451
ip link set vx2 mtu 1400
ip link set vx0 mtu 9000
ip link set vx0 mtu 65536
ip link show vx2
ip link show vx0
ip link del eth1
ip link show
