# world: none
# rule: a fresh namespace's conf trees are not all alike: ipv4 all.accept_source_route 0 but default (and every device, lo included) 1; ipv6 all.accept_dad 0, default 1, lo -1; lo has disable_policy/disable_xfrm 1, ipv6 use_tempaddr -1 and mtu 65536; a new device copies default, including the IPv6 knobs a script may set (use_tempaddr, keep_addr_on_down, proxy_ndp, accept_ra_defrtr, router_solicitations) (net/ipv4/devinet.c ipv4_devconf vs ipv4_devconf_dflt, net/ipv6/addrconf.c)
for k in accept_source_route disable_policy disable_xfrm rp_filter; do sysctl net.ipv4.conf.all.$k net.ipv4.conf.default.$k net.ipv4.conf.lo.$k; done
for k in accept_dad use_tempaddr mtu keep_addr_on_down; do sysctl net.ipv6.conf.all.$k net.ipv6.conf.default.$k net.ipv6.conf.lo.$k; done
ip link add vnet0 type veth peer name vnet1
sysctl net.ipv4.conf.vnet0.accept_source_route net.ipv6.conf.vnet0.accept_dad net.ipv6.conf.vnet0.use_tempaddr
sysctl -w net.ipv6.conf.default.use_tempaddr=2 net.ipv6.conf.all.proxy_ndp=1
ip link add vnet2 type veth peer name vnet3
sysctl net.ipv6.conf.vnet2.use_tempaddr net.ipv6.conf.vnet0.use_tempaddr net.ipv6.conf.vnet2.proxy_ndp
sysctl net.ipv6.conf.vnet0.accept_ra_defrtr net.ipv6.conf.vnet0.router_solicitations net.ipv6.conf.vnet0.max_addresses
