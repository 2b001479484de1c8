# world: default
# rule: `-W T` is how long to wait for each reply; with no answer `ping -c1 -W1` ends after ~1 s with 100% loss, exit 1; `-w D` is a deadline for the whole run: with an answering host and `-c` it stops at the count, without `-c` it sends until the deadline; `-w` with a silent host ends at the deadline (exit 1) (reference 9.6)
ip link set lo up
ping -c 2 -i 0.2 -w 2 192.0.2.20
ping -i 0.4 -w 1 192.0.2.20
ip neigh add 192.0.2.99 lladdr 02:00:00:00:00:99 dev eth0
ping -c1 -W1 192.0.2.99
ping -c 3 -i 0.2 -W 1 192.0.2.99
ping -i 0.4 -w 1 192.0.2.99
