/**
 * Which credentials to offer, in order: the inventory's key file (`ansible_ssh_private_key_file`) if set, else the
 * SSH agent (`SSH_AUTH_SOCK`) and the default keys `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`; then the password if
 * one is set (`ansible_password`). Encrypted or unreadable default keys are skipped.
 *
 * @example
 * ```yaml
 * pi1: { ansible_user: pi, ansible_ssh_private_key_file: ~/.ssh/pi_fleet }
 * ```
 */
import { createPrivateKey } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ParsedKey } from 'ssh2'
import { parseKey } from './ssh2lib.js'
import { HostError } from '../errors.js'
import type { ConnectionSpec } from '../ast.js'
import { placeholderNote } from './placeholder.js'

/** One authentication attempt, in ssh2's `authHandler` shape. */
export type AuthMethod =
  | { type: 'publickey'; username: string; key: Buffer | ParsedKey }
  | { type: 'agent'; username: string; agent: string }
  | { type: 'password'; username: string; password: string }

/** Expand a leading `~/`. */
export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p
}

/** A key file ssh2 could parse (not encrypted, not empty). */
function usable(k: ReturnType<typeof parseKey>): k is ParsedKey {
  return !(k instanceof Error) && !(Array.isArray(k) && k.length === 0)
}

/** The last key parsed from each file (every host of an inventory usually logs in with the same one). */
const parsedKeys = new Map<string, { data: Buffer; parsed: ReturnType<typeof parseKey> }>()

/** `parseKey(data)` of a key file's bytes, parsed again only when the bytes differ from last time. */
function parsedKey(file: string, data: Buffer): ReturnType<typeof parseKey> {
  const last = parsedKeys.get(file)
  if (last?.data.equals(data)) return last.parsed
  const parsed = parseKey(data)
  if (!(parsed instanceof Error) && !Array.isArray(parsed)) signWithKeyObject(parsed)
  parsedKeys.set(file, { data, parsed })
  return parsed
}

/**
 * ssh2's parsed key signs with its private key as PEM text, which OpenSSL decodes again for each signature: about
 * 0.35 ms of CPU per login, ten times the Ed25519 signature itself. The key keeps it as a `KeyObject` instead,
 * decoded once for every host that logs in with it (`crypto.sign` takes either; ssh2 only checks it is not null).
 * A key ssh2 does not keep that way is left as it is.
 */
function signWithKeyObject(key: ParsedKey): void {
  const fields = key as unknown as Record<symbol, unknown>
  const pem = Object.getOwnPropertySymbols(key).find((s) => s.description === 'Private key PEM')
  if (pem === undefined || typeof fields[pem] !== 'string') return
  try {
    fields[pem] = createPrivateKey(fields[pem] as string)
  } catch {
    /* ssh2 signs with the text, as before */
  }
}

/**
 * What ssh2 is given for a key file: the parsed key, so ssh2 does not parse it again for each host; the bytes for a
 * file of several keys, as before.
 */
const offered = (data: Buffer, parsed: ParsedKey): Buffer | ParsedKey => (Array.isArray(parsed) ? data : parsed)

/** The methods to try for a host. Throws `HostError('auth')` when there is nothing to offer or the key file is bad. */
export function authMethods(spec: ConnectionSpec, agentSocket?: string): AuthMethod[] {
  const username = spec.user
  const methods: AuthMethod[] = []
  if (spec.privateKeyFile) {
    const file = expandHome(spec.privateKeyFile)
    let data: Buffer
    try {
      data = readFileSync(file)
    } catch (e) {
      throw new HostError(spec.name, 'auth', `${spec.name}: cannot read private key ${file}: ${(e as Error).message}`)
    }
    const parsed = parsedKey(file, data)
    if (parsed instanceof Error) {
      throw new HostError(
        spec.name,
        'auth',
        `${spec.name}: cannot use private key ${file}: ${parsed.message} (encrypted keys: load them into ssh-agent)`,
      )
    }
    methods.push({ type: 'publickey', username, key: offered(data, parsed) })
  } else {
    if (agentSocket) methods.push({ type: 'agent', username, agent: agentSocket })
    for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
      const file = join(homedir(), '.ssh', name)
      if (!existsSync(file)) continue
      try {
        const data = readFileSync(file)
        const parsed = parsedKey(file, data)
        if (usable(parsed)) methods.push({ type: 'publickey', username, key: offered(data, parsed) })
      } catch {
        /* unreadable default key: skip */
      }
    }
  }
  if (spec.password !== undefined) methods.push({ type: 'password', username, password: spec.password })
  if (methods.length === 0) {
    throw new HostError(
      spec.name,
      'auth',
      `${spec.name}: no credentials to log in as ${username}: set ansible_ssh_private_key_file, start ` +
        `ssh-agent, or create ~/.ssh/id_ed25519${placeholderNote(spec.host)}`,
    )
  }
  return methods
}
