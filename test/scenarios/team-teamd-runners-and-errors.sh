# world: none
# requires: team teamd
# rule: teamd's config defaults per runner (none → roundrobin; loadbalance gets tx_hash eth/ipv4/ipv6; broadcast and random nothing), jansson's parse errors ("Failed to parse config: … on line 1, column N" + "Failed to load config.", exit 1, before the root warning), a team device that exists without -o (`Daemon process failed.` / `Failed: File exists`), an unknown runner (`Failed: Invalid argument`), teamdctl on a device without daemon ("Failed to connect using all CLIs"), on a missing device, and its usage errors
teamd -h
teamd -x
teamd -d -t team3 -c 'garbage'
teamd -d -t team3 -c '{"runner":{"name":"activebackup"}'
teamd -d -t team3 -c '[1]'
teamd -d -t team3 -c '{"runner":{"name":"nope"}}'
teamd -d -t team3 -f /nonexistent
ip link show team3
teamd -d -t team1 -c '{"runner":{"name":"loadbalance"}}'
teamdctl team1 state
teamdctl team1 config dump
teamdctl -o team1 config dump
teamd -d -t team6 -c '{"runner":{"name":"broadcast"}}'
teamdctl team6 config dump
teamd -d -t team7 -c '{"runner":{"name":"random"}}'
teamdctl team7 config dump actual
teamd -d -t team9 -c '{}'
teamdctl team9 state
teamdctl team9 config dump
ip link add team2 address 02:00:00:00:02:00 type team
teamdctl team2 state
teamd -d -t team2 -c '{"runner":{"name":"roundrobin"}}'
teamd -d -o -t team2 -c '{"runner":{"name":"roundrobin"}}'
teamdctl team2 state
teamd -d -t team2 -c '{"runner":{"name":"roundrobin"}}' >/dev/null 2>&1
teamd -d -t team2 -c '{"runner":{"name":"roundrobin"}}' 2>&1 | grep -v 'Daemon already running on PID'
teamd -t team2 -k
sleep 1
ip link show team2
teamdctl nosuch state
teamdctl
teamdctl team1 bogus
teamdctl team1 port add
teamdctl team1 sta
teamd -t team1 -k
teamd -t team6 -k
teamd -t team7 -k
teamd -t team9 -k
sleep 1
ip link show
