# shellcheck shell=bash disable=SC2034  # settings are used by the scripts that source this file
# Shared settings and functions for the fleet scripts (sourced, not run).
#
# A "fleet" is N systemd-nspawn nodes on one bridge, identified by a slot number S (0..199):
#   bridge tsfl<S>, subnet $TSPLAY_FLEET_NET.<S>.0/24 (default 10.213.S.0/24), host side .1, node i at .(10+i),
#   node names <prefix>-<i> (default prefix fleet<S>), state in $RUN (default $CACHE/run for slot 0, else $CACHE/run-<S>).
# Environment: TSPLAY_FLEET_CACHE, TSPLAY_FLEET_SLOT, TSPLAY_FLEET_PREFIX, TSPLAY_FLEET_RUN, TSPLAY_FLEET_INVENTORY,
#              TSPLAY_FLEET_NET (first two octets, default 10.213), TSPLAY_FLEET_ARCHS (Debian architecture of each
#              node in order, e.g. "arm64 arm64 amd64"; missing entries: the host's own).
# Foreign-architecture nodes (emulated by qemu-user-static, see binfmt.sh) run on rootfs-bookworm-<arch>; their
# systemd-networkd fails under emulation, so node-loop.sh gives them their address from the host side.
# Per fleet: $RUN/sudo-password (tsplay-pw's password on every node of this fleet, random, 0600).
# Per node: $RUN/nodes/<name>/{ident/,upper/,work/,merged/,console.log,loop.pid,nspawn.pid,stop}.
# Machine facts: no systemd as PID 1 and hybrid cgroups here, so nspawn runs with --register=no --keep-unit,
# each node first in its own cgroup (/sys/fs/cgroup/{systemd,unified}/tsplay-<name>), SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1;
# exit code 133 means the guest asked to reboot (node-loop.sh boots it again).

FLEET_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${TSPLAY_FLEET_CACHE:-/var/cache/tsplay-fleet}
ROOTFS=$CACHE/rootfs-bookworm
HOST_ARCH=$(dpkg --print-architecture)
SLOT=${TSPLAY_FLEET_SLOT:-0}
NET=${TSPLAY_FLEET_NET:-10.213}.$SLOT
BRIDGE=tsfl$SLOT
PREFIX=${TSPLAY_FLEET_PREFIX:-fleet$SLOT}
if [ "$SLOT" = 0 ]; then RUN=${TSPLAY_FLEET_RUN:-$CACHE/run}; else RUN=${TSPLAY_FLEET_RUN:-$CACHE/run-$SLOT}; fi
INVENTORY=${TSPLAY_FLEET_INVENTORY:-$RUN/inventory.yml}
CG_V1=/sys/fs/cgroup/systemd
CG_V2=/sys/fs/cgroup/unified

log() { echo "fleet: $*" >&2; }
die() { echo "fleet: error: $*" >&2; exit 1; }

check_slot() {
  [[ $SLOT =~ ^[0-9]+$ ]] && [ "$SLOT" -le 199 ] || die "TSPLAY_FLEET_SLOT must be 0..199, got '$SLOT'"
}

node_dir() { echo "$RUN/nodes/$1"; }
node_address() { echo "$NET.$((10 + ${1##*-}))"; }
# A node's Debian architecture (kept in its folder from its first start) and the rootfs of an architecture.
node_arch() { cat "$(node_dir "$1")/arch" 2>/dev/null || echo "$HOST_ARCH"; }
rootfs_of() { if [ "$1" = "$HOST_ARCH" ]; then echo "$ROOTFS"; else echo "$ROOTFS-$1"; fi; }
# The i-th (1-based) entry of TSPLAY_FLEET_ARCHS (space- or comma-separated), or the host's architecture.
arch_of_index() {
  local a; local l=${TSPLAY_FLEET_ARCHS:-}; read -r -a a <<< "${l//,/ }"
  echo "${a[$(($1 - 1))]:-$HOST_ARCH}"
}
node_alive() { local p; p=$(cat "$(node_dir "$1")/loop.pid" 2>/dev/null) && kill -0 "$p" 2>/dev/null; }

