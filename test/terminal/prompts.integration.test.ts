/**
 * Prompts on a real terminal (a tmux pane): `vars_prompt` (echo for `private: false`, none for private answers,
 * `confirm` asking again after a mismatch, the default for an empty answer) and `--ask-vault-pass` /
 * `--vault-id LABEL@prompt`. What is typed privately must never be on the screen, not as it is typed and not in the
 * run's output (a private answer a task prints is masked). Runs on the controller (local connection).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunTmux, openScreen, type Screen } from './tmux.js'

const can = canRunTmux()
const haveVault = spawnSync('ansible-vault', ['--version'], { stdio: 'ignore' }).status === 0
const hex = () => randomBytes(8).toString('hex')
const count = (text: string, s: string) => text.split(s).length - 1

describe.skipIf(!can.ok)(`prompts on a terminal${can.ok ? '' : ` (skipped: ${!can.ok && can.why})`}`, () => {
  let dir = ''
  const screens: Screen[] = []
  const open = async (args: string[]) => {
    const s = await openScreen(args)
    screens.push(s)
    return s
  }
  beforeAll(() => {
    dir = writeTree({
      'inventory.yml': 'all:\n  hosts:\n    box: { ansible_connection: local }\n',
    })
  })
  afterAll(async () => {
    for (const s of screens) await s.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('vars_prompt: echo only when not private, confirm, default; private answers never shown', async () => {
    const [release, first, typo] = [hex(), hex(), hex()]
    const out = join(dir, 'answers')
    writeFileSync(
      join(dir, 'prompt.yml'),
      `- hosts: box
  gather_facts: false
  vars_prompt:
    - { name: release, prompt: Which release?, default: stable, private: false }
    - { name: secret, prompt: Secret, confirm: true }
    - { name: channel, prompt: Channel, default: main, private: false }
  tasks:
    - copy: { dest: "${out}", content: "{{ release }} {{ secret }} {{ channel }}\\n", mode: "0600" }
    - debug: { msg: "the secret is {{ secret }}" }
`,
    )
    const s = await open(['run', join(dir, 'prompt.yml'), '-i', join(dir, 'inventory.yml'), '--output', 'plain'])
    await s.waitFor((t) => t.includes('Which release? [stable]: '), 20_000, 'the first prompt')
    await s.keys(release, 'Enter')
    await s.waitFor((t) => t.includes('Secret: '), 10_000, 'the private prompt')
    await s.keys(first, 'Enter')
    await s.waitFor((t) => t.includes('confirm Secret: '), 10_000, 'the confirmation')
    await s.keys(typo, 'Enter')
    await s.waitFor((t) => t.includes('VALUES ENTERED DO NOT MATCH'), 10_000, 'the mismatch notice')
    await s.waitFor((t) => count(t, 'Secret: ') === 3, 10_000, 'the private prompt again')
    await s.keys(first, 'Enter')
    await s.waitFor((t) => count(t, 'confirm Secret: ') === 2, 10_000, 'the confirmation again')
    await s.keys(first, 'Enter')
    await s.waitFor((t) => t.includes('Channel [main]: '), 10_000, 'the last prompt')
    await s.keys('Enter')
    const screen = await s.waitFor((t) => t.includes('PLAY RECAP'), 30_000, 'the recap')
    expect(await s.exitCode(10_000)).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(`${release} ${first} main\n`)
    expect(screen).toContain(`Which release? [stable]: ${release}`) // echoed
    expect(screen).toContain('the secret is ********')
    for (const secret of [first, typo]) expect(screen).not.toContain(secret)
  }, 90_000)

  it.skipIf(!haveVault)(
    '--ask-vault-pass and --vault-id LABEL@prompt ask without echo',
    async () => {
      const [pw, prodPw, value] = [hex(), hex(), hex()]
      const pwFile = join(dir, 'pw')
      const prodFile = join(dir, 'prod-pw')
      writeFileSync(pwFile, pw)
      writeFileSync(prodFile, prodPw)
      writeFileSync(join(dir, 'secret.yml'), `value: ${value}\n`)
      execFileSync('ansible-vault', ['encrypt', '--vault-password-file', pwFile, join(dir, 'secret.yml')], {
        stdio: 'ignore',
      })
      const inline = execFileSync(
        'ansible-vault',
        ['encrypt_string', '--vault-id', `prod@${prodFile}`, '--encrypt-vault-id', 'prod', value, '--name', 'other'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      )
      rmSync(pwFile)
      rmSync(prodFile)
      const out = join(dir, 'vaulted')
      writeFileSync(
        join(dir, 'vault.yml'),
        `- hosts: box
  gather_facts: false
  vars_files: [secret.yml]
  vars:
${inline.replace(/^/gm, '    ').trimEnd()}
  tasks:
    - copy: { dest: "${out}", content: "{{ value }} {{ other }}\\n", mode: "0600" }
`,
      )
      const s = await open([
        'run',
        join(dir, 'vault.yml'),
        '-i',
        join(dir, 'inventory.yml'),
        '-J',
        '--vault-id',
        'prod@prompt',
      ])
      await s.waitFor((t) => t.includes('Vault password: '), 20_000, 'the vault prompt')
      await s.keys(pw, 'Enter')
      await s.waitFor((t) => t.includes('Vault password (prod): '), 10_000, 'the labelled prompt')
      await s.keys(prodPw, 'Enter')
      const screen = await s.waitFor((t) => t.includes('PLAY RECAP'), 30_000, 'the recap')
      expect(await s.exitCode(10_000)).toBe(0)
      expect(readFileSync(out, 'utf8')).toBe(`${value} ${value}\n`)
      for (const secret of [pw, prodPw]) expect(screen).not.toContain(secret)
    },
    90_000,
  )
})
