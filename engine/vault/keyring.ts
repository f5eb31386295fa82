/**
 * The vault passwords of this run and the one place vaulted text is decrypted. The command line sets the
 * passwords once, before anything is loaded (`setVaultSecrets`); every reader of user files (YAML, inventories,
 * `copy`/`template` sources) calls `decryptVault`, which tries the password whose vault id the envelope names first,
 * then the others in the order given, as Ansible does. Errors never contain a password or decrypted text.
 *
 * @example
 * ```ts
 * setVaultSecrets([{ label: 'default', password: pw }])
 * const plain = decryptVault(text, { file: 'vars/secret.yml', line: 1, col: 1 }) // Buffer
 * ```
 */
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import { decryptWith, isVaulted, parseVaultText, VaultFormatError } from './cipher.js'
import { markInlineVaulted, VAULT_HOW } from '../vaultlocked.js'

/** One vault password and its vault id (`default` unless `--vault-id LABEL@…` named one). */
export interface VaultSecret {
  label: string
  password: string
}

let secrets: readonly VaultSecret[] = []
const decrypted = new Map<string, Buffer>()
/** Strings that came out of vaulted content: messages describe them without showing them. */
const plaintexts = new Set<string>()

/** Remember the strings of a decrypted value (deep), so `isFromVault` knows them. */
export function rememberVaulted(value: unknown): void {
  if (typeof value === 'string') plaintexts.add(value)
  else if (Array.isArray(value)) value.forEach(rememberVaulted)
  else if (value && typeof value === 'object') Object.values(value).forEach(rememberVaulted)
}

/** Whether a string came out of vaulted content (an error message must then not quote it). */
export function isFromVault(s: string): boolean {
  return plaintexts.has(s)
}

/** Set the run's vault passwords (replacing any earlier ones). */
export function setVaultSecrets(list: readonly VaultSecret[]): void {
  secrets = [...list]
  decrypted.clear()
}

/** Whether any vault password was given (without one, inline `!vault` values are kept encrypted). */
export function hasVaultSecrets(): boolean {
  return secrets.length > 0
}

/** Remember the plaintext of an inline `!vault` value (so `is vault_encrypted` knows it, by its text). */
export function rememberInline(plain: string): void {
  markInlineVaulted(plain)
  plaintexts.add(plain)
}

/** Decrypt a vault envelope found at `pos`; throws a `UserError` naming `pos` when it cannot. */
export function decryptVault(text: string, pos: SourcePos): Buffer {
  const done = decrypted.get(text)
  if (done) return done
  let env
  try {
    env = parseVaultText(text)
  } catch (e) {
    if (e instanceof VaultFormatError) throw new UserError(`vaulted content cannot be read: ${e.message}`, pos)
    throw e
  }
  const id = env.label ? ` (vault id "${env.label}")` : ''
  if (secrets.length === 0)
    throw new UserError(`found vaulted content${id} but no vault password was given:`, pos, VAULT_HOW)
  const order = [...secrets.filter((s) => s.label === env.label), ...secrets.filter((s) => s.label !== env.label)]
  for (const s of order) {
    let out: Buffer | undefined
    try {
      out = decryptWith(env, s.password)
    } catch (e) {
      if (e instanceof VaultFormatError) throw new UserError(`vaulted content cannot be read: ${e.message}`, pos)
      throw e
    }
    if (out) {
      decrypted.set(text, out)
      return out
    }
  }
  const tried = secrets.map((s) => s.label).join(', ')
  throw new UserError(
    `Decryption failed${id}: none of the vault passwords given (vault ids: ${tried}) decrypts it.`,
    pos,
    '(check the password, or give the one this was encrypted with)',
  )
}

/**
 * The bytes of a controller file, decrypted when the file is vaulted (as Ansible reads vars files and `src`). Bytes
 * that are not vaulted are returned as they are (a 15-byte header check, no copy).
 */
export function decryptIfVaulted<T extends Uint8Array>(bytes: T, file: string): T | Buffer {
  if (!isVaulted(bytes)) return bytes
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  return decryptVault(text, { file, line: 1, col: 1 })
}