# The node's PID 1 (host pid): the process in its cgroup whose innermost pid is 1.
node_leader() {
  local f p ns
  while read -r f; do
    for p in $(cat "$f"); do
      ns=$(awk '/^NSpid:/ { print (NF > 2 ? $NF : "") }' "/proc/$p/status" 2>/dev/null) || continue
      [ "$ns" = 1 ] && { echo "$p"; return 0; }
    done
  done < <(find "$CG_V2/tsplay-$1" -name cgroup.procs 2>/dev/null)
  return 1
}

# Identity kept across resets: hostname, machine-id, ssh host key.
node_ident() {
  local d; d=$(node_dir "$1")/ident
  [ -s "$d/machine-id" ] && return 0
  mkdir -p "$d"
  ssh-keygen -q -t ed25519 -N '' -C "root@$1" -f "$d/ssh_host_ed25519_key"
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$d/machine-id.tmp"
  echo >> "$d/machine-id.tmp"
  mv "$d/machine-id.tmp" "$d/machine-id"
}

# /etc/hosts lines for the hosts named in the host's apt sources, as the host resolves them
# (the host may resolve its mirror through /etc/hosts, which the nodes do not share).
mirror_hosts() {
  local h a
  for h in $(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
      | grep -v '^\s*#' | grep -oE 'https?://[^/: ]+' | sed 's|.*://||' | sort -u); do
    a=$(getent ahostsv4 "$h" | awk 'NR == 1 { print $1 }')
    [ -n "$a" ] && echo "$a $h"
  done
  true
}

# Mount the node's overlay and write its identity into it.
node_prepare() {
  local name=$1 d m addr
  d=$(node_dir "$name"); m=$d/merged; addr=$(node_address "$name")
  node_ident "$name"
  mkdir -p "$d/upper" "$d/work" "$m"
  mountpoint -q "$m" || mount -t overlay "tsplay-$name" -o "lowerdir=$(rootfs_of "$(node_arch "$name")"),upperdir=$d/upper,workdir=$d/work" "$m"
  echo "$name" > "$m/etc/hostname"
  cp "$d/ident/machine-id" "$m/etc/machine-id"
  install -m 0600 "$d/ident/ssh_host_ed25519_key" "$m/etc/ssh/ssh_host_ed25519_key"
  install -m 0644 "$d/ident/ssh_host_ed25519_key.pub" "$m/etc/ssh/ssh_host_ed25519_key.pub"
  printf '%s\n' '[Match]' 'Name=host0' '' '[Network]' "Address=$addr/24" "Gateway=$NET.1" \
    'LinkLocalAddressing=no' 'IPv6AcceptRA=no' > "$m/etc/systemd/network/10-host0.network"
  { printf '127.0.0.1 localhost\n127.0.1.1 %s\n::1 localhost ip6-localhost ip6-loopback\n' "$name"; mirror_hosts; } > "$m/etc/hosts"
  # tsplay-pw's sudo password is this fleet's own (fleet_password), not the one baked into the shared rootfs;
  # hashed by the host's chpasswd (-c: no PAM modules loaded from the node's rootfs, which may be another architecture)
  printf 'tsplay-pw:%s\n' "$(fleet_password)" | chpasswd -c SHA512 -R "$m"
}

