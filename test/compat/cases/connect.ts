/**
 * Agreement cases for where tasks run: `connection: local` (play and task level) and `delegate_to` (the implicit
 * localhost, 127.0.0.1, another inventory host, a name no inventory has: reached with the `all` group's
 * variables), with `delegate_facts`. The loopback target and the controller
 * share one file system, so the state left is compared as for any case; who ran a command (`id -un`: the
 * controller's user locally, the login user over SSH) shows which connection was used.
 */
import type { CompatCase } from '../harness.js'

const who = (reg: string, extra = '') =>
  `    - command: id -un\n      register: ${reg}\n      changed_when: false\n${extra}`

export const CONNECT: CompatCase[] = [
  {
    name: 'connection_local',
    covers: 'connection_local',
    files: {
      'main.yml': `- hosts: connection_local
  gather_facts: false
  connection: local
  tasks:
${who('w1')}    - assert: { that: [w1.stdout != ansible_user] }
    - copy: { content: "{{ inventory_hostname }}\\n", dest: "{{ root }}/name", mode: "0644" }
    - file: { path: "{{ root }}/d", state: directory, mode: "0755" }
    - block:
        - command: id -un
          register: w2
          changed_when: false
        - assert: { that: [w2.stdout == ansible_user] }
      connection: ssh
- hosts: connection_local
  gather_facts: false
  tasks:
${who('w3', '      connection: local\n')}    - assert: { that: [w3.stdout != ansible_user] }
${who('w4')}    - assert: { that: [w4.stdout == ansible_user] }
`,
    },
  },
  {
    name: 'delegate',
    covers: 'delegate_to (an inventory host, localhost, a host not in the inventory)',
    files: {
      'main.yml': `- hosts: delegate
  gather_facts: false
  vars:
    first: "{{ groups['delegate'][0] }}"
    second: "{{ groups['delegate'][1] }}"
  tasks:
${who('w1', '      delegate_to: localhost\n')}    - assert: { that: [w1.stdout != ansible_user] }
${who('w2', '      delegate_to: 127.0.0.1\n')}    - assert: { that: [w2.stdout != ansible_user] }
    - copy: { content: "from {{ inventory_hostname }}\\n", dest: "{{ root }}/local", mode: "0644" }
      delegate_to: localhost
    - copy: { content: "via {{ inventory_hostname }}\\n", dest: "{{ root }}/peer", mode: "0600" }
      delegate_to: "{{ second }}"
${who('w3', '      delegate_to: "{{ first }}"\n')}    - assert: { that: [w3.stdout == ansible_user] }
${who('w4', '      delegate_to: tsplay-compat-elsewhere\n')}    - assert: { that: [w4.stdout == ansible_user] }
    - copy: { content: "elsewhere {{ inventory_hostname }}\\n", dest: "{{ root }}/elsewhere", mode: "0644" }
      delegate_to: tsplay-compat-elsewhere
    - set_fact: { note: "from {{ inventory_hostname }}" }
      delegate_to: "{{ second }}"
      delegate_facts: true
      when: inventory_hostname == first
    - set_fact: { own: "mine" }
      delegate_to: "{{ second }}"
    - assert:
        that:
          - own == "mine"
          - (note | default('none')) == ("none" if inventory_hostname == first else "from " + first)
`,
    },
  },
]
