# world: none
# rule: a passthru macvlan takes its lower's MAC; while it is UP the lower's `promiscuity` counter (ip -d link) goes up by one without a PROMISC flag, unless `nopromisc`; setting the passthru device's MAC changes the lower's MAC; `nopromisc` needs `mode passthru` on the same command line (reference 1.3, 1.4, 1.8, 0 flags)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link set wire0 up
ip link set eth0 up
ip link add link eth0 name pt0 type macvlan mode passthru
ip -d link show pt0
ip -d link show eth0
ip link set pt0 up
ip -d link show eth0
ip link set pt0 down
ip -d link show eth0
ip link set pt0 address 02:00:00:00:00:20
ip link show eth0
ip link show pt0
ip link del pt0
ip link show eth0
ip link add link eth0 name pt1 type macvlan nopromisc
ip link add link eth0 name pt1 type macvlan mode passthru nopromisc
ip link set pt1 up
ip -d link show pt1
ip -d link show eth0
ip link set pt1 type macvlan mode passthru
ip -d link show eth0
ip link set pt1 type macvlan mode vepa
