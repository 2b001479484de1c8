# world: none
# rule: `ip tuntap add` is TUNSETIFF + TUNSETPERSIST + close(): it leaves a persistent tap that no process has open, so it has NO carrier — up, it is `<NO-CARRIER,BROADCAST,MULTICAST,UP> … qdisc pfifo_fast state DOWN … qlen 1000` (a tun: `<NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP>`, `link/none`, qlen 500), and as a bridge port it stays disabled; `ip -d link` shows `tun type tap pi off vnet_hdr off persist on`, maxmtu 65521 (tap) / 65535 (tun), tso_max_size 65536; `ip link set DEV carrier off` is accepted (tun has ndo_change_carrier); a tap can change its MAC, a tun cannot (seed 003 "tap1 master br0"; drivers/net/tun.c)
ip tuntap add tap1 mode tap
ip link set tap1 address 02:00:00:00:00:a1
ip link show tap1
ip -d link show tap1
ip link set tap1 up
ip link show tap1
cat /sys/class/net/tap1/carrier
cat /sys/class/net/tap1/operstate
ip tuntap add tun0 mode tun
ip link set tun0 address 02:00:00:00:00:a2
ip link set tun0 up
ip addr add 198.51.100.1/24 dev tun0
ip addr show tun0
ip -d link show tun0
ip link set tun0 mtu 65535
ip link set tap1 mtu 65522
ip link set tap1 mtu 65521
ip link set tap1 carrier off
ip link add br0 address 02:00:00:00:00:b0 type bridge
ip link set tap1 master br0
ip link set tun0 master br0
ip link set br0 up
sleep 1.5
ip link show tap1
ip link show br0
cat /sys/class/net/tap1/brport/state
ping -c1 -W1 198.51.100.2
