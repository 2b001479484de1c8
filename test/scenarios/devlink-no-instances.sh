# world: none
# requires: devlink
# rule: without a devlink driver (Debian 6.1 has no netdevsim) devlink dumps are empty (`{"dev":{}}` in JSON), a named instance or port is ENODEV ("kernel answers: No such device"), a port named by a netdevice is not found, a handle without bus/name is refused; usage texts and exit statuses of devlink 6.1
devlink
devlink -V
devlink help
devlink dev help
devlink port help
devlink dev
devlink dev show
devlink -j dev show
devlink -j -p dev show
devlink -p dev show
devlink port
devlink -j port show
devlink dev info
devlink -j dev info
devlink dev info netdevsim/netdevsim10
devlink dev show netdevsim/netdevsim10
devlink dev show foo
devlink dev show pci/0000:01:00.0
devlink port show netdevsim/netdevsim10/0
devlink port show foo
devlink port show eth9
devlink port show lo
devlink foo
devlink dev foo
devlink port foo
devlink -x
devlink dev eswitch show netdevsim/netdevsim10
devlink dev param show
devlink dev reload netdevsim/netdevsim10
devlink sb show
devlink health show
devlink resource show netdevsim/netdevsim10
devlink region show
devlink trap show
devlink rate show
devlink lc show
devlink dev show netdevsim/netdevsim10 extra
devlink -n dev show
modprobe netdevsim
ls /sys/bus/netdevsim
