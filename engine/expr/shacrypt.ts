/**
 * SHA-crypt (`$5$` SHA-256 and `$6$` SHA-512, as Ulrich Drepper's specification describes), MD5-crypt (`$1$`) and
 * bcrypt (`$2b$`, ./bcrypt.ts), the password hashes of crypt(3) that /etc/shadow holds, for Ansible's
 * `password_hash` filter, `vars_prompt`'s `encrypt` and the `password` lookup: a salt given makes the hash
 * repeatable (idempotent `user: password=`), none draws a random one, as Ansible does.
 *
 * @example
 * ```yaml
 * - user: { name: pi, password: "{{ pi_password | password_hash('sha512', 'a1b2c3d4') }}" }
 * ```
 */
import { createHash, randomBytes, randomInt } from 'node:crypto'
import { UserError } from '../errors.js'
import { bcrypt, bcryptEncode } from './bcrypt.js'
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

/**
 * The SHA-crypt string of `password` with `salt` (at most 16 characters used) and `rounds` (5000 when not given);
 * rounds given are written in the string (`$5$rounds=5000$…`), as crypt(3) and Ansible's `password_hash` write them.
 */
export function shaCrypt(password: string, salt: string, kind: 'sha256' | 'sha512', rounds?: number): string {
  const algo = kind === 'sha256' ? SHA256 : SHA512
  const r = Math.min(999_999_999, Math.max(1000, rounds ?? DEFAULT_ROUNDS))
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
  const head = rounds === undefined ? `$${algo.id}$` : `$${algo.id}$rounds=${r}$`
  return `${head}${S.toString('utf8')}$${encode(C, algo)}`
}

/** MD5-crypt (`$1$`, the FreeBSD scheme crypt(3) still reads) of `password` with `salt` (at most 8 characters). */
export function md5Crypt(password: string, salt: string): string {
  const P = Buffer.from(password, 'utf8')
  const S = Buffer.from(salt, 'utf8').subarray(0, 8)
  const H = () => createHash('md5')
  const alt = H().update(P).update(S).update(P).digest()
  const a = H().update(P).update('$1$').update(S).update(repeat(alt, P.length))
  for (let n = P.length; n > 0; n >>= 1) a.update(n & 1 ? Buffer.alloc(1) : P.subarray(0, 1))
  let F = a.digest()
  for (let i = 0; i < 1000; i++) {
    const c = H().update(i & 1 ? P : F)
    if (i % 3) c.update(S)
    if (i % 7) c.update(P)
    F = c.update(i & 1 ? F : P).digest()
  }
  let out = ''
  const put = (b2: number, b1: number, b0: number, n: number) => {
    let w = (b2 << 16) | (b1 << 8) | b0
    for (let k = 0; k < n; k++, w >>= 6) out += ITOA64[w & 0x3f]
  }
  for (const [x, y, z] of [
    [0, 6, 12],
    [1, 7, 13],
    [2, 8, 14],
    [3, 9, 15],
    [4, 10, 5],
  ])
    put(F[x], F[y], F[z], 4)
  put(0, 0, F[11], 2)
  return `$1$${S.toString('utf8')}$${out}`
}

/** A random salt of crypt's alphabet. */
function randomSalt(n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += ITOA64[randomInt(ITOA64.length)]
  return s
}

/** The crypt(3) schemes tsplay makes, with their salt lengths (bcrypt's exact, the others' at most). */
export const SALT_SIZES = { md5_crypt: 8, sha256_crypt: 16, sha512_crypt: 16, bcrypt: 22 } as const
export type CryptName = keyof typeof SALT_SIZES

/**
 * The crypt(3) string of `password` in `scheme`: with `salt` when given (a repeatable hash), else a random salt of
 * `saltSize` characters (at most the scheme's).
 */
export function cryptHash(
  password: string,
  scheme: CryptName,
  o: { salt?: string; saltSize?: number; rounds?: number; ident?: string } = {},
): string {
  const max = SALT_SIZES[scheme]
  const s =
    o.salt ?? (scheme === 'bcrypt' ? bcryptEncode(randomBytes(16)) : randomSalt(Math.min(o.saltSize ?? max, max)))
  if (!/^[./0-9A-Za-z]*$/.test(s)) throw new UserError(`invalid characters in salt '${s}'`)
  if (scheme === 'bcrypt') return bcryptHash(password, s, o)
  if (scheme === 'md5_crypt') return md5Crypt(password, s)
  return shaCrypt(password, s, scheme === 'sha256_crypt' ? 'sha256' : 'sha512', o.rounds)
}

/**
 * bcrypt as Ansible's passlib makes it: a salt of exactly 22 characters (random: 16 random bytes), `rounds` the
 * cost (default 12), `ident` 2b (or 2a, 2y).
 */
function bcryptHash(password: string, salt: string, o: { rounds?: number; ident?: string }): string {
  if (salt.length !== 22) throw new UserError(`invalid salt size: a bcrypt salt has 22 characters, not ${salt.length}`)
  const cost = o.rounds ?? 12
  if (!Number.isInteger(cost) || cost < 4 || cost > 31)
    throw new UserError(`bcrypt rounds (its cost) must be a whole number from 4 to 31, not ${cost}`)
  const ident = o.ident ?? '2b'
  if (!['2a', '2b', '2y'].includes(ident)) throw new UserError(`bcrypt ident must be 2a, 2b or 2y, not '${ident}'`)
  return bcrypt(password, salt, cost, ident)
}

/** `password_hash`'s names for the schemes. */
const HASH_TYPES: Record<string, CryptName> = {
  md5: 'md5_crypt',
  md5_crypt: 'md5_crypt',
  sha256: 'sha256_crypt',
  sha256_crypt: 'sha256_crypt',
  sha512: 'sha512_crypt',
  sha512_crypt: 'sha512_crypt',
  blowfish: 'bcrypt',
  bcrypt: 'bcrypt',
}

/** Ansible's `password_hash(hashtype='sha512', salt=None, salt_size=None, rounds=None, ident=None)`. */
export function passwordHash(
  v: unknown,
  hashtype: unknown = 'sha512',
  salt?: unknown,
  size?: unknown,
  rounds?: unknown,
  ident?: unknown,
) {
  const kind = String(hashtype ?? 'sha512')
  const scheme = HASH_TYPES[kind]
  if (!scheme)
    throw new UserError(
      `password_hash: hash type '${kind}' is not supported by tsplay (use sha512, sha256, md5 or blowfish)`,
    )
  const given = (x: unknown) => (x === undefined || x === null ? undefined : x)
  try {
    return cryptHash(String(v), scheme, {
      salt: given(salt) === undefined ? undefined : String(salt),
      saltSize: given(size) === undefined ? undefined : Number(size),
      rounds: given(rounds) === undefined ? undefined : Number(rounds),
      ident: given(ident) === undefined ? undefined : String(ident),
    })
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`password_hash: ${e.message}`)
    throw e
  }
}

/** The filters of this file, for filters.ts. */
export const CRYPT_FILTERS: Record<string, Def> = {
  password_hash: def('hashtype salt salt_size rounds ident', passwordHash),
}
