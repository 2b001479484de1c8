# world: default
# rule: `ping -I DEV` binds to the device (header `PING X (X) from SRC DEV: 56(84) bytes of data.`), `-I ADDR` sets the source address (header `from ADDR :`); an address that is not local → "ping: bind: Cannot assign requested address" (exit 2), an unknown device → "ping: SO_BINDTODEVICE nonexist: No such device" (exit 2); `-I lo` to a remote host warns "ping: Warning: source address might be selected on device other than: lo" and loses the packet, and `-I eth0 127.0.0.1` is sent out of eth0 from 192.0.2.10 and lost (with an oif, a failed FIB lookup is treated as on-link: ip_route_output_key_hash_rcu) (reference 9.6)
ping -c1 -W1 -I eth0 192.0.2.20
ping -c1 -W1 -I 192.0.2.10 192.0.2.20
ping -c1 -W1 -I 192.0.2.10 198.51.100.1
ping -c1 -W1 -I lo 192.0.2.20
ping -c1 -W1 -I 192.0.2.77 192.0.2.20
ping -c1 -W1 -I nonexist 192.0.2.20
ping -c1 -W1 -I eth0 127.0.0.1
