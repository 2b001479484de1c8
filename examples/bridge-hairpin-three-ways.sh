# world: none
# seed: 000 ("Linux 虚拟网卡技术：Macvlan"), section "VEPA": "most switches do not support Hairpin, but a Linux
#       host can act as one with a bridge in hairpin mode": `brctl hairpin br0 eth1 on`, or
#       `bridge link set dev eth0 hairpin on`, or `echo 1 >/sys/class/net/br0/brif/eth1/hairpin_mode`;
#       seed 004 gives the same three commands.
#
# Topology: the script's namespace is the "switch" host with bridge br0 and its port eth1; eth1 is a
# cable (veth) to eth0 of a hypervisor namespace hv, whose two vepa macvlans live in vm1 and vm2.
# Addresses translated to 192.0.2.0/24 (vm1 .1, vm2 .2).
#
# The articles' claims:
#   * the three commands are equivalent — TRUE: they all set the same per-port flag (IFLA_BRPORT_MODE /
#     hairpin_mode), shown by `bridge -d link show` as `hairpin on` and by sysfs as 1.
#   * "after hairpin is configured, traffic between local macvlans is sent back by br0 to the interface"
#     — TRUE: vm1 <-> vm2 (vepa) works only while hairpin is on.
#   * seed 000 says the siblings are otherwise blocked "because of the spanning tree protocol" — WRONG
#     reason: br0 runs with STP off here; a bridge simply never sends a frame back out of its ingress
#     port unless hairpin is on.
#
# What the real kernel prints (6.18):
#   hairpin off (STP off): vm1 -> 192.0.2.2 100% loss; after `brctl hairpin br0 eth1 on`: 0% loss and
#   `hairpin on` in `bridge -d link show dev eth1`; `brctl hairpin br0 eth1 off`: 100% loss again (after
#   flushing the neighbour caches); `bridge link set dev eth1 hairpin on`: 0% loss; off again; `echo 1 >
#   /sys/class/net/br0/brif/eth1/hairpin_mode`: 0% loss, the file reads 1.
# Scenarios: test/scenarios/bridge-hairpin-reflects-vepa.sh, macvlan-bcast-from-vepa-hairpin.sh,
#            macvlan-bcast-from-vepa-no-hairpin.sh

ip link add br0 type bridge
ip netns add hv
ip link add eth1 type veth peer name eth0 netns hv
ip link set eth1 master br0
ip link set eth1 up
ip link set br0 up
ip -n hv link set eth0 up

ip netns add vm1
ip netns add vm2
ip -n hv link add link eth0 name macvlan1 type macvlan mode vepa
ip -n hv link add link eth0 name macvlan2 type macvlan mode vepa
ip -n hv link set macvlan1 netns vm1
ip -n hv link set macvlan2 netns vm2
ip -n vm1 addr add 192.0.2.1/24 dev macvlan1
ip -n vm1 link set macvlan1 up
ip -n vm2 addr add 192.0.2.2/24 dev macvlan2
ip -n vm2 link set macvlan2 up

# no hairpin, no STP: the bridge does not send the frames back
ip -d link show br0 | grep -o 'stp_state [0-9]'
ip netns exec vm1 ping -c1 -W1 192.0.2.2

# 1. brctl
brctl hairpin br0 eth1 on
bridge -d link show dev eth1
ip netns exec vm1 ping -c1 -W1 192.0.2.2
brctl hairpin br0 eth1 off
ip -n vm1 neigh flush all
ip -n vm2 neigh flush all
ip netns exec vm1 ping -c1 -W1 192.0.2.2
# the failed resolution goes on probing (3 probes, 1 s apart): let it end, or the next ping races
# the probe timer (on a busy machine the kernel's reply then comes after -W1)
sleep 3

# 2. iproute2's bridge tool
bridge link set dev eth1 hairpin on
ip netns exec vm1 ping -c1 -W1 192.0.2.2
bridge link set dev eth1 hairpin off
ip -n vm1 neigh flush all
ip -n vm2 neigh flush all

# 3. sysfs
echo 1 >/sys/class/net/br0/brif/eth1/hairpin_mode
cat /sys/class/net/br0/brif/eth1/hairpin_mode
ip netns exec vm1 ping -c1 -W1 192.0.2.2
