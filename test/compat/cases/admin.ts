/**
 * Agreement cases for `set_stats`, `apt_key` and `iptables`. `apt_key` adds a key made for the run (test/helpers/
 * gpgkey.ts) to keyrings in the case's own folder, never apt's (as root: `apt-key add` needs it); its URLs are the
 * loopback test server's (`SERVED`).
 * `iptables` works only in chains of its own with a random name per run, engine and host, made and removed by the
 * play; `cleanup` removes any that a failed run left. The stats themselves are compared with Ansible's in
 * test/engine/set-stats.integration.test.ts.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CompatCase } from '../harness.js'
import { makeKey } from '../../helpers/gpgkey.js'
import { SERVED } from './web.js'

const play = (name: string, head: string, tasks: string) =>
  `- hosts: ${name}\n  gather_facts: false\n${head}  tasks:\n${tasks}`

/** The iptables chains' name prefix for this run (random: nothing else uses it). */
const PREFIX = `tsp${randomBytes(4).toString('hex')}`

/** Delete every chain whose name starts with this run's prefix (after flushing it). */
function removeChains(): void {
  let rules: string
  try {
    rules = execFileSync('iptables', ['-S'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return // no iptables here: the case did not run
  }
  const chains = rules
    .split('\n')
    .filter((l) => l.startsWith(`-N ${PREFIX}`))
    .map((l) => l.slice(3))
  for (const c of chains) execFileSync('iptables', ['-F', c])
  for (const c of chains) execFileSync('iptables', ['-X', c])
}

export const ADMIN: CompatCase[] = [
  {
    name: 'set_stats',
    covers: 'set_stats (registered ansible_stats, loops, run_once, a bad name)',
    files: {
      'main.yml': play(
        'set_stats',
        '',
        `
    - set_stats: { data: { n: 1, l: [1] } }
      register: r
    - assert:
        that: [r is not changed, "r.ansible_stats.data.n == 1", r.ansible_stats.aggregate, not r.ansible_stats.per_host]
    - set_stats: { data: { n: 2 }, per_host: yes, aggregate: no }
      register: p
    - assert: { that: [p.ansible_stats.per_host, not p.ansible_stats.aggregate] }
    - set_stats: { data: { k: "{{ item }}" } }
      loop: [1, 2]
    - set_stats: { data: { once: 1 } }
      run_once: true
    - set_stats: { data: { "a-b": 1 } }
      ignore_errors: true
    - set_stats: { data: { checked: 1 } }
      check_mode: true
`,
      ),
    },
  },
  {
    name: 'apt_key',
    covers: 'apt_key (file, data, url armored and binary, short/long/full ids, absent, check mode, failures)',
    clean: true,
    setup: (dir) => {
      const k = makeKey()
      writeFileSync(join(dir, 'k.asc'), k.armored)
      writeFileSync(join(dir, 'k.gpg'), k.binary)
      writeFileSync(
        join(dir, 'key.yml'),
        `key_fp: "${k.fingerprint}"\nkey_long: "${k.long}"\nkey_short: "${k.short}"\n`,
      )
      SERVED.set(`/keys/${k.long}.asc`, Buffer.from(k.armored))
      SERVED.set(`/keys/${k.long}.gpg`, k.binary)
    },
    files: {
      'main.yml': play(
        'apt_key',
        // gpg (reading a key's id, as root) needs a home folder: one the test removes, not root's ~/.gnupg
        `  become: true
  vars_files: [key.yml]
  vars:
    gnupg: "{{ base }}/gnupg-{{ inventory_hostname }}"
  environment: { GNUPGHOME: "{{ gnupg }}" }
`,
        `
    - file: { path: "{{ gnupg }}", state: directory, mode: "0700" }
    - copy: { src: k.gpg, dest: "{{ root }}/k.gpg", mode: "0644" }
    - name: from a file on the host, the id read from the key
      apt_key: { file: "{{ root }}/k.gpg", keyring: "{{ root }}/a.gpg" }
      register: a
    - assert: { that: ["a.id == key_long", "a.fp == key_long", "a.short_id == key_short", "a.key_id == key_long"] }
    - name: there already (its fingerprint, from data)
      apt_key: { id: "{{ key_fp }}", data: "{{ lookup('file', 'k.asc') }}", keyring: "{{ root }}/a.gpg" }
      register: again
    - assert: { that: [again is not changed, "again.fp == key_long", "again.key_id == key_fp"] }
    - name: from data, no id
      apt_key: { data: "{{ lookup('file', 'k.asc') }}", keyring: "{{ root }}/b.gpg" }
    - name: from a URL, no id (armored)
      apt_key: { url: "{{ web }}/keys/{{ key_long }}.asc", keyring: "{{ root }}/c.gpg" }
    - name: from a URL with a short id (binary)
      apt_key: { id: "{{ key_short }}", url: "{{ web }}/keys/{{ key_long }}.gpg", keyring: "{{ root }}/d.gpg" }
      register: d
    - assert: { that: ["d.short_id == key_short", "d.fp == key_short"] }
    - name: in check mode only listed
      apt_key: { id: "0x{{ key_fp }}", url: "{{ web }}/keys/{{ key_long }}.asc", keyring: "{{ root }}/e.gpg" }
      check_mode: true
      register: chk
    - assert: { that: [chk is changed] }
    - name: removed by its long id
      apt_key: { id: "{{ key_long }}", keyring: "{{ root }}/b.gpg", state: absent }
      register: gone
    - assert: { that: [gone is changed] }
    - apt_key: { id: "{{ key_fp }}", keyring: "{{ root }}/b.gpg", state: absent }
      register: gone2
    - assert: { that: [gone2 is not changed] }
    - name: an invalid id
      apt_key: { id: "12345", keyring: "{{ root }}/f.gpg" }
      ignore_errors: true
    - name: a missing page
      apt_key: { url: "{{ web }}/keys/none.asc", keyring: "{{ root }}/g.gpg" }
      ignore_errors: true
    - name: no key to read the id from
      apt_key: { data: "not a key", keyring: "{{ root }}/h.gpg" }
      ignore_errors: true
`,
      ),
    },
  },
  {
    name: 'iptables',
    covers: 'iptables (chain_management, append/insert, negation, multiport, conntrack, comment, LOG, policy, flush)',
    clean: true,
    setup: (dir) => writeFileSync(join(dir, 'ipt.yml'), `ipt_prefix: ${PREFIX}\n`),
    cleanup: removeChains,
    files: {
      'main.yml': play(
        'iptables',
        `  become: true
  vars_files: [ipt.yml]
  vars:
    chain: "{{ ipt_prefix }}{{ 'a' if base.endswith('-ansible') else 't' }}{{ inventory_hostname[-1] }}"
`,
        `
    - name: the chain, created (Ansible 2.14 appends an empty rule with it)
      iptables: { chain: "{{ chain }}", chain_management: true }
      loop: [1, 2]
    - iptables:
        chain: "{{ chain }}"
        protocol: tcp
        destination_port: 2222
        source: 127.0.0.1
        ctstate: [NEW]
        jump: ACCEPT
        comment: tsplay test
      loop: [1, 2]
      register: r
    - assert: { that: ["r.results[0] is changed", "r.results[1] is not changed", "r.results[0].chain == chain"] }
    - iptables:
        { chain: "{{ chain }}", protocol: udp, destination_ports: "5000,5001:5010", jump: DROP, action: insert,
          rule_num: 1 }
      loop: [1, 2]
    - iptables: { chain: "{{ chain }}", protocol: tcp, source: "!10.9.9.9", reject_with: tcp-reset }
    - iptables: { chain: "{{ chain }}", protocol: tcp, source: "!10.9.9.9", reject_with: tcp-reset, state: absent }
      loop: [1, 2]
    - iptables: { chain: "{{ chain }}", in_interface: lo, log_prefix: "tsplay: ", log_level: info }
      register: log
    - assert: { that: ["log.rule == '--log-prefix tsplay:  --log-level info -i lo'"] }
    - iptables: { chain: INPUT, policy: ACCEPT }
      check_mode: true
    - iptables: { chain: "{{ chain }}", policy: DROP }
      ignore_errors: true
    - iptables: { chain: "{{ chain }}", jump: DROP, log_prefix: x }
      ignore_errors: true
    - iptables: { chain: "{{ chain }}x", jump: DROP }
      ignore_errors: true
    - iptables: { chain: "{{ chain }}", jump: DROP, state: absent }
      check_mode: true
    - command: iptables -S {{ chain }}
      register: rules
      changed_when: false
    - copy: { content: "{{ rules.stdout | replace(chain, 'CHAIN') }}\\n", dest: "{{ root }}/rules", mode: "0644" }
    - iptables: { chain: "{{ chain }}", flush: true }
    - iptables: { chain: "{{ chain }}", state: absent, chain_management: true }
      loop: [1, 2]
`,
      ),
    },
  },
]
