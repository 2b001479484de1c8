# world: none
# rule: macvlan creation errors: no `link` → EINVAL (exit 2), unknown lower → iproute2's "Cannot find device" (exit 1), lo as lower → EINVAL, `link` after `type` is a macvlan option error (exit 1), existing name → EEXIST, multicast address → EADDRNOTAVAIL, `macaddr` outside source mode → EINVAL, mtu above the lower's → EINVAL, no name → macvlan0, macvlan1… (reference 1.2, 1.16, 10.3)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add mvx type macvlan
ip link add link nonexist name mvx type macvlan
ip link add link lo name mvx type macvlan
ip link add mvx type macvlan link eth0
ip link add link eth0 name mv1 address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name mv1 type macvlan
ip link add link eth0 name mvx address 01:00:5e:00:00:01 type macvlan
ip link add link eth0 name mvx address 00:00:00:00:00:00 type macvlan
ip link add link eth0 name mvx type macvlan mode bridge macaddr add 02:00:00:00:00:99
ip link add link eth0 name mvx mtu 1600 type macvlan
ip link add link eth0 name mvx mtu 1400 address 02:00:00:00:00:a2 type macvlan
ip link add link eth0 address 02:00:00:00:00:a3 type macvlan
ip link add link eth0 address 02:00:00:00:00:a4 type macvlan mode private
ip link add link eth0 name mvy address 02:00:00:00:00:10 type macvlan
ip link add link wire0 name mvz address 02:00:00:00:00:a1 type macvlan
ip link show
