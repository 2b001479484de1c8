# world: none
# rule: lab scripts rely on the shell: `$?` holds the last exit status (ip: 1 for "Cannot find device", 2 for kernel errors, 255 for bad arguments), `||`/`&&` chain on it, `if … >/dev/null 2>&1` silences a probe, `!` negates, and after `set -e` the first failing command (outside a condition) ends the script
ip link show nonexist
echo "status $?"
ip link add v0 type veth peer name v0
echo "status $?"
ip link set nonexist frobnicate
echo "status $?"
ip link show nonexist 2>/dev/null || echo "no such device"
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11 && echo created
if ip link show v0 >/dev/null 2>&1; then echo "v0 exists"; else echo "v0 missing"; fi
! ip link show v9 2>/dev/null && echo "v9 absent"
ip addr add 192.0.2.1/24 dev v0 && ip addr add 192.0.2.1/24 dev v0 || echo "second add failed"
for d in v0 v1; do ip link set "$d" up; done
sleep 1.5
ip -br link show type veth
set -e
ip link set v0 down
ip link set nonexist up
echo "never printed"
