import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import assemble from './assemble.js'
import { setVaultSecrets } from '../engine/vault/keyring.js'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'

const haveVault = spawnSync('ansible-vault', ['--version'], { stdio: 'ignore' }).status === 0
const dir = mkdtempSync(join(tmpdir(), 'tsplay-assemble-vault-'))
const password = randomBytes(18).toString('base64')
let vaulted = ''

beforeAll(() => {
  if (!haveVault) return
  mkdirSync(join(dir, 'files', 'frags'), { recursive: true })
  writeFileSync(join(dir, 'pw'), `${password}\n`, { mode: 0o600 })
  writeFileSync(join(dir, 'files', 'frags', '1-secret'), 'secret part\n')
  execFileSync('ansible-vault', ['encrypt', '--vault-password-file', join(dir, 'pw'), 'files/frags/1-secret'], {
    cwd: dir,
    stdio: 'ignore',
  })
  writeFileSync(join(dir, 'files', 'frags', '2-plain'), 'plain part')
  vaulted = readFileSync(join(dir, 'files', 'frags', '1-secret'), 'utf8')
})
afterAll(() => {
  setVaultSecrets([])
  rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!haveVault)('assemble: vaulted fragments on the controller', () => {
  const ctx = testCtx({ searchPaths: [dir], diffMode: false })
  test.each<[string, { decrypt?: boolean }, () => string]>([
    ['decrypted by default', {}, () => 'secret part\nplain part'],
    ['decrypt: true', { decrypt: true }, () => 'secret part\nplain part'],
    ['decrypt: false: as they are', { decrypt: false }, () => `${vaulted}plain part`],
  ])('%s', async (name, extra, want) => {
    setVaultSecrets([{ label: 'default', password }])
    const dest = join(dir, `out-${name.length}`)
    const r = await runWith(assemble, { src: 'frags', remote_src: false, dest, ...extra }, ctx, localIO())
    expect(r.failed).toBeUndefined()
    expect(readFileSync(dest, 'utf8')).toBe(want())
  })
  test('without a vault password a vaulted fragment fails the task, unless decrypt is false', async () => {
    setVaultSecrets([])
    const args = { src: 'frags', remote_src: false, dest: join(dir, 'nopw') }
    await expect(runWith(assemble, args, ctx, localIO())).rejects.toThrow(/no vault password was given/)
    const raw = await runWith(assemble, { ...args, decrypt: false }, ctx, localIO())
    expect(raw.failed).toBeUndefined()
  })
  test('a folder on the host is taken as it is (decrypt is the controller’s, as Ansible)', async () => {
    setVaultSecrets([{ label: 'default', password }])
    const dest = join(dir, 'remote')
    const r = await runWith(assemble, { src: join(dir, 'files', 'frags'), dest, decrypt: true }, ctx, localIO())
    expect(r.failed).toBeUndefined()
    expect(readFileSync(dest, 'utf8')).toBe(`${vaulted}plain part`)
  })
})
