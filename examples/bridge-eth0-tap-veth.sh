# world: default
# seed: 003 ("Linux虚拟网络接口", csulrong), section "虚拟网桥 (bridge)": `ip link add br0 type bridge`, then
#       `ip link set eth0|tap1|tap2|veth1 master br0` — the host's NIC, two VM taps and a namespace's veth
#       on one bridge.
#
# The article's commands stop there; a user who types them on a host whose eth0 carries its address
# finds out what the article does not say:
#   * once eth0 is a bridge port, every frame it receives is consumed by the bridge; the address left
#     on eth0 stops working (the gateway's ARP reply goes up to br0, not to eth0, so eth0's neighbour entry
#     never resolves). The address (and default route) must move to br0.
#   * a tap made with `ip tuntap add` has no carrier until a program (a VM) opens it: as a port it
#     stays `disabled`, `NO-CARRIER ... state DOWN`.
#   * the namespace behind veth1 is on the LAN through br0 and eth0 (same broadcast domain).
#   * "Linux bridge supports STP, VLAN filter and multicast snooping" — TRUE in general; this machine's
#     kernel has no CONFIG_BRIDGE_VLAN_FILTERING (`vlan_filtering 1` -> "Operation not supported").
#
# What the real kernel prints (6.18, default world):
#   after `ip link set eth0 master br0` (br0 up, address still on eth0): ping 192.0.2.1 100% loss,
#   `192.0.2.1 INCOMPLETE` on eth0;
#   after moving 192.0.2.10/24 and the default route to br0: 0% loss to 192.0.2.1 and 198.51.100.1;
#   `bridge link show`: eth0 and veth1 `state forwarding`, tap1/tap2 `<NO-CARRIER,...,UP> ... state disabled`;
#   note its odd names `2: eth0@tap1` and `5: veth1@eth0`: `bridge` prints a port's iflink (the veth
#   peer's ifindex in the peer's own namespace) as whatever device has that index HERE;
#   `brctl show`: `br0  8000.020000000010  no  eth0 tap1 tap2 veth1` (br0 took the smallest port MAC);
#   `ip link show tap1`: `NO-CARRIER ... state DOWN`; net1 (192.0.2.30 behind veth1) -> 192.0.2.1: 0% loss.
# Scenarios: test/scenarios/bridge-link-show-format.sh, bridge-carrier-operstate.sh, bridge-mac-smallest-port.sh;
#            TODO bridge-port-address-stops-working.sh, tuntap-no-carrier-until-opened.sh

# the VMs' taps and the namespace's veth
ip tuntap add tap1 mode tap
ip tuntap add tap2 mode tap
ip netns add net1
ip link add veth1 type veth peer name eth0 netns net1
ip -n net1 addr add 192.0.2.30/24 dev eth0
ip -n net1 link set eth0 up
ip -n net1 route add default via 192.0.2.1

# the article's commands
ip link add br0 type bridge
ip link set eth0 master br0
ip link set tap1 master br0
ip link set tap2 master br0
ip link set veth1 master br0
ip link set br0 up
ip link set tap1 up
ip link set tap2 up
ip link set veth1 up

# the address left on eth0 no longer works
ping -c1 -W1 192.0.2.1
ip neigh show dev eth0

# move it to the bridge
ip addr del 192.0.2.10/24 dev eth0
ip addr add 192.0.2.10/24 dev br0
ip route add default via 192.0.2.1
ping -c1 -W1 192.0.2.1
ping -c1 -W1 198.51.100.1

bridge link show
ip link show tap1
brctl show

# the namespace behind veth1 is on the LAN
ip netns exec net1 ping -c1 -W1 192.0.2.1
ip netns exec net1 ping -c1 -W1 192.0.2.10
