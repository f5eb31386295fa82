/**
 * Vaulted content through the real CLI on the controller (local connection): a vaulted vars_file, inline `!vault`
 * values (1.1 and a labelled 1.2), vaulted group_vars and host_vars in the inventory's folder, a vaulted
 * include_vars file, `-e @vaulted.yml`, vaulted `copy` and `template` sources (written decrypted); every way of
 * giving the password; and the refusals (no password, a wrong one) before anything runs. Fixtures are made here by
 * the installed `ansible-vault` with passwords generated for this run; no password or decrypted value may appear
 * in what tsplay prints, except where a task prints it (as Ansible's debug does).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const haveVault = spawnSync('ansible-vault', ['--version'], { stdio: 'ignore' }).status === 0
// A letter first: a value starting with '-' would read as an option to ansible-vault.
const rnd = () => `v${randomBytes(15).toString('base64url')}`

describe.skipIf(!haveVault)('vaulted content', () => {
  const pw = rnd()
  const prodPw = rnd()
  const s = { vf: rnd(), inline: rnd(), prod: rnd(), group: rnd(), host: rnd(), inc: rnd(), extra: rnd(), src: rnd() }
  let dir = ''
  const out = () => join(dir, 'out')
  const vault = (args: string[]) =>
    execFileSync('ansible-vault', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const encryptFile = (rel: string, text: string, id = join(dir, 'pw')) => {
    writeFileSync(join(dir, rel), text)
    vault(['encrypt', '--vault-id', id, ...(id.includes('@') ? ['--encrypt-vault-id', 'prod'] : []), join(dir, rel)])
  }
  const indent = (block: string) => block.replace(/^/gm, '    ').trimEnd()

  beforeAll(() => {
    dir = writeTree({
      'inventory/hosts.yml':
        'all:\n  hosts:\n    box: { ansible_connection: local }\n  children:\n    g: { hosts: { box: {} } }\n',
      'inventory/group_vars/g.yml': '',
      'inventory/host_vars/box.yml': '',
      'vars/secret.yml': '',
      'vars/inc.yml': '',
      'extra.yml': '',
      'files/secret.txt': '',
      'templates/secret.j2': '',
    })
    writeFileSync(join(dir, 'pw'), `${pw}\n`)
    writeFileSync(join(dir, 'prod-pw'), prodPw)
    encryptFile('inventory/group_vars/g.yml', `from_group: ${s.group}\n`)
    encryptFile('inventory/host_vars/box.yml', `from_host: ${s.host}\n`)
    encryptFile('vars/secret.yml', `from_vars_file: ${s.vf}\n`)
    encryptFile('vars/inc.yml', `from_include: ${s.inc}\n`)
    encryptFile('extra.yml', `from_extra: ${s.extra}\n`)
    encryptFile('files/secret.txt', `file ${s.src}\n`)
    encryptFile('templates/secret.j2', '{{ from_group }} {{ from_vars_file }}\n')
    const inline = vault(['encrypt_string', '--vault-id', join(dir, 'pw'), s.inline, '--name', 'inline'])
    const prod = vault([
      'encrypt_string',
      '--vault-id',
      `prod@${join(dir, 'prod-pw')}`,
      '--encrypt-vault-id',
      'prod',
      s.prod,
      '--name',
      'prod',
    ])
    writeFileSync(
      join(dir, 'site.yml'),
      `- hosts: all
  gather_facts: false
  vars_files: [vars/secret.yml]
  vars:
${indent(inline)}
${indent(prod)}
  tasks:
    - file: { path: "${out()}", state: directory, mode: "0700" }
    - include_vars: vars/inc.yml
    - copy:
        dest: "${out()}/all"
        content: "{{ [from_vars_file, inline, prod, from_group, from_host, from_include, from_extra] | join(' ') }}"
    - copy: { src: secret.txt, dest: "${out()}/copied" }
    - template: { src: secret.j2, dest: "${out()}/templated" }
`,
    )
    writeFileSync(
      join(dir, 'inline.yml'),
      `- hosts: all
  gather_facts: false
  vars:
${indent(inline)}
${indent(prod)}
  tasks:
    - assert:
        that: [inline is vault_encrypted, prod is vault_encrypted, inline is defined, "'x' is not vault_encrypted"]
    - debug: { msg: "{{ inline }}" }
    - debug: { msg: never printed }
`,
    )
    const script = join(dir, 'pass.sh')
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' '${pw}'\n`)
    chmodSync(script, 0o700)
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const run = (extra: string[], env: Record<string, string> = {}, withExtra = true) =>
    tsplay(
      [
        'run',
        join(dir, 'site.yml'),
        '-i',
        join(dir, 'inventory'),
        ...(withExtra ? ['-e', `@${join(dir, 'extra.yml')}`] : ['-e', 'from_extra=x']),
        ...extra,
      ],
      { env },
    )
  const noSecrets = (text: string) => {
    for (const v of [pw, prodPw, ...Object.values(s)]) expect(text).not.toContain(v)
  }

  it('decrypts every place Ansible reads vaulted content, twice with the parse cache; it holds no secret', async () => {
    const cache = join(dir, 'cache')
    for (let i = 0; i < 2; i++) {
      rmSync(out(), { recursive: true, force: true })
      const flags = ['--vault-password-file', join(dir, 'pw'), '--vault-id', `prod@${join(dir, 'prod-pw')}`]
      const r = await run([...flags, '--output', 'plain', '-vv'], { TSPLAY_CACHE_DIR: cache })
      expect(r.stderr).not.toContain('ERROR')
      expect(r.code).toBe(0)
      expect(readFileSync(join(out(), 'all'), 'utf8')).toBe(
        [s.vf, s.inline, s.prod, s.group, s.host, s.inc, s.extra].join(' '),
      )
      expect(readFileSync(join(out(), 'copied'), 'utf8')).toBe(`file ${s.src}\n`)
      expect(readFileSync(join(out(), 'templated'), 'utf8')).toBe(`${s.group} ${s.vf}\n`)
      expect(r.stdout).not.toContain(pw)
      expect(r.stdout).not.toContain(prodPw)
    }
    // the inventory's plain file is stored; nothing vaulted, whole or inline, is
    const stored = ['yaml', 'templates'].flatMap((k) =>
      existsSync(join(cache, k)) ? readdirSync(join(cache, k)).map((f) => readFileSync(join(cache, k, f), 'utf8')) : [],
    )
    expect(stored.some((t) => t.includes('ansible_connection'))).toBe(true)
    noSecrets(stored.join('\n'))
    expect(stored.join('\n')).not.toContain('ANSIBLE_VAULT')
  })

  it('an executable password file, ANSIBLE_VAULT_PASSWORD_FILE, validate, hosts', async () => {
    rmSync(out(), { recursive: true, force: true })
    const ids = ['--vault-id', `prod@${join(dir, 'prod-pw')}`]
    const a = await run([...ids, '--vault-pass-file', join(dir, 'pass.sh'), '--json']) // Ansible's other spelling
    expect(a.code, a.stdout + a.stderr).toBe(0)
    const b = await run(ids, { ANSIBLE_VAULT_PASSWORD_FILE: join(dir, 'pw') })
    expect(b.code, b.stdout).toBe(0)
    const v = await tsplay(
      ['validate', join(dir, 'site.yml'), '-i', join(dir, 'inventory'), '-e', 'from_extra=', ...ids],
      {
        env: { ANSIBLE_VAULT_PASSWORD_FILE: join(dir, 'pass.sh') },
      },
    )
    expect(v.stdout).toMatch(/valid \(1 plays, 5 tasks, 1 hosts/)
    const h = await tsplay(['hosts', '-i', join(dir, 'inventory'), '--vault-password-file', join(dir, 'pw')])
    expect([h.code, h.stdout]).toEqual([0, '  hosts (1):\n    box   g\n'])
    const refused = await tsplay(['hosts', '-i', join(dir, 'inventory')])
    expect(refused.code).toBe(5)
    expect(refused.stderr).toContain('group_vars/g.yml:1:1: found vaulted content but no vault password')
    expect(v.code, v.stderr).toBe(0)
  })

  it("ansible.cfg's vault_password_file (relative to its folder) and vault_identity_list", async () => {
    rmSync(out(), { recursive: true, force: true })
    const cfg = join(dir, 'cfg', 'ansible.cfg')
    execFileSync('mkdir', ['-p', join(dir, 'cfg')])
    writeFileSync(cfg, `[defaults]\nvault_password_file = ../pw\nvault_identity_list = prod@${join(dir, 'prod-pw')}\n`)
    const r = await run(['--json'], { ANSIBLE_CONFIG: cfg })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(readFileSync(join(out(), 'all'), 'utf8')).toBe(
      [s.vf, s.inline, s.prod, s.group, s.host, s.inc, s.extra].join(' '),
    )
    for (const p of [pw, prodPw]) expect(r.stdout + r.stderr).not.toContain(p)
  })

  it('no password: an error with file:line:col, before anything runs', async () => {
    rmSync(out(), { recursive: true, force: true })
    const r = await run([])
    expect(r.code).toBe(5)
    expect(r.stderr).toContain(`ERROR: ${join(dir, 'extra.yml')}:1:1: found vaulted content but no vault password`)
    const all = await run([], {}, false)
    expect(all.code).toBe(5)
    // inline values are kept encrypted (an error only when used, as Ansible); vaulted files are refused
    expect(all.stderr).not.toMatch(/site\.yml:\d+:\d+: found vaulted content/)
    expect(all.stderr).toContain(`${join(dir, 'inventory/host_vars/box.yml')}:1:1: found vaulted content`)
    expect(r.stderr).toContain('--vault-password-file FILE')
    expect(r.stderr).toContain('Nothing was contacted.')
    expect(existsSync(out())).toBe(false)
    noSecrets(r.stdout + r.stderr)
  })

  it('no password, inline values only: a warning; `is vault_encrypted` works; a task using one fails', async () => {
    writeFileSync(join(dir, 'local.ini'), 'box ansible_connection=local\n')
    const inv = ['-i', join(dir, 'local.ini')]
    const v = await tsplay(['validate', join(dir, 'inline.yml'), ...inv])
    expect(v.code, v.stderr).toBe(0)
    expect(v.stderr).toMatch(/inline\.yml:4:\d+: vaulted value kept encrypted: no vault password was given/)
    expect(v.stderr).toMatch(/inline\.yml:\d+:\d+: vaulted value \(vault id "prod"\) kept encrypted/)
    const r = await tsplay(['run', join(dir, 'inline.yml'), ...inv, '--output', 'plain'])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('All assertions passed')
    expect(r.stdout).toMatch(/FAILED! => .*cannot use a vaulted value \(written at .*inline\.yml:4:\d+\)/)
    expect(r.stdout).not.toContain('never printed')
    noSecrets(r.stdout + r.stderr)
  })

  it('a wrong password: "Decryption failed" at each place, nothing runs', async () => {
    rmSync(out(), { recursive: true, force: true })
    const wrong = join(dir, 'wrong')
    writeFileSync(wrong, `${rnd()}\n`)
    // without the vaulted -e file (read first, alone): the loader reports every other place at once
    const r = await run(['--vault-password-file', wrong, '--vault-id', `prod@${join(dir, 'prod-pw')}`], {}, false)
    expect(r.code).toBe(5)
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('ERROR: '))
    expect(lines.length).toBeGreaterThanOrEqual(3)
    for (const l of lines) expect(l).toMatch(/^ERROR: \/.+:\d+:\d+: Decryption failed/)
    expect(r.stderr).toContain(`${join(dir, 'inventory/group_vars/g.yml')}:1:1: Decryption failed`)
    expect(r.stderr).toMatch(/site\.yml:5:13: Decryption failed: none of the vault passwords given/)
    expect(existsSync(out())).toBe(false)
    noSecrets(r.stdout + r.stderr + readFileSync(wrong, 'utf8'))
  })
})
