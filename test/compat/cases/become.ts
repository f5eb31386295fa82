/**
 * Agreement cases for `become_method: su`: the login user (no password asked by its sudo) becomes a target user
 * through su with that user's password, given as `ansible_become_password` in an extra-vars file written at run
 * time (the user and its random password are made for this test process and removed when it ends). `become_vars`
 * does it with Ansible's become variables (`ansible_become`, `_user`, `_method`, `_flags`), which override the
 * keywords, `become: false` included.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { track } from '../../helpers/leftovers.js'
import { ensureSuTarget } from '../../helpers/test-users.js'
import type { CompatCase } from '../harness.js'

/** Write the su target's password and Ansible's temp settings for su into `dir`/su.yml (mode 0600). */
function suSetup(dir: string): void {
  const t = ensureSuTarget()
  // Ansible copies its module into a temp folder the target user must read (su cannot pipeline): a folder in the
  // run's temp folder (removed when this process ends, or with the run) and world-readable temp files, for this case
  // only; named here, as the target's side does not inherit TMPDIR
  const tmp = join(tmpdir(), `tsplay-compat-su-${process.pid}`)
  track({ dirs: [tmp] })
  mkdirSync(tmp, { recursive: true })
  chmodSync(tmp, 0o1777)
  const yaml = [
    `su_target: "${t.user}"`,
    `ansible_become_password: "${t.password}"`,
    'ansible_shell_allow_world_readable_temp: true',
    `ansible_remote_tmp: "${tmp}"`,
    '',
  ].join('\n')
  writeFileSync(join(dir, 'su.yml'), yaml, { mode: 0o600 })
}

export const BECOME: CompatCase[] = [
  {
    name: 'become_su',
    covers: 'become_method su with become_user and ansible_become_password',
    flags: ['-e', '@{group}/become_su/su.yml'],
    clean: true,
    setup: suSetup,
    files: {
      'main.yml': `- hosts: become_su
  gather_facts: false
  tasks:
    - command: id -un
      become: true
      become_method: su
      become_user: "{{ su_target }}"
      register: who
      changed_when: false
    - assert: { that: ["who.stdout == su_target"] }
    - block:
        - command: id -un
          register: blk
          changed_when: false
      become: true
      become_method: ansible.builtin.su
      become_user: "{{ su_target }}"
    - assert: { that: ["blk.stdout == su_target"] }
    - command: id -un
      register: me
      changed_when: false
    - assert: { that: ["me.stdout != su_target"] }
`,
    },
  },
  {
    name: 'become_vars',
    covers:
      'ansible_become, ansible_become_user, ansible_become_method, ansible_become_flags override the keywords; ' +
      'ansible_su_user and ansible_su_flags override those',
    flags: ['-e', '@{group}/become_vars/su.yml'],
    clean: true,
    setup: suSetup,
    files: {
      'main.yml': `- hosts: become_vars
  gather_facts: false
  vars:
    ansible_become_method: su
  tasks:
    - command: id -un
      vars: { ansible_become: true, ansible_become_user: "{{ su_target }}" }
      register: who
      changed_when: false
    - command: id -un
      become: false
      vars: { ansible_become: true, ansible_become_user: "{{ su_target }}", ansible_become_flags: -s /bin/sh }
      register: over
      changed_when: false
    - command: id -un
      become: true
      become_user: "{{ su_target }}"
      vars: { ansible_become: false }
      register: unbecome
      changed_when: false
    - command: id -un
      vars:
        ansible_become: true
        ansible_become_user: root
        ansible_su_user: "{{ su_target }}"
        ansible_su_flags: -s /bin/sh
      register: own
      changed_when: false
    - assert: { that: ["who.stdout == su_target", "over.stdout == su_target", "unbecome.stdout != su_target"] }
    - assert: { that: ["own.stdout == su_target"] }
`,
    },
  },
]
