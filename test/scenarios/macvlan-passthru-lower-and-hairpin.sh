# world: none
# rule: a passthru macvlan shares its lower's MAC: an outside host reaches it with or without hairpin; the host lower cannot reach it without a reflecting switch; with hairpin the host's reflected ARP request (source = the shared MAC) is delivered to the passthru device only, which learns the host and answers, but every unicast frame to the shared MAC — that answer included — is taken by the passthru device, never by the lower, so host<->passthru still fails both ways (reference 1.5 group step 4 and unicast step 2, 1.8)
ip netns add vnet-sw
ip netns add vnet-ext
ip -n vnet-sw link add sw0 type bridge
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-ext link add eth0 address 02:00:00:00:00:20 type veth peer name sw0p2 address 02:00:00:00:01:02 netns vnet-sw
ip -n vnet-sw link set sw0p1 master sw0 up
ip -n vnet-sw link set sw0p2 master sw0 up
ip -n vnet-sw link set sw0 up
ip -n vnet-ext addr add 192.0.2.20/24 dev eth0
ip -n vnet-ext link set eth0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip netns add vnet-pt
ip link add link eth0 name pt0 type macvlan mode passthru
ip link set pt0 netns vnet-pt
ip -n vnet-pt addr add 192.0.2.30/24 dev pt0
ip -n vnet-pt link set pt0 up
ip netns exec vnet-ext ping -c1 -W1 192.0.2.30 &
ping -c1 -W1 192.0.2.30 &
wait
ip neigh show 192.0.2.30
ip -n vnet-pt neigh show 192.0.2.10
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
ip neigh flush dev eth0
ip netns exec vnet-pt ping -c1 -W1 192.0.2.10 &
ping -c1 -W1 192.0.2.30 &
wait
ip neigh show 192.0.2.30
ip -n vnet-pt neigh show 192.0.2.10
