# world: none
# rule: bridge-utils: `brctl addbr/addif/delif/delbr/show/showmacs/stp/setageing/setfd/hairpin` drive the same kernel bridge as `ip link`; `brctl show` lists ports one per line under the bridge, `showmacs` sorts by MAC with `is local?`; errors: adding an existing bridge ("device br0 already exists; can't create bridge with the same name"), deleting an up bridge, a missing interface (reference 5.1, 5.5)
brctl addbr br0
brctl addbr br0
ip link add p1 address 02:00:00:00:01:01 type veth peer name q1 address 02:00:00:00:00:01
ip link add p2 address 02:00:00:00:01:02 type veth peer name q2 address 02:00:00:00:00:02
brctl addif br0 p1
brctl addif br0 p2
brctl addif br0 nonexist
brctl show
brctl stp br0 on
brctl setfd br0 3
brctl setageing br0 60
ip -d link show br0 | grep -o 'stp_state [0-9]* \|forward_delay [0-9]* \|ageing_time [0-9]* '
brctl hairpin br0 p1 on
cat /sys/class/net/br0/brif/p1/hairpin_mode
brctl show br0
brctl showmacs br0
ip link set br0 up
brctl delbr br0
brctl delif br0 p2
brctl show
ip link set br0 down
brctl delbr br0
brctl show
brctl delbr br0
ip link show p1
