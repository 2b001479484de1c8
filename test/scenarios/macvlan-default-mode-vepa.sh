# world: none
# rule: a macvlan created without `mode` is in vepa mode; `ip -d link` prints the mode on its own `    macvlan mode …` line, and the name shows as NAME@LOWER with M-DOWN while the lower is down (reference 1.2 defaults, 1.16, 9.2; seed 004's `ip -d link show macvlan2`)
ip link add eth0 address 02:00:00:00:00:10 type veth peer name wire0 address 02:00:00:00:00:11
ip link add link eth0 name macvlan2 address 02:00:00:00:00:a2 type macvlan
ip -d link show macvlan2
ip link add link eth0 name macvlan3 address 02:00:00:00:00:a3 type macvlan mode bridge
ip -d link show macvlan3
# seed 004's other syntax: the name as a bare word, then options, then the type
ip link add link eth0 FOOMACVLAN address 02:00:00:00:00:a4 type macvlan mode private
ip -d link show FOOMACVLAN
ip link show
