# world: none
# rule: `ip tuntap` add/del are ioctls on /dev/net/tun (errors `ioctl(TUNSETIFF): …`, exit 1): add always sets IFF_TUN_EXCL, so any existing name is EBUSY; del attaches first, so the wrong mode or multi_queue setting is EINVAL, and a name that does not exist is created and deleted at once (exit 0, an ifindex used up); without a name the kernel picks tun%d/tap%d. `show` (also `list`, `lst`, `ip tap`, no command) ignores its arguments and prints `NAME: tun|tap [pi] [one_queue] [multi_queue] [vnet_hdr] [persist] [filter] [user N] [group N]` in ifindex order — `filter` comes with `pi` (IFF_NOFILTER == IFF_NO_PI); sysfs has tun_flags/owner/group; `ip link add … type tun` is refused by tun_validate (iproute2 6.1 ip/iptuntap.c, drivers/net/tun.c)
ip tuntap add tap1 mode tap
ip tuntap add dev tun1 mode tun user 4242 group 100 pi vnet_hdr one_queue multi_queue
ip tuntap add name tap2 mode tap vnet_hdr user nobody group nogroup
ip tuntap add tap3 mode tap user root group root
ip tuntap add mode tun
ip tuntap add dev vnet%d mode tap
ip tuntap show
ip tuntap
ip tap list
ip -j tuntap show
ip -d tuntap show
ip -d link show tun1
ip -d link show tun0
ip link show type tun
cat /sys/class/net/tun1/tun_flags /sys/class/net/tun1/owner /sys/class/net/tun1/group
cat /sys/class/net/tap2/tun_flags /sys/class/net/tap2/owner /sys/class/net/tap2/group
cat /sys/class/net/tap1/tun_flags /sys/class/net/tap1/owner /sys/class/net/tap1/group
cat /sys/class/net/tap1/uevent
ls /sys/class/net/tap1 | grep -e '^tun_flags$' -e '^owner$' -e '^group$'
ip tuntap add tap1 mode tap
ip tuntap add tap1 mode tun
ip link add veth0 address 02:00:00:00:00:10 type veth peer name veth1 address 02:00:00:00:00:11
ip tuntap add veth0 mode tap
ip tuntap del veth0 mode tap
ip tuntap del dev tap1 mode tun
ip tuntap del dev tun1 mode tun
ip tuntap del dev nosuch mode tap
ip tuntap add tap4 mode tap
cat /sys/class/net/tap4/ifindex
ip tuntap add dev tapx
ip tuntap add dev tapx mode foo
ip tuntap add dev tapx mode tap mode tun
ip tuntap add dev tapx mode tap user nosuchuser
ip tuntap add dev tapx mode tap group nosuchgroup
ip tuntap add dev abcdefghijklmnopq mode tap
ip tuntap add tapa tapb mode tap
ip tuntap add dev bad:name mode tap
ip tuntap add mode
ip tuntap foo
ip tuntap help
ip link add t0 type tun
ip link add t0 type tap
ip tuntap del dev tun1 mode tun multi_queue
ip tuntap d tap3 mode ta
ip link del tap2
ip tuntap show
