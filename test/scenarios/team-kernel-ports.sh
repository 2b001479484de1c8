# world: none
# requires: team
# rule: without teamd the team device has no mode: it is `<BROADCAST,MULTICAST>` (no MASTER flag), minmtu 68, 16 queues, tso_max_size 65536, carrier off (NO-CARRIER when up) until `carrier on`; team_port_add refuses a port that is up ("Device is up. Set it down before adding it as a team port."), lo, and the team itself, opens the port it takes (no SLAVE flag; `team_slave` in -d), a second `master` to the same team is a no-op and `master team1` moves it; removing the port (nomaster, or deleting the team) closes it (drivers/net/team/team.c)
ip link add team0 address 02:00:00:00:01:00 type team mode x
ip link add team0 address 02:00:00:00:01:00 type team
ip -d link show team0
ip link add d0 address 02:00:00:00:00:10 type veth peer name d0p address 02:00:00:00:00:11
ip link add d1 address 02:00:00:00:00:20 type veth peer name d1p address 02:00:00:00:00:21
ip link set d0 up
ip link set d0 master team0
ip link set lo master team0
ip link set team0 master team0
ip link set d0 down
ip link set d0 master team0
ip link set d0 master team0
ip -d link show d0
ip link add team1 address 02:00:00:00:02:00 type team
ip link set d0 master team1
ip link show master team1
ip link set team0 up
ip link show team0
ip link set team0 carrier on
ip link show team0
ip link set team0 carrier off
ip link show team0
ip link set d0 nomaster
ip link show d0
ip link set d1 master team0
ip link set d1 mtu 1400
ip link set team0 mtu 1300
ip link show d1
ip link set d1 nomaster
ip link show d1
ip link set d0 master team0
ip link del team0
ip link show d0
ip link show team1
