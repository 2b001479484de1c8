# world: none
# rule: `ip link set DEV type macvlan mode M` changes the mode of an existing macvlan, except to or from passthru (EINVAL); without `mode` the mode is kept; bcqueuelen is per device but usedbcqueuelen is the port maximum (reference 1.10, 1.14)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name mv0 address 02:00:00:00:00:a0 type macvlan
ip link add link eth0 name mv1 address 02:00:00:00:00:a1 type macvlan mode private
ip link set mv0 type macvlan mode bridge
ip -d link show mv0
ip link set mv0 type macvlan mode passthru
ip link set mv0 type macvlan bcqueuelen 2000
ip -d link show mv0
ip -d link show mv1
ip link set mv1 type macvlan mode source
ip -d link show mv1
ip link set mv1 type macvlan mode vepa bcqueuelen 10
ip -d link show mv1
ip link set mv0 type macvlan bcqueuelen 100
ip -d link show mv1
