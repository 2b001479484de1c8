# world: none
# rule: `ip link set` attributes: a name in use → "RTNETLINK answers: File exists", `alias` shows as an `alias` line (an empty alias removes it), `txqueuelen` as `qlen`, `address` changes the MAC (multicast → "RTNETLINK answers: Cannot assign requested address", short → "Invalid address length 5 - must be 6 bytes"), `arp off` adds NOARP, `multicast off` removes MULTICAST, mtu out of range → "Error: mtu less than device minimum." / "…greater than device maximum." (exit 2), several attributes in one command; `ip -o link` prints one line per device with `\` separators; on 6.18 a veth can even be renamed while it is up (reference 9.1, 10.1, 10.3)
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip link set v0 name v1
ip link set v0 name uplink
ip link set uplink alias "to the switch"
ip link set uplink txqueuelen 500
ip link set uplink address 02:00:00:00:00:99
ip link set uplink address 01:00:5e:00:00:01
ip link set uplink address 02:00:00:00:00
ip link set uplink up arp off
ip link set uplink multicast off
ip link show uplink
ip -o link show uplink
ip link set uplink arp on multicast on
ip link set uplink mtu 67
ip link set uplink mtu 65536
ip link set uplink mtu 9000 txqueuelen 2000
ip link show uplink
ip -br link show v1
ip link set dev uplink alias ""
ip link show uplink
ip link set v1 up
ip link set v1 name downlink
ip -br link
