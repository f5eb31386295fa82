/**
 * engine/ssh/ssh2keys.ts gives ssh2's key exchange and key parser the login's X25519 and Ed25519 keys as raw bytes:
 * each call must give what node:crypto gives (same exported bytes, same shared secret, same verdict), and every
 * other call must reach node:crypto unchanged.
 */
import * as nodeCrypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createPublicKey, generateKeyPairSync, verify } from '../../engine/ssh/ssh2keys.js'

const der = (k: nodeCrypto.KeyObject) => k.export({ type: 'spki', format: 'der' })

describe('ssh2keys: X25519 key exchange', () => {
  it('exports the public key as node:crypto does (SPKI DER, and any other format)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('x25519')
    const real = nodeCrypto.createPublicKey(privateKey)
    expect(der(publicKey)).toEqual(der(real))
    expect(publicKey.export({ type: 'spki', format: 'pem' })).toBe(real.export({ type: 'spki', format: 'pem' }))
    expect(publicKey.export({ format: 'jwk' })).toEqual(real.export({ format: 'jwk' }))
    expect(publicKey.asymmetricKeyType).toBe('x25519')
  })

  it("imports the server's SPKI DER to the same shared secret", () => {
    const ours = nodeCrypto.generateKeyPairSync('x25519')
    const theirs = nodeCrypto.generateKeyPairSync('x25519')
    const imported = createPublicKey({ key: der(theirs.publicKey), type: 'spki', format: 'der' })
    const secret = nodeCrypto.diffieHellman({ privateKey: ours.privateKey, publicKey: imported })
    expect(secret).toEqual(nodeCrypto.diffieHellman({ privateKey: ours.privateKey, publicKey: theirs.publicKey }))
    expect(imported.export({ format: 'jwk' })).toEqual(theirs.publicKey.export({ format: 'jwk' }))
  })

  it.each([
    ['ed25519', () => nodeCrypto.generateKeyPairSync('ed25519').publicKey],
    ['ec', () => nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey],
  ])('passes a %s SPKI DER to node:crypto', (_, make) => {
    const key = make()
    expect(createPublicKey({ key: der(key), type: 'spki', format: 'der' }).equals(key)).toBe(true)
  })

  it('passes other key types and options to node:crypto', () => {
    const ed = generateKeyPairSync('ed25519')
    expect(ed.publicKey).toBeInstanceOf(nodeCrypto.KeyObject)
    const pem = generateKeyPairSync('x25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    })
    expect(pem.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/)
  })
})

describe('ssh2keys: Ed25519 host key signatures', () => {
  const host = nodeCrypto.generateKeyPairSync('ed25519')
  const pem = host.publicKey.export({ type: 'spki', format: 'pem' }) as string
  const data = Buffer.from('exchange hash')
  const sig = nodeCrypto.sign(null, data, host.privateKey)

  it.each([
    ['a good signature', data, sig, true],
    ['other data', Buffer.from('exchange hasH'), sig, false],
    ['a changed signature', data, Buffer.from(sig.map((b, i) => (i === 5 ? b ^ 1 : b))), false],
  ])('checks %s against a PEM key as node:crypto does', (_, d, s, want) => {
    expect(verify(null, d, pem, s)).toBe(want)
    expect(nodeCrypto.verify(null, d, pem, s)).toBe(want)
  })

  it('passes RSA and ECDSA keys (a hash named) to node:crypto', () => {
    for (const [type, opts] of [
      ['rsa', { modulusLength: 2048 }],
      ['ec', { namedCurve: 'prime256v1' }],
    ] as const) {
      const k = nodeCrypto.generateKeyPairSync(type as 'rsa', opts as nodeCrypto.RSAKeyPairOptions<'pem', 'pem'>)
      const p = (k.publicKey as unknown as nodeCrypto.KeyObject).export({ type: 'spki', format: 'pem' }) as string
      const s = nodeCrypto.sign('sha256', data, k.privateKey as unknown as nodeCrypto.KeyObject)
      expect(verify('sha256', data, p, s)).toBe(true)
      expect(verify('sha256', Buffer.from('x'), p, s)).toBe(false)
    }
  })

  it('answers through a callback when given one, as node:crypto does', async () => {
    const answer = await new Promise((resolve, reject) =>
      verify(null, data, pem, sig, (err, ok) => (err ? reject(err) : resolve(ok))),
    )
    expect(answer).toBe(true)
  })

  it('refuses a signature for another Ed25519 key', () => {
    const other = nodeCrypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' })
    expect(verify(null, data, other as string, sig)).toBe(false)
  })
})
