#!/usr/bin/env bash
# Tear a fleet down: stop its nodes, remove their overlays and state, the bridge and the NAT/forward rules.
# The cached rootfs, client key and sudo password stay (in $TSPLAY_FLEET_CACHE, default /var/cache/tsplay-fleet).
#
# Usage: bash test/fleet/down.sh [--all] [GRACE_SECONDS]
#   no option: the fleet chosen by the environment (lib.sh; default slot 0 = npm run fleet:up)
#   --all:     every fleet found under the cache (also leftovers of crashed test runs)
# GRACE_SECONDS: how long each node may take to power off before it is killed (default 10; 0 = kill at once).
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/lib.sh"
[ "$(id -u)" = 0 ] || die "must run as root"

if [ "${1:-}" = --all ]; then
  shift
  for env in "$CACHE"/run*/fleet.env; do
    [ -e "$env" ] || continue
    # shellcheck disable=SC1090
    ( set -a; . "$env"; set +a; bash "$dir/down.sh" "${1:-10}" )
  done
  rm -rf "$CACHE/slots" # claims of test fleets (test/helpers/fleet.ts); all of them are down now
  exit 0
fi
grace=${1:-10}
check_slot

pids=()
for d in "$RUN"/nodes/*/; do
  [ -d "$d" ] || continue
  node_stop "$(basename "$d")" "$grace" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
for d in "$RUN"/nodes/*/; do
  [ -d "$d" ] || continue
  mountpoint -q "$d/merged" && die "node $(basename "$d") is still mounted at $d/merged"
done
rm -rf "$RUN"
[ "$INVENTORY" != "$RUN/inventory.yml" ] && rm -f "$INVENTORY"

unrule() { while iptables -w -t "$1" -C "${@:2}" 2>/dev/null; do iptables -w -t "$1" -D "${@:2}"; done; }
unrule nat POSTROUTING -s "$NET.0/24" ! -d "$NET.0/24" -j MASQUERADE -m comment --comment "tsplay-fleet-$SLOT"
unrule filter FORWARD -i "$BRIDGE" -j ACCEPT -m comment --comment "tsplay-fleet-$SLOT"
unrule filter FORWARD -o "$BRIDGE" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT -m comment --comment "tsplay-fleet-$SLOT"
ip link show "$BRIDGE" >/dev/null 2>&1 && ip link del "$BRIDGE"
log "fleet slot $SLOT is down"
