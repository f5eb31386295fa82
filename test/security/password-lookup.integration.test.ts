/**
 * Security: the `password` lookup's secrets stay where the playbook puts them. End to end through the built CLI on
 * the implicit localhost: the stored password file is 0600 in a 0700 folder beside the playbook, the second run
 * reads the same password (the file it writes is unchanged), and the password appears in no output channel
 * (plain `-vvv`, `--json`) unless a task prints it (`debug`).
 */
import { readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const BOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ playbook_dir }}/out"
        content: "{{ lookup('password', 'creds/app length=24') }}\\n"
        mode: "0600"
    - command: "true"
      environment: { PW: "{{ lookup('password', 'creds/app') }}" }
      changed_when: false
    - set_fact: { hashed: "{{ lookup('password', 'creds/app') | password_hash('sha512', 'fixedsalt') }}" }
`

describe('the password lookup keeps its secret', () => {
  const dir = writeTree({
    'book.yml': BOOK,
    'shown.yml': BOOK.replace(/- set_fact.*/, "- debug: { msg: \"{{ lookup('password', 'creds/app') }}\" }"),
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('stores it 0600 under 0700, gives it back the same, and prints it nowhere unless asked', async () => {
    const first = await tsplay(['run', join(dir, 'book.yml'), '-vvv'], { cwd: dir })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    const pw = readFileSync(join(dir, 'creds/app'), 'utf8').trimEnd()
    expect(pw).toMatch(/^[A-Za-z0-9.,:_-]{24}$/)
    expect(statSync(join(dir, 'creds/app')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'creds')).mode & 0o777).toBe(0o700)
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(`${pw}\n`)
    const second = await tsplay(['run', join(dir, 'book.yml'), '--json'], { cwd: dir })
    expect(second.recap?.localhost).toMatchObject({ ok: 3, changed: 0, failed: 0 })
    for (const r of [first, second]) expect(r.stdout + r.stderr).not.toContain(pw)
    const shown = await tsplay(['run', join(dir, 'shown.yml')], { cwd: dir })
    expect(shown.stdout).toContain(pw)
  })
})
