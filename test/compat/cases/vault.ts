/**
 * Agreement case for Ansible Vault: a vaulted vars_file, an inline `!vault` play variable, a vaulted group_vars
 * file beside the inventory, a vaulted include_vars file, vaulted `copy`/`template` sources (both engines write
 * them decrypted) and a vaulted `assemble` fragment on the controller (decrypted unless `decrypt: false`). The
 * vaulted files are made when the case is written, by the installed `ansible-vault` with a password generated for
 * the run; both engines get the same `--vault-password-file`.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CompatCase } from '../harness.js'

/** The files to encrypt (relative to the case folder) and what they hold before. */
const VAULTED: Record<string, string> = {
  'vars/secret.yml': 'from_vars_file: file-secret\n',
  'vars/inc.yml': 'from_include: include-secret\n',
  '../group_vars/vault.yml': 'from_group: group-secret\n',
  'files/secret.txt': 'copied secret\n',
  'templates/secret.j2': '{{ from_group }} / {{ inline }}\n',
  'files/frags/1-secret': 'assembled secret\n',
}

/** Encrypt the files and the inline value with a new password; the password file is `pw` in the case folder. */
function setup(dir: string): void {
  const pw = join(dir, 'pw')
  writeFileSync(pw, `${randomBytes(18).toString('base64')}\n`, { mode: 0o600 })
  const vault = (args: string[]) =>
    execFileSync('ansible-vault', [...args, '--vault-password-file', pw], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
  for (const [rel, text] of Object.entries(VAULTED)) {
    writeFileSync(join(dir, rel), text)
    vault(['encrypt', join(dir, rel)])
  }
  const inline = vault(['encrypt_string', 'inline-secret', '--name', 'inline'])
  const main = join(dir, 'main.yml')
  writeFileSync(
    main,
    readFileSync(main, 'utf8').replace('    INLINE\n', `${inline.replace(/^/gm, '    ').trimEnd()}\n`),
  )
}

export const VAULT: CompatCase[] = [
  {
    name: 'vault',
    covers: 'vault: vars_files, inline !vault, group_vars, include_vars, copy/template src',
    flags: ['--vault-password-file', '{group}/vault/pw'],
    setup,
    files: {
      ...Object.fromEntries(Object.keys(VAULTED).map((k) => [k, ''])),
      'files/frags/2-plain': 'plain part',
      'main.yml': `- hosts: vault
  gather_facts: false
  vars_files: [vars/secret.yml]
  vars:
    INLINE
  tasks:
    - copy:
        dest: "{{ root }}/vars"
        content: "{{ from_vars_file }} {{ inline }} {{ from_group }}\\n"
        mode: "0600"
    - include_vars: vars/inc.yml
    - assert: { that: ["from_include == 'include-secret'", "inline | length == 13"] }
    - copy: { src: secret.txt, dest: "{{ root }}/copied", mode: "0600" }
    - template: { src: secret.j2, dest: "{{ root }}/templated", mode: "0600" }
    - assemble: { src: frags, remote_src: false, dest: "{{ root }}/assembled", mode: "0600" }
    - assemble: { src: frags, remote_src: false, decrypt: false, dest: "{{ root }}/assembled-raw", mode: "0600" }
    - copy: { src: frags/, dest: "{{ root }}/frags-on-host/", mode: "0600", decrypt: false }
    - assemble: { src: "{{ root }}/frags-on-host", decrypt: true, dest: "{{ root }}/assembled-host", mode: "0600" }
    - debug: { var: inline }
`,
    },
  },
]
