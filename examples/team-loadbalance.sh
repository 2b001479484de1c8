# world: default
# requires: team, teamd
# seed: 003 ("Linux虚拟网络接口"), section "接口捆绑：bonded和team":
#       `teamd -o -n -U -d -t team0 -c '{"runner": {"name": "loadbalance"},"link_watch": {"name": "ethtool"}}'`,
#       `ip link set eth0 down`, `ip link set eth1 down`, `teamdctl team0 port add eth0`, `teamdctl team0 port add eth1`.
#
# The default world has one cable; a second one (eth1, switch port sw0p4) is added first.
#
# The article's claims, and what the kernel does (drivers/net/team + teamd):
#   * the ports are brought down before `teamdctl ... port add` — RIGHT, and necessary: the team driver,
#     like bonding, refuses to add a port that is up.
#   * "teaming is the preferred solution" — an opinion; note that upstream teamd is in maintenance mode
#     and bonding is what most distributions recommend again.
#
# Result on Debian 6.1 under qemu (teamd 1.31), and in vnet:
#   teamd prints "This program is not intended to be run as root." and creates team0 (mode loadbalance,
#   tx_hash eth/ipv4/ipv6); a port that is still up is refused (teamdctl: "PortAddFail"); the first port
#   gives team0 its MAC (02:00:00:00:00:10) and the loadbalance mode gives it to every port, so
#   `ip link show master team0` lists eth0 and eth1 both with 02:00:00:00:00:10; teamd turns the carrier
#   on and ping 192.0.2.1 has 0% loss.
# Scenarios: team-teamd-activebackup.sh, team-teamd-runners-and-errors.sh, team-kernel-ports.sh

ip link add eth1 address 02:00:00:00:00:11 type veth peer name sw0p4 address 02:00:00:00:01:04 netns vnet-sw
ip -n vnet-sw link set sw0p4 master sw0 up

teamd -o -n -U -d -t team0 -c '{"runner": {"name": "loadbalance"},"link_watch": {"name": "ethtool"}}'
ip link set eth0 down
ip link set eth1 down
teamdctl team0 port add eth0
teamdctl team0 port add eth1
ip addr flush dev eth0

ip addr add 192.0.2.10/24 dev team0
ip link set team0 up
ip route add default via 192.0.2.1
ip link show master team0
ping -c1 -W1 192.0.2.1
