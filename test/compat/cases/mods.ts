/**
 * Agreement cases for the file-editing, search and system modules Ansible users reach for next: blockinfile,
 * replace, find, tempfile, cron, authorized_key, known_hosts, get_url, uri, unarchive (what Ansible's integration
 * targets of those names pin down), written here.
 */
import type { CompatCase } from '../harness.js'

const play = (name: string, tasks: string, extra = '') =>
  `- hosts: ${name}\n  gather_facts: false\n${extra}  tasks:\n${tasks}`

export const MODS: CompatCase[] = [
  {
    name: 'blockinfile',
    covers: 'blockinfile',
    files: {
      'main.yml': play(
        'blockinfile',
        `
    - copy: { dest: "{{ root }}/conf", content: "# conf\\n[main]\\nport=1\\n[other]\\n", mode: "0644", force: false }
    - blockinfile: { path: "{{ root }}/conf", block: "a=1\\nb=2" }
      register: r1
    - assert: { that: ["r1.changed or r1.msg == ''"] }
    - blockinfile: { path: "{{ root }}/conf", block: "a=1\\nb=3" }
    - blockinfile:
        path: "{{ root }}/conf"
        marker: "; {mark} second"
        insertafter: '^\\[main\\]'
        block: |
          in=main
    - blockinfile: { path: "{{ root }}/conf", marker: "# {mark} top", insertbefore: BOF, content: "top" }
    - blockinfile: { path: "{{ root }}/conf", marker: "# {mark} gone", block: "x" }
    - blockinfile: { path: "{{ root }}/conf", marker: "# {mark} gone", state: absent }
    - blockinfile: { path: "{{ root }}/new/file", block: "made", create: true, mode: "0600" }
    - blockinfile: { path: "{{ root }}/missing", block: "x", state: absent, create: true }
    - blockinfile: { path: "{{ root }}/missing", block: "x", state: absent }
      ignore_errors: true
    - blockinfile: { path: "{{ root }}/missing2", block: "x" }
      ignore_errors: true
      register: miss
    - assert: { that: [miss is failed] }
`,
      ),
    },
  },
  {
    name: 'replace',
    covers: 'replace',
    files: {
      'main.yml': play(
        'replace',
        `
    - copy:
        dest: "{{ root }}/conf"
        content: "#PasswordAuthentication yes\\nPort 22\\n[s]\\nPort 22\\nhost=old\\n"
        mode: "0644"
        force: false
    - replace: { path: "{{ root }}/conf", regexp: '^#?PasswordAuthentication .*$', replace: 'PasswordAuthentication no' }
      register: r
    - replace: { path: "{{ root }}/conf", regexp: '^Port 22$', replace: 'Port 2222', after: '\\[s\\]' }
    - replace: { path: "{{ root }}/conf", regexp: '^(?P<k>host)=(\\w+)$', replace: '\\g<k>=new-\\2' }
    - replace: { path: "{{ root }}/conf", regexp: 'nothing-here', replace: 'x' }
    - replace: { path: "{{ root }}/conf", regexp: 'x', replace: 'y', before: 'no-such-marker' }
      register: nomatch
    - assert: { that: [not nomatch.changed] }
    - replace: { path: "{{ root }}/conf", regexp: 'zzz', mode: "0600" }
    - replace: { path: "{{ root }}/missing", regexp: 'x' }
      ignore_errors: true
`,
      ),
    },
  },
]
