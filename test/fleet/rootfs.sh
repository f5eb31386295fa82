#!/usr/bin/env bash
# Build (or reuse) the fleet's shared, read-only Debian bookworm rootfs.
#
# The rootfs is built with mmdebstrap from the HOST's own apt sources (/etc/apt/sources.list and
# /etc/apt/sources.list.d/*.{list,sources}) and a few of its Acquire settings; no mirror is named here.
# It is cached at $TSPLAY_FLEET_CACHE/rootfs-bookworm (default /var/cache/tsplay-fleet) and rebuilt only
# when missing or when the recipe changes (package list, users, host sources — see the stamp below).
#
# Users baked in (both log in with the fleet's ed25519 client key, $CACHE/id_ed25519, shell /bin/bash):
#   tsplay     sudo WITHOUT a password (NOPASSWD: ALL) — the default test user.
#   tsplay-pw  sudo WITH a password — for become-password tests. The password baked in here (from $CACHE/sudo-password)
#              is replaced on every node by its fleet's own random one (lib.sh: node_prepare, fleet_password).
# Per-node identity (hostname, machine-id, ssh host keys, address) is NOT in the rootfs; up.sh adds it.
#
# A foreign ARCH (arm64, armhf) builds $CACHE/rootfs-bookworm-ARCH with mmdebstrap --arch under qemu-user-static
# (binfmt.sh registers the emulator); such nodes are addressed from the host side (see node-loop.sh).
# Usage: bash test/fleet/rootfs.sh [ARCH]        (prints the rootfs path on stdout; default: the host's architecture)
set -euo pipefail

CACHE=${TSPLAY_FLEET_CACHE:-/var/cache/tsplay-fleet}
HOST_ARCH=$(dpkg --print-architecture)
ARCH=${1:-$HOST_ARCH}
ROOTFS=$CACHE/rootfs-bookworm
[ "$ARCH" = "$HOST_ARCH" ] || ROOTFS=$CACHE/rootfs-bookworm-$ARCH
SUITE=bookworm
# Keep it small: what the tests need, nothing more (perl-base, apt and dpkg come with minbase).
PACKAGES=(systemd systemd-sysv dbus openssh-server sudo iproute2 ca-certificates libpam-systemd)
RECIPE_VERSION=3   # bump when the customisation below changes

log() { echo "rootfs: $*" >&2; }
die() { echo "rootfs: error: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, chroot)"
command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed (apt-get install mmdebstrap)"
bash "$(dirname "$0")/binfmt.sh" "$ARCH"
mkdir -p "$CACHE"
chmod 0755 "$CACHE"

# One builder at a time: parallel test files may all ask for the rootfs.
LOCK=$CACHE/rootfs.lock
[ "$ARCH" = "$HOST_ARCH" ] || LOCK=$CACHE/rootfs-$ARCH.lock
exec 9>"$LOCK"
flock 9

# Client key and sudo password: made once, shared by all fleets.
if [ ! -s "$CACHE/id_ed25519" ]; then
  ssh-keygen -q -t ed25519 -N '' -C tsplay-fleet -f "$CACHE/id_ed25519"
fi
chmod 0600 "$CACHE/id_ed25519"
if [ ! -s "$CACHE/sudo-password" ]; then
  (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$CACHE/sudo-password")
fi

# The host's apt sources (enabled files only) and the Acquire settings that make them work here.
sources_files() {
  [ -s /etc/apt/sources.list ] && echo /etc/apt/sources.list
  find /etc/apt/sources.list.d -maxdepth 1 -type f \( -name '*.list' -o -name '*.sources' \) 2>/dev/null | sort
}
mapfile -t SOURCES < <(sources_files)
[ "${#SOURCES[@]}" -gt 0 ] || die "the host has no apt sources in /etc/apt"
# TSPLAY_FLEET_SKIP_SECURITY="armhf …": architectures whose rootfs is built without the *-security suites (for a
# mirror whose security index of that architecture is broken; seen here for armhf: "File has unexpected size").
if [[ " ${TSPLAY_FLEET_SKIP_SECURITY:-} " == *" $ARCH "* ]]; then
  FILTERED=$(mktemp -d)
  trap 'rm -rf "$FILTERED"' EXIT
  for i in "${!SOURCES[@]}"; do
    f=${SOURCES[$i]} out=$FILTERED/$i-$(basename "${SOURCES[$i]}")
    case $f in
      *.sources) awk -v RS= -v ORS='\n\n' '!/\nSuites:[^\n]*-security/' "$f" > "$out" ;;
      *) grep -v -- '-security' "$f" > "$out" || true ;;
    esac
    SOURCES[$i]=$out
  done
  log "building $ARCH without the security suites (TSPLAY_FLEET_SKIP_SECURITY)"
