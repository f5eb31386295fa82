/**
 * Agreement cases for the user module's ssh key (`generate_ssh_key` and its `ssh_key_*` arguments) and its home
 * and uid arguments (`skeleton`, `move_home`, `non_unique`). Accounts are named `tspt-<random>-…` (never fixed),
 * recorded in the leftovers registry before the run and removed with their homes at the end of each play, so every
 * round starts from none. Both hosts of a case are this machine: names end in the host's letter.
 */
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CompatCase } from '../harness.js'
import { track } from '../../helpers/leftovers.js'

const TAG = randomBytes(3).toString('hex')
/** A random passphrase for the key (never written in the source). */
const PASS = randomBytes(12).toString('base64url')

/** The skeleton folder of a case host's account: in the run's temp folder (root on the target gets no TMPDIR). */
const SKEL = join(tmpdir(), '{{ u }}-skel')

const SHORT: Record<string, string> = { user_sshkey: 'sk', user_home: 'uh' }
const play = (name: string, tasks: string) =>
  `- hosts: ${name}\n  gather_facts: false\n  become: true\n  vars:\n    u: "tspt-${TAG}-${SHORT[name]}` +
  `{{ inventory_hostname[-1] }}"\n  tasks:\n${tasks}`
const names = (name: string) => ['a', 'b'].map((h) => `tspt-${TAG}-${SHORT[name]}${h}`)

export const USER_KEYS: CompatCase[] = [
  {
    name: 'user_sshkey',
    covers: 'user generate_ssh_key, ssh_key_type/bits/file/comment/passphrase, force, check mode',
    clean: true,
    setup: () => track({ users: names('user_sshkey').flatMap((n) => [n, `${n}x`]) }),
    files: {
      'main.yml': play(
        'user_sshkey',
        `
    - block:
        - user: { name: "{{ u }}", generate_ssh_key: true, ssh_key_type: ed25519, ssh_key_comment: "c {{ u }}" }
          register: made
        - user: { name: "{{ u }}", generate_ssh_key: true, ssh_key_type: ed25519 }
          register: again
        - stat: { path: "/home/{{ u }}/.ssh" }
          register: dir
        - stat: { path: "/home/{{ u }}/.ssh/id_ed25519" }
          register: key
        - assert:
            that:
              - made is changed
              - again is not changed
              - made.ssh_key_file == '/home/' ~ u ~ '/.ssh/id_ed25519'
              - made.ssh_public_key.startswith('ssh-ed25519 ')
              - made.ssh_public_key.endswith(' c ' ~ u)
              - again.ssh_public_key == made.ssh_public_key
              - again.ssh_fingerprint == made.ssh_fingerprint
              - made.ssh_fingerprint.startswith('256 SHA256:')
              - made.ssh_fingerprint.endswith('(ED25519)')
              - dir.stat.mode == '0700' and dir.stat.pw_name == u
              - key.stat.mode == '0600' and key.stat.pw_name == u
        - user: { name: "{{ u }}", generate_ssh_key: true, ssh_key_bits: 2048 }
          check_mode: true
          register: ck
        - assert: { that: [ck is changed, "ck.ssh_fingerprint == ''", ck.ssh_public_key is none] }
        - user: { name: "{{ u }}", generate_ssh_key: true, ssh_key_bits: 2048 }
          register: rsa
        - assert:
            that:
              - rsa is changed
              - rsa.ssh_fingerprint.startswith('2048 SHA256:')
              - "' ansible-generated on ' in rsa.ssh_public_key"
        - user:
            name: "{{ u }}"
            generate_ssh_key: true
            ssh_key_type: ed25519
            ssh_key_file: "/home/{{ u }}/keys/pp"
            ssh_key_passphrase: "${PASS}"
          register: pp
        - command: ssh-keygen -y -P "" -f /home/{{ u }}/keys/pp
          register: nopass
          failed_when: nopass.rc == 0
          changed_when: false
        - command: ssh-keygen -y -P "${PASS}" -f /home/{{ u }}/keys/pp
          register: withpass
          changed_when: false
        - assert: { that: ["withpass.stdout.split(' ')[:2] == pp.ssh_public_key.split(' ')[:2]"] }
        - user: { name: "{{ u }}", generate_ssh_key: true, ssh_key_type: ed25519, force: true }
          register: forced
        - assert:
            that:
              - forced is changed
              - forced.ssh_fingerprint != made.ssh_fingerprint
        - file: { path: "/home/{{ u }}/.ssh/id_ed25519", state: absent }
        - user: { name: "{{ u }}", generate_ssh_key: true, ssh_key_type: ed25519 }
          register: pubonly
        - assert: { that: [pubonly is not changed, "pubonly.ssh_fingerprint == ''", pubonly.ssh_public_key is string] }
        - user: { name: "{{ u }}x", generate_ssh_key: true }
          check_mode: true
          register: cknew
        - user: { name: "{{ u }}x", generate_ssh_key: true, ssh_key_file: .ssh/k, create_home: false }
          register: nohome
          ignore_errors: true
        - assert: { that: [cknew is changed, nohome is failed, "'home directory does not exist' in nohome.msg"] }
      always:
        - user: { name: "{{ u }}", state: absent, remove: true }
        - user: { name: "{{ u }}x", state: absent, remove: true }
`,
      ),
    },
  },
  {
    name: 'user_home',
    covers: 'user skeleton, move_home, non_unique',
    clean: true,
    setup: () => track({ users: names('user_home').flatMap((n) => [n, `${n}2`, `${n}3`]) }),
    files: {
      'main.yml': play(
        'user_home',
        `
    - block:
        - file: { path: "${SKEL}", state: directory, mode: "0755" }
        - copy: { dest: "${SKEL}/.marker", content: "hi\\n" }
        - user: { name: "{{ u }}", skeleton: "${SKEL}" }
          register: made
        - stat: { path: "/home/{{ u }}/.marker" }
          register: marker
        - user: { name: "{{ u }}", home: "/home/{{ u }}-moved", move_home: true }
          register: moved
        - user: { name: "{{ u }}", home: "/home/{{ u }}-moved", move_home: true }
          register: again
        - stat: { path: "/home/{{ u }}-moved/.marker" }
          register: there
        - stat: { path: "/home/{{ u }}" }
          register: old
        - assert:
            that:
              - marker.stat.exists and marker.stat.pw_name == u
              - moved is changed and again is not changed
              - there.stat.exists and not old.stat.exists
        - user: { name: "{{ u }}2", uid: "{{ made.uid }}", non_unique: true, create_home: false }
          register: twin
        - user: { name: "{{ u }}2", uid: "{{ made.uid }}", non_unique: true, create_home: false }
          register: twin2
        - user: { name: "{{ u }}3", uid: "{{ made.uid }}", create_home: false }
          register: taken
          ignore_errors: true
        - assert: { that: [twin is changed, twin2 is not changed, twin.uid == made.uid, taken is failed] }
      always:
        - user: { name: "{{ u }}2", state: absent }
        - user: { name: "{{ u }}3", state: absent }
        - user: { name: "{{ u }}", state: absent, remove: true }
        - file: { path: "${SKEL}", state: absent }
`,
      ),
    },
  },
]
