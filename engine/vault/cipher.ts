/**
 * Ansible Vault's format, read with Node's crypto only: the envelope `$ANSIBLE_VAULT;1.1;AES256` (or
 * `1.2;AES256;LABEL`) followed by hex lines; the hex decodes to three hex lines (salt, HMAC, ciphertext). The keys
 * come from PBKDF2-HMAC-SHA256 of the password and salt (10 000 rounds, 80 bytes: AES key, HMAC key, counter);
 * the HMAC-SHA256 of the ciphertext is checked before AES-256-CTR decrypts it and PKCS#7 padding is removed.
 *
 * @example
 * ```ts
 * const env = parseVaultText(text)              // { version: '1.2', cipher: 'AES256', label: 'prod', … }
 * const bytes = decryptWith(env, 'password')    // Buffer, or undefined for a wrong password
 * ```
 */
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto'

/** The header every vaulted file or value starts with. */
export const VAULT_HEADER = '$ANSIBLE_VAULT;'

/** A parsed vault envelope. */
export interface VaultEnvelope {
  version: string
  cipher: string
  /** The vault id of a 1.2 envelope, else undefined. */
  label: string | undefined
  salt: Buffer
  hmac: Buffer
  ciphertext: Buffer
}

/** Why a text is not a readable envelope. */
export class VaultFormatError extends Error {}

/** Whether text (or bytes) begins with the vault header. */
export function isVaulted(data: string | Uint8Array): boolean {
  const head = typeof data === 'string' ? data.slice(0, 15) : Buffer.from(data.subarray(0, 15)).toString('latin1')
  return head === VAULT_HEADER
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/

function unhex(s: string, what: string): Buffer {
  if (!HEX.test(s)) throw new VaultFormatError(`the ${what} is not hexadecimal`)
  return Buffer.from(s, 'hex')
}

/** Read an envelope; throws `VaultFormatError` saying what is wrong. */
export function parseVaultText(text: string): VaultEnvelope {
  const lines = text.trim().split(/\r?\n/)
  const header = lines[0].trim().split(';')
  if (header[0] !== '$ANSIBLE_VAULT' || header.length < 3) throw new VaultFormatError('the header is malformed')
  const [, version, cipher, label] = header.map((s) => s.trim())
  if (version !== '1.1' && version !== '1.2') throw new VaultFormatError(`unknown vault format version "${version}"`)
  if (cipher !== 'AES256') throw new VaultFormatError(`unknown cipher "${cipher}" (only AES256 exists)`)
  const inner = unhex(lines.slice(1).join('').replace(/\s+/g, ''), 'body').toString('latin1').split('\n')
  if (inner.length !== 3) throw new VaultFormatError('the body does not hold a salt, an HMAC and a ciphertext')
  return {
    version,
    cipher,
    label: label || undefined,
    salt: unhex(inner[0], 'salt'),
    hmac: unhex(inner[1], 'HMAC'),
    ciphertext: unhex(inner[2], 'ciphertext'),
  }
}

/** Decrypt with one password: the plaintext, or undefined when the HMAC shows the password is not this one. */
export function decryptWith(env: VaultEnvelope, password: string): Buffer | undefined {
  const keys = pbkdf2Sync(Buffer.from(password, 'utf8'), env.salt, 10_000, 80, 'sha256')
  const mac = createHmac('sha256', keys.subarray(32, 64)).update(env.ciphertext).digest()
  if (mac.length !== env.hmac.length || !timingSafeEqual(mac, env.hmac)) return undefined
  const d = createDecipheriv('aes-256-ctr', keys.subarray(0, 32), keys.subarray(64, 80))
  const padded = Buffer.concat([d.update(env.ciphertext), d.final()])
  const pad = padded.length ? padded[padded.length - 1] : 0
  if (pad < 1 || pad > 16 || pad > padded.length) throw new VaultFormatError('the padding is malformed')
  return padded.subarray(0, padded.length - pad)
}
