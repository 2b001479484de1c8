# world: default
# rule: the default world gives the script a working LAN: eth0 192.0.2.10/24 on a Linux-bridge switch with the gateway 192.0.2.1 and a neighbour 192.0.2.20 (ttl=64), and the far host 198.51.100.1 behind the gateway (ttl=63); lo is up (worlds/default.sh)
ip -4 addr
ip route
ping -c1 -W1 192.0.2.1
ping -c1 -W1 192.0.2.20
ping -c1 -W1 198.51.100.1
ping -c1 -W1 192.0.2.10
ip neigh show 192.0.2.1
ip netns list
ip -n vnet-sw link show sw0
bridge -n vnet-sw link show
ip netns exec vnet-gw sysctl net.ipv4.ip_forward
ip -n vnet-far route
