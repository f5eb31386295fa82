#!/usr/bin/env bash
# Take a fleet node's network link down or up (for connection-drop fault tests).
#
# Acts on the host side of the node's veth pair (vb-<node>, on the fleet bridge): "down" makes the node unreachable
# (its TCP connections stall, nothing is reset); "up" restores it with the same address. A reboot of the node makes
# a fresh veth, which starts up.
# Usage: bash test/fleet/link.sh NODE down|up
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# = 2 ] || die "usage: link.sh NODE down|up"
node=$1 state=$2
case $state in down|up) ;; *) die "state must be down or up, got '$state'";; esac
ip link show "vb-$node" >/dev/null 2>&1 || die "node $node has no link vb-$node (is it running?)"
ip link set "vb-$node" "$state"
