# world: none
# rule: tun/tap devices have no node of their own: every one is opened through the clone device /dev/net/tun (`crw------- 1 root root 10, 200`, misc major 10, TUN_MINOR 200), which answers EBADFD to read/write before TUNSETIFF; a macvtap does get /dev/tapIFINDEX (dynamic major 246 here, minors from 1). sysfs lists the namespace's devices as symlinks into ../../devices/virtual/net, and a tun device's tun_flags/owner/group are 0444 files of 4096 bytes. `ls -l` long format: columns padded per listing, `MAJOR, MINOR` in the size column, `total` above a directory; dates are left out here (--time-style=+) because the kernel's are wall-clock (drivers/net/tun.c, drivers/net/macvtap.c, coreutils ls)
ip tuntap add tap1 mode tap
ls /dev/net
ls -l --time-style=+ /dev/net/tun
ls -l --time-style=+ /dev/net
ls -ld --time-style=+ /dev/net
ls -l --time-style=+ /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/net/tun
test -c /dev/net/tun && echo "/dev/net/tun is a character device"
cat /dev/net/tun
ls -l --time-style=+ /sys/class/net/tap1/tun_flags /sys/class/net/tap1/owner /sys/class/net/tap1/group /sys/class/net/tap1/mtu
ls -l --time-style=+ /sys/class/net
ls -ld --time-style=+ /sys/class/net
ls -l --time-style=+ /sys/class/net/tap1
ls -n --time-style=+ /dev/net/tun
ip link add eth1 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth1 name mvt0 address 02:00:00:00:00:a0 type macvtap
cat /sys/class/net/mvt0/ifindex
ls -l --time-style=+ /dev/tap5
ls -l --time-style=+ /sys/class/net/mvt0/tap5
ls -l /nonexistent
ls -y
ls --bogus
