#!/usr/bin/env bash
# Control one node of a running fleet: start, stop, reset (fresh disk: stop, wipe its overlay upper layer, boot).
#
# Reads the fleet's settings from the fleet.env beside the node (so any fleet's node works). start and reset wait
# for sshd. Identity (hostname, machine-id, host key, address) survives a reset, so known_hosts stays valid.
# Usage: bash test/fleet/node.sh NODE start|stop|reset [GRACE_SECONDS]   (stop/reset: 0 = hard stop, default 15)
set -euo pipefail
dir=$(dirname "$0")
[ $# -ge 2 ] || { echo "usage: node.sh NODE start|stop|reset [GRACE_SECONDS]" >&2; exit 1; }
node=$1 action=$2 grace=${3:-15}
env=
for d in "${TSPLAY_FLEET_CACHE:-/var/cache/tsplay-fleet}"/run*/nodes/"$node"; do [ -d "$d" ] && env=$d/../../fleet.env; done
[ -n "$env" ] || { echo "fleet: error: unknown node $node" >&2; exit 1; }
set -a
# shellcheck disable=SC1090
. "$env"
set +a
. "$dir/lib.sh"
case $action in
  start) node_start "$node"; node_wait_ssh "$node" ;;
  stop) node_stop "$node" "$grace" ;;
  reset) node_stop "$node" "$grace"; node_wipe "$node"; node_start "$node"; node_wait_ssh "$node" ;;
  *) die "action must be start, stop or reset, got '$action'" ;;
esac
