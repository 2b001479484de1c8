# world: none
# rule: writing net.ipv4.conf.default.X also sets X on every existing device that has not had X written itself (devinet_copy_dflt_conf and the per-device state bits); a device made after a default write inherits the bit too, so later default writes skip it; the bit follows a rename, a device moved to another namespace starts over from that namespace's default; all.X is not copied (forwarding aside), nor are the flushing knobs (route_localnet, disable_policy, promote_secondaries...), default.forwarding, or IPv6 conf.default; outside the initial namespace there is no neigh.default or neigh.all (only per-device neigh trees)
ip link add v1 type veth peer name v2
ip link add v3 type veth peer name v4
sysctl -q -w net.ipv4.conf.v3.rp_filter=0
sysctl -q -w net.ipv4.conf.v3.arp_ignore=0
sysctl -w net.ipv4.conf.default.rp_filter=2 net.ipv4.conf.default.arp_ignore=1 net.ipv4.conf.default.arp_announce=2
sysctl net.ipv4.conf.v1.rp_filter net.ipv4.conf.v3.rp_filter net.ipv4.conf.lo.rp_filter net.ipv4.conf.v1.arp_ignore net.ipv4.conf.v3.arp_ignore net.ipv4.conf.v4.arp_announce
sysctl -w net.ipv4.conf.default.route_localnet=1 net.ipv4.conf.default.promote_secondaries=1 net.ipv4.conf.default.disable_policy=1 net.ipv4.conf.default.forwarding=1
sysctl net.ipv4.conf.v1.route_localnet net.ipv4.conf.v1.promote_secondaries net.ipv4.conf.v1.disable_policy net.ipv4.conf.v1.forwarding
echo 1 > /proc/sys/net/ipv4/conf/all/accept_local
cat /proc/sys/net/ipv4/conf/v1/accept_local /proc/sys/net/ipv4/conf/default/accept_local
echo 1 > /proc/sys/net/ipv4/conf/default/accept_local
cat /proc/sys/net/ipv4/conf/v1/accept_local /proc/sys/net/ipv4/conf/lo/accept_local
echo 5 > /proc/sys/net/ipv4/conf/default/medium_id
ip link add v5 type veth peer name v6
echo 7 > /proc/sys/net/ipv4/conf/default/medium_id
sysctl net.ipv4.conf.v5.medium_id net.ipv4.conf.v1.medium_id
ip link set v1 name v9
sysctl -q -w net.ipv4.conf.v3.medium_id=7
echo 8 > /proc/sys/net/ipv4/conf/default/medium_id
sysctl net.ipv4.conf.v9.medium_id net.ipv4.conf.v3.medium_id
ip netns add vnet-x
ip link set v2 netns vnet-x
ip netns exec vnet-x sysctl net.ipv4.conf.v2.medium_id net.ipv4.conf.v2.rp_filter
ip netns exec vnet-x sysctl -w net.ipv4.conf.default.medium_id=3
ip netns exec vnet-x sysctl net.ipv4.conf.v2.medium_id
sysctl -w net.ipv6.conf.default.hop_limit=9 net.ipv6.conf.default.accept_ra=0
sysctl net.ipv6.conf.v3.hop_limit net.ipv6.conf.v3.accept_ra
ls /proc/sys/net/ipv4/neigh/ /proc/sys/net/ipv6/neigh/
