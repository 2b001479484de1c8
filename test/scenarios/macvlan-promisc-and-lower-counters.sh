# world: none
# rule: `ip link set MV promisc on` shows PROMISC on the macvlan and raises the lower's promiscuity counter by one while the macvlan is up (no PROMISC flag on the lower); allmulticast likewise; a macvlan's own `ip -d link` shows promiscuity 1 (reference 1.3, 13.2)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link set eth0 up
ip link add link eth0 name mv0 address 02:00:00:00:00:a1 type macvlan mode bridge
ip -d link show eth0 | grep -o 'promiscuity [0-9]*'
ip link set mv0 promisc on
ip link show mv0
ip -d link show eth0 | grep -o 'promiscuity [0-9]*'
ip link set mv0 up
ip link show mv0
ip -d link show mv0 | grep -o 'promiscuity [0-9]*'
ip -d link show eth0 | grep -o 'promiscuity [0-9]*'
ip link show eth0
ip link set mv0 allmulticast on
ip -d link show eth0 | grep -o 'allmulti [0-9]*'
ip link show mv0
ip link set mv0 down
ip -d link show eth0 | grep -o 'promiscuity [0-9]*'
ip -d link show eth0 | grep -o 'allmulti [0-9]*'
ip link set mv0 promisc off
ip link set mv0 up
ip -d link show eth0 | grep -o 'promiscuity [0-9]*'
