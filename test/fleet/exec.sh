#!/usr/bin/env bash
# Run a command as root inside a running fleet node, without SSH (for test assertions).
#
# Enters all the node's namespaces and its root with nsenter; stdin, stdout, stderr and the exit code pass through.
# The environment is reset to a plain root one. The command joins the node's cgroups (a straggler it leaves
# behind dies with the node).
# Usage: bash test/fleet/exec.sh NODE CMD [ARG...]      e.g. exec.sh fleet0-1 systemctl is-active ssh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -ge 2 ] || die "usage: exec.sh NODE CMD [ARG...]"
node=$1; shift
pid=$(node_leader "$node") || die "node $node is not running"
# Join the node's cgroups, so anything left running is killed with the node (node_stop purges them).
echo $$ > "$CG_V2/tsplay-$node/cgroup.procs"
echo $$ > "$CG_V1/tsplay-$node/cgroup.procs"
exec nsenter --target "$pid" --mount --uts --ipc --net --pid --cgroup --root --wd -- \
  /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
