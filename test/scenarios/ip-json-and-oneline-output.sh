# world: default
# rule: iproute2's machine-readable forms: `ip -j` prints one JSON array on one line (`ip -j -p` pretty-prints it), for links, addresses, routes and neighbours; `ip -o` prints each object on one line with `\` instead of line breaks; `ip -br -4 addr` the brief table (reference 9.1, 9.3)
ip -j link show eth0
ip -j -4 addr show dev eth0
ip -j route
ip -j -p route show default
ip -j neigh show 192.0.2.99
ip -o -4 addr
ip -br -4 addr
ip -o link show lo
ip -j route get 198.51.100.1
