# world: none
# rule: `ip rule add` inserts after the rules of the same priority, takes one below the second rule's priority when none is given, refuses an identical rule (EEXIST); `del` removes the first rule matching what was given; `flush` keeps only priority 0; `iif` of a missing device prints `[detached]` (net/core/fib_rules.c)
ip rule show
ip rule add from 192.0.2.0/24 table 20
ip rule add to 198.51.100.0/24 lookup 30 pref 100
ip rule add iif vnet0 table 40
ip rule add not from all fwmark 3 table 5
ip rule add unreachable pref 50
ip rule add from 192.0.2.0/24 to 198.51.100.0/24 table 20 pref 10
ip rule add from all table 10 pref 10
ip rule add prohibit pref 12
ip rule add blackhole from 192.0.2.7 pref 13
ip rule add fwmark 0x3/0xff table 7 pref 14
ip rule add not to 203.0.113.0/24 table 8 pref 15
ip rule add tos 0x10 table 9 pref 16
ip rule show
ip -j rule show
ip rule add to 198.51.100.0/24 lookup 30 pref 100
ip rule del pref 50
ip rule del pref 50
ip rule del table 20
ip rule del pref 10
ip rule del from 192.0.2.7
ip rule del prohibit
ip rule list
ip rule add table main pref 5
ip rule add table main pref 5
ip rule frob
ip rule flush
ip rule show
