# world: none
# rule: passthru must be the only macvlan on its lower: passthru on a lower that already has a macvlan → EINVAL (not EBUSY), and any second macvlan (any mode, macvtap too) on a passthru lower → EINVAL; after the passthru one is deleted the lower is free again (reference 1.2, 1.8)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name mv1 address 02:00:00:00:00:a1 type macvlan mode bridge
ip link add link eth0 name pt0 type macvlan mode passthru
ip link del mv1
ip link add link eth0 name pt0 type macvlan mode passthru
ip link add link eth0 name pt1 type macvlan mode passthru
ip link add link eth0 name mv2 address 02:00:00:00:00:a2 type macvlan mode bridge
ip link add link eth0 name mv3 address 02:00:00:00:00:a3 type macvlan mode vepa
ip link add link eth0 name mvt address 02:00:00:00:00:a4 type macvtap mode private
ip link show
ip link del pt0
ip link add link eth0 name mv2 address 02:00:00:00:00:a2 type macvlan mode bridge
ip -br link
