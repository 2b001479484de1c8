# world: default
# rule: `ping -c N -i 0.2` sends N echo requests 0.2 s apart, numbered icmp_seq=1..N, and the statistics line counts them; `-q` prints only the header and the statistics; `-n` changes nothing for numeric targets; a reply through the gateway shows ttl=63 (reference 9.6)
ping -c 3 -i 0.2 192.0.2.20
ping -q -c 2 -i 0.2 192.0.2.20
ping -c2 -i0.2 -q 198.51.100.1
ping -n -c 1 192.0.2.1
ping -c 2 -i 0.2 198.51.100.254
