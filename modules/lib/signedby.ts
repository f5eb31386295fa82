/**
 * `deb822_repository`'s `signed_by` as ansible-core 2.15 reads it: the path of a file on the host stays a path;
 * a URL (anything with a scheme, as Python's `urlparse` sees one) is fetched on the host and kept as
 * /etc/apt/keyrings/SLUG.asc (an armored key) or SLUG.gpg (a binary one), mode 0644, written only when its bytes
 * differ (the folder made 0755 root:root first); anything else (fingerprints, an inline key) is written as it is.
 * The host fetches it with apt's own `apt-helper download-file`, which every Debian has (no curl, no Python): it
 * honours apt's proxy and TLS settings. The download happens while gathering, so `--check` fetches it too, as
 * Ansible's module does in check mode.
 *
 * @example
 * ```ts
 * isKeyUrl('https://download.docker.com/linux/debian/gpg') // true
 * planKey(gathered, 'https://x/key.asc', 'docker') // → { value: '/etc/apt/keyrings/docker.asc', commands, … }
 * ```
 */
import { createHash } from 'node:crypto'
import { sh, writeFile } from '../../engine/commands.js'
import type { Command, CommandResult } from '../../engine/types.js'
import { planAttrs } from './attrs.js'

export const KEYRINGS = '/etc/apt/keyrings'

/** Whether Python's `urlparse` finds a scheme: a letter, then letters, digits, `+`, `-` or `.`, then `:`. */
export const isKeyUrl = (v: string): boolean =>
  // eslint-disable-next-line no-control-regex
  /^[A-Za-z][A-Za-z0-9+.-]*:/.test(v.replace(/^[\x00-\x20]+/, ''))

/** What the host has and what the URL gave. */
export interface KeyState {
  /** The keyrings folder's mode, owner and group, when it exists. */
  dir?: { mode: number; owner: string; group: string; uid: number; gid: number }
  /** Existing key files: path → mode (octal digits) and SHA-256 (hex). */
  keys: Record<string, { mode: string; sha256: string }>
  /** The fetched bytes, or why the fetch failed. */
  fetched?: Uint8Array
  error?: string
  /** The value is a regular file on the host (for a value that is no URL). */
  isFile?: boolean
}

const FETCH = [
  'u=$1; shift',
  '[ ! -f "$u" ] || { echo file; exit 0; }',
  `echo "dir $(stat -L -c '%a %U %G %u %g' -- ${KEYRINGS} 2>/dev/null)"`,
  'for k in "$@"; do [ ! -f "$k" ] || echo "key $k $(stat -L -c %a -- "$k") $(sha256sum < "$k")"; done',
  'h=/usr/lib/apt/apt-helper',
  '[ -x $h ] || { echo "error apt-helper (apt) is not on the host: it fetches the key"; exit 0; }',
  't=$(mktemp -d) || exit 4',
  'trap \'rm -rf -- "$t"\' EXIT',
  'if $h -o Acquire::Retries=0 -o Acquire::http::Timeout=10 -o Acquire::https::Timeout=10 \\',
  '  download-file "$u" "$t/key" > "$t/log" 2>&1',
  'then printf "data "; base64 -w 0 < "$t/key"; echo',
  'else echo "error $(grep "^E: " "$t/log" | head -n 1 | cut -c 4-)"; fi',
].join('\n')

/**
 * Gather for a URL value: the folder, both key files, and the download (unless the value names a file on the
 * host, which Ansible looks for first). Read-only on the host.
 */
export function fetchKeyCommand(url: string, slug: string): Command {
  return sh(FETCH, [url, ...keyFiles(slug)], { describe: `fetch the signed_by key ${url}` })
}

/** Gather for another value: whether it names a regular file. */
export const isFileCommand = (value: string): Command =>
  sh('[ ! -f "$1" ] || echo file', [value], { describe: `test -f ${value}` })

export const keyFiles = (slug: string): string[] => ['asc', 'gpg'].map((e) => `${KEYRINGS}/${slug}.${e}`)

/** The fetch's output → state. */
export function parseKeyFetch(r: CommandResult): KeyState {
  const out: KeyState = { keys: {} }
  for (const line of r.stdout.split('\n')) {
    const [kind, ...rest] = line.split(' ')
    if (kind === 'file') out.isFile = true
    else if (kind === 'dir' && rest.length === 5) {
      const [mode, owner, group, uid, gid] = rest
      out.dir = { mode: parseInt(mode, 8), owner, group, uid: Number(uid), gid: Number(gid) }
    } else if (kind === 'key' && rest.length >= 3) out.keys[rest[0]] = { mode: rest[1], sha256: rest[2] }
    else if (kind === 'data') out.fetched = Buffer.from(rest.join(' '), 'base64')
    else if (kind === 'error') out.error = rest.join(' ').trim() || 'the download failed'
  }
  if (r.rc !== 0 && !out.error) out.error = r.stderr.trim() || `exit ${r.rc}`
  return out
}

/** What `signed_by` becomes: the field's value, the key file (Ansible's `key_filename`), and the steps. */
export interface KeyPlan {
  value: string
  keyFilename: string | null
  commands: Command[]
  changes: string[]
  fail?: string
}

const ARMOR = Buffer.from('-----BEGIN PGP PUBLIC KEY BLOCK-----')

/** Decide for a URL value. Pure. */
export function planKey(s: KeyState, url: string, slug: string): KeyPlan {
  const none = { commands: [], changes: [] }
  if (s.error !== undefined || s.fetched === undefined)
    return { ...none, value: url, keyFilename: null, fail: `Could not fetch signed_by key: ${s.error ?? 'no answer'}` }
  // an empty answer leaves the URL as the value (Ansible's module does the same)
  if (s.fetched.byteLength === 0) return { ...none, value: url, keyFilename: url }
  const bytes = Buffer.from(s.fetched)
  const path = `${KEYRINGS}/${slug}.${bytes.includes(ARMOR) ? 'asc' : 'gpg'}`
  const have = s.keys[path]
  const commands: Command[] = []
  const changes: string[] = []
  if (have?.sha256 !== createHash('sha256').update(bytes).digest('hex')) {
    if (!s.dir) {
      commands.push({ argv: ['mkdir', '-m', '0755', '--', KEYRINGS], describe: `mkdir ${KEYRINGS}` })
      changes.push(`create ${KEYRINGS}`)
    } else {
      const folder = planAttrs(KEYRINGS, s.dir, { mode: '0755', owner: 'root', group: 'root' }, { isDir: true })
      commands.push(...folder.commands)
      changes.push(...folder.changes.map((c) => `${KEYRINGS}: ${c}`))
    }
    commands.push(writeFile(path, bytes, { mode: '0644' }))
    changes.push(`${have ? 'update' : 'create'} ${path} (fetched from ${url})`)
  } else if (have.mode !== '644') {
    commands.push({ argv: ['chmod', '--', '0644', path], describe: `chmod 0644 ${path}` })
    changes.push(`mode of ${path}: ${have.mode} → 0644`)
  }
  return { value: path, keyFilename: path, commands, changes }
}
