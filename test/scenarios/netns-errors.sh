# world: none
# rule: iproute2's namespace errors: adding an existing name → "Cannot create namespace file … File exists" (exit 1), deleting a missing one → "Cannot remove namespace file …" (exit 1), `ip -n`/`ip netns exec` on a missing one → "Cannot open network namespace" (exit 255), `link set … netns` to a missing one → invalid "netns" value (exit 255), lo cannot move ("The interface netns is immutable", exit 2), a name taken in the target → EEXIST (reference 7.3)
ip netns add vnet-a
ip netns add vnet-a
ip netns del vnet-zz
ip -n vnet-zz link show
ip netns exec vnet-zz ip link show
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip link set v0 netns vnet-zz
ip link set lo netns vnet-a
ip -n vnet-a link add v0 address 02:00:00:00:00:20 type veth peer name v9 address 02:00:00:00:00:21
ip link set v0 netns vnet-a
ip netns list
ip netns del vnet-a
ip netns list
ip -br link
