# world: none
# rule: a macvlan's MTU starts at the lower's; above the lower's → EINVAL, above max_mtu → "mtu greater than device maximum", below 68 → "mtu less than device minimum"; lowering the lower's MTU clamps the macvlans, raising it does not raise them (reference 1.12)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link set eth0 mtu 9000
ip link add link eth0 name mv0 address 02:00:00:00:00:a0 type macvlan
ip link add link eth0 name mv1 address 02:00:00:00:00:a1 mtu 1500 type macvlan
ip link show mv0
ip link set mv1 mtu 9001
ip link set mv1 mtu 70000
ip link set mv1 mtu 67
ip link set mv1 mtu 68
ip link set eth0 mtu 4000
ip -br link
ip link show mv0
ip link show mv1
ip link set eth0 mtu 9000
ip link show mv0
ip link set wire0 mtu 65536
ip link set wire0 mtu 65535
ip link show wire0
