# world: default
# requires: 8021q, vconfig
# seed: 003 ("Linux虚拟网络接口"), section "VLAN技术": `vconfig add eth0 2`, `ip link set eth0.2 up`,
#       `vconfig add eth0 3`, `ip link set eth0.3 up` — "creates VLAN 2 named eth0.2 and VLAN 3 named eth0.3".
#
# The article's claims, and what the kernel does (net/8021q, reference section 4):
#   * the names — TRUE: vconfig's default name type is DEV_PLUS_VID_NO_PAD, so `eth0.2`, `eth0.3`.
#   * vconfig is OUTDATED (vlan package, deprecated for years); the iproute2 equivalent is
#     `ip link add link eth0 name eth0.2 type vlan id 2`, used below for the peer.
#   * "hosts in the same VLAN talk directly, different VLANs cannot" — TRUE: with the peer on VLAN 2 only,
#     203.0.113.0/24 on VLAN 2 works and 198.51.100.0/24 on VLAN 3 gets no answer.
#
# Result on Debian 6.1 under qemu (vlan 2.0.5's vconfig, a `sh -e` script over ip), and in vnet: each
#   vconfig call prints a deprecation warning on stderr; `eth0.2@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP>
#   … state UP`, `vlan protocol 802.1Q id 2 <REORDER_HDR>`; ping 203.0.113.20 0% loss; ping
#   198.51.100.20 over eth0.3 (the peer has no VLAN 3): 100% loss.
# Scenarios: vlan-vconfig.sh (names, errors, exit codes), vlan-qos-maps-and-proc.sh

vconfig add eth0 2
ip link set eth0.2 up
vconfig add eth0 3
ip link set eth0.3 up
sleep 1 # under qemu's TCG linkwatch can lag: UNKNOWN instead of UP right after `up`
ip -d link show eth0.2

ip addr add 203.0.113.10/24 dev eth0.2
ip addr add 198.51.100.10/24 dev eth0.3
ip -n vnet-peer link add link eth0 name eth0.2 type vlan id 2
ip -n vnet-peer addr add 203.0.113.20/24 dev eth0.2
ip -n vnet-peer link set eth0.2 up
ping -c1 -W1 203.0.113.20
ping -c1 -W1 198.51.100.20
