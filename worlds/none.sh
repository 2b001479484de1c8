# The empty world: nothing runs before the script. The script starts alone in a fresh network
# namespace that holds only `lo`, DOWN and without addresses (exactly like `unshare --net` or a new
# `ip netns add` namespace).
