/**
 * Inline `!vault` values read with no vault password: kept encrypted with a warning at where they are written,
 * `is vault_encrypted`/`is defined` look at them, and any other use fails naming where the value was written.
 * A wrong password is still refused when the file is read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UserErrors } from '../../engine/errors.js'
import { evalExpr } from '../../engine/expr.js'
import { renderValue } from '../../engine/template.js'
import { parseYaml } from '../../engine/source/yaml.js'
import { setVaultSecrets } from '../../engine/vault/keyring.js'
import { refuseLocked, takeLockedWarnings, VaultLocked, VaultLockedError } from '../../engine/vaultlocked.js'

// the warnings are kept per process: start each test with none (other test files may share the worker)
beforeEach(() => takeLockedWarnings())
afterEach(() => setVaultSecrets([]))

/** A well-formed 1.1 envelope (its body decrypts with no password: only its form matters here). */
function envelope(label = ''): string {
  const inner = ['aa'.repeat(32), 'bb'.repeat(32), 'cc'.repeat(32)].join('\n')
  const head = label ? `$ANSIBLE_VAULT;1.2;AES256;${label}` : '$ANSIBLE_VAULT;1.1;AES256'
  const body = Buffer.from(inner)
    .toString('hex')
    .match(/.{1,80}/g)!
    .join('\n  ')
  return `${head}\n  ${body}`
}
const yaml = (label = '') => `a: 1\nsecret: !vault |\n  ${envelope(label)}\nlist: [x]\n`

describe('an inline !vault value with no vault password', () => {
  it('is kept encrypted, with one warning at where it is written', () => {
    const v = parseYaml(yaml(), 'f.yml').value as Record<string, unknown>
    expect(v.a).toBe(1)
    expect(v.secret).toBeInstanceOf(VaultLocked)
    expect((v.secret as VaultLocked).envelope).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/)
    const w = takeLockedWarnings()
    expect(w.map((e) => e.format())).toEqual([
      'f.yml:2:16: vaulted value kept encrypted: no vault password was given; a task that uses it will fail',
    ])
    expect(takeLockedWarnings()).toEqual([])
    parseYaml(yaml('prod'), 'g.yml')
    expect(takeLockedWarnings()[0].message).toContain('(vault id "prod")')
  })

  it.each([
    ['secret is vault_encrypted', true],
    ['secret is not vault_encrypted', false],
    ['secret is defined', true],
    ['secret is undefined', false],
    ['secret is string', false],
    ['a is vault_encrypted', false],
    ['list is vault_encrypted', false],
  ])('%s → %s', (expr, want) => {
    const vars = parseYaml(yaml(), 'f.yml').value as Record<string, unknown>
    expect(evalExpr(expr, vars)).toBe(want)
  })

  it.each([
    'secret',
    'secret ~ "x"',
    'secret == "x"',
    'secret | length',
    '[secret]',
    'secret.upper()',
    'secret if secret else 1',
  ])('using it fails, naming where it was written: %s', (expr) => {
    const vars = parseYaml(yaml(), 'f.yml').value as Record<string, unknown>
    let err: unknown
    try {
      evalExpr(expr, vars)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(VaultLockedError)
    expect((err as Error).message).toMatch(/^cannot use a vaulted value \(written at f\.yml:2:16\): no vault password/)
  })

  it('a template using it fails; a module argument holding it is refused', () => {
    const vars = parseYaml(yaml(), 'f.yml').value as Record<string, unknown>
    expect(() => renderValue('pw={{ secret }}', vars)).toThrow(/cannot use a vaulted value/)
    expect(() => refuseLocked({ content: [1, { x: vars.secret }] })).toThrow(VaultLockedError)
    expect(refuseLocked({ content: 'plain' })).toEqual({ content: 'plain' })
    // Ansible's JSON form of a vaulted value: the envelope, never a plaintext
    expect(JSON.parse(JSON.stringify(vars.secret))).toEqual({ __ansible_vault: (vars.secret as VaultLocked).envelope })
  })

  it('a wrong password is still refused when the file is read', () => {
    setVaultSecrets([{ label: 'default', password: 'not-the-one' }])
    expect(() => parseYaml(yaml(), 'f.yml')).toThrow(UserErrors)
    try {
      parseYaml(yaml(), 'f.yml')
    } catch (e) {
      expect((e as UserErrors).errors[0].format()).toMatch(/^f\.yml:2:9: Decryption failed/)
    }
  })
})
