# world: default
# requires: kmod
# seed: 002 ("linux虚拟网络之macvlan设备", cnblogs), introduction: "macvlan is supported by kernels v3.9-3.19
#       and 4.0+ ... it usually exists as a kernel module": `modprobe macvlan` ("load macvlan; can be used to
#       tell whether the system supports macvlan"), `lsmod | grep macvlan` ("confirm it is loaded").
#
# The article's claims:
#   * "supported in v3.9-3.19 and 4.0+" — WRONG history: the driver appeared in Linux 2.6.23 (2007) and got
#     its vepa/bridge/private modes in 2.6.33 (passthru and, in 2014, source came later). 3.9 and 4.0 are
#     Docker's minimum kernel versions for its macvlan and ipvlan network drivers, not kernel history.
#   * `lsmod | grep macvlan` tells whether it is loaded — ONLY when macvlan is built as a module. With
#     CONFIG_MACVLAN=y (this machine: CONFIG_MODULES is off altogether, no modprobe, no lsmod, no
#     /proc/modules) nothing is listed although macvlan works. The reliable test is to create one.
#
# What this machine prints (6.18 with macvlan built in, no kmod): `modprobe: command not found`,
# `lsmod: command not found`; `ip link add link eth0 name macvlan0 type macvlan` succeeds and
# `ip -d link show macvlan0` shows `macvlan mode vepa`. On a distribution kernel with kmod, modprobe is
# silent (exit 0) and lsmod lists `macvlan` once it is loaded (or once a macvlan is created: the kernel
# autoloads the module for `type macvlan` through the rtnl-link-macvlan alias).
# Scenarios: TODO macvlan-create-proves-support.sh (macvlan-create-errors.sh covers creation)

modprobe macvlan
lsmod | grep macvlan
ip link add link eth0 name macvlan0 type macvlan
ip -d link show macvlan0
ip link del macvlan0
