/**
 * `node:crypto` as ssh2's key exchange (`ssh2/lib/protocol/kex.js`) and key parser (`keyParser.js`) see it in the
 * bundle: scripts/bundle.mjs resolves the `crypto` they require to this module. The same module, but three calls
 * that ssh2 makes once or twice per login move keys through DER or PEM, which OpenSSL 3 encodes and decodes through
 * its provider framework (one key costs it about 1 million instructions, several times the cryptography itself).
 * Here the same keys pass as raw bytes, through JWK, which Node hands to OpenSSL directly; the results are the same:
 *
 * - `generateKeyPairSync('x25519')`: the public key's SPKI DER export (ssh2 keeps its last 32 bytes) is built from
 *   the raw key;
 * - `createPublicKey` of an X25519 SPKI DER (the server's ephemeral key): imported from its raw 32 bytes;
 * - `verify` with an Ed25519 public key as PEM text (the server's host key, checking its signature of the
 *   exchange): the key is imported from its raw 32 bytes.
 *
 * Anything else goes to `node:crypto` unchanged.
 *
 * @example
 * ```ts
 * import { generateKeyPairSync } from './ssh2keys.js'
 * generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' }) // 44 bytes, as node:crypto's
 * ```
 */
import * as nodeCrypto from 'node:crypto'
import type { KeyObject } from 'node:crypto'

export * from 'node:crypto'

/** The SPKI DER header of an X25519 and of an Ed25519 public key (RFC 8410): the raw 32-byte key follows. */
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex')
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex')
const PEM_HEAD = '-----BEGIN PUBLIC KEY-----'

/** The 32 raw bytes of an SPKI DER with this header, or undefined when it is another key. */
function rawKey(der: Uint8Array, header: Buffer): Buffer | undefined {
  if (der.length !== header.length + 32 || !header.equals(der.subarray(0, header.length))) return undefined
  return Buffer.from(der.subarray(header.length))
}

const okp = (crv: 'X25519' | 'Ed25519', raw: Buffer): KeyObject =>
  nodeCrypto.createPublicKey({ key: { kty: 'OKP', crv, x: raw.toString('base64url') }, format: 'jwk' })

/** An X25519 public key whose SPKI DER export is made from its raw bytes; other exports are node:crypto's. */
function rawExporting(key: KeyObject): KeyObject {
  const exportKey = key.export.bind(key) as (o?: object) => string | Buffer | nodeCrypto.JsonWebKey
  const fast = (o?: { type?: string; format?: string }) => {
    if (o?.type !== 'spki' || o.format !== 'der') return exportKey(o)
    const jwk = key.export({ format: 'jwk' })
    return Buffer.concat([X25519_SPKI, Buffer.from(jwk.x ?? '', 'base64url')])
  }
  return Object.assign(Object.create(key) as KeyObject, { export: fast })
}

export const generateKeyPairSync = ((type: string, options?: unknown) => {
  if (type !== 'x25519' || options !== undefined)
    return (nodeCrypto.generateKeyPairSync as (t: string, o?: unknown) => unknown)(type, options)
  const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync('x25519')
  return { publicKey: rawExporting(publicKey), privateKey }
}) as typeof nodeCrypto.generateKeyPairSync

export const createPublicKey = ((key: Parameters<typeof nodeCrypto.createPublicKey>[0]) => {
  const k = key as { key?: unknown; type?: string; format?: string }
  if (k.type === 'spki' && k.format === 'der' && k.key instanceof Uint8Array) {
    const raw = rawKey(k.key, X25519_SPKI)
    if (raw) return okp('X25519', raw)
  }
  return nodeCrypto.createPublicKey(key)
}) as typeof nodeCrypto.createPublicKey

/** The raw bytes of an Ed25519 public key given as SPKI PEM text, or undefined for any other key. */
function ed25519FromPem(pem: string): Buffer | undefined {
  if (!pem.startsWith(PEM_HEAD)) return undefined
  const body = pem.slice(PEM_HEAD.length, pem.indexOf('-----END PUBLIC KEY-----'))
  return rawKey(Buffer.from(body.replace(/\s+/g, ''), 'base64'), ED25519_SPKI)
}

export const verify = ((algo: string | null | undefined, data: Uint8Array, key: unknown, ...rest: unknown[]) => {
  const raw = typeof key === 'string' && (algo === null || algo === undefined) ? ed25519FromPem(key) : undefined
  const call = nodeCrypto.verify as (...a: unknown[]) => unknown
  return call(algo, data, raw ? okp('Ed25519', raw) : key, ...rest) // the signature, and a callback if given
}) as typeof nodeCrypto.verify
