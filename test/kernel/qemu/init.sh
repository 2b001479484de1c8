#!/usr/lib/vnet/busybox sh
# /init of the qemu oracle's initramfs (see image.ts, qemu-runner.ts). Run by busybox's sh as PID 1.
#
# 1. mounts /proc, /sys, /dev, /run, /tmp; loads the modules listed in modules.load, if any (modprobe
#    -a: kmod takes the dependency order from modules.dep); applies the host's sysctls (sysctl.conf);
# 2. runs every job in /vnet/run/*/ (appended to the initramfs by the runner), one at a time, each
#    exactly as the host runner runs a scenario: `unshare --net --mount --pid --fork --kill-child
#    --mount-proc --propagation private bash --norc --noprofile -c PROGRAM NAME`, under `timeout`.
#    Drivers load on demand, as on a Debian machine (`ip link add … type vlan` makes the kernel run
#    /sbin/modprobe rtnl-link-vlan); after each job every module loaded since boot is unloaded again,
#    so each scenario sees the machine as freshly booted, whatever ran before it (a loaded bonding
#    module, for one, adds /sys/class/net/bonding_masters to every namespace) — except for a module
#    that cannot be unloaded at all (vrf, see unload());
# 3. writes the result files of each job to the second serial port (/dev/ttyS1, a file on the host):
#    one line `@@T JOB BASE64-OF-A-TAR-OF-THEM` (one tar and one base64 per job: under TCG every exec
#    costs tens of ms, so one per file would take seconds), then `@@J JOB EXIT MILLISECONDS`;
#    `@@END` after the last job;
# 4. powers the machine off.
# Busybox applets are called through $BB only; the scenarios see the real Debian binaries only.

BB=/usr/lib/vnet/busybox
export PATH=/usr/sbin:/usr/bin
$BB mount -t proc proc /proc
$BB mount -t sysfs sysfs /sys
$BB mount -t devtmpfs devtmpfs /dev
$BB mount -t tmpfs -o mode=0755 tmpfs /run
$BB mount -t tmpfs -o mode=1777 tmpfs /tmp
$BB hostname vnet-qemu

ms() { read -r up _ </proc/uptime; echo $(( ${up%.*} * 1000 + 1${up#*.}0 - 1000 )); }
log() { echo "vnet-init: $*" >/dev/console; }
log "userspace at $(ms) ms"

OUT=/dev/ttyS1
$BB stty -F $OUT raw -echo 115200 2>/dev/null
exec 3>$OUT

# the static device nodes of modules not loaded yet (what `kmod static-nodes` does on Debian:
# /dev/net/tun exists before tun is loaded, and opening it loads the module). Mode 0600, as devtmpfs
# makes them and as the host runner's machine shows them (systemd-tmpfiles would make net/tun 0666).
KVER=$($BB uname -r)
while read -r mod node spec; do
  case "$mod" in '#'*|'') continue ;; esac
  type=${spec%%[0-9]*}; nums=${spec#?}; maj=${nums%%:*}; min=${nums#*:}
  $BB mkdir -p "/dev/${node%/*}"
  [ -e "/dev/$node" ] || $BB mknod -m 0600 "/dev/$node" "$type" "$maj" "$min"
done <"/usr/lib/modules/$KVER/modules.devname"

PRELOAD=$($BB cat /usr/lib/vnet/modules.load)
[ -n "$PRELOAD" ] && { /usr/sbin/modprobe -a $PRELOAD || log "modprobe failed"; }
BASE=" $($BB cut -d' ' -f1 /proc/modules | $BB tr '\n' ' ') "

# unloads the modules loaded since boot. The job's namespaces die asynchronously after its last
# process: cleanup_net (a workqueue) unregisters their devices, and until it has, a driver whose
# devices are still going away is "in use". So: retry for at most UNLOAD_WAIT_MS; after a first
# `modprobe -r -a`, one modprobe per module (one refused module must not keep the others loaded).
# A module with an init but no exit function can never be unloaded (/proc/modules marks it
# [permanent]; Debian 6.1's vrf): it is reported once, then counts as part of the base set, and
# qemu-runner.ts puts the scenarios that may load it at the end of the batch.
UNLOAD_WAIT_MS=30000
unload() {
  u0=$(ms)
  ui=0
  while :; do
    extra=
    perm=
    while read -r m _ _ users _; do
      case "$BASE" in *" $m "*) continue ;; esac
      case "$users" in *'[permanent]'*) perm="$perm $m" ;; *) extra="$extra $m" ;; esac
    done </proc/modules
    if [ -n "$perm" ]; then
      BASE="$BASE${perm# } "
      log "job $1: cannot unload$perm (no exit function): the rest of this boot has it loaded"
      echo "@@W $1 module(s) that cannot be unloaded (no exit function) stay loaded for the rest of the boot:$perm" >&3
    fi
    if [ -z "$extra" ]; then
      [ $ui -gt 1 ] && log "job $1: modules unloaded after $(( $(ms) - u0 )) ms"
      return 0
    fi
    [ $(( $(ms) - u0 )) -ge $UNLOAD_WAIT_MS ] && break
    if [ $ui -eq 0 ]; then /usr/sbin/modprobe -r -a $extra 2>/dev/null
    else for m in $extra; do /usr/sbin/modprobe -r "$m" 2>/dev/null; done
    fi
    ui=$((ui + 1))
    [ $ui -gt 1 ] && $BB sleep 0.1
  done
  why=
  for m in $extra; do why="$why $m=$($BB cat /sys/module/$m/refcnt 2>/dev/null)"; done
  log "job $1: could not unload in $UNLOAD_WAIT_MS ms (use counts:$why)"
  # not waited for again after every later job: they count as loaded from now on
  BASE="$BASE${extra# } "
  echo "@@W $1 modules still loaded after the job (and for the rest of the boot):$extra" >&3
}
while IFS='=' read -r k v; do
  [ -n "$k" ] && /usr/sbin/sysctl -q -w "$k=$v"
done </usr/lib/vnet/sysctl.conf
log "ready at $(ms) ms"
echo "@@BOOT $(ms)" >&3

for D in /vnet/run/*; do
  [ -d "$D" ] || continue
  J=${D##*/}
  read -r NAME <"$D/name"
  read -r T <"$D/timeout"
  $BB mkdir -p "$D/work"
  t0=$(ms)
  cd "$D"
  /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C LANG=C TERM=dumb \
    HOME=/root USER=root LOGNAME=root SHELL=/bin/bash __vnet_setup="$D/setup.sh" \
    /usr/bin/timeout -s KILL "$T" \
    /usr/bin/unshare --net --mount --pid --fork --kill-child --mount-proc --propagation private \
    /usr/bin/bash --norc --noprofile -c "$($BB cat "$D/prog.sh")" "$NAME" </dev/null >"$D/shell.out" 2>&1 3>&-
  rc=$?
  t1=$(ms)
  cd /
  $BB rm -rf "$D/setup.sh" "$D/prog.sh" "$D/world.sh" "$D/name" "$D/timeout" "$D/work"
  printf '@@T %s ' "$J" >&3
  $BB tar -C "$D" -cf - . | /usr/bin/base64 -w0 >&3
  echo >&3
  echo "@@J $J $rc $((t1 - t0))" >&3
  unload "$J"
  log "job $J: exit $rc, ran $t0..$t1 ms, results written and modules unloaded at $(ms) ms"
  $BB rm -rf "$D"
done
echo "@@END $(ms)" >&3
exec 3>&-
log "done at $(ms) ms"
$BB sync
$BB poweroff -f
