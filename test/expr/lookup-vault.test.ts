/**
 * The `file`, `unvault` and `template` lookups read vaulted files decrypted, as Ansible's do (the runner sets the
 * decoder).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evalExpr } from '../../engine/expr.js'
import { lookupFileBytes } from '../../engine/expr/lookup-files.js'
import { decryptIfVaulted, setVaultSecrets } from '../../engine/vault/keyring.js'

const haveVault = spawnSync('ansible-vault', ['--version'], { stdio: 'ignore' }).status === 0
const dir = mkdtempSync(join(tmpdir(), 'lk-vault-'))
afterAll(() => {
  lookupFileBytes.decode = (b) => b
  setVaultSecrets([])
  rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!haveVault)('lookups of vaulted files', () => {
  it('give the plain text', () => {
    const pw = join(dir, 'pw')
    writeFileSync(pw, 'lookup-test-pw\n')
    writeFileSync(join(dir, 'secret'), 'top secret\n')
    writeFileSync(join(dir, 'greet.j2'), 'hi {{ who }}\n')
    for (const f of ['secret', 'greet.j2'])
      execFileSync('ansible-vault', ['encrypt', '--vault-password-file', pw, join(dir, f)], { stdio: 'ignore' })
    setVaultSecrets([{ label: 'default', password: 'lookup-test-pw' }])
    lookupFileBytes.decode = decryptIfVaulted
    const vars = { playbook_dir: dir, who: 'ops' }
    expect(evalExpr("lookup('file', 'secret')", vars)).toBe('top secret')
    expect(evalExpr("lookup('template', 'greet.j2')", vars)).toBe('hi ops\n')
    // unvault: the text as it is, its trailing newline kept
    expect(evalExpr("lookup('unvault', 'secret')", vars)).toBe('top secret\n')
    expect(evalExpr("lookup('ansible.builtin.unvault', 'greet.j2')", vars)).toBe('hi {{ who }}\n')
    expect(() => evalExpr("lookup('unvault', 'nope')", vars)).toThrow('Unable to find file matching "nope"')
  })
})
