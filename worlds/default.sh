# The default world for `vnet run`: a small LAN the script's namespace is plugged into.
# It is an ordinary shell script of iproute2 commands; it runs first, in the script's own network
# namespace, and nothing it prints is recorded. It runs unchanged on a real Linux kernel.
#
#            script namespace                 vnet-sw                        vnet-gw              vnet-far
#   lo 127.0.0.1/8                       +-----------------+
#   eth0 192.0.2.10/24  ---- veth ---- sw0p1    sw0       sw0p2 ---- veth ---- lan0 192.0.2.1/24
#   default via 192.0.2.1                |  (Linux bridge)  |                  wan0 198.51.100.254/24 --- veth --- eth0 198.51.100.1/24
#                                        |  sw0p3           |                  ip_forward=1                       default via 198.51.100.254
#                                        +----|------------+
#                                            veth
#                                             |
#                                        vnet-peer: eth0 192.0.2.20/24, default via 192.0.2.1
#
# Fixed MAC addresses (every device gets one, so output is the same on every run):
#   02:00:00:00:00:10  eth0 (script namespace)      192.0.2.10
#   02:00:00:00:00:01  lan0 (vnet-gw)               192.0.2.1
#   02:00:00:00:00:20  eth0 (vnet-peer)             192.0.2.20
#   02:00:00:00:02:fe  wan0 (vnet-gw)               198.51.100.254
#   02:00:00:00:02:01  eth0 (vnet-far)              198.51.100.1
#   02:00:00:00:01:01  sw0p1, 02:00:00:00:01:02 sw0p2, 02:00:00:00:01:03 sw0p3 (switch ports in vnet-sw)
#   sw0 itself gets no address of its own: a Linux bridge takes its smallest port MAC, 02:00:00:00:01:01.
# Scheme: 02:00:00:00:00:NN on 192.0.2.0/24 (NN = last octet of the IP, in hex), 02:00:00:00:02:NN on
# 198.51.100.0/24, 02:00:00:00:01:0P for switch port P.
#
# How to change it (in your own script, after the world ran):
#   * make the switch reflect frames back out of the port they came in on (an 802.1Qbg/VEPA
#     "hairpin" switch, needed for macvlan vepa/private siblings to reach each other):
#         ip -n vnet-sw link set sw0p1 type bridge_slave hairpin on
#     (or: ip netns exec vnet-sw bridge link set dev sw0p1 hairpin on)
#   * plug another host into the switch:
#         ip netns add vnet-h3
#         ip -n vnet-sw link add sw0p4 address 02:00:00:00:01:04 type veth peer name eth0 address 02:00:00:00:00:1e netns vnet-h3
#         ip -n vnet-sw link set sw0p4 master sw0 up
#         ip -n vnet-h3 addr add 192.0.2.30/24 dev eth0 && ip -n vnet-h3 link set eth0 up
#   * unplug the script's cable:   ip -n vnet-sw link set sw0p1 down
#   * turn STP on:                 ip -n vnet-sw link set sw0 type bridge stp_state 1
#   * stop routing:                ip netns exec vnet-gw sysctl -q -w net.ipv4.ip_forward=0

# --- the namespaces: a switch, a gateway (router), a host behind the router, a neighbour on the LAN
ip netns add vnet-sw
ip netns add vnet-gw
ip netns add vnet-far
ip netns add vnet-peer

# --- the switch: a Linux bridge with STP off (ports forward at once) and hairpin off on every port.
#     It is brought up only after its ports are in, so it never runs with the random MAC a new bridge
#     starts with (its IPv6 link-local would keep that MAC forever); with ports it takes the smallest
#     port MAC.
ip -n vnet-sw link add sw0 type bridge stp_state 0

# --- the script's own cable: eth0 here, its other end is switch port sw0p1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip -n vnet-sw link set sw0p1 master sw0
ip -n vnet-sw link set sw0p1 type bridge_slave hairpin off
ip -n vnet-sw link set sw0p1 up

# --- the gateway's LAN side, on switch port sw0p2
ip -n vnet-gw link add lan0 address 02:00:00:00:00:01 type veth peer name sw0p2 address 02:00:00:00:01:02 netns vnet-sw
ip -n vnet-sw link set sw0p2 master sw0
ip -n vnet-sw link set sw0p2 type bridge_slave hairpin off
ip -n vnet-sw link set sw0p2 up

# --- the neighbour on the LAN, on switch port sw0p3
ip -n vnet-peer link add eth0 address 02:00:00:00:00:20 type veth peer name sw0p3 address 02:00:00:00:01:03 netns vnet-sw
ip -n vnet-sw link set sw0p3 master sw0
ip -n vnet-sw link set sw0p3 type bridge_slave hairpin off
ip -n vnet-sw link set sw0p3 up
ip -n vnet-sw link set sw0 up

# --- the gateway's far side: a direct cable to the far host
ip -n vnet-gw link add wan0 address 02:00:00:00:02:fe type veth peer name eth0 address 02:00:00:00:02:01 netns vnet-far

# --- the gateway: routes between 192.0.2.0/24 and 198.51.100.0/24
ip -n vnet-gw link set lo up
ip -n vnet-gw addr add 192.0.2.1/24 dev lan0
ip -n vnet-gw link set lan0 up
ip -n vnet-gw addr add 198.51.100.254/24 dev wan0
ip -n vnet-gw link set wan0 up
ip netns exec vnet-gw sysctl -q -w net.ipv4.ip_forward=1

# --- the far host, reached through the gateway
ip -n vnet-far link set lo up
ip -n vnet-far addr add 198.51.100.1/24 dev eth0
ip -n vnet-far link set eth0 up
ip -n vnet-far route add default via 198.51.100.254

# --- the neighbour
ip -n vnet-peer link set lo up
ip -n vnet-peer addr add 192.0.2.20/24 dev eth0
ip -n vnet-peer link set eth0 up
ip -n vnet-peer route add default via 192.0.2.1

# --- the script's namespace: loopback up, eth0 addressed and up, default route via the gateway
ip link set lo up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip route add default via 192.0.2.1
