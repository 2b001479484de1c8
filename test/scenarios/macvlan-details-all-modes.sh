# world: none
# rule: `ip -d link show` of a macvlan prints, after the promiscuity/allmulti/minmtu/maxmtu line, `macvlan mode MODE bcqueuelen 1000 usedbcqueuelen 1000` for every mode (passthru adds nothing more unless nopromisc; source adds `remotes (0)`), and a macvtap prints `macvtap mode …`; `ip -br link` shows `NAME@LOWER`; the kind filter `ip link show type macvlan` lists only macvlans (reference 1.16, 9.2)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add eth1 address 02:00:00:00:01:10 type veth peer name wire1 address 02:00:00:00:01:11
ip link add link eth0 name mv-vepa address 02:00:00:00:00:a1 type macvlan
ip link add link eth0 name mv-bridge address 02:00:00:00:00:a2 type macvlan mode bridge
ip link add link eth0 name mv-private address 02:00:00:00:00:a3 type macvlan mode private
ip link add link eth0 name mv-source address 02:00:00:00:00:a4 type macvlan mode source
ip link add link eth1 name mv-pass type macvlan mode passthru
ip link add link eth0 name mvt0 address 02:00:00:00:00:a5 type macvtap mode bridge
ip -d link show mv-vepa
ip -d link show mv-bridge | grep macvlan
ip -d link show mv-private | grep macvlan
ip -d link show mv-source | grep macvlan
ip -d link show mv-pass
ip -d link show mvt0 | grep macvtap
ip link show type macvlan
ip link show type macvtap
ip -br link show type macvlan
ip link show mv-pass
