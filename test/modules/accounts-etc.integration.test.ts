/**
 * `group`, `user` (also the home it makes for an existing user whose home is missing), `cron` (a cron_file),
 * `lineinfile`/`blockinfile`, `authorized_key`, `known_hosts` and `apt_repository` (its `mode` on a file it adds a
 * line to) as root, side by side with ansible-playbook, in a private namespace with /etc overlaid
 * (test/helpers/etcns.ts): accounts are created for real with useradd/groupadd, but only in the throw-away /etc
 * (and /var/log, where useradd keeps its lastlog records, is a tmpfs of the namespace). Twice each: the recap
 * counts, the lines each engine left in passwd, group, shadow (the day of the last change left out), gshadow,
 * subuid and subgid, the other files and their modes must agree. (A `groups` list that names the user's primary
 * group is a difference the README lists: not run here.)
 */
import { afterAll, describe, expect, it } from 'vitest'
import { etcNamespaces } from '../helpers/etcns.js'

const ns = etcNamespaces()
afterAll(() => ns.ok && ns.done())

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOdummyKeyForTestOnly00000000000000000000000'

const BOOK = `- hosts: all
  gather_facts: false
  tasks:
    - group: { name: tspgrp, gid: 4242 }
      register: g1
    - user: { name: tspusr, uid: 4243, group: tspgrp, groups: [adm], create_home: false, shell: /bin/sh, comment: T U }
      register: u1
    - user: { name: tspusr2, system: true, create_home: false }
    - group: { name: tspgrp2, system: true }
    - user: { name: tspusr3, create_home: false, password_lock: true, expires: 1893456000 }
    - user: { name: tspusr3, groups: [users], append: true, create_home: false }
    - user: { name: tspusr4, home: /etc/tsph/u4, create_home: false }
    - user: { name: tspusr4 }
    - user: { name: tsp-no-such-user, state: absent }
      register: u0
    - group: { name: tsp-no-such-group, state: absent }
      register: g0
    - apt: { name: coreutils, state: present }
      register: a1
    - apt: { name: tsplay-no-such-package-here, state: absent }
      register: a0
    - assert:
        that:
          - a1.cache_updated == false and a1.cache_update_time is number
          - a0.cache_updated is not defined and a0.cache_update_time is not defined
          - g1.gid == 4242 and g1.system == false and g0.gid is not defined and g0.system is not defined
          - u1 is not changed or (u1.system == false and u1.create_home == false and u1.append is not defined)
          - u1 is changed or (u1.append == false and u1.move_home == false and u1.system is not defined)
          - u0.force is not defined and u0.remove is not defined
    - cron: { name: job1, minute: "5", job: "echo hi", cron_file: tsplay-test, user: root }
    - cron: { name: MAILTO, env: true, job: "root@example.invalid", cron_file: tsplay-test, user: root }
    - lineinfile: { path: /etc/tsplay-test.conf, line: "a=1", create: true, mode: "0600" }
    - blockinfile: { path: /etc/tsplay-test.conf, block: "b=2\\nc=3" }
    - authorized_key: { user: root, key: "${KEY} t@x", path: /etc/tsplay-ak }
    - known_hosts: { path: /etc/tsplay-kh, name: host.example, key: "host.example ${KEY}" }
    - apt_repository: { repo: "deb http://deb.example.invalid/debian bookworm main", update_cache: no, filename: tsp }
    - apt_repository:
        repo: deb-src http://deb.example.invalid/debian bookworm main
        update_cache: false
        filename: tsp
        mode: "0600"
`

/** What a file under /etc says of the test's accounts (the others are the machine's), backups left out. */
function ours(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('-') || path.endsWith('.lock')) continue
    const account = /^(passwd|group|shadow|gshadow|subuid|subgid)$/.test(path)
    out[path] = account
      ? text
          .split('\n')
          .filter((l) => /^tsp(usr|grp)/.test(l))
          .map((l) => (path === 'shadow' ? l.replace(/^([^:]*:[^:]*:)\d+:/, '$1DAY:') : l))
          .join('\n')
      : text
  }
  return out
}

describe.skipIf(!ns.ok)(
  `accounts and files under /etc agree with ansible-playbook (${ns.ok ? 'root' : ns.why})`,
  () => {
    it('creates, changes and removes them the same way, then changes nothing', () => {
      if (!ns.ok) return
      const ansible = ns.run('ansible', BOOK, 'true')
      const tsplay = ns.run('tsplay', BOOK, 'true')
      expect(ansible.recaps).toHaveLength(2)
      expect(ansible.recaps[1]).toMatch(/changed=0 /)
      for (const r of ansible.recaps) expect(r).toMatch(/failed=0 /) // its asserts on the registered results hold
      expect(ours(ansible.files).passwd).toMatch(/^tspusr:x:4243:4242:T U:/m)
      expect(tsplay.recaps).toEqual(ansible.recaps)
      expect(ours(tsplay.files)).toEqual(ours(ansible.files))
      expect(ansible.modes['apt/sources.list.d/tsp.list']).toBe('0600')
      expect(ansible.files['tsph/u4/.profile']).toBeDefined() // Ansible makes the missing home from /etc/skel
      const own = (m: Record<string, string>) => Object.entries(m).filter(([p]) => /tsp/.test(p))
      expect(own(tsplay.modes)).toEqual(own(ansible.modes))
    })
  },
)
