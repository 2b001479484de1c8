# world: none
# requires: team teamd
# rule: teamd (libteam 1.31) with the activebackup runner: creates team0 with mode activebackup, adds the configured ports, the first port gives the team its MAC and every port takes the team's; the port with link and the highest prio is active, a port losing its link counts a down and hands over; `teamdctl team0 state` shows the link watches and the active port, `config dump` the config with teamd's defaults (notify_peers, mcast_rejoin, the ethtool link watch per port); a port removed behind teamd's back leaves its state; `teamd -k` removes the ports and the device
ip link add d0 address 02:00:00:00:00:10 type veth peer name d0p address 02:00:00:00:00:11
ip link add d1 address 02:00:00:00:00:20 type veth peer name d1p address 02:00:00:00:00:21
ip link add d2 address 02:00:00:00:00:30 type veth peer name d2p address 02:00:00:00:00:31
ip link set d0p up
ip link set d1p up
ip link set d2p up
teamd -d -t team0 -c '{"runner":{"name":"activebackup"},"ports":{"d0":{},"d1":{"prio":10}}}'
ls /run/teamd
teamd -e -t team0
teamdctl team0 config dump
teamdctl team0 config dump noports
teamdctl team0 port config dump d1
ip link set team0 up
sleep 1
ip link show team0
ip link show master team0
teamdctl team0 state
teamdctl team0 port present d0
teamdctl team0 port present d0p
ip link set d1p down
sleep 1
teamdctl team0 state view
ip link set d1p up
sleep 1
teamdctl team0 state
ip link set d2 up
teamdctl team0 port add d2
ip link set d2 down
teamdctl team0 port add d2
teamdctl team0 port add nosuch
teamdctl team0 port remove d2
teamdctl team0 port remove d2
ip link show d2
ip link set d0 nomaster
sleep 1
teamdctl team0 state
ip link show d0
teamd -d -t team0 -c '{"runner":{"name":"activebackup"}}' >/dev/null 2>&1
teamd -d -t team0 -c '{"runner":{"name":"activebackup"}}' 2>&1 | grep -v 'Daemon already running on PID'
teamd -t team0 -k
sleep 1
ip link show team0
ip link show d1
ls /run/teamd
teamd -t team0 -k
teamd -e -t team0
