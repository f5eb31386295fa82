/**
 * The built CLI logs in with ssh2's key exchange and key parser on engine/ssh/ssh2keys.ts (wired into the bundle by
 * scripts/bundle.mjs): a preloaded script watches node:crypto while a play runs on a real loopback sshd. The login's
 * X25519 key is never exported as DER, the server's never imported from DER, and the host key's signature is never
 * checked against PEM text: each goes through raw bytes (JWK) instead, as the same script shows. (ssh2 checks once
 * at load that Ed25519 works, with a private key as PEM: not a login's, not counted.)
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { tsplay, writeTree } from '../helpers/cli.js'

const can = canRunSshd()

/** Preloaded with `--require`: counts how node:crypto is asked for keys, printed at exit (stderr). */
const WATCH = `const c = require('node:crypto'); const n = { derOut: 0, derIn: 0, pemVerify: 0, jwkIn: 0 }
const pub = Object.getPrototypeOf(c.generateKeyPairSync('x25519').publicKey) // PublicKeyObject's own export
const exp = pub.export
pub.export = function (o) {
  if (this.asymmetricKeyType === 'x25519' && o && o.format === 'der') n.derOut++
  return exp.call(this, o)
}
const cpk = c.createPublicKey
c.createPublicKey = function (k) {
  if (k && k.format === 'der') n.derIn++
  if (k && k.format === 'jwk') n.jwkIn++
  return cpk.call(this, k)
}
const ver = c.verify
c.verify = function (a, d, k, s, cb) {
  if (typeof k === 'string' && k.startsWith('-----BEGIN PUBLIC KEY-----')) n.pemVerify++
  return ver.call(this, a, d, k, s, cb)
}
process.on('exit', () => process.stderr.write('crypto keys: ' + JSON.stringify(n) + '\\n'))
`

describe.skipIf(!can.ok)('SSH login keys in the built CLI', () => {
  let fleet: SshdFleet
  let dir: string
  beforeAll(async () => {
    fleet = await startSshd({ count: 2 })
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml(),
      'play.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo hi\n      changed_when: false\n',
    })
    writeFileSync(join(dir, 'watch.cjs'), WATCH)
  })
  afterAll(() => fleet?.stop())

  it('pass as raw bytes: no DER export or import of X25519 keys, no PEM text to verify a signature', async () => {
    const r = await tsplay(
      ['run', 'play.yml', '-i', 'inventory.yml', '--known-hosts', fleet.knownHostsFile, '--json'],
      { cwd: dir, env: { NODE_OPTIONS: `--require ${join(dir, 'watch.cjs')}` } },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(Object.values(r.recap ?? {}).map((c) => c.ok)).toEqual([1, 1])
    const n = JSON.parse(/crypto keys: (\{.*\})/.exec(r.stderr)?.[1] ?? '{}') as Record<string, number>
    // two logins: the server's ephemeral key and its host key, each imported from raw bytes
    expect(n).toEqual({ derOut: 0, derIn: 0, pemVerify: 0, jwkIn: 4 })
  })
})
