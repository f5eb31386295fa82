/**
 * Ansible Vault decryption: known answers made by the installed `ansible-vault` with a password generated here
 * (1.1 and 1.2 envelopes, inline strings and whole files), wrong and missing passwords, tampered and malformed
 * envelopes, the `!vault` YAML tag with its error position, and where passwords come from.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { UserError, UserErrors } from '../../engine/errors.js'
import { describeValue } from '../../engine/load/context.js'
import { TEST_DEFS } from '../../engine/expr/tests.js'
import { parseYaml, parseYamlBytes } from '../../engine/source/yaml.js'
import { isVaulted, parseVaultText } from '../../engine/vault/cipher.js'
import { decryptIfVaulted, decryptVault, setVaultSecrets } from '../../engine/vault/keyring.js'
import { readVaultSources } from '../../engine/vault/passwords.js'

const haveVault = spawnSync('ansible-vault', ['--version'], { stdio: 'ignore' }).status === 0
if (!haveVault) console.warn('test/vault/vault.test.ts: known-answer tests skipped: ansible-vault is missing')

const dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-'))
const password = randomBytes(18).toString('base64')
const other = randomBytes(18).toString('base64')
const PLAIN = 'päss wörd — {{ not templated here }}\nsecond line, long enough to take several AES blocks'
const pos = { file: 'here.yml', line: 3, col: 7 }

afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => setVaultSecrets([]))

/** `ansible-vault encrypt_string` output (a `!vault |` block) for `value`, with the given vault id (label@file). */
function encryptString(value: string, id: string, label?: string): string {
  const args = ['encrypt_string', '--vault-id', id, ...(label ? ['--encrypt-vault-id', label] : []), value]
  return execFileSync('ansible-vault', [...args, '--name', 'v'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
}

/** The envelope of an `encrypt_string` block (its lines without the indentation). */
const envelope = (block: string) =>
  block
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .join('\n')

function refusal(f: () => unknown): UserError {
  try {
    f()
  } catch (e) {
    if (e instanceof UserErrors) return e.errors[0]!
    if (e instanceof UserError) return e
    throw e
  }
  throw new Error('expected a refusal')
}

describe.skipIf(!haveVault)('known answers from ansible-vault', () => {
  const pwFile = join(dir, 'pw')
  const otherFile = join(dir, 'other')
  let v11 = ''
  let v12 = ''
  let file = ''
  beforeAll(() => {
    writeFileSync(pwFile, `${password}\n`)
    writeFileSync(otherFile, `${other}\n`)
    v11 = encryptString(PLAIN, pwFile)
    v12 = encryptString(PLAIN, `prod@${otherFile}`, 'prod')
    file = join(dir, 'vars.yml')
    writeFileSync(file, 'answer: 42\nnote: "ünïcode"\n')
    execFileSync('ansible-vault', ['encrypt', '--vault-password-file', pwFile, file], { stdio: 'ignore' })
  }, 60_000)

  it('reads the envelopes', () => {
    expect(isVaulted(envelope(v11))).toBe(true)
    expect(parseVaultText(envelope(v11))).toMatchObject({ version: '1.1', cipher: 'AES256', label: undefined })
    expect(parseVaultText(envelope(v12))).toMatchObject({ version: '1.2', cipher: 'AES256', label: 'prod' })
    expect(parseVaultText(envelope(v11)).salt.length).toBe(32)
  })

  it('decrypts 1.1 and 1.2 with the right password', () => {
    setVaultSecrets([{ label: 'default', password }])
    expect(decryptVault(envelope(v11), pos).toString('utf8')).toBe(PLAIN)
    setVaultSecrets([
      { label: 'default', password },
      { label: 'prod', password: other },
    ])
    expect(decryptVault(envelope(v12), pos).toString('utf8')).toBe(PLAIN)
    // a label that matches no password's id: every password is still tried, as Ansible does
    setVaultSecrets([{ label: 'elsewhere', password: other }])
    expect(decryptVault(envelope(v12), pos).toString('utf8')).toBe(PLAIN)
  })

  it('a wrong password: "Decryption failed" at the position, no secret in the message', () => {
    setVaultSecrets([{ label: 'default', password: other }])
    const e = refusal(() => decryptVault(envelope(v11), pos))
    expect(e.format()).toMatch(/^here\.yml:3:7: Decryption failed: none of the vault passwords given/)
    for (const s of [password, other, 'päss']) expect(e.format()).not.toContain(s)
  })

  it('no password: says how to give one', () => {
    const e = refusal(() => decryptVault(envelope(v12), pos))
    expect(e.format()).toMatch(/^here\.yml:3:7: found vaulted content \(vault id "prod"\) but no vault password/)
    expect(e.format()).toMatch(/--vault-password-file/)
  })

  it('a changed byte of ciphertext fails the HMAC check', () => {
    setVaultSecrets([{ label: 'default', password }])
    const env = parseVaultText(envelope(v11))
    env.ciphertext[0] ^= 1
    const inner = [env.salt, env.hmac, env.ciphertext].map((b) => b.toString('hex')).join('\n')
    const text = `$ANSIBLE_VAULT;1.1;AES256\n${Buffer.from(inner).toString('hex')}`
    expect(refusal(() => decryptVault(text, pos)).message).toMatch(/^Decryption failed/)
  })

  it('the !vault tag decrypts; errors point at the tag', () => {
    setVaultSecrets([{ label: 'default', password }])
    const yaml = `a: 1\n${v11.replace(/^v:/, 'secret:')}`
    expect(parseYaml(yaml, 'f.yml').value).toEqual({ a: 1, secret: PLAIN })
    // tsplay's own messages describe a decrypted value without quoting it
    expect(describeValue(PLAIN)).toBe('a vaulted string (hidden)')
    expect(describeValue('plain text')).toBe('string "plain text"')
    // as Ansible, a decrypted inline value is still `vault_encrypted` (tsplay knows it by its text)
    expect([TEST_DEFS.vault_encrypted.fn(PLAIN), TEST_DEFS.vault_encrypted.fn('x')]).toEqual([true, false])
    setVaultSecrets([])
    // with no password it is kept encrypted (test/vault/locked.test.ts); a whole vaulted file is still refused
    expect(parseYaml(yaml, 'f.yml').value).toMatchObject({ a: 1, secret: { label: '' } })
  })

  it('a vaulted file is decrypted before it is parsed; copy/template sources too', () => {
    setVaultSecrets([{ label: 'default', password }])
    const bytes = readFileSync(file)
    expect(parseYamlBytes(bytes, file).value).toEqual({ answer: 42, note: 'ünïcode' })
    expect(describeValue('ünïcode')).toBe('a vaulted string (hidden)')
    expect(decryptIfVaulted(bytes, file).toString('utf8')).toBe('answer: 42\nnote: "ünïcode"\n')
    const plain = Buffer.from('not vaulted\n')
    expect(decryptIfVaulted(plain, 'x')).toBe(plain)
    setVaultSecrets([{ label: 'default', password: other }])
    expect(refusal(() => parseYamlBytes(bytes, file)).format()).toBe(
      `${file}:1:1: Decryption failed: none of the vault passwords given (vault ids: default) decrypts it. ` +
        '(check the password, or give the one this was encrypted with)',
    )
  })
})

describe('malformed envelopes', () => {
  it.each([
    ['$ANSIBLE_VAULT;1.1', /header is malformed/],
    ['$ANSIBLE_VAULT;9.9;AES256\n00', /unknown vault format version "9.9"/],
    ['$ANSIBLE_VAULT;1.1;AES\n00', /unknown cipher "AES"/],
    ['$ANSIBLE_VAULT;1.1;AES256\nzz', /body is not hexadecimal/],
    ['$ANSIBLE_VAULT;1.1;AES256\n4142', /does not hold a salt/],
  ])('%j', (text, want) => {
    setVaultSecrets([{ label: 'default', password }])
    const e = refusal(() => decryptVault(text, pos))
    expect(e.message).toMatch(/^vaulted content cannot be read: /)
    expect(e.message).toMatch(want)
  })
})

describe('password sources', () => {
  const never = () => Promise.reject(new Error('no prompt expected'))

  it('a file (trimmed), a vault id with a label, the environment file', async () => {
    const f = join(dir, 'plain')
    writeFileSync(f, `  ${password}\n\n`)
    expect(await readVaultSources({ ids: [`dev@${f}`], files: [f], ask: false }, never)).toEqual([
      { label: 'dev', password },
      { label: 'default', password },
    ])
    expect(await readVaultSources({ ids: [], files: [], ask: false, envFile: f }, never)).toEqual([
      { label: 'default', password },
    ])
    const both = await readVaultSources(
      { ids: [`b@${f}`], files: [f], ask: false, envFile: f, envIds: `a@${f}` },
      never,
    )
    expect(both.map((x) => x.label)).toEqual(['a', 'b', 'default', 'default'])
  })

  it('an executable is run; a "-client" script is told the vault id', async () => {
    const script = join(dir, 'pass.sh')
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' '${password}'\n`)
    chmodSync(script, 0o700)
    const client = join(dir, 'keys-client.sh')
    writeFileSync(client, `#!/bin/sh\n[ "$1" = --vault-id ] && printf '%s-%s' "$2" '${other}'\n`)
    chmodSync(client, 0o700)
    expect(await readVaultSources({ ids: [`ops@${client}`], files: [script], ask: false }, never)).toEqual([
      { label: 'ops', password: `ops-${other}` },
      { label: 'default', password },
    ])
  })

  it('prompts for "prompt" and --ask-vault-pass', async () => {
    const asked: string[] = []
    const ask = (p: string) => (asked.push(p), Promise.resolve(` ${password} `))
    const got = await readVaultSources({ ids: ['prod@prompt', 'prompt'], files: [], ask: true }, ask)
    expect(asked).toEqual(['Vault password: ', 'Vault password (prod): ', 'Vault password (default): '])
    expect(got).toEqual([
      { label: 'default', password },
      { label: 'prod', password },
      { label: 'default', password },
    ])
  })

  it.each([
    [{ ids: [], files: ['/nonexistent/pw'] }, /vault password file not found: \/nonexistent\/pw/],
    [{ ids: ['x@'], files: [] }, /give a file or "prompt" after the "@"/],
    [{ ids: [], files: ['EMPTY'] }, /Invalid vault password was provided from file .*: it is empty/],
    [{ ids: [], files: ['FAILS'] }, /vault password script .* exited with status 3/],
  ])('refuses %j', async (o, want) => {
    const empty = join(dir, 'empty')
    writeFileSync(empty, '\n')
    const fails = join(dir, 'fails.sh')
    writeFileSync(fails, '#!/bin/sh\nexit 3\n')
    chmodSync(fails, 0o700)
    const files = o.files.map((f) => (f === 'EMPTY' ? empty : f === 'FAILS' ? fails : f))
    const e = await readVaultSources({ ids: o.ids, files, ask: false }, never).then(
      () => undefined,
      (x: unknown) => x,
    )
    expect(e).toBeInstanceOf(UserError)
    expect((e as UserError).message).toMatch(want)
  })
})
