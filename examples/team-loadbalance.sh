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
# Expected result (not runnable here: this machine's kernel has no team driver and teamd is not installed):
#   team0 created by teamd (`-o` take over an existing team0, `-n` start without ports, `-U` enable the
#   UNIX-socket interface that teamdctl talks to, `-d` daemonize);
#   `ip link show master team0` lists eth0 and eth1; with 192.0.2.10/24 moved to team0, ping 192.0.2.1 0% loss.
# Scenarios: TODO team-port-add-requires-down.sh (needs a kernel with team and teamd)

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