# This fleet's sudo password for tsplay-pw: random, made by the first node of the fleet, removed by down.sh with $RUN.
fleet_password() {
  if [ ! -s "$RUN/sudo-password" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$RUN/sudo-password.$$"; mv "$RUN/sudo-password.$$" "$RUN/sudo-password")
  fi
  cat "$RUN/sudo-password"
}

# Boot a node in the background (node-loop.sh keeps rebooting it on exit code 133). An emulated node (its
# architecture is not the host's) gets its address from the host side: node-loop.sh's 4th and 5th arguments.
node_start() {
  local name=$1 d net=(); d=$(node_dir "$name")
  node_alive "$name" && return 0
  node_prepare "$name"
  rm -f "$d/stop"
  mkdir -p "$CG_V1/tsplay-$name" "$CG_V2/tsplay-$name"
  [ "$(node_arch "$name")" = "$HOST_ARCH" ] || net=("$(node_address "$name")/24" "$NET.1")
  setsid bash "$FLEET_DIR/node-loop.sh" "$name" "$d" "$BRIDGE" "${net[@]}" </dev/null >>"$d/console.log" 2>&1 &
  echo $! > "$d/loop.pid"
}

# Wait until the node's sshd greets us (or fail after $2 seconds; default 90, emulated nodes 900: they boot slowly).
node_wait_ssh() {
  local name=$1 limit=${2:-} addr banner t0=$SECONDS
  [ -n "$limit" ] || { limit=90; [ "$(node_arch "$name")" = "$HOST_ARCH" ] || limit=900; }
  addr=$(node_address "$name")
  while :; do
    banner=$(timeout 2 bash -c "exec 3<>/dev/tcp/$addr/22 && head -c 4 <&3" 2>/dev/null || true)
    [ "$banner" = SSH- ] && { rm -f "$(node_dir "$name")/boot-retried"; return 0; }
    if ! node_alive "$name"; then
      # A boot can fail for a passing reason of the machine (seen once in CI, console lost with the run): show why,
      # boot it once more, and fail with the console's last lines if that boot stops too.
      [ -e "$(node_dir "$name")/boot-retried" ] && die "node $name stopped while booting; last console lines:
$(node_console_tail "$name")"
      log "warning: node $name stopped while booting; booting it once more. Last console lines:"
      node_console_tail "$name" >&2
      touch "$(node_dir "$name")/boot-retried"
      cgroup_purge "$name"
      node_start "$name"
      t0=$SECONDS
    fi
    [ $((SECONDS - t0)) -ge "$limit" ] && die "node $name: no sshd on $addr after ${limit}s; see $(node_dir "$name")/console.log"
    sleep 0.2
  done
}

# The last 30 lines of a node's console log (indented), for error messages.
node_console_tail() { tail -n 30 "$(node_dir "$1")/console.log" 2>/dev/null | sed 's/^/  | /'; }

# Kill every process left in the node's cgroups and remove them.
cgroup_purge() {
  local name=$1 i
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    { [ -d "$CG_V2/tsplay-$name" ] && echo 1 > "$CG_V2/tsplay-$name/cgroup.kill"; } 2>/dev/null || true
    { [ -d "$CG_V1/tsplay-$name" ] && find "$CG_V1/tsplay-$name" -name cgroup.procs -exec cat {} + | while read -r p; do kill -9 "$p"; done; } 2>/dev/null || true
    find "$CG_V2/tsplay-$name" "$CG_V1/tsplay-$name" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [ -d "$CG_V2/tsplay-$name" ] || [ -d "$CG_V1/tsplay-$name" ] || return 0
    sleep 0.2
  done
  log "warning: could not remove the cgroups of $name"
}

# Stop a node: poweroff through nspawn (SIGTERM → guest shutdown), hard kill after $2 seconds (default 15; 0 = at once).
node_stop() {
  local name=$1 grace=${2:-15} d p t0=$SECONDS
  d=$(node_dir "$name")
  [ -d "$d" ] || return 0
  touch "$d/stop"
  if node_alive "$name" && [ "$grace" -gt 0 ]; then
    p=$(cat "$d/nspawn.pid" 2>/dev/null) && kill -TERM "$p" 2>/dev/null
    while node_alive "$name" && [ $((SECONDS - t0)) -lt "$grace" ]; do sleep 0.2; done
  fi
  cgroup_purge "$name"
  rm -f "$d/loop.pid" "$d/nspawn.pid"
  if mountpoint -q "$d/merged"; then
    umount "$d/merged" 2>/dev/null || { sleep 0.5; umount -l "$d/merged"; }
  fi
}

# Wipe a node's disk (its overlay upper layer); identity stays.
node_wipe() {
  local d; d=$(node_dir "$1")
  rm -rf "$d/upper" "$d/work"
}
