/**
 * Agreement case for role argument specs (`meta/argument_specs.yml`, the check Ansible puts at the start of a role):
 * types with Ansible's conversions, `choices`, `required`, and nested `options` of a dict and of a list of dicts
 * (unknown keys, missing required keys, wrong types inside). Each wrong call is an `include_role` in a block whose
 * `rescue` leaves a marker file, so both engines must refuse the same calls and run the same ones.
 */
import type { CompatCase } from '../harness.js'

const SPEC = `argument_specs:
  main:
    short_description: a service
    options:
      svc_port: { type: int, required: true }
      svc_mode: { type: str, choices: [fast, safe] }
      svc_server:
        type: dict
        options:
          host: { type: str, required: true, aliases: [name] }
          port: { type: int }
          tags: { type: list, elements: str }
      svc_users:
        type: list
        elements: dict
        options:
          name: { type: str, required: true }
          admin: { type: bool }
`

/** One call of the role with `vars`, in a block that records a refusal as `root/refused-N`. */
const call = (n: number, vars: string) => `    - block:
        - include_role: { name: svc }
          vars: ${vars}
      rescue:
        - copy:
            dest: "{{ root }}/refused-${n}"
            content: "{{ 'refused' if ansible_failed_result is failed else '?' }}\\n"
            mode: "0644"
`

export const ARGSPEC: CompatCase[] = [
  {
    name: 'role_argspec',
    covers: 'role argument specs (types, choices, required, nested options)',
    files: {
      'main.yml': `- hosts: role_argspec
  gather_facts: false
  tasks:
${[
  '{ n: 1, svc_port: "8080", svc_mode: fast, svc_server: { name: a, port: "22", tags: [x] }, ' +
    'svc_users: [{ name: ann, admin: "yes" }] }',
  '{ n: 2, svc_port: eighty }',
  '{ n: 3, svc_port: 1, svc_mode: slow }',
  '{ n: 4, svc_port: 1, svc_server: { host: b, port: nope } }',
  '{ n: 5, svc_port: 1, svc_server: { port: 1 } }',
  '{ n: 6, svc_port: 1, svc_server: { host: b, colour: red } }',
  '{ n: 7, svc_port: 1, svc_users: [{ name: ann }, { admin: maybe }] }',
  '{ n: 8 }',
]
  .map((v, i) => call(i + 1, v))
  .join('')}`,
      'roles/svc/meta/argument_specs.yml': SPEC,
      'roles/svc/tasks/main.yml':
        '- copy:\n    dest: "{{ root }}/ran-{{ n }}"\n' +
        '    content: "{{ svc_port }} {{ (svc_server | default({})).port | default(0) }} ' +
        '{{ svc_users | default([]) | length }}\\n"\n' +
        '    mode: "0644"\n',
    },
  },
]
