/**
 * The pieces of `apt_key` that read: key ids as Ansible's `apt_key` checks them, the key list `apt-key adv
 * --list-public-keys` and `gpg --with-colons` print, and the download of a key on the host (`curl`, its bytes sent
 * back as base64 so a binary key survives).
 *
 * @example
 * ```ts
 * parseKeyId('0xabcdef0123456789') // { short: 'ABCDEF01'…, long: '0123456789'…, full: 'ABCDEF0123456789' }
 * ```
 */
import type { Command, CommandResult } from '../../engine/types.js'

/** C messages; apt-key and gpg found in sbin too. */
export const C = {
  LANG: 'C',
  LC_ALL: 'C',
  LC_MESSAGES: 'C',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
}

/** A key id in the three lengths Ansible compares: the last 8 digits, the last 16, and all of it. */
export interface KeyId {
  short: string
  long: string
  full: string
}

/** A key id as Ansible accepts it (hex, `0x` allowed; 8, 16 or more than 16 digits), or undefined. Pure. */
export function parseKeyId(id: string | undefined): KeyId | undefined {
  if (id === undefined || !/^\s*(0x)?[0-9a-f]+\s*$/i.test(id)) return undefined
  let full = id.trim().toUpperCase()
  if (full.startsWith('0X')) full = full.slice(2)
  if (full.length !== 8 && full.length !== 16 && full.length <= 16) return undefined
  return { short: full.slice(-8), long: full.length > 16 ? full.slice(-16) : full, full }
}

/**
 * The key ids of `pub`/`sub` lines that are not expired, in apt-key's (`pub rsa2048/ID …`) or gpg's colon format
 * (`pub:-:2048:1:ID:…`); cut to 8 digits with `short`. Pure.
 */
export function parseKeys(out: string, short = false): string[] {
  const found: string[] = []
  for (const line of out.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue
    const word = line.split(/\s+/)[1]
    const slash = word?.split('/')
    if (slash?.length === 2) found.push(slash[1])
    else {
      const cols = line.split(':')
      if (cols.length > 4) found.push(cols[4])
    }
  }
  return short ? found.map((k) => k.slice(-8)) : found
}

/** `apt-key [--keyring K] WORDS…` */
export const aptKey = (keyring: string | undefined, words: string[], describe?: string, stdin?: Uint8Array) =>
  ({
    argv: ['apt-key', ...(keyring ? ['--keyring', keyring] : []), ...words],
    env: C,
    ...(stdin ? { stdin } : {}),
    ...(describe ? { describe } : {}),
  }) satisfies Command

/** The keys the keyring holds (apt-key creates an empty keyring file that is missing, as for Ansible). */
export const listKeys = (keyring: string | undefined): Command =>
  aptKey(keyring, ['adv', '--list-public-keys', '--keyid-format=long'], 'list the apt keys')

/** `gpg --with-colons` on a file (or `-`: the bytes on stdin): the key's listing. */
export const gpgShow = (file: string, stdin?: Uint8Array): Command => ({
  argv: ['gpg', '--with-colons', file],
  env: C,
  ...(stdin ? { stdin } : {}),
  describe: 'read the key id',
})

/** Download to stdout as base64; the HTTP status and curl's exit go to stderr (`HTTP 200`, `curl exit 0`). */
const DOWNLOAD =
  'command -v curl >/dev/null || { echo "apt_key needs curl on the host to download a key" >&2; exit 127; }\n' +
  `{ curl -sS -L --max-time 30 -w '%{stderr}HTTP %{http_code}\\n' "$@"; echo "curl exit $?" >&2; } | base64 -w0`

export function downloadKey(url: string, validateCerts: boolean): Command {
  return {
    argv: ['sh', '-c', DOWNLOAD, 'sh', ...(validateCerts ? [] : ['-k']), '--', url],
    env: C,
    describe: `download ${url}`,
  }
}

/** The downloaded bytes, or why the download failed (as Ansible: anything but 200 fails). Pure. */
export function parseDownload(url: string, r: CommandResult): { bytes: Uint8Array } | { fail: string } {
  if (r.rc !== 0) return { fail: `error getting key id from url: ${url}: ${r.stderr.trim()}` }
  const code = /^HTTP (\d+)$/m.exec(r.stderr)?.[1]
  const curl = /^curl exit (\d+)$/m.exec(r.stderr)?.[1]
  if (curl !== '0') {
    const why = r.stderr.replace(/^(HTTP|curl exit) .*$/gm, '').trim()
    return { fail: `error getting key id from url: ${url}: ${why || `curl exit ${curl}`}` }
  }
  if (code !== '200') return { fail: `Failed to download key at ${url}: HTTP Error ${code}` }
  return { bytes: Buffer.from(r.stdout.trim(), 'base64') }
}
