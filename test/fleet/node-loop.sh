#!/usr/bin/env bash
# Supervisor of one fleet node (started by lib.sh node_start; not for direct use).
#
# Moves itself into the node's own cgroups, then boots the node with systemd-nspawn and boots it again
# whenever the guest asks for a reboot (exit code 133), until $DIR/stop exists or nspawn exits otherwise.
# Usage: node-loop.sh NAME DIR BRIDGE [ADDRESS/24 GATEWAY]   (DIR holds merged/ — the node's mounted overlay — and
# the pid files). With ADDRESS, each boot's network is set from the host side (nsenter into the node's network
# namespace): for emulated nodes, whose systemd-networkd fails under qemu-user.
set -uo pipefail
name=$1 dir=$2 bridge=$3 address=${4:-} gateway=${5:-}
. "$(dirname "$0")/lib.sh"

# Address host0 of this boot's network namespace once the node's PID 1 exists (gives up after ~5 minutes).
address_node() {
  local leader t
  for t in $(seq 1 1500); do
    leader=$(node_leader "$name") && nsenter -t "$leader" -n ip link show host0 >/dev/null 2>&1 && break
    leader=
    sleep 0.2
  done
  [ -n "$leader" ] || { echo "=== node-loop: no host0 in $name to address"; return 1; }
  nsenter -t "$leader" -n sh -c 'ip link set lo up; ip addr replace "$1" dev host0 && ip link set host0 up && ip route replace default via "$2"' sh "$address" "$gateway"
  echo "=== node-loop: $name addressed from the host: $address via $gateway"
}

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
  pid=$!
  echo $pid > "$dir/nspawn.pid"
  [ -z "$address" ] || address_node
  wait $pid
  rc=$?
  echo "=== node-loop: nspawn exited with $rc"
  [ "$rc" = 133 ] || break
done
rm -f "$dir/nspawn.pid"
