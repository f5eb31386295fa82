/**
 * The user module's ssh key (`generate_ssh_key`), as Ansible 2.14 makes it: `ssh_key_file` (default
 * `.ssh/id_<type>`) relative to the user's home; its folder made 0700 and owned by the user when missing; an
 * existing key is left alone (with `force` and no passphrase it is overwritten); the key files are given to the
 * user. The registered result holds `ssh_fingerprint` (`ssh-keygen -l`), `ssh_key_file` and `ssh_public_key`.
 *
 * The passphrase never reaches argv: ssh-keygen reads it through SSH_ASKPASS (forced), a helper script without
 * secrets in a private temp file that prints one line of its stdin, and the passphrase comes on stdin (twice).
 *
 * @example
 * ```ts
 * keyPath('.ssh/id_rsa', '/home/hy')                      // '/home/hy/.ssh/id_rsa'
 * keygenCommand({ name: 'hy', ssh_key_type: 'ed25519', … }) // sh -c SCRIPT sh hy .ssh/id_ed25519 ed25519 …
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted } from '../../engine/argtypes.js'
import { sh } from '../../engine/commands.js'
import type { HostIO } from '../../engine/module.js'
import type { Command, CommandResult } from '../../engine/types.js'

/** The user module's ssh key arguments (part of its schema). */
export const SSH_KEY_ARGS = {
  generate_ssh_key: Defaulted(
    Type.Boolean({
      description: 'Make an ssh key for the user unless one exists (with `force` and no passphrase: overwrite it)',
      default: false,
    }),
  ),
  ssh_key_bits: Type.Optional(
    Type.Integer({ description: "Bits of the key (`ssh-keygen -b`; default: ssh-keygen's)" }),
  ),
  ssh_key_type: Defaulted(
    Type.String({ minLength: 1, description: 'Type of the key (`ssh-keygen -t`)', default: 'rsa' }),
  ),
  ssh_key_file: Type.Optional(
    Type.String({
      minLength: 1,
      description: "The key's path; relative to the user's home (default `.ssh/id_<type>`)",
    }),
  ),
  ssh_key_comment: Type.Optional(
    Type.String({ description: "The key's comment (default `ansible-generated on <the host's name>`)" }),
  ),
  ssh_key_passphrase: Type.Optional(
    Type.String({
      description: "The key's passphrase (none by default); it reaches ssh-keygen on stdin, never in argv",
      secret: true,
    }),
  ),
}

/** The arguments the key needs (a subset of the user module's). */
export interface KeyArgs {
  name: string
  force: boolean
  ssh_key_type: string
  ssh_key_bits?: number
  ssh_key_file?: string
  ssh_key_comment?: string
  ssh_key_passphrase?: string
}

/** What the host holds at the key's path. */
export interface KeyState {
  path: string
  /** A relative key path and no home folder: Ansible fails with "home directory does not exist". */
  noHome: boolean
  exists: boolean
  /** The public key file (`<path>.pub`) can be read. */
  pubExists: boolean
  fingerprint: string
  publicKey: string | null
}

