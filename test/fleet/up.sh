#!/usr/bin/env bash
# Boot a test fleet of N Debian nodes (systemd-nspawn, overlayfs over the shared rootfs) and wait for their sshd.
#
# Usage: bash test/fleet/up.sh [N]        (npm run fleet:up → 3 nodes)
# TSPLAY_FLEET_ARCHS="arm64 armhf amd64" makes node i of that architecture (emulated when foreign; see lib.sh).
# Idempotent: nodes already running are left alone; missing ones are booted. Settings (slot, prefix, paths) are
# described in lib.sh. Writes into $RUN:
#   nodes.txt     "name address" per line
#   known_hosts   the nodes' ed25519 host keys (ssh -o UserKnownHostsFile=...)
#   fleet.env     the settings of this fleet, for down.sh/link.sh/node.sh
#   inventory.yml Ansible-shaped inventory (or $TSPLAY_FLEET_INVENTORY)
#   sudo-password this fleet's random sudo password for tsplay-pw (lib.sh: fleet_password)
# Log in: ssh -i $CACHE/id_ed25519 -o UserKnownHostsFile=$RUN/known_hosts tsplay@ADDRESS
set -euo pipefail
. "$(dirname "$0")/lib.sh"

N=${1:-3}
[[ $N =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] && [ "$N" -le 50 ] || die "N must be 1..50, got '$N'"
check_slot
[ "$(id -u)" = 0 ] || die "must run as root (nspawn, mounts, bridge, NAT)"
command -v systemd-nspawn >/dev/null || die "systemd-nspawn is missing (apt-get install systemd-container)"
[ ${#PREFIX} -le 9 ] && [[ $PREFIX =~ ^[a-z][a-z0-9]*$ ]] || die "prefix '$PREFIX' must be [a-z][a-z0-9]*, at most 9 characters"
t0=$(date +%s.%N)

mkdir -p "$RUN/nodes"
for i in $(seq 1 "$N"); do   # each node keeps the architecture of its first start
  d=$(node_dir "$PREFIX-$i"); [ -s "$d/arch" ] || { mkdir -p "$d"; arch_of_index "$i" > "$d/arch"; }
done
for a in $(cat "$RUN"/nodes/*/arch | sort -u); do bash "$FLEET_DIR/rootfs.sh" "$a" >/dev/null; done

# Refuse to take another fleet's names (node names name cgroups and veths machine-wide).
for i in $(seq 1 "$N"); do
  for other in "$CACHE"/run*/nodes/"$PREFIX-$i"; do
    [ -d "$other" ] && [ "$other" != "$RUN/nodes/$PREFIX-$i" ] && die "node name $PREFIX-$i is used by another fleet ($other); pick another prefix, or clear leftovers: bash test/fleet/down.sh --all"
  done
done
cat > "$RUN/fleet.env" <<EOF
TSPLAY_FLEET_SLOT=$SLOT
TSPLAY_FLEET_PREFIX=$PREFIX
TSPLAY_FLEET_RUN=$RUN
TSPLAY_FLEET_INVENTORY=$INVENTORY
TSPLAY_FLEET_NET=${NET%.*}
EOF

# Bridge with the host's address, forwarding and NAT so the nodes reach the package mirror.
ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
ip addr show dev "$BRIDGE" | grep -q "inet $NET.1/24" || ip addr add "$NET.1/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
sysctl -q -w net.ipv4.ip_forward=1
rule() { iptables -w -t "$1" -C "${@:2}" 2>/dev/null || iptables -w -t "$1" -A "${@:2}"; }
rule nat POSTROUTING -s "$NET.0/24" ! -d "$NET.0/24" -j MASQUERADE -m comment --comment "tsplay-fleet-$SLOT"
rule filter FORWARD -i "$BRIDGE" -j ACCEPT -m comment --comment "tsplay-fleet-$SLOT"
rule filter FORWARD -o "$BRIDGE" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT -m comment --comment "tsplay-fleet-$SLOT"

names=()
for i in $(seq 1 "$N"); do
  names+=("$PREFIX-$i")
  node_start "$PREFIX-$i"
done
for n in "${names[@]}"; do node_wait_ssh "$n"; done

# Node list, known_hosts and inventory cover every node of this fleet that exists (up 2 after up 3 keeps 3).
: > "$RUN/nodes.txt.tmp"; : > "$RUN/known_hosts.tmp"
for d in "$RUN"/nodes/*/; do
  n=$(basename "$d"); a=$(node_address "$n")
  node_alive "$n" || continue
  echo "$n $a" >> "$RUN/nodes.txt.tmp"
  echo "$a $(cut -d' ' -f1-2 "$d/ident/ssh_host_ed25519_key.pub")" >> "$RUN/known_hosts.tmp"
done
sort -V -o "$RUN/nodes.txt.tmp" "$RUN/nodes.txt.tmp"
mv "$RUN/nodes.txt.tmp" "$RUN/nodes.txt"; mv "$RUN/known_hosts.tmp" "$RUN/known_hosts"
{
  echo "# tsplay test fleet (slot $SLOT) — written by test/fleet/up.sh"
  echo "all:"
  echo "  vars:"
  echo "    ansible_user: tsplay"
  echo "    ansible_ssh_private_key_file: $CACHE/id_ed25519"
  echo "    tsplay_known_hosts_file: $RUN/known_hosts"
  echo "  hosts:"
  while read -r n a; do
    echo "    $n:"
    echo "      ansible_host: $a"
    echo "      ansible_port: 22"
  done < "$RUN/nodes.txt"
} > "$INVENTORY.tmp"
mv "$INVENTORY.tmp" "$INVENTORY"

log "$(wc -l < "$RUN/nodes.txt") node(s) answering ssh after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
log "inventory: $INVENTORY   known_hosts: $RUN/known_hosts   key: $CACHE/id_ed25519   user: tsplay"
cat "$RUN/nodes.txt"
