/**
 * SHA-crypt (`$5$` SHA-256 and `$6$` SHA-512), the password hashes of glibc's crypt(3) that /etc/shadow holds,
 * computed as Ulrich Drepper's specification describes, and Ansible's `password_hash` filter on top of it: a salt
 * given makes the hash repeatable (idempotent `user: password=`), none draws a random one, as Ansible does.
 *
 * @example
 * ```yaml
 * - user: { name: pi, password: "{{ pi_password | password_hash('sha512', 'a1b2c3d4') }}" }
 * ```
 */
import { createHash, randomInt } from 'node:crypto'
import { UserError } from '../errors.js'
import { def, type Def } from './registry.js'

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const DEFAULT_ROUNDS = 5000

interface Algo {
  id: '5' | '6'
  hash: 'sha256' | 'sha512'
  size: number
  /** Byte triplets of the digest, in the order the encoding writes them (each gives 4 characters). */
  order: Array<[number, number, number]>
  /** The bytes left after the triplets and how many characters they give. */
  tail: [number, number, number, number]
}

const SHA256: Algo = {
  id: '5',
  hash: 'sha256',
  size: 32,
  order: [0, 10, 20, 21, 1, 11, 12, 22, 2, 3, 13, 23, 24, 4, 14, 15, 25, 5, 6, 16, 26, 27, 7, 17, 18, 28, 8, 9, 19, 29]
    .map((_, i, a) => (i % 3 === 0 ? [a[i], a[i + 1], a[i + 2]] : undefined))
    .filter((t): t is [number, number, number] => t !== undefined),
  tail: [-1, 31, 30, 3],
}

const SHA512: Algo = {
  id: '6',
  hash: 'sha512',
  size: 64,
  order: Array.from({ length: 21 }, (_, i): [number, number, number] => {
    const a = i
    const b = i + 21
    const c = i + 42
    return i % 3 === 0 ? [a, b, c] : i % 3 === 1 ? [b, c, a] : [c, a, b]
  }),
  tail: [-1, -1, 63, 2],
}

/** `n` bytes of `block` repeated (the P and S sequences of the specification). */
function repeat(block: Buffer, n: number): Buffer {
  const out = Buffer.alloc(n)
  for (let i = 0; i < n; i += block.length) block.copy(out, i, 0, Math.min(block.length, n - i))
  return out
}

/** Encode the final digest with crypt's base-64 alphabet and byte order. */
function encode(d: Buffer, algo: Algo): string {
  let out = ''
  const put = (b2: number, b1: number, b0: number, n: number) => {
    let w = (b2 << 16) | (b1 << 8) | b0
    for (let i = 0; i < n; i++, w >>= 6) out += ITOA64[w & 0x3f]
  }
  for (const [a, b, c] of algo.order) put(d[a], d[b], d[c], 4)
  const [x, y, z, n] = algo.tail
  put(x < 0 ? 0 : d[x], y < 0 ? 0 : d[y], d[z], n)
  return out
}

/** The SHA-crypt string of `password` with `salt` (at most 16 characters used) and `rounds`. */
export function shaCrypt(password: string, salt: string, kind: 'sha256' | 'sha512', rounds = DEFAULT_ROUNDS): string {
  const algo = kind === 'sha256' ? SHA256 : SHA512
  const r = Math.min(999_999_999, Math.max(1000, rounds))
  const P = Buffer.from(password, 'utf8')
  const S = Buffer.from(salt, 'utf8').subarray(0, 16)
  const H = () => createHash(algo.hash)
  const B = H().update(P).update(S).update(P).digest()
  const a = H().update(P).update(S).update(repeat(B, P.length))
  for (let n = P.length; n > 0; n >>= 1) a.update(n & 1 ? B : P)
  let C = a.digest()
  const dp = H()
  for (let i = 0; i < P.length; i++) dp.update(P)
  const Pp = repeat(dp.digest(), P.length)
  const ds = H()
  for (let i = 0; i < 16 + C[0]; i++) ds.update(S)
  const Sp = repeat(ds.digest(), S.length)
  for (let i = 0; i < r; i++) {
    const c = H().update(i & 1 ? Pp : C)
    if (i % 3) c.update(Sp)
    if (i % 7) c.update(Pp)
    C = c.update(i & 1 ? C : Pp).digest()
  }
  const head = r === DEFAULT_ROUNDS ? `$${algo.id}$` : `$${algo.id}$rounds=${r}$`
  return `${head}${S.toString('utf8')}$${encode(C, algo)}`
}

/** A random salt of crypt's alphabet. */
function randomSalt(n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += ITOA64[randomInt(ITOA64.length)]
  return s
}

/** Ansible's `password_hash(hashtype='sha512', salt=None, salt_size=None, rounds=None, ident=None)`. */
export function passwordHash(
  v: unknown,
  hashtype: unknown = 'sha512',
  salt?: unknown,
  size?: unknown,
  rounds?: unknown,
) {
  const kind = String(hashtype ?? 'sha512')
  const alias: Record<string, 'sha256' | 'sha512'> = { sha256: 'sha256', sha256_crypt: 'sha256', sha512: 'sha512' }
  const algo = alias[kind] ?? (kind === 'sha512_crypt' ? 'sha512' : undefined)
  if (!algo) throw new UserError(`password_hash: hash type '${kind}' is not supported by tsplay (use sha512 or sha256)`)
  const s = salt === undefined || salt === null ? randomSalt(Number(size ?? 16)) : String(salt)
  if (!/^[./0-9A-Za-z]*$/.test(s)) throw new UserError(`password_hash: invalid characters in salt '${s}'`)
  return shaCrypt(String(v), s, algo, rounds === undefined || rounds === null ? DEFAULT_ROUNDS : Number(rounds))
}

/** The filters of this file, for filters.ts. */
export const CRYPT_FILTERS: Record<string, Def> = {
  password_hash: def('hashtype salt salt_size rounds ident', passwordHash),
}
