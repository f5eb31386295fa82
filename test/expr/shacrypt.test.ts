/**
 * SHA-crypt and `password_hash`: known answers (the specification's and glibc's), random passwords and salts
 * checked against OpenSSL's `passwd -5/-6` (the same crypt(3) strings /etc/shadow holds), and the filter's
 * arguments.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { md5Crypt, passwordHash, shaCrypt } from '../../engine/expr/shacrypt.js'
import { evalExpr } from '../../engine/expr.js'

const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const salt = (n: number) => [...randomBytes(n)].map((b) => SALT_CHARS[b % 64]).join('')

const S512 = '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'
const S256 = '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'
// glibc crypt(3)'s answer for "$6$rounds=10000$saltstring"
const R10K =
  '$6$rounds=10000$saltstring$buk9gc9MDdd3Z11.ZzxK8sKnFNbxNdTnCf.XHjjiTHcgFuFgkKvBQPLIaUn4Ixl3TLN8ZgCk52MPgbWjATwhH0'

describe('shaCrypt', () => {
  it.each([
    ['sha512', undefined, S512],
    ['sha256', undefined, S256],
    ['sha256', 5000, S256.replace('$5$', '$5$rounds=5000$')], // rounds given are written, as crypt(3) does
    ['sha512', 10000, R10K],
  ] as const)('%s of "Hello world!" with salt saltstring, %s rounds: the known answer', (kind, rounds, want) => {
    expect(shaCrypt('Hello world!', 'saltstring', kind, rounds)).toBe(want)
  })

  it('agrees with openssl passwd on random passwords and salts of every length', () => {
    const kinds = [
      ['sha512', '-6'],
      ['sha256', '-5'],
    ] as const
    for (let n = 1; n <= 16; n++) {
      const pw = randomBytes(n * 5).toString('base64')
      const s = salt(n)
      for (const [kind, flag] of kinds) {
        const want = execFileSync('openssl', ['passwd', flag, '-salt', s, '-stdin'], { input: pw }).toString().trim()
        expect(shaCrypt(pw, s, kind), `${kind} ${s}`).toBe(want)
      }
    }
  })
})

describe('md5Crypt', () => {
  it('agrees with openssl passwd -1 on random passwords and salts of every length', () => {
    for (let n = 1; n <= 8; n++) {
      const pw = randomBytes(n * 5).toString('base64')
      const s = salt(n)
      const want = execFileSync('openssl', ['passwd', '-1', '-salt', s, '-stdin'], { input: pw }).toString().trim()
      expect(md5Crypt(pw, s), s).toBe(want)
    }
  })
})

describe('password_hash', () => {
  it('with a salt: repeatable; without: a new 16-character salt each time', () => {
    expect(evalExpr("'pw' | password_hash('sha512', 'abcdefgh')", {})).toBe(shaCrypt('pw', 'abcdefgh', 'sha512'))
    const a = String(passwordHash('pw'))
    const b = String(passwordHash('pw'))
    expect(a).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/)
    expect(a).not.toBe(b)
    expect(evalExpr("'pw' | password_hash('sha256', salt='s1', rounds=6000)", {})).toMatch(/^\$5\$rounds=6000\$s1\$/)
  })

  it('refuses hash types tsplay does not have and salts crypt cannot hold', () => {
    expect(() => passwordHash('pw', 'scrypt')).toThrow(/hash type 'scrypt' is not supported/)
    expect(() => passwordHash('pw', 'sha512', 'bad salt!')).toThrow(/invalid characters in salt/)
  })
})
