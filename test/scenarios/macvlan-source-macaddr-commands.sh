# world: none
# rule: source-mode macvlans keep a list of remote MACs: `macaddr add` (duplicate is a no-op), `del` (missing is a silent no-op), `set` (replace the list), `flush`; `ip -d link` prints `remotes (N) …` after usedbcqueuelen; `macaddr` on a non-source macvlan → EINVAL; leaving source mode flushes the list (reference 1.9, 1.14, 1.16)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name src0 address 02:00:00:00:00:a1 type macvlan mode source macaddr add 02:00:00:00:00:aa
ip -d link show src0
ip link set src0 type macvlan macaddr add 02:00:00:00:00:bb
ip link set src0 type macvlan macaddr add 02:00:00:00:00:aa
ip -d link show src0
ip link set src0 type macvlan macaddr del 02:00:00:00:00:aa
ip link set src0 type macvlan macaddr del 02:00:00:00:00:cc
ip -d link show src0
ip link set src0 type macvlan macaddr set 02:00:00:00:00:c1 02:00:00:00:00:c2 02:00:00:00:00:c3
ip -d link show src0
ip link set src0 type macvlan macaddr flush
ip -d link show src0
ip link set src0 type macvlan macaddr set 02:00:00:00:00:d1
ip link set src0 type macvlan mode vepa
ip -d link show src0
ip link set src0 type macvlan macaddr add 02:00:00:00:00:d2
ip link set src0 type macvlan mode source
ip -d link show src0
ip link add link eth0 name src1 address 02:00:00:00:00:a2 type macvlan mode source macaddr foo 02:00:00:00:00:aa
ip link add link eth0 name src1 address 02:00:00:00:00:a2 type macvlan mode source macaddr add zz:zz
