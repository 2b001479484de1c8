# world: none
# rule: ping's argument errors and their exit statuses (iputils 20221126): no destination → "ping: usage error: Destination address required" (exit 1); bad numbers → "ping: invalid argument: 'X'" and ranges → "…: out of range: A <= value <= B" (exit 1); `-c 0` is refused; `-t 0` is refused by the kernel (exit 2); garbage after -W/-i is only a warning; unknown option → "ping: invalid option -- 'Z'" + usage (exit 2) (reference 9.6)
ip link set lo up
ping
echo "status $?"
ping -c abc 127.0.0.1
ping -c 0 127.0.0.1
ping -c1 -t 256 127.0.0.1
ping -c1 -t 0 127.0.0.1
ping -c1 -s -1 127.0.0.1
ping -c1 -s abc 127.0.0.1
ping -c1 -w abc 127.0.0.1
ping -c1 -W abc 127.0.0.1
ping -c1 -i abc 127.0.0.1
ping -c1 -I 127.0.0.1
ping -c1 -Z 127.0.0.1
ping -c1 -W1 -t 255 127.0.0.1
