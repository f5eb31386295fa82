#!/usr/bin/env bash
# npm run demo — see tsplay's main job work without Raspberry Pis: boot three local Debian nodes (systemd-nspawn, the
# test fleet of test/fleet/), run playbooks/hydra-pi.yml against them end to end (one hydra_server, two
# hydra_builders), print the recap and the URL to open. `npm run demo:down` removes it all.
#
# HYDRA IS A STAND-IN: this machine is offline, so Hydra itself cannot be downloaded. The server gets the scripts of
# test/fixtures/hydra-standin/ (Hydra's command names; a tiny web server on port 3000) with hydra_install_method:
# prefix. Everything else is real: apt, Nix (Debian's packages) with nix-daemon, PostgreSQL, users, units, SSH keys.
#
# Needs root and these Debian packages (it names the missing ones): systemd-container mmdebstrap iptables iproute2
# util-linux openssh-client procps; about 2 GB free under /var/cache (measured: the cached Debian rootfs ~180 MB, the
# server node ~600 MB, each builder ~300 MB after the run: 1.4 GB). Your settings in inventory/group_vars/ are used (the
# demo's inventory links that folder); only the Hydra stand-in's settings are forced. Settings:
#   TSPLAY_DEMO_SLOT   fleet slot (default 199: subnet 10.213.199.0/24), reserved for the demo while it is up
#   TSPLAY_FLEET_CACHE fleet cache folder (default /var/cache/tsplay-fleet)
# Re-running is fine: the fleet is reused and the playbook run again (it then changes nothing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export TSPLAY_FLEET_SLOT=${TSPLAY_DEMO_SLOT:-199} TSPLAY_FLEET_PREFIX=demo
# shellcheck source=test/fleet/lib.sh
. "$root/test/fleet/lib.sh"

say() { printf '\n== %s\n' "$*"; }
[ "$(id -u)" = 0 ] || die "the demo needs root (systemd-nspawn, mounts, a bridge): sudo npm run demo"
# Every tool the fleet scripts use, with the Debian package that has it; the missing ones are named exactly.
missing=()
for pair in systemd-nspawn:systemd-container mmdebstrap:mmdebstrap iptables:iptables ip:iproute2 nsenter:util-linux \
  flock:util-linux mountpoint:util-linux setsid:util-linux ssh-keygen:openssh-client ssh:openssh-client sysctl:procps; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  die "the demo needs these Debian packages, missing here: ${missing[*]}
  install them with:  apt-get install -y ${missing[*]}"
fi
mkdir -p "$CACHE"
free_mb=$(df -Pm "$CACHE" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge 2000 ] || die "the demo needs about 2 GB free under $CACHE (the nodes' disks), only ${free_mb} MB are"

# Reserve the slot, so test runs leave it alone (a slot folder without `owner` is reserved by hand).
slots=$CACHE/slots
mkdir -p "$slots"
if ! mkdir "$slots/$SLOT" 2>/dev/null && [ ! -e "$slots/$SLOT/demo" ]; then
  die "fleet slot $SLOT is in use (a test run?); pick another: TSPLAY_DEMO_SLOT=150 npm run demo"
fi
touch "$slots/$SLOT/demo"

echo "tsplay demo: three local Debian nodes become a Hydra server with two build machines."
echo "NOTE: Hydra itself is a STAND-IN here (this machine is offline; see test/fixtures/hydra-standin/README.md)."
echo "      Nix, PostgreSQL, users, systemd units and SSH trust between the machines are real."

say "Building tsplay"
(cd "$root" && npm run --silent build)

if [ -s "$RUN/nodes.txt" ] && node_alive demo-1 && node_alive demo-2 && node_alive demo-3; then
  say "The three nodes are up already (from an earlier npm run demo)"
else
  say "Booting three nodes (test/fleet/up.sh 3)"
  bash "$root/test/fleet/up.sh" 3
fi
mapfile -t nodes < <(awk '{ print $1 }' "$RUN/nodes.txt")
[ "${#nodes[@]}" -ge 3 ] || die "expected 3 nodes, found ${#nodes[@]}"
server=${nodes[0]}
server_addr=$(node_address "$server")

