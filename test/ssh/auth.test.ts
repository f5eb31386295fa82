/**
 * `authMethods` with a key file: one parsed key for every host that uses the file, holding its private key as a
 * `KeyObject` (decoded once, not at every signature), whose signatures ssh2's own verification accepts.
 */
import { generateKeyPairSync, KeyObject } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ssh2, { type ParsedKey } from 'ssh2'
import { afterAll, describe, expect, it } from 'vitest'
import { authMethods } from '../../engine/ssh/auth.js'
import type { ConnectionSpec } from '../../engine/ast.js'
import { ed25519Pair } from '../helpers/sshd.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-auth-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const spec = (name: string, privateKeyFile: string): ConnectionSpec => ({
  name,
  host: '127.0.0.1',
  port: 22,
  user: 'pi',
  privateKeyFile,
  connectTimeout: 10,
})

function keyOf(spec: ConnectionSpec): ParsedKey {
  const [m] = authMethods(spec)
  if (m.type !== 'publickey' || Buffer.isBuffer(m.key)) throw new Error('no parsed key')
  return m.key
}

const privateField = (key: ParsedKey): unknown => {
  const sym = Object.getOwnPropertySymbols(key).find((s) => s.description === 'Private key PEM')
  return sym && (key as unknown as Record<symbol, unknown>)[sym]
}

describe('authMethods with a key file', () => {
  // the private key files: OpenSSH's format (ed25519) and the older PEM ones ssh2 also reads (ECDSA, RSA)
  const files = {
    ed25519: () => ed25519Pair().private,
    ecdsa: () =>
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string,
    rsa: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }),
  }

  it.each([
    ['ed25519', undefined],
    ['ecdsa', undefined],
    ['rsa', 'sha512'],
  ] as const)('%s: a KeyObject, shared by the hosts, signing as ssh2 verifies', (type, hash) => {
    const file = join(dir, `id_${type}`)
    const text = files[type]()
    writeFileSync(file, text, { mode: 0o600 })
    const key = keyOf(spec('web1', file))
    expect(keyOf(spec('web2', file))).toBe(key)
    expect(privateField(key)).toBeInstanceOf(KeyObject)
    const data = Buffer.from('session id and userauth request')
    const signature = key.sign(data, hash)
    expect(signature).toBeInstanceOf(Buffer)
    // a copy parsed by ssh2 alone checks it
    const own = ssh2.utils.parseKey(text) as ParsedKey
    expect(own.verify(data, signature as Buffer, hash)).toBe(true)
    expect(own.verify(Buffer.from('something else'), signature as Buffer, hash)).toBe(false)
  })
})
