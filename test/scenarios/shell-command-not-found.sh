# world: none
# rule: a lab can run no real program: `command -v` knows only the lab's programs (Debian paths), an unknown command is bash's `NAME: command not found` (127), a missing path `No such file or directory` (127); `ip netns exec` reports `exec of "X" failed` and exits 1 (lib/exec.c), timeout says `failed to run command` and exits 127 (C locale quotes); `exec NAME` of a missing program is `exec: NAME: not found` and ends the script with 127
python9 -c 'print(1)'
echo "status $?"
/usr/bin/vnet-nonexistent
echo "status $?"
ip netns add vnetcnf
ip netns exec vnetcnf python9
echo "status $?"
ip netns exec vnetcnf /usr/bin/vnet-nonexistent arg
timeout 1 python9
echo "status $?"
ip netns exec vnetcnf timeout 1 python9
echo "status $?"
sleep 1x
ip netns del vnetcnf
command -v ip ping tcpdump
command -v python9
echo "status $?"
exec python9
