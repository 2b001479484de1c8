# world: none
# requires: vlan_filtering
# rule: `bridge vlan add|del dev X vid N [pvid] [untagged] [master|self]` edits a port's (or with `self` the bridge's) VLAN set; `vid A-B` adds a range, which cannot carry pvid; vid 0 and 4095 are refused; a new pvid replaces the old one, which stays as a plain member; without vlan_filtering the sets are still kept
ip link add br0 address 02:00:00:00:0b:00 type bridge
ip link add p1 address 02:00:00:00:01:01 type veth peer name p1peer address 02:00:00:00:00:01
ip link add p2 address 02:00:00:00:01:02 type veth peer name p2peer address 02:00:00:00:00:02
ip link set p1 master br0
ip link set p2 master br0
bridge vlan add dev p1 vid 10 pvid untagged
bridge vlan add dev p2 vid 10
bridge vlan add dev p2 vid 20-23
bridge vlan add dev p2 vid 30 untagged master
bridge vlan show
bridge vlan del dev p2 vid 21-22
bridge vlan del dev p1 vid 1
bridge vlan show
bridge vlan add dev br0 vid 10 self
bridge vlan add dev br0 vid 20 pvid untagged self
bridge vlan show dev br0
bridge vlan del dev br0 vid 1 self
bridge vlan show dev br0
bridge vlan show vid 10
bridge -c vlan show
bridge -j vlan show dev p2
bridge vlan add dev p1 vid 0
bridge vlan add dev p1 vid 4095
bridge vlan add dev p1 vid 4096
bridge vlan add dev p1 vid 40-45 pvid
bridge vlan add dev p1 vid 50-45
bridge vlan add dev p1 vid abc
bridge vlan add dev p1 vid 10 pvid
bridge vlan show dev p1
bridge vlan del dev p1 vid 99
bridge vlan del dev p1p vid 10
bridge vlan add dev p1peer vid 10
bridge vlan del dev p1peer vid 10
bridge vlan add dev br0 vid 10
bridge vlan add dev p1 vid 60 self
bridge vlan add vid 10
bridge vlan add dev p1
bridge vlan show dev nosuch
ip link set p2 nomaster
bridge vlan show
ip link set p2 master br0
bridge vlan show dev p2
ip link set br0 type bridge vlan_filtering 1
bridge vlan show
ip link set br0 type bridge vlan_filtering 0
bridge vlan show dev p1
bridge vlan add dev p2 vid 40-42 untagged
bridge vlan add dev p2 vid 2
bridge -d vlan show
bridge -d vlan show vid 41
bridge -d -j vlan show dev p2
bridge vlan del dev p1 vid 0
bridge vlan del dev br0 vid 4095 self
bridge vlan add dev p1 vid 70000
bridge vlan add dev p1 vid 65535
bridge vlan add dev p1 vid 10-10
bridge vlan add dev p1 vid -3
