#!/usr/bin/env bash
# Tear a test fleet down when the process that started it dies without stopping it (started by slots.ts).
#
# Waits while OWNER_PID lives; then, if the slot still belongs to that pid and this watchdog wins the reclaim
# (mkdir reclaim-<pid>, the same lock a new claimer takes), runs down.sh for the slot and frees it.
# SIGTERM (a normal stop()) ends it quietly.
# Usage: watchdog.sh SLOT OWNER_PID
set -uo pipefail
slot=$1 owner=$2
cache=${TSPLAY_FLEET_CACHE:-/var/cache/tsplay-fleet}
dir=$cache/slots/$slot
trap 'exit 0' TERM
while kill -0 "$owner" 2>/dev/null; do sleep 1 & wait $!; done
[ "$(cat "$dir/owner" 2>/dev/null)" = "$owner" ] || exit 0
mkdir "$dir/reclaim-$owner" 2>/dev/null || exit 0
TSPLAY_FLEET_SLOT=$slot bash "$(dirname "$0")/down.sh" 0 >/dev/null 2>&1
rm -rf "$dir"
