# world: none
# requires: vlan_filtering
# rule: with CONFIG_BRIDGE_VLAN_FILTERING a bridge and each new port get VLAN 1 as `PVID Egress Untagged` (the bridge's vlan_default_pvid), `ip -d link show` prints vlan_filtering/vlan_protocol/vlan_default_pvid/vlan_stats_*; vlan_filtering can be set at creation or by changelink, and changing vlan_default_pvid moves every port (and the bridge) whose pvid was the old default
ip link add br0 address 02:00:00:00:0b:00 type bridge vlan_filtering 1
ip link add p1 address 02:00:00:00:01:01 type veth peer name p1peer address 02:00:00:00:00:01
ip link add p2 address 02:00:00:00:01:02 type veth peer name p2peer address 02:00:00:00:00:02
ip link set p1 master br0
ip link set p2 master br0
bridge vlan show
bridge vlan
bridge -d vlan show
bridge -j vlan show
bridge -j -p vlan show
bridge vlan show dev p1
bridge vlan show vid 1
ip -d link show br0 | grep -o 'bridge forward_delay.*topology_change_detected [0-9]*'
ip -d link show br0 | grep -o 'vlan_default_pvid.*mcast_snooping [0-9]'
ip -d link show p1
ip -j -d link show br0 | grep -o '"vlan_[a-z_]*":[^,]*'
ip link add br1 type bridge
ip -d link show br1 | grep -o 'vlan_filtering [0-9]* vlan_protocol [^ ]*'
bridge vlan show dev br1
ip link set br1 type bridge vlan_filtering 1
ip -d link show br1 | grep -o 'vlan_filtering [0-9]* vlan_protocol [^ ]*'
ip link set br1 type bridge vlan_filtering 0
ip -d link show br1 | grep -o 'vlan_filtering [0-9]*'
ip link set br0 type bridge vlan_default_pvid 5
bridge vlan show
ip -d link show br0 | grep -o 'vlan_default_pvid [0-9]*'
ip link add p3 address 02:00:00:00:01:03 type veth peer name p3peer address 02:00:00:00:00:03
ip link set p3 master br0
bridge vlan show dev p3
ip link set br0 type bridge vlan_default_pvid 0
bridge vlan show
ip link set br0 type bridge vlan_default_pvid 4095
ip link set br0 type bridge vlan_protocol 802.1ad
ip -d link show br0 | grep -o 'vlan_protocol [^ ]*'
ip link set br0 type bridge vlan_stats_enabled 1 vlan_stats_per_port 1
ip -d link show br0 | grep -o 'vlan_stats_enabled [0-9]* vlan_stats_per_port [0-9]*'
cat /sys/class/net/br0/bridge/vlan_filtering /sys/class/net/br0/bridge/default_pvid /sys/class/net/br0/bridge/vlan_protocol
