/**
 * Agreement case for `include_vars`' `hash_behaviour` (merge into the current maps, or replace) and
 * `ignore_unknown_extensions` (a folder holding files of other extensions fails unless they are left out), with
 * `ignore_files` matched at the end of a name as Ansible matches it. Controller-only: nothing changes on a host.
 */
import type { CompatCase } from '../harness.js'

export const VARS_ARGS: CompatCase[] = [
  {
    name: 'include_vars_args',
    covers: 'include_vars hash_behaviour, ignore_unknown_extensions, ignore_files',
    clean: true,
    files: {
      'main.yml': `- hosts: include_vars_args
  gather_facts: false
  vars:
    d: { a: 1, l: [1, 2], n: { x: 1 } }
    s: old
  tasks:
    - include_vars: { file: v.yml, hash_behaviour: merge }
    - assert: { that: ["d == {'a': 1, 'b': 2, 'l': [3], 'n': {'x': 1, 'y': 2}}"] }
    - include_vars: { file: s.yml, hash_behaviour: merge }
      register: scalar
      ignore_errors: true
    - include_vars: { file: v.yml, hash_behaviour: merge, name: fresh }
      register: unset
      ignore_errors: true
    - include_vars: { file: v.yml, hash_behaviour: replace }
    - assert:
        that:
          - scalar is failed and 'expected dicts' in scalar.msg
          - unset is failed
          - s == 'old'
          - "d == {'b': 2, 'l': [3], 'n': {'y': 2}}"
    - include_vars: { dir: mixed, ignore_unknown_extensions: true }
      register: lenient
    - include_vars: { dir: mixed }
      register: strict
      ignore_errors: true
    - include_vars: { dir: mixed, ignore_files: [README, 'n.*s.txt'] }
      register: ignored
    - include_vars: { dir: mixed, ignore_files: [READ, '.yml'], ignore_unknown_extensions: true }
      register: anchored
    - assert:
        that:
          - lenient.ansible_included_var_files | length == 2
          - strict is failed and 'does not have a valid extension' in strict.message
          - ignored.ansible_included_var_files | length == 2
          - anchored.ansible_included_var_files | length == 1
          - m1 == 1 and m2 == 2
`,
      'v.yml': 'd: { b: 2, l: [3], n: { y: 2 } }\n',
      's.yml': 's: new\n',
      'mixed/a.yml': 'm1: 1\n',
      'mixed/b.yaml': 'm2: 2\n',
      'mixed/README': 'not variables\n',
      'mixed/notes.txt': 'not: variables\n',
    },
  },
]
