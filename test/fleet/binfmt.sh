#!/usr/bin/env bash
# Make foreign-architecture binaries run on this host: register qemu-user-static's emulator for a Debian
# architecture (arm64 → qemu-aarch64, armhf → qemu-arm) with binfmt_misc, for the fleet's emulated nodes.
#
# Debian's own registration (binfmt-support or systemd-binfmt) uses the flags "PF" (or none is made at all on a
# host without systemd as PID 1); the nodes need "OCPF": F (the emulator is opened now, so it runs inside the
# node's root), and C/O (credentials and open-binary: setuid programs such as sudo work — without it sudo says
# "effective uid is not 0"). An existing entry with other flags is removed and registered again. Idempotent.
# Usage: bash test/fleet/binfmt.sh ARCH      (the host's own architecture: nothing to do)
set -euo pipefail
arch=${1:?usage: binfmt.sh ARCH}
die() { echo "fleet: error: $*" >&2; exit 1; }
[ "$arch" = "$(dpkg --print-architecture)" ] && exit 0
case $arch in
  arm64) q=aarch64 ;;
  armhf|armel) q=arm ;;
  *) die "no emulator known for the Debian architecture '$arch' (arm64, armhf)" ;;
esac
[ "$(id -u)" = 0 ] || die "must run as root (binfmt_misc)"
conf=/usr/lib/binfmt.d/qemu-$q.conf
[ -r "$conf" ] || die "$conf is missing: emulated $arch nodes need qemu-user-static (apt-get install qemu-user-static)"
bm=/proc/sys/fs/binfmt_misc
[ -e "$bm/register" ] || mount -t binfmt_misc binfmt_misc "$bm" || die "cannot mount binfmt_misc on $bm"

# The kernel lists the flags in its own order (POCF): check each letter.
has_flags() { local f; f=$(sed -n 's/^flags: //p' "$bm/qemu-$q"); for c in O C P F; do [[ $f == *$c* ]] || return 1; done; }

exec 9>/run/tsplay-binfmt.lock
flock 9
if [ -e "$bm/qemu-$q" ]; then
  has_flags && grep -qx enabled "$bm/qemu-$q" && exit 0
  echo -1 > "$bm/qemu-$q"
fi
# The file's line is :name:type:offset:magic:mask:interpreter:flags — register it with our flags.
line=$(grep -v '^#' "$conf" | head -n 1)
echo "${line%:*}:OCPF" > "$bm/register"
has_flags || die "qemu-$q registered without the flags OCPF: $(cat "$bm/qemu-$q")"
