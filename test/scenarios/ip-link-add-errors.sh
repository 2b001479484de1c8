# world: none
# rule: malformed `ip link` commands: missing type → exit 1, unknown kind → "Error: Unknown device type." (exit 2), unknown device → "Cannot find device" (exit 1) or "Device … does not exist." (show, exit 1), garbage keyword → exit 255, bad MAC/mtu/name values → exit 1/255, set up+down in one command ends down (reference 10.1, 10.3)
ip link add q1
ip link add q1 type bogus
ip link add q1 type veth peer
ip link add q1 type veth peer name
ip link add name
ip link add veth0 type veth peer name veth1
ip link add veth0 type veth peer name veth1
ip link set nonexist up
ip link del nonexist
ip link show nonexist
ip link show dev nonexist
ip link set veth0 foo
ip link set veth0 address 02:00:00:00:00
ip link set veth0 address zz:00:00:00:00:01
ip link set veth0 mtu abc
ip link set veth0 mtu 67
ip link add name 0123456789abcdefg type veth
ip link set veth0 name 0123456789abcdefg
ip link set veth0 up down
ip link show veth0 | grep -o 'state [A-Z]*'
ip link set veth0 addr 02:00:00:00:00:10
ip lin sh veth0
ip link delete veth0 type macvlan
ip link show veth1
ip link frobnicate
ip frobnicate
