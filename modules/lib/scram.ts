/**
 * SCRAM-SHA-256 verifiers as PostgreSQL stores them in `pg_authid.rolpassword`
 * (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, RFC 5802/7677), computed on the controller
 * so the password itself never leaves it. `scramMatches` recomputes a stored verifier from its own salt and
 * iteration count to decide whether a password changed, without sending anything.
 *
 * @example
 * ```ts
 * const v = scramVerifier('s3cret', randomBytes(16)) // SCRAM-SHA-256$4096:…$…:…
 * scramMatches(v, 's3cret') // true
 * ```
 */
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto'

/** PostgreSQL's default iteration count (`scram_iterations`). */
export const SCRAM_ITERATIONS = 4096

const VERIFIER_RE = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})$/

/** The parts of a stored verifier. */
export interface ScramParts {
  iterations: number
  salt: Buffer
  storedKey: Buffer
  serverKey: Buffer
}

/** Parse a stored verifier; undefined for anything else (md5 hashes, NULL, plain text). */
export function parseScram(stored: string): ScramParts | undefined {
  const m = VERIFIER_RE.exec(stored)
  if (!m) return undefined
  return {
    iterations: Number(m[1]),
    salt: Buffer.from(m[2], 'base64'),
    storedKey: Buffer.from(m[3], 'base64'),
    serverKey: Buffer.from(m[4], 'base64'),
  }
}

/** True when `value` is a well-formed SCRAM-SHA-256 verifier (safe to embed in psql's `\set`). */
export function isScramVerifier(value: string): boolean {
  return VERIFIER_RE.test(value)
}

/**
 * Compute the verifier for `password` with `salt`. NFKC stands in for SASLprep (identical for ASCII and common text;
 * checked against PostgreSQL for a non-ASCII password).
 */
export function scramVerifier(password: string, salt: Uint8Array, iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256')
  const clientKey = createHmac('sha256', salted).update('Client Key').digest()
  const storedKey = createHash('sha256').update(clientKey).digest()
  const serverKey = createHmac('sha256', salted).update('Server Key').digest()
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64')
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`
}

/** Does the stored verifier belong to `password`? Recomputed with the stored salt and iteration count. */
export function scramMatches(stored: string, password: string): boolean {
  const parts = parseScram(stored)
  if (!parts) return false
  const again = parseScram(scramVerifier(password, parts.salt, parts.iterations))!
  return timingSafeEqual(again.storedKey, parts.storedKey) && timingSafeEqual(again.serverKey, parts.serverKey)
}