fi
APTCONF=$(
  eval "$(apt-config shell CVU Acquire::Check-Valid-Until CD Acquire::Check-Date HP Acquire::http::Proxy HSP Acquire::https::Proxy)"
  [ -n "${CVU:-}" ] && echo "Acquire::Check-Valid-Until \"$CVU\";"
  [ -n "${CD:-}" ] && echo "Acquire::Check-Date \"$CD\";"
  [ -n "${HP:-}" ] && echo "Acquire::http::Proxy \"$HP\";"
  [ -n "${HSP:-}" ] && echo "Acquire::https::Proxy \"$HSP\";"
  true
)

STAMP=$(
  {
    echo "v$RECIPE_VERSION $SUITE ${PACKAGES[*]}"
    [ "$ARCH" = "$HOST_ARCH" ] || echo "arch $ARCH"
    cat "${SOURCES[@]}"
    echo "$APTCONF"
    cat "$CACHE/id_ed25519.pub" "$CACHE/sudo-password"
  } | sha256sum | cut -d' ' -f1
)
if [ -d "$ROOTFS" ] && [ "$(cat "$ROOTFS.stamp" 2>/dev/null)" = "$STAMP" ]; then
  echo "$ROOTFS"
  exit 0
fi

# A rebuild must not pull the floor from under running nodes (their overlays use $ROOTFS).
if grep -q "lowerdir=${ROOTFS}[:,]" /proc/mounts; then
  die "the rootfs recipe changed but nodes are running on the old one; run 'bash test/fleet/down.sh --all' first"
fi

log "building $SUITE $ARCH rootfs in $ROOTFS (packages: ${PACKAGES[*]})"
start=$(date +%s)
TMP=$ROOTFS.tmp
rm -rf "$TMP" "$ROOTFS.stamp"
APTOPTS=()
[ -n "$APTCONF" ] && APTOPTS=(--aptopt="$APTCONF")
INCLUDE=$(IFS=,; echo "${PACKAGES[*]}")
mmdebstrap --quiet --arch="$ARCH" --variant=minbase --include="$INCLUDE" "${APTOPTS[@]}" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  "$SUITE" "$TMP" "${SOURCES[@]}" >&2

# --- customisation (bump RECIPE_VERSION when changing anything below) ---
in_root() { chroot "$TMP" "$@"; }
for u in tsplay tsplay-pw; do
  in_root useradd --create-home --shell /bin/bash "$u"
  install -d -m 0700 -o "$(in_root id -u "$u")" -g "$(in_root id -g "$u")" "$TMP/home/$u/.ssh"
  install -m 0600 -o "$(in_root id -u "$u")" -g "$(in_root id -g "$u")" "$CACHE/id_ed25519.pub" "$TMP/home/$u/.ssh/authorized_keys"
done
printf 'tsplay-pw:%s\n' "$(cat "$CACHE/sudo-password")" | in_root chpasswd
# tsplay: passwordless sudo (the common CI setup); tsplay-pw: sudo asks for its password.
printf '%s\n' '# tsplay test fleet' 'tsplay ALL=(ALL:ALL) NOPASSWD: ALL' 'tsplay-pw ALL=(ALL:ALL) ALL' > "$TMP/etc/sudoers.d/tsplay"
chmod 0440 "$TMP/etc/sudoers.d/tsplay"

# sshd: only the per-node ed25519 host key (up.sh generates it); no reverse DNS.
rm -f "$TMP"/etc/ssh/ssh_host_*
printf '%s\n' 'HostKey /etc/ssh/ssh_host_ed25519_key' 'UseDNS no' 'PasswordAuthentication no' > "$TMP/etc/ssh/sshd_config.d/tsplay.conf"
# Network: systemd-networkd configures host0 from /etc/systemd/network/10-host0.network (written per node).
in_root systemctl enable systemd-networkd.service ssh.service >/dev/null 2>&1
in_root systemctl mask systemd-networkd-wait-online.service getty@tty1.service console-getty.service >/dev/null 2>&1 || true
[ -n "$APTCONF" ] && echo "$APTCONF" > "$TMP/etc/apt/apt.conf.d/90tsplay-host"
# Identity comes per node; an empty machine-id here would make systemd invent one each boot.
: > "$TMP/etc/machine-id"
rm -f "$TMP/var/lib/dbus/machine-id"
echo fleet-template > "$TMP/etc/hostname"
in_root apt-get clean

rm -rf "$ROOTFS"
mv "$TMP" "$ROOTFS"
echo "$STAMP" > "$ROOTFS.stamp"
log "built in $(( $(date +%s) - start )) s"
echo "$ROOTFS"
