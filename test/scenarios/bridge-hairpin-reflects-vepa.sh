# world: none
# rule: a Linux bridge never sends a frame back out of the port it came in on unless that port has hairpin on; turning hairpin on (bridge link / brctl / sysfs, all the same flag) makes the bridge a VEPA "reflective relay" switch, so two vepa macvlans behind that port can talk (seeds 000, 003, 004) (reference 5.4 step 10, 1.7)
ip netns add vnet-sw
ip -n vnet-sw link add sw0 type bridge
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01
ip link set sw0p1 netns vnet-sw
ip -n vnet-sw link set sw0p1 master sw0 up
ip -n vnet-sw link set sw0 up
ip link set eth0 up
ip netns add vnet-a
ip netns add vnet-b
ip link add link eth0 name mva address 02:00:00:00:00:a1 type macvlan mode vepa
ip link add link eth0 name mvb address 02:00:00:00:00:a2 type macvlan mode vepa
ip link set mva netns vnet-a
ip link set mvb netns vnet-b
ip -n vnet-a addr add 192.0.2.11/24 dev mva
ip -n vnet-a link set mva up
ip -n vnet-b addr add 192.0.2.12/24 dev mvb
ip -n vnet-b link set mvb up
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip netns exec vnet-sw bridge -d link show dev sw0p1
ip netns exec vnet-sw bridge link set dev sw0p1 hairpin on
ip netns exec vnet-sw bridge -d link show dev sw0p1
cat /sys/class/net/eth0/operstate
ip netns exec vnet-sw cat /sys/class/net/sw0/brif/sw0p1/hairpin_mode
# forget the unanswered ARP of the first try, so the new ping asks again at once
ip -n vnet-a neigh flush dev mva
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip netns exec vnet-sw brctl hairpin sw0 sw0p1 off
ip netns exec vnet-sw cat /sys/class/net/sw0/brif/sw0p1/hairpin_mode
ip -n vnet-a neigh flush dev mva
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
ip netns exec vnet-sw sh -c 'echo 1 > /sys/class/net/sw0/brif/sw0p1/hairpin_mode'
ip -n vnet-a neigh flush dev mva
ip -n vnet-sw -d link show sw0p1 | grep -o 'hairpin [a-z]*'
ip netns exec vnet-a ping -c1 -W1 192.0.2.12
