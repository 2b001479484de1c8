# world: default
# seed: 004 ("There's not a lot of documentation about these interfaces"), section "macvtap interfaces";
#       also seed 002 ("mactap ... 交给一个 tapX 文件") and seed 003 (macvtap in the list of interfaces)
#
# The article's commands: `ip link add link eth2 macvtap2 address 00:22:33:44:55:66 type macvtap mode bridge`,
# `ip link set macvtap2 up`, `ip link show macvtap2`, `ls -l /dev/tap18`, `ip link del macvtap2`.
#
# The article's claims:
#   * "an actual character device file appears under /dev, called /dev/tapNN, where NN is the interface
#     index" and "macvtap interfaces are persistent" — TRUE (`/dev/tap$(cat /sys/class/net/macvtap2/ifindex)`,
#     crw------- root root, major of the "macvtap" chrdev region, minor 1 for the first one).
#   * its `ip link show` has "qdisc pfifo_fast state UNKNOWN ... qlen 500" — qdisc pfifo_fast and qlen 500
#     are still right, but a modern kernel copies the lower's carrier: `state UP`.
#   * "traffic entering the interface can be ... stolen by simply reading from the device file (cat
#     /dev/tap22)" — TRUE: while a reader has /dev/tapN open, every frame delivered to the macvtap goes to
#     the reader and is consumed; the macvtap's own IP stack no longer sees it. Each frame read is preceded
#     by a 10-byte virtio_net_hdr (all zeros here). With no reader, the macvtap behaves like a macvlan.
#   * "injecting frames by writing to the device file from the outside [does not] seem to be possible" —
#     WRONG: one write() = one frame (10-byte vnet header + Ethernet frame); it is transmitted on the
#     macvtap like anything the guest sends. Here a hand-written ARP request reaches the peer, which answers.
#   * "if you run tcpdump on the macvtap interface on the host, no traffic will be seen" — WRONG on 6.18:
#     tcpdump -i macvtap2 shows the frames that go to the reader (taps run before the macvtap's rx handler)
#     and the frames written into /dev/tapN.
#   * "macvtap shares the same operating modes (VEPA, bridge, private and passthru)" — TRUE, plus source;
#     the default is vepa, as for macvlan.
#
# The host answers ARP for every local address on every interface (arp_ignore=0), so an ARP for
# 192.0.2.12 would be answered by eth0 with eth0's MAC and the test would never touch the macvtap: the peer
# therefore gets a static neighbour entry pointing at the macvtap's MAC.
#
# What the real kernel prints (6.18, default world):
#   `3: macvtap2@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP ... qlen 500`;
#   `crw------- 1 root root 246, 1  /dev/tap3` (the major number varies; the date is left out);
#   peer -> 192.0.2.12 with no reader: 0% loss; with `cat /dev/tap3 > /dev/null &` running: 100% loss, and
#   tcpdump on macvtap2 still prints the echo request; after `kill`: 0% loss;
#   `od` of the first 52 bytes read: 10 zero bytes, then the peer's broadcast ARP request
#   (ff ff ff ff ff ff 02 00 00 00 00 20 08 06 ...);
#   the written ARP request shows up in tcpdump on macvtap2, the peer answers it and its neighbour table
#   shows `192.0.2.12 dev eth0 lladdr 00:22:33:44:55:66 STALE`;
#   after `ip link del macvtap2`: `ls: cannot access '/dev/tap3': No such file or directory`.
# Scenarios: test/scenarios/macvtap-create-devnode.sh, macvtap-vnet-header-read-write.sh (reads, writes,
#            EINVAL for runt frames); the reader stealing frames is pinned by this example itself.

ip link add link eth0 macvtap2 address 00:22:33:44:55:66 type macvtap mode bridge
ip link set macvtap2 up
ip link show macvtap2
ip -d link show macvtap2 | grep macvtap
TAP=/dev/tap$(cat /sys/class/net/macvtap2/ifindex)
# (the node's date is the kernel's wall clock: left out)
ls -l --time-style=+ $TAP

# no reader: the macvtap is just a macvlan with its own IP stack
ip addr add 192.0.2.12/24 dev macvtap2
ip -n vnet-peer neigh replace 192.0.2.12 lladdr 00:22:33:44:55:66 dev eth0
ip netns exec vnet-peer ping -c1 -W1 192.0.2.12

# a reader (the "guest") steals every frame; tcpdump on macvtap2 still sees them
tcpdump -l --immediate-mode -nn -e -i macvtap2 icmp or arp &
TCPDUMP=$!
sleep 1
cat $TAP > /dev/null &
READER=$!
sleep 0.3
ip netns exec vnet-peer ping -c1 -W1 192.0.2.12
kill $READER
ip netns exec vnet-peer ping -c1 -W1 192.0.2.12
kill $TCPDUMP
wait

# what a reader gets: a 10-byte virtio-net header, then the Ethernet frame (here the peer's ARP broadcast;
# tcpdump is stopped first, since it would make macvtap2 promiscuous and let IPv6 multicast in too)
head -c 52 $TAP | od -An -tx1 &
HEAD=$!
sleep 0.3
ip netns exec vnet-peer arping -c1 -w1 -I eth0 192.0.2.99
wait $HEAD

# writing a frame (vnet header + ARP request "who has 192.0.2.20 tell 192.0.2.12") transmits it
ip -n vnet-peer neigh del 192.0.2.12 dev eth0
tcpdump -l --immediate-mode -nn -e -i macvtap2 arp &
TCPDUMP=$!
sleep 1
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\x00\x22\x33\x44\x55\x66\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01\x00\x22\x33\x44\x55\x66\xc0\x00\x02\x0c\x00\x00\x00\x00\x00\x00\xc0\x00\x02\x14' > $TAP
sleep 0.5
kill $TCPDUMP
wait
ip -n vnet-peer neigh show

# the device node goes away with the device
ls -d /sys/class/net/macvtap2/tap*
ip link del macvtap2
ls -l $TAP
