# world: none
# rule: creating a macvlan (or macvtap) on top of a macvlan silently uses the macvlan's own lower instead: the new device shows as new@reallower, and deleting the middle macvlan leaves it alone (reference 1.2)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name mv0 address 02:00:00:00:00:a0 type macvlan mode bridge
ip link add link mv0 name mv00 address 02:00:00:00:00:b0 type macvlan mode bridge
ip link add link mv00 name mvt address 02:00:00:00:00:b1 type macvtap
ip link show
ip link del mv0
ip -br link
cat /sys/class/net/mv00/iflink
