/**
 * Agreement cases for the user and group modules' account settings (what Ansible's `user` and `group` integration
 * targets pin down: expires, password_lock, password aging, umask, createhome, local, non_unique). They change this
 * machine's accounts, so every name is `tspt-<random>-…` (never fixed), recorded in the leftovers registry before
 * the run (removed at exit, or by the next sweep after a crash), and each play removes its accounts at the end, so
 * every round starts from none. Both hosts of a case are this machine: names end in the host's letter.
 */
import { randomBytes } from 'node:crypto'
import type { CompatCase } from '../harness.js'
import { track } from '../../helpers/leftovers.js'

const TAG = randomBytes(3).toString('hex')
/** A crypt-shaped hash of random bytes: no password at all (nothing hashes to it), never written in the source. */
const fakeHash = () => `$6$${randomBytes(8).toString('hex')}$${randomBytes(32).toString('base64url')}`
const H1 = fakeHash()
const H2 = fakeHash()

/** Each case's two letters in its account names. */
const SHORT: Record<string, string> = { user_shadow: 'sh', user_local: 'lo', group_args: 'gr' }
const play = (name: string, tasks: string) =>
  `- hosts: ${name}\n  gather_facts: false\n  become: true\n  vars:\n    u: "tspt-${TAG}-${SHORT[name]}` +
  `{{ inventory_hostname[-1] }}"\n  tasks:\n${tasks}`
/** Account names a case's hosts use (see `play`). */
const names = (name: string) => ['a', 'b'].map((h) => `tspt-${TAG}-${SHORT[name]}${h}`)

export const ACCOUNTS: CompatCase[] = [
  {
    name: 'user_shadow',
    covers: 'user (expires, password_lock, password_expire_min/max, umask, createhome)',
    clean: true,
    setup: () => track({ users: [...names('user_shadow'), ...names('user_shadow').map((n) => `${n}2`)] }),
    files: {
      'main.yml': play(
        'user_shadow',
        `
    - block:
        - user: { name: "{{ u }}", expires: 2529881062, password_expire_min: 1, password_expire_max: 30, umask: "0077" }
          register: made
        - user: { name: "{{ u }}", expires: 2529881062.5, password_expire_min: 1, password_expire_max: 30 }
          register: again
        - getent: { database: shadow, key: "{{ u }}" }
        - stat: { path: "/home/{{ u }}" }
          register: home
        - assert:
            that:
              - made is changed
              - again is not changed
              - getent_shadow[u][6] == '29281'
              - getent_shadow[u][2] == '1'
              - getent_shadow[u][3] == '30'
              - home.stat.mode == '0700'
        - user: { name: "{{ u }}", expires: -1 }
        - user: { name: "{{ u }}", expires: -1 }
        - user: { name: "{{ u }}", password_expire_max: 60 }
        - user: { name: "{{ u }}", password_lock: true }
        - user: { name: "{{ u }}", password: "${H1}" }
        - user: { name: "{{ u }}", password_lock: true }
        - user: { name: "{{ u }}", password_lock: true }
        - user: { name: "{{ u }}", password_lock: true, password: "${H1}" }
        - getent: { database: shadow, key: "{{ u }}" }
        - assert: { that: ["getent_shadow[u][0] == '!${H1}'", "getent_shadow[u][6] == ''"] }
        - user: { name: "{{ u }}", password_lock: false }
        - user: { name: "{{ u }}", password_lock: false }
        - user: { name: "{{ u }}", password_lock: true, password: "${H2}" }
        - getent: { database: shadow, key: "{{ u }}" }
        - assert: { that: ["getent_shadow[u][0] == '!${H2}'"] }
        - user: { name: "{{ u }}2", createhome: false, expires: -1 }
        - stat: { path: "/home/{{ u }}2" }
          register: nohome
        - assert: { that: [not nohome.stat.exists] }
      always:
        - user: { name: "{{ u }}", state: absent, remove: true }
        - user: { name: "{{ u }}2", state: absent, remove: true }
`,
      ),
    },
  },
  {
    name: 'user_local',
    covers: 'user local: true (luseradd, lusermod, lchage, lgroupmod, luserdel)',
    clean: true,
    setup: () => track({ users: names('user_local') }),
    files: {
      'main.yml': play(
        'user_local',
        `
    - block:
        - user: { name: "{{ u }}", local: true, groups: [users], expires: 2529881062, comment: one }
        - user: { name: "{{ u }}", local: true, groups: [users], expires: 2529881062, comment: one }
        - getent: { database: shadow, key: "{{ u }}" }
        - assert: { that: ["getent_shadow[u][6] == '29281'"] }
        - user: { name: "{{ u }}", local: true, groups: [], shell: /bin/bash, expires: -1 }
        - user: { name: "{{ u }}", local: true, groups: [], shell: /bin/bash, expires: -1 }
        - command: id -nG {{ u }}
          register: ids
          changed_when: false
        - assert: { that: ["'users' not in ids.stdout.split()"] }
        - user: { name: "{{ u }}", local: true, umask: "0077" }
          register: bad
          ignore_errors: true
        - user: { name: "{{ u }}", local: true, state: absent, remove: true }
        - user: { name: "{{ u }}", local: true, state: absent, remove: true }
      throttle: 1 # libuser's tools do not wait for each other's lock: one host at a time
      always:
        - user: { name: "{{ u }}", state: absent, remove: true }
          throttle: 1
`,
      ),
    },
  },
  {
    name: 'group_args',
    covers: 'group (non_unique, local)',
    clean: true,
    setup: () => track({ groups: names('group_args').flatMap((n) => ['', '2', '3', 'l', '4'].map((x) => n + x)) }),
    files: {
      'main.yml': play(
        'group_args',
        `
    - block:
        - group: { name: "{{ u }}" }
          register: first
        - group: { name: "{{ u }}2", gid: "{{ first.gid }}", non_unique: true }
        - group: { name: "{{ u }}2", gid: "{{ first.gid }}", non_unique: true }
        - group: { name: "{{ u }}3", gid: "{{ first.gid }}" }
          ignore_errors: true
        - group: { name: "{{ u }}l", local: true }
        - group: { name: "{{ u }}l", local: true }
        - group: { name: "{{ u }}4", local: true, gid: "{{ first.gid }}" }
          register: taken
          ignore_errors: true
        - assert: { that: [taken is failed, "'already exists' in taken.msg"] }
        - group: { name: "{{ u }}l", local: true, state: absent }
        - group: { name: "{{ u }}l", local: true, state: absent }
        - getent: { database: group, key: "{{ u }}2" }
        - assert: { that: ["getent_group[u ~ '2'][1] == first.gid | string"] }
      throttle: 1 # libuser's tools do not wait for each other's lock: one host at a time
      always:
        - group: { name: "{{ item }}", state: absent }
          loop: ["{{ u }}", "{{ u }}2", "{{ u }}3", "{{ u }}l", "{{ u }}4"]
          throttle: 1
`,
      ),
    },
  },
]
