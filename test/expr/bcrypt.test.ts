/**
 * bcrypt and `password_hash('blowfish')`: known answers (Openwall's crypt_blowfish test vectors, which libxcrypt's
 * crypt(3) gives too), random passwords and salts checked against the host's crypt(3) through Python when it has one
 * that makes bcrypt, salts normalised as passlib and crypt(3) write them, and the filter's arguments.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bcrypt, bcryptDecodeSalt, bcryptEncode } from '../../engine/expr/bcrypt.js'
import { cryptHash, passwordHash } from '../../engine/expr/shacrypt.js'
import { evalExpr } from '../../engine/expr.js'

const LONG = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored'
const VECTORS: [string, string][] = [
  ['U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'],
  ['U*U*', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK'],
  ['U*U*U', '$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a'],
  [LONG, '$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui'],
  ['', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy'],
  ['pässwörd', '$2b$04$abcdefghijklmnopqrstuuyx2n0Zzopyr9QuYTMCfOJJOj526QVoC'],
]

/** The host's crypt(3) through Python, when both are there and it makes bcrypt. */
function hostCrypt(pairs: [string, string][]): string[] | undefined {
  const code = 'import crypt, json, sys\nprint(json.dumps([crypt.crypt(p, s) for p, s in json.load(sys.stdin)]))'
  try {
    const out = JSON.parse(
      execFileSync('python3', ['-W', 'ignore', '-c', code], { input: JSON.stringify(pairs), stdio: 'pipe' }).toString(),
    ) as string[]
    return out.every((h) => h.startsWith('$2')) ? out : undefined
  } catch {
    return undefined
  }
}

describe('bcrypt', () => {
  it.each(VECTORS)('%j: the known answer', (pw, want) => {
    const [, ident, cost, rest] = want.split('$')
    expect(bcrypt(pw, rest!.slice(0, 22), Number(cost), ident)).toBe(want)
  })

  it("a salt's unused last bits are cleared in the output, as crypt(3) and passlib write it", () => {
    expect(bcrypt('pässwörd', 'abcdefghijklmnopqrstuv', 4)).toBe(VECTORS[5]![1])
    expect(bcryptEncode(bcryptDecodeSalt('abcdefghijklmnopqrstuv'))).toBe('abcdefghijklmnopqrstuu')
  })

  const host = hostCrypt([['x', '$2b$04$abcdefghijklmnopqrstuu']])
  it.skipIf(!host)("agrees with the host's crypt(3) on random passwords and salts", () => {
    const pairs: [string, string][] = Array.from({ length: 12 }, (_, i) => [
      randomBytes(i * 7).toString('base64'),
      `$2b$04$${bcryptEncode(randomBytes(16))}`,
    ])
    const ours = pairs.map(([pw, s]) => bcrypt(pw, s.slice(7), 4))
    expect(ours).toEqual(hostCrypt(pairs))
  })
})

describe("password_hash('blowfish') and encrypt: bcrypt", () => {
  it('with a salt: repeatable, cost 12 by default; without: a new salt each time', () => {
    const h = evalExpr("'pw' | password_hash('blowfish', 'abcdefghijklmnopqrstuu', rounds=4)", {})
    expect(h).toBe(bcrypt('pw', 'abcdefghijklmnopqrstuu', 4))
    expect(evalExpr("'pw' | password_hash('bcrypt', 'abcdefghijklmnopqrstuu', rounds=4, ident='2y')", {})).toMatch(
      /^\$2y\$04\$/,
    )
    const a = cryptHash('pw', 'bcrypt', { rounds: 4 })
    expect(a).toMatch(/^\$2b\$04\$[./0-9A-Za-z]{53}$/)
    expect(a).not.toBe(cryptHash('pw', 'bcrypt', { rounds: 4 }))
    expect(cryptHash('pw', 'bcrypt', { salt: 'abcdefghijklmnopqrstuu', rounds: 4 })).toBe(h)
  })

  it.each([
    [['blowfish', 'short'], /invalid salt size: a bcrypt salt has 22 characters, not 5/],
    [['blowfish', 'abcdefghijklmnopqrst!u'], /invalid characters in salt/],
    [['blowfish', 'abcdefghijklmnopqrstuu', null, 3], /cost\) must be a whole number from 4 to 31, not 3/],
    [['blowfish', 'abcdefghijklmnopqrstuu', null, 4, '2x'], /ident must be 2a, 2b or 2y/],
  ])('refuses %j', (args, want) => {
    expect(() => passwordHash('pw', ...(args as [unknown]))).toThrow(want)
  })
})
