# world: none
# rule: a kernel without CONFIG_BRIDGE_VLAN_FILTERING (this machine's) refuses `vlan_filtering 1` and `vlan_default_pvid N` with EOPNOTSUPP, prints no vlan_* fields, keeps no VLANs (`bridge vlan show` is just the header) and refuses `bridge vlan add`; the VLAN id is still checked first (vid 0 → "Vlan id is invalid", on delete a plain EINVAL), and deleting a VLAN that cannot exist succeeds
ip link add br0 type bridge vlan_filtering 1
ip link add br0 type bridge
ip link set br0 type bridge vlan_filtering 1
ip link set br0 type bridge vlan_filtering 0
ip link set br0 type bridge vlan_default_pvid 5
ip -d link show br0 | grep -c vlan_protocol
ip link add p1 type veth peer name p1b
ip link set p1 master br0
bridge vlan show
bridge -d vlan show
bridge vlan add dev p1 vid 10
bridge vlan add dev p1 vid 0
bridge vlan add dev br0 vid 4095 self
bridge vlan del dev p1 vid 0
bridge vlan del dev p1 vid 10
bridge vlan del dev p1b vid 10
cat /sys/class/net/br0/bridge/vlan_filtering
bridge -s vlan show
bridge -s -j vlan show
bridge -j vlan show
bridge -c vlan show
