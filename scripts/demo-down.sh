#!/usr/bin/env bash
# npm run demo:down — remove what `npm run demo` made: the three demo nodes (test/fleet/down.sh), their disks,
# bridge and NAT rules, the demo inventory and secrets, and the slot reservation. The cached Debian rootfs stays
# (the next demo boots in seconds); `bash test/fleet/down.sh --all` and rm -rf /var/cache/tsplay-fleet remove it too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export TSPLAY_FLEET_SLOT=${TSPLAY_DEMO_SLOT:-199} TSPLAY_FLEET_PREFIX=demo
# shellcheck source=test/fleet/lib.sh
. "$root/test/fleet/lib.sh"
[ "$(id -u)" = 0 ] || die "needs root, as the demo did: sudo npm run demo:down"
bash "$root/test/fleet/down.sh"
# The reservation is ours only when it carries the demo marker and no test owns the slot.
reserved=$CACHE/slots/$SLOT
if [ -e "$reserved/demo" ] && [ ! -e "$reserved/owner" ]; then rm -rf "$reserved"; fi
echo "demo removed (nodes, disks, network, inventory and password)."