demo=$RUN/demo
mkdir -p "$demo"
prefix=/opt/hydra-standin
say "Installing the Hydra stand-in on $server under $prefix"
for f in "$root"/test/fixtures/hydra-standin/bin/*; do
  dest=$prefix/bin/$(basename "$f")  # a path inside the node, not on this machine
  bash "$FLEET_DIR/exec.sh" "$server" sh -c 'mkdir -p "$(dirname "$1")" && cat > "$1" && chmod 0755 "$1"' sh "$dest" < "$f"
done

# The inventory: one hydra_server, two hydra_builders, Nix from Debian (inventory/group_vars/ may choose another
# nix_install_method: it is linked beside this inventory, and group_vars files win over these inline vars).
{
  echo "# yaml-language-server: \$schema=$root/schemas/inventory.json"
  echo "# tsplay demo inventory — written by scripts/demo.sh; settings: $root/inventory/group_vars/ (linked here)"
  echo "all:"
  echo "  vars:"
  echo "    ansible_user: tsplay"
  echo "    ansible_ssh_private_key_file: $CACHE/id_ed25519"
  echo "    nix_install_method: debian"
  echo "  children:"
  echo "    hydra_server:"
  echo "      hosts:"
  echo "        $server: { ansible_host: $server_addr }"
  echo "    hydra_builders:"
  echo "      hosts:"
  for n in "${nodes[@]:1:2}"; do echo "        $n: { ansible_host: $(node_address "$n") }"; done
} > "$demo/hosts.yml"
ln -sfn "$root/inventory/group_vars" "$demo/group_vars"
# Hydra from the stand-in prefix: passed with -e, so no inventory setting can point the demo at a real Hydra download.
{
  echo "# written by scripts/demo.sh: the Hydra stand-in (this machine is offline)"
  echo "hydra_install_method: prefix"
  echo "hydra_prefix: $prefix"
  echo "# The stand-in's web server binds an address; it does not take real Hydra's default '*' (all addresses)."
  echo "hydra_listen_host: 0.0.0.0"
} > "$demo/standin.yml"

# The admin password: generated once, kept in a file only root can read (never on the command line).
if [ ! -s "$demo/secrets.yml" ]; then
  umask 077
  echo "hydra_admin_password: demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" > "$demo/secrets.yml"
fi

# The same command a user types: the live view on a terminal, plain lines in a pipe or CI.
cmd=(node bin/tsplay.js run playbooks/hydra-pi.yml -i "$demo/hosts.yml" --known-hosts "$RUN/known_hosts"
  -e "@$demo/secrets.yml" -e "@$demo/standin.yml")
again="cd $root && ${cmd[*]}"
say "Running: $again"
rc=0
(cd "$root" && "${cmd[@]}") || rc=$?
if [ "$rc" != 0 ]; then
  echo "tsplay run exited with $rc (see above). The nodes are still up: fix and run npm run demo again, or npm run demo:down." >&2
  exit "$rc"
fi

# hydra_port as set in inventory/group_vars/ (uncommented), else the role's default.
port=$(sed -n 's/^hydra_port:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$root"/inventory/group_vars/*.yml 2>/dev/null | tail -n 1)
url="http://$server_addr:${port:-3000}/"
say "Done"
if node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(5000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"; then
  state="answering"
else
  state="not answering yet"
fi
cat <<EOF
Hydra's web UI (STAND-IN, not real Hydra: a tiny server with Hydra's command names) is $state at:

    $url

Admin user: admin, password in $demo/secrets.yml
Log in to a node:  ssh -i $CACHE/id_ed25519 -o UserKnownHostsFile=$RUN/known_hosts tsplay@$server_addr
Run it again (nothing changes the second time):  npm run demo
  or tsplay itself, with your own flags (--check, --diff, --tags, -v):
    $again
Change a setting: edit $root/inventory/group_vars/*.yml (e.g. nix_install_method), then run it again.
Remove everything:  npm run demo:down
EOF
