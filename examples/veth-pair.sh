# world: none
# seed: 003 ("Linux虚拟网络接口"), "veth" in its list of interfaces (its reference, Red Hat's "Introduction to
#       Linux interfaces for virtual networking", creates `ip link add veth1 netns net1 type veth peer name
#       veth2 netns net2`); seed 002: "veth pair设备: ip a 显示 本设备@对端设备; macvlan设备: ip a 显示
#       本设备@父设备" (a veth shows as self@peer, a macvlan as self@parent).
#
# The articles' claims:
#   * a veth pair is a cable between two namespaces — TRUE: with both ends up and addressed, net1 and net2
#     ping each other.
#   * seed 002's "self@peer" / "self@parent" naming — TRUE only while the other device is in the SAME
#     namespace. When it is in another namespace, iproute2 prints `self@ifN` (N = the other device's
#     ifindex in ITS namespace) and adds `link-netns NAME` (or `link-netnsid ID`) to the link/ether line.
#   * carrier: a veth end has carrier only while both ends are admin-up.
#
# What the real kernel prints (6.18):
#   in the script's namespace: `3: veth0@veth9: ... state UP` (same namespace);
#   in net1: `2: veth1@if2: ... link-netns net2`, in net2: `2: veth2@if2: ... link-netns net1`;
#   with net2's end down: net1's end `<NO-CARRIER,BROADCAST,MULTICAST,UP> ... state DOWN` (not
#   LOWERLAYERDOWN, since the peer is in another namespace); both up: net1 -> 198.51.100.2 0% loss.
#   The macvlan macv1 on veth0: `4: macv1@veth0` here; moved to net1: `4: macv1@if3 ... link-netnsid 1`
#   (the script's namespace has no name, and net1 had already given id 0 to net2).
# Scenarios: test/scenarios/veth-peer-in-other-netns.sh, veth-carrier-follows-peer.sh,
#            veth-ping-across-namespaces.sh, veth-naming-and-ifindex.sh, macvlan-netns-move-link-netns.sh

ip netns add net1
ip netns add net2
ip link add veth1 netns net1 type veth peer name veth2 netns net2
ip -n net1 addr add 198.51.100.1/24 dev veth1
ip -n net2 addr add 198.51.100.2/24 dev veth2
ip -n net1 link set veth1 up
ip -n net1 link show veth1
ip -n net2 link set veth2 up
ip -n net1 link show veth1
ip -n net2 link show veth2
ip netns exec net1 ping -c1 -W1 198.51.100.2

# both ends in the same namespace: self@peer
ip link add veth0 type veth peer name veth9
ip link set veth0 up
ip link set veth9 up
ip link show

# a macvlan: self@parent here, self@ifN once moved
ip link add link veth0 name macv1 type macvlan mode bridge
ip link show macv1
ip link set macv1 netns net1
ip -n net1 link show macv1
