# world: none
# rule: `mode aaa` is refused by iproute2 itself (exit 1) and the message of iproute2 6.1 also lists "source" — seed 004 quotes an old iproute2 that listed only four modes (reference 1.16, 10.3)
ip link add eth2 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth2 macvlan2 type macvlan mode aaa
ip link add link eth2 macvlan2 type macvlan mode
ip link add link eth2 macvlan2 type macvlan flag aaa
ip link add link eth2 macvlan2 type macvlan help
ip link show macvlan2
