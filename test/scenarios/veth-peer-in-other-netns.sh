# world: none
# rule: when the peer is in another namespace the end shows as NAME@ifN (N = the peer's ifindex in its own namespace) with ` link-netns NAME` (or ` link-netnsid ID` for an unnamed namespace) and never M-DOWN; UP with the peer down is `state DOWN` there, not LOWERLAYERDOWN; `peer name X netns NS` creates the peer directly in NS (reference 6 naming, 7.3, 9.1)
ip netns add vnet-b
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
# let the kernel's linkwatch settle (it is rate-limited to once a second machine-wide), so the stored operstate does not depend on other activity
sleep 1.5
ip link set v1 netns vnet-b
ip link show v0
ip -n vnet-b link show v1
ip link set v0 up
ip link show v0
ip -n vnet-b link set v1 up
ip link show v0
ip -n vnet-b link show v1
ip addr add 192.0.2.1/24 dev v0
ip -n vnet-b addr add 192.0.2.2/24 dev v1
ip -4 addr show v0
ip -n vnet-b -4 addr show v1
ping -c1 -W1 192.0.2.2
ip link add w0 address 02:00:00:00:00:20 type veth peer name w1 address 02:00:00:00:00:21 netns vnet-b
ip link show w0
ip -n vnet-b link show w1
ip netns list
