/**
 * A throw-away OpenPGP key for the `apt_key` and apt source tests: made with `gpg --batch --gen-key` (no
 * passphrase) in a temporary GNUPGHOME that is removed at once, its gpg-agent stopped, so nothing is left behind.
 * `clearsign` texts are signed with it before the private key goes (an apt repository's InRelease).
 *
 * @example
 * ```ts
 * const key = makeKey() // { fingerprint: '727C…F908', long: 'C3CD…F908', short: 'C206F908', armored, binary }
 * const { clearsigned } = makeKey({ clearsign: [releaseText] }) // [InRelease text]
 * ```
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestKey {
  fingerprint: string
  long: string
  short: string
  /** The public key, armored. */
  armored: string
  /** The public key, binary. */
  binary: Buffer
  /** The `clearsign` texts, each signed with the key (SHA-256). */
  clearsigned: string[]
}

const SPEC = [
  '%no-protection',
  'Key-Type: RSA',
  'Key-Length: 2048',
  'Subkey-Type: RSA',
  'Subkey-Length: 2048',
  'Name-Real: tsplay test key',
  'Name-Email: test@example.invalid',
  'Expire-Date: 0',
  '%commit',
  '',
].join('\n')

export function makeKey(opts: { clearsign?: string[] } = {}): TestKey {
  const home = mkdtempSync(join(tmpdir(), 'tsplay-gpg-'))
  const gpg = (args: string[], input?: string) =>
    execFileSync('gpg', ['--homedir', home, '--batch', ...args], { input, stdio: 'pipe' })
  try {
    writeFileSync(join(home, 'spec'), SPEC)
    gpg(['--gen-key', join(home, 'spec')])
    const colons = gpg(['--with-colons', '--list-keys']).toString()
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)![1]
    return {
      fingerprint,
      long: fingerprint.slice(-16),
      short: fingerprint.slice(-8),
      armored: gpg(['--armor', '--export', fingerprint]).toString(),
      binary: gpg(['--export', fingerprint]),
      clearsigned: (opts.clearsign ?? []).map((text) =>
        gpg(['--digest-algo', 'SHA256', '--clearsign', '-u', fingerprint], text).toString(),
      ),
    }
  } finally {
    try {
      execFileSync('gpgconf', ['--homedir', home, '--kill', 'all'], { stdio: 'ignore' })
    } catch {
      // no agent was started
    }
    rmSync(home, { recursive: true, force: true })
  }
}
