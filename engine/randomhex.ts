/**
 * Random hex for names a run makes up (a temp file beside a destination, a job's id): as strong as
 * `crypto.randomBytes`, drawn from a buffer filled 4 KB at a time, so asking for one on every task of every host
 * costs no call into the system's random source each time.
 *
 * @example
 * ```ts
 * randomHex(6) // → 'a3f09c1d2e4b'
 * ```
 */
import { randomBytes } from 'node:crypto'

const POOL_BYTES = 4096
let pool = Buffer.alloc(0)
let used = 0

/** `bytes` random bytes as lowercase hex (2 × `bytes` characters). */
export function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, bytes))
    used = 0
  }
  const out = pool.toString('hex', used, used + bytes)
  used += bytes
  return out
}
