# world: none
# rule: all of 127.0.0.0/8 is local once lo is up (`ping 127.0.0.2` is answered from 127.0.0.2), ping 0.0.0.0 goes to 127.0.0.1, `localhost` resolves to 127.0.0.1 via /etc/hosts; with lo down and no addresses every one fails with "connect: Network is unreachable" (exit 2); `-I lo` works for loopback targets (reference 7.2, 9.6)
ping -c1 -W1 127.0.0.1
ping -c1 -W1 127.1.2.3
ip link set lo up
ping -c1 -W1 127.0.0.1
ping -c1 -W1 127.0.0.2
ping -c1 -W1 127.255.255.254
ping -c1 -W1 0.0.0.0
ping -4 -c1 -W1 localhost
ping -c1 -W1 -I lo 127.0.0.1
ping -c1 -W1 -I 127.0.0.5 127.0.0.1
ip route get 127.0.0.2
ip route show table local
