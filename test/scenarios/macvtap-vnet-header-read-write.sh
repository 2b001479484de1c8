# world: none
# rule: drivers/net/tap.c: /dev/tapN opens with IFF_VNET_HDR on, so every read() returns one frame preceded by a 10-byte virtio_net_hdr (zeros for a plain frame) and blocks until a frame arrives; a read shorter than the frame gets its first bytes; while a reader has the node open the macvtap's received frames go to it, not to its IP stack; every write() is one frame that must start with the 10-byte header and hold at least an Ethernet header (shorter: EINVAL, `printf: write error: Invalid argument`); nodes are char devices of the dynamic "macvtap" major with minors from 1, removed with the device
ip netns add vnet-peer
ip netns exec vnet-peer sysctl -qw net.ipv6.conf.all.disable_ipv6=1
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-peer
ip link set eth0 up
ip -n vnet-peer addr add 192.0.2.20/24 dev eth0
ip -n vnet-peer link set eth0 up
ip link add link eth0 name mvt0 address 02:00:00:00:00:a0 type macvtap mode bridge
ip link add link eth0 name mvt1 address 02:00:00:00:00:a1 type macvtap mode bridge
ip link set mvt0 up
ip link set mvt1 up
T0=/dev/tap$(cat /sys/class/net/mvt0/ifindex)
T1=/dev/tap$(cat /sys/class/net/mvt1/ifindex)
ls -l --time-style=+ $T0 $T1
test -c $T0 && echo "$T0 is a character device"
sleep 0.5
# a short read: the header and the start of the frame
head -c 16 $T0 | od -An -tx1 &
sleep 0.2
ip netns exec vnet-peer arping -q -c1 -w1 -I eth0 192.0.2.99
wait
# two frames, two reads: each one header + frame, the bytes back to back
timeout 1.5 cat $T0 | od -Ad -tx1 -w68 &
sleep 0.2
ip netns exec vnet-peer arping -q -c2 -w2 -I eth0 192.0.2.98
wait
# writes: header only, runt frame, a bare Ethernet header, a whole ARP request
ip netns exec vnet-peer timeout 2 tcpdump -l -nn -e -i eth0 arp or ether proto 0x88b5 2>/dev/null &
sleep 0.5
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' > $T0; echo "status $?"
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\x02' > $T0; echo "status $?"
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\xa0\x88\xb5' > $T0; echo "status $?"
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\xa1\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01\x02\x00\x00\x00\x00\xa1\xc0\x00\x02\x0b\x00\x00\x00\x00\x00\x00\xc0\x00\x02\x14' > $T1; echo "status $?"
wait
ip -n vnet-peer neigh show
ip link del mvt1
ls $T1
ls /dev | grep -c '^tap'