/** The key file as given (`.ssh/id_<type>` by default). */
export const keyFile = (a: KeyArgs): string => a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type}`

/** The key's path: `file` itself when absolute, else under `home`. */
export const keyPath = (file: string, home: string): string =>
  file.startsWith('/') ? file : `${home.replace(/\/+$/, '')}/${file}`

const ANY = { okCodes: Array.from({ length: 256 }, (_, i) => i) }

/** Read the key at `file` for a user whose home is `home`: one round trip. */
export async function readKey(io: HostIO, file: string, home: string): Promise<KeyState> {
  const path = keyPath(file, home)
  const [dir, ex, fp, pub] = await io.batch([
    { argv: ['test', '-d', home], ...ANY },
    { argv: ['test', '-e', path], ...ANY },
    { argv: ['ssh-keygen', '-l', '-f', path], ...ANY },
    { argv: ['cat', '--', `${path}.pub`], ...ANY },
  ])
  return keyState(path, !file.startsWith('/') && dir.rc !== 0, ex, fp, pub)
}

/** The key's state from the four reads of `readKey`. */
export function keyState(
  path: string,
  noHome: boolean,
  ex: CommandResult,
  fp: CommandResult,
  pub: CommandResult,
): KeyState {
  const exists = ex.rc === 0
  return {
    path,
    noHome,
    exists,
    pubExists: pub.rc === 0,
    fingerprint: !exists ? '' : fp.rc === 0 ? fp.stdout.trim() : fp.stderr.trim(),
    publicKey: pub.rc === 0 ? pub.stdout.trim() : null,
  }
}

/** The registered result's key fields. */
export const keyData = (k: KeyState) => ({
  ssh_fingerprint: k.fingerprint,
  ssh_key_file: k.path,
  ssh_public_key: k.publicKey,
})

/**
 * Whether the key is to be made: neither key file is there, or with `force` (then only a passphrase and an existing
 * private key leave it alone: Ansible answers ssh-keygen's overwrite question only without a passphrase).
 */
export const keyDue = (a: KeyArgs, k: KeyState | undefined): boolean =>
  !k || (a.force ? !k.exists || a.ssh_key_passphrase === undefined : !k.exists && !k.pubExists)

// $1 user, $2 key file, $3 type, $4 bits (0: ssh-keygen's default), $5 1 when a comment is given, $6 the comment,
// $7 1 with a passphrase (on stdin, read by the askpass helper), $8 1 to overwrite an existing key
const KEYGEN = `set -u
ent=$(getent passwd -- "$1") || { echo "user $1 not found" >&2; exit 1; }
home=$(printf '%s\\n' "$ent" | cut -d: -f6); uid=$(printf '%s\\n' "$ent" | cut -d: -f3)
gid=$(printf '%s\\n' "$ent" | cut -d: -f4); f=$2
case $f in /*) ;; *) [ -d "$home" ] || { echo "User $1 home directory does not exist" >&2; exit 1; }
  f=\${home%/}/$f ;; esac
d=$(dirname -- "$f")
if [ ! -e "$d" ]; then mkdir -m 0700 -- "$d" && chown -- "$uid:$gid" "$d" || exit 1; fi
if [ -e "$f" ] && { [ "$8" != 1 ] || [ "$7" = 1 ]; }; then echo 'Key already exists'; exit 0; fi
if [ -e "$f.pub" ]; then
  if [ "$8" = 1 ]; then rm -f -- "$f.pub" || exit 1; else echo 'Public key already exists'; exit 0; fi
fi
set -- "$1" "$f" "$3" "$4" "$5" "$6" "$7"
c=$6; [ "$5" = 1 ] || c="ansible-generated on $(uname -n)"
b=; [ "$4" -gt 0 ] && b=$4
if [ "$7" = 1 ]; then
  a=$(mktemp) || exit 1
  trap 'rm -f -- "$a"' EXIT
  printf '#!/bin/sh\\nIFS= read -r p || [ -n "$p" ]; printf "%%s\\\\n" "$p"\\n' > "$a" && chmod 0700 -- "$a" || exit 1
  SSH_ASKPASS=$a SSH_ASKPASS_REQUIRE=force ssh-keygen -q -t "$3" \${b:+-b "$b"} -C "$c" -f "$2" || exit 1
  if ssh-keygen -y -P '' -f "$2" >/dev/null 2>&1; then
    rm -f -- "$2" "$2.pub"; echo 'ssh-keygen made the key without its passphrase' >&2; exit 1
  fi
else
  ssh-keygen -q -t "$3" \${b:+-b "$b"} -C "$c" -f "$2" -N '' || exit 1
fi
chown -- "$uid:$gid" "$2" "$2.pub"`

/** Why a passphrase cannot reach ssh-keygen's askpass intact (it reads one line), or undefined. */
export const badPassphrase = (p: string | undefined): string | undefined =>
  p !== undefined && /[\r\n\0]/.test(p) ? 'ssh_key_passphrase cannot hold a line break or a NUL character' : undefined

/** The command that makes the key (the user exists by the time it runs: it may be created by the same task). */
export function keygenCommand(a: KeyArgs): Command {
  const pass = a.ssh_key_passphrase
  const args = [
    a.name,
    keyFile(a),
    a.ssh_key_type,
    String(a.ssh_key_bits ?? 0),
    a.ssh_key_comment === undefined ? '' : '1',
    a.ssh_key_comment ?? '',
    pass === undefined ? '' : '1',
    a.force ? '1' : '',
  ]
  return sh(KEYGEN, args, {
    describe: `generate the ssh key of ${a.name}`,
    ...(pass === undefined ? { stdin: a.force ? 'y\n' : '' } : { stdin: `${pass}\n${pass}\n`, secretStdin: true }),
  })
}
