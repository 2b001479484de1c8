# world: default
# rule: `ip route get` prints the route the kernel would use: `ADDR via GW dev D src S uid 0` + `    cache ` for a forwarded destination, `ADDR dev D src S` on-link, `local ADDR dev lo …` + `cache <local>` for own addresses, `broadcast …` + `cache <local,brd>` for the subnet and the limited broadcast (no `via` even with a default route), `multicast 224.0.0.5 dev eth0 src … rt_offload_failed uid 0` + `cache <mc>` (RTCF_MULTICAST leaks into rtm_flags and iproute2 6.1 names that bit rt_offload_failed), `oif lo` gives `cache <local>`, `from A` and `oif D` constrain it, a source that is not local is still accepted; no route → "RTNETLINK answers: Network is unreachable" (reference 9.5)
ip route get 198.51.100.1
ip route get 192.0.2.20
ip route get 192.0.2.10
ip route get 127.0.0.1
ip route get 192.0.2.255
ip route get 255.255.255.255
ip route get 198.51.100.1 from 192.0.2.10
ip route get 192.0.2.20 oif eth0
ip route get to 203.0.113.9
ip route get 224.0.0.5
ip route del default
ip route get 203.0.113.9
ip route get 192.0.2.20 oif lo
ip route get 10.0.0.1.5
ip route get
