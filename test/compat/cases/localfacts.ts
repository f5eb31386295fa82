/**
 * Agreement case for local facts: `setup`'s `fact_path` read into `ansible_local` (JSON files, INI files with
 * `[DEFAULT]` and `%(key)s`, executables, and the messages that stand in for facts that fail to load), and the play
 * keyword `fact_path` for the play's fact gathering.
 */
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CompatCase } from '../harness.js'

/** The play keyword's folder: a literal path (play keywords see no host variables), removed by the last play. */
const PLAY_DIR = join(tmpdir(), `tspt-${randomBytes(3).toString('hex')}-facts.d`)

export const LOCAL_FACTS: CompatCase[] = [
  {
    name: 'local_facts',
    covers: 'setup/gather_facts fact_path (ansible_local from *.fact files: JSON, INI, executables)',
    clean: true,
    files: {
      'main.yml': `- hosts: local_facts
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/facts.d", state: directory, mode: "0755" }
    - copy: { dest: "{{ root }}/facts.d/j.fact", content: '{"a": 1, "b": [1, 2]}', mode: "0644" }
    - copy:
        dest: "{{ root }}/facts.d/i.fact"
        content: "# a comment\\n[Sec]\\nKey = v\\nother: %(key)s x\\nlong = one\\n  two\\n[DEFAULT]\\nd = 1\\n"
        mode: "0644"
    - copy: { dest: "{{ root }}/facts.d/x.fact", mode: "0755", content: "#!/bin/sh\\necho '{\\"ran\\": true}'\\n" }
    - copy: { dest: "{{ root }}/facts.d/bad.fact", content: "no section\\n", mode: "0644" }
    - copy: { dest: "{{ root }}/facts.d/empty.fact", content: "", mode: "0644" }
    - copy: { dest: "{{ root }}/facts.d/fail.fact", mode: "0755", content: "#!/bin/sh\\necho oops >&2\\nexit 3\\n" }
    - copy: { dest: "{{ root }}/facts.d/skip.txt", content: "{}", mode: "0644" }
    - setup: { fact_path: "{{ root }}/facts.d", filter: ansible_local }
      register: s
    - gather_facts: { fact_path: "{{ root }}/nowhere" }
    - assert:
        that:
          - "ansible_local == {}"
          - "s.ansible_facts.ansible_local.j == {'a': 1, 'b': [1, 2]}"
          - "s.ansible_facts.ansible_local.i == {'Sec': {'key': 'v', 'other': 'v x', 'long': 'one\\\\ntwo', 'd': '1'}}"
          - "s.ansible_facts.ansible_local.x == {'ran': true}"
          - "s.ansible_facts.ansible_local.empty == {}"
          - "'error loading facts as JSON or ini' in s.ansible_facts.ansible_local.bad"
          - "s.ansible_facts.ansible_local.fail.startswith('Failure executing fact script')"
          - "'rc: 3, err: oops' in s.ansible_facts.ansible_local.fail"
          - s.ansible_facts.ansible_local | length == 6
- hosts: local_facts
  gather_facts: false
  tasks:
    - file: { path: "${PLAY_DIR}", state: directory, mode: "0755" }
      run_once: true
    - copy: { dest: "${PLAY_DIR}/p.fact", content: '{"k": "v"}', mode: "0644" }
      run_once: true
- hosts: local_facts
  gather_facts: true
  fact_path: ${PLAY_DIR}
  tasks:
    - assert: { that: ["ansible_local.p.k == 'v'", "ansible_facts.ansible_local.p.k == 'v'"] }
    - file: { path: "${PLAY_DIR}", state: absent }
      run_once: true
`,
    },
  },
]
