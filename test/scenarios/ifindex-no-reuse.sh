# world: none
# rule: ifindexes are per namespace and are not reused after a delete: a new device takes the next number after the highest ever handed out (until the counter wraps); failed creations do not use up a number; `index N` asks for a given one (reference 7.3)
ip link add v0 type veth peer name v1
ip -br link
ip -o link show
ip link del v0
ip link add v2 type veth peer name v3
ip -o link show
ip link add link v2 name mv0 type macvlan mode foo
ip link add link v2 name mv0 mtu 99999 type macvlan
ip link add link v2 name mv0 type macvlan
ip -o link show
ip link add v9 index 3 type veth peer name v8 index 2
ip -o link show
ip link add v7 index 6 type veth peer name v6
ip link add v5 index 7 type veth peer name v4 index 100
ip -o link show
ip link add v10 type veth peer name v11
ip -o link show
