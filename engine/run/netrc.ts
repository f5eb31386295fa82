/**
 * `~/.netrc` (or the file `$NETRC` names) as Python's `netrc` module reads it, for the `url` lookup's `use_netrc`:
 * the login and password of the `machine` entry for a host, else of `default`. Tokens are separated by white space;
 * `macdef` bodies (up to an empty line) are skipped; a missing or unreadable file gives nothing.
 *
 * @example
 * ```ts
 * netrcLogin(readNetrc(), 'https://example.org/x') // ['me', 's3cret'] for "machine example.org login me password …"
 * ```
 */
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The entries of a netrc text: host (or '' for `default`) → [login, password]. */
export function parseNetrc(text: string): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>()
  const lines = text.split('\n')
  const tokens: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const words = lines[i]!.trim().split(/\s+/).filter(Boolean)
    if (words[0] === 'macdef') {
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== '') i++
      continue
    }
    if (words[0]?.startsWith('#')) continue
    tokens.push(...words)
  }
  let host: string | undefined
  let entry: [string, string] = ['', '']
  const close = () => {
    if (host !== undefined && !out.has(host)) out.set(host, entry)
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    if (t === 'machine' || t === 'default') {
      close()
      host = t === 'default' ? '' : (tokens[++i] ?? '')
      entry = ['', '']
    } else if (t === 'login' || t === 'user') entry[0] = tokens[++i] ?? ''
    else if (t === 'password') entry[1] = tokens[++i] ?? ''
    else if (t === 'account') i++
  }
  close()
  return out
}

/** The entries of `$NETRC` or `~/.netrc` (empty when there is no such file or it cannot be read). */
export function readNetrc(env: NodeJS.ProcessEnv = process.env): Map<string, [string, string]> {
  try {
    return parseNetrc(readFileSync(env.NETRC || join(homedir(), '.netrc'), 'utf8'))
  } catch {
    return new Map()
  }
}

/** The login for `url`'s host in `entries` (undefined: no entry, or an empty login or password). */
export function netrcLogin(entries: Map<string, [string, string]>, url: string): [string, string] | undefined {
  let host: string
  try {
    host = new URL(url).hostname
  } catch {
    return undefined
  }
  const login = entries.get(host) ?? entries.get('')
  return login && login[0] && login[1] ? login : undefined
}
