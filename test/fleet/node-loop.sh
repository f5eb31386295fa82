#!/usr/bin/env bash
# Supervisor of one fleet node (started by lib.sh node_start; not for direct use).
#
# Moves itself into the node's own cgroups, then boots the node with systemd-nspawn and boots it again
# whenever the guest asks for a reboot (exit code 133), until $DIR/stop exists or nspawn exits otherwise.
# Usage: node-loop.sh NAME DIR BRIDGE      (DIR holds merged/ — the node's mounted overlay — and the pid files)
set -uo pipefail
name=$1 dir=$2 bridge=$3

echo $$ > "/sys/fs/cgroup/systemd/tsplay-$name/cgroup.procs"
echo $$ > "/sys/fs/cgroup/unified/tsplay-$name/cgroup.procs"
export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1

boots=0
while [ ! -e "$dir/stop" ]; do
  boots=$((boots + 1))
  echo "=== node-loop: boot $boots of $name at $(date -Is)"
  systemd-nspawn --quiet --boot --register=no --keep-unit --machine="$name" --hostname="$name" \
    --directory="$dir/merged" --network-bridge="$bridge" --resolv-conf=copy-host --timezone=off \
    --link-journal=no --console=read-only &
  echo $! > "$dir/nspawn.pid"
  wait $!
  rc=$?
  echo "=== node-loop: nspawn exited with $rc"
  [ "$rc" = 133 ] || break
done
rm -f "$dir/nspawn.pid"
