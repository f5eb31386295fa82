/**
 * Agreement cases for the task language itself: blocks, conditionals, register, loops, set_fact, assert,
 * failed_when and until (what Ansible's `blocks`, `conditionals`, `register`, `loops`, `set_fact`, `assert`,
 * `failed_when` and `loop-until` integration targets pin down), written here for tsplay.
 */
import type { CompatCase } from '../harness.js'

const play = (name: string, tasks: string, extra = '') =>
  `- hosts: ${name}\n  gather_facts: false\n${extra}  tasks:\n${tasks}`

export const CORE: CompatCase[] = [
  {
    name: 'blocks',
    covers: 'blocks',
    files: {
      'main.yml': play(
        'blocks',
        `
    - block:
        - command: "true"
        - command: /bin/false
        - debug: { msg: never reached }
      rescue:
        - assert:
            that:
              - ansible_failed_task.action == 'command'
              - ansible_failed_task.name == ''
              - ansible_failed_task.register is none
              - ansible_failed_result.rc == 1
              - ansible_failed_result is failed
        - file: { path: "{{ root }}/rescued", state: touch, mode: "0644" }
      always:
        - file: { path: "{{ root }}/always", state: directory, mode: "0755" }
    - block:
        - debug: { msg: "in a skipped block" }
      when: false
    - block:
        - command: /bin/false
          ignore_errors: true
        - debug: { msg: after ignored }
      always:
        - debug: { msg: always runs }
`,
      ),
    },
  },
  {
    name: 'conditionals',
    covers: 'conditionals',
    files: {
      'main.yml': play(
        'conditionals',
        `
    - command: echo hi
      when: false
      register: skipped_cmd
    - assert:
        that:
          - skipped_cmd is skipped
          - skipped_cmd is defined
          - skipped_cmd is not changed
          - skipped_cmd.skip_reason == 'Conditional result was False'
    - debug: { msg: "list of conditions" }
      when: [flag, number > 2, "'b' in letters"]
    - debug: { msg: "never" }
      when: not flag
    - command: echo "{{ item }}"
      loop: [1, 2, 3, 4]
      when: item is even
      register: evens
    - assert:
        that:
          - evens.results | length == 4
          - evens.results[0] is skipped
          - evens.results[1] is changed
          - evens.results[1].item == 2
    - command: echo x
      loop: [1, 3]
      when: item is even
      register: none_ran
    - assert: { that: [none_ran is skipped, none_ran.results | length == 2] }
`,
        `  vars:\n    flag: true\n    number: 3\n    letters: [a, b]\n`,
      ),
    },
  },
  {
    name: 'register',
    covers: 'register',
    files: {
      'main.yml': play(
        'register',
        `
    - command: echo hello
      register: out
    - assert:
        that:
          - out.rc == 0
          - out.stdout == 'hello'
          - out is changed
          - out is succeeded
    - shell: "echo a; echo b >&2; exit 3"
      register: bad
      ignore_errors: true
    - assert: { that: [bad is failed, bad.rc == 3, "bad.stderr == 'b'", "bad.stdout_lines == ['a']"] }
    - command: "echo {{ item }}"
      loop: [x, y]
      register: many
    - assert: { that: ["many.results | map(attribute='stdout') | list == ['x', 'y']"] }
`,
      ),
    },
  },
  {
    name: 'loops',
    covers: 'loops',
    files: {
      'main.yml': play(
        'loops',
        `
    - file: { path: "{{ root }}/{{ item }}", state: directory, mode: "0755" }
      loop: [a, b]
    - file: { path: "{{ root }}/{{ d }}/f", state: touch, mode: "0600" }
      loop: [a, b]
      loop_control: { loop_var: d, label: "dir {{ d }}" }
      register: labelled
    - assert: { that: ["labelled.results | selectattr('_ansible_item_label', 'defined') | list == []"] }
    - copy: { dest: "{{ root }}/{{ item.name }}.txt", content: "{{ item.text }}\\n", mode: "0644" }
      loop: "{{ files }}"
    - set_fact: { seen: "{{ seen | default([]) + [item] }}" }
      loop: [1, 2, 3]
    - assert: { that: ["seen == [1, 2, 3]"] }
    - debug: { msg: "{{ item }}" }
      loop: []
      register: none_at_all
    - command: "{{ item }}"
      loop: ["true", "false", "true"]
      register: some_failed
      ignore_errors: true
    - command: "true"
      loop: [1, 2]
      when: false
      register: all_skipped
    - copy:
        dest: "{{ root }}/loop-results"
        mode: "0644"
        content: >-
          {{ some_failed.msg }}|{{ some_failed.skipped | ternary('y', 'n') }}|{{ some_failed.results | length }}|
          {{ all_skipped.msg }}|{{ all_skipped.skipped | ternary('y', 'n') }}|{{ none_at_all.skipped_reason }}|
          {{ none_at_all.skipped | ternary('y', 'n') }}|
          {{ some_failed.results[0].keys() | select('match', '^_ansible') | list | length }}
`,
        `  vars:\n    files:\n      - { name: one, text: first }\n      - { name: two, text: second }\n`,
      ),
    },
  },
  {
    name: 'set_fact',
    covers: 'set_fact',
    files: {
      'main.yml': `${play(
        'set_fact',
        `
    - set_fact: { a: 1, b: "{{ base_v }}-x", l: [1, 2] }
    - assert: { that: ["a == 1", "b == 'v-x'", "l | length == 2"] }
    - set_fact: { base_v: changed }
    - assert: { that: ["base_v == 'changed'"] }
`,
        `  vars:\n    base_v: v\n`,
      )}
- hosts: set_fact
  gather_facts: false
  tasks:
    - assert: { that: ["a == 1", "base_v == 'changed'"] }
`,
    },
  },
  {
    name: 'assert_fail',
    covers: 'assert, fail',
    files: {
      'main.yml': play(
        'assert_fail',
        `
    - assert: { that: ["1 + 1 == 2", "'x' in 'xyz'"], success_msg: fine }
    - assert: { that: ["1 == 2"], fail_msg: "as expected" }
      ignore_errors: true
    - fail: { msg: stop here }
      when: inventory_hostname.endswith('_b')
    - debug: { msg: "only _a gets here" }
`,
      ),
    },
  },
  {
    name: 'failed_when',
    covers: 'failed_when, changed_when',
    files: {
      'main.yml': play(
        'failed_when',
        `
    - command: /bin/false
      register: r
      failed_when: false
    - assert: { that: [r is not failed, r.rc == 1] }
    - command: echo ERROR
      register: e
      failed_when: "'ERROR' in e.stdout"
      ignore_errors: true
    - command: "true"
      changed_when: false
    - shell: exit 2
      register: two
      failed_when: two.rc not in [0, 2]
      changed_when: two.rc == 2
    - command: /bin/false
      register: both
      failed_when: [both.rc == 1, "'x' in both.stdout"]
    - assert: { that: [both is not failed, both.failed_when_result == false] }
    - copy: { content: x, dest: "{{ root }}/never", flat: true }
      register: refused
      failed_when: false
    - assert: { that: [refused is not failed, "'flat' in refused.msg"] }
`,
      ),
    },
  },
  {
    name: 'loop_until',
    covers: 'loop-until',
    files: {
      'main.yml': play(
        'loop_until',
        `
    - file: { path: "{{ root }}/n", state: absent }
    - shell: "n=$(cat {{ root }}/n 2>/dev/null || echo 0); echo $((n+1)) > {{ root }}/n; cat {{ root }}/n"
      register: count
      until: count.stdout | int >= 3
      retries: 5
      delay: 0
    - assert: { that: [count.attempts == 3] }
    - command: "true"
      register: once
      until: once is succeeded
      retries: 2
      delay: 0
    - command: /bin/false
      register: never
      until: never.rc == 0
      retries: 1
      delay: 0
      ignore_errors: true
    - assert: { that: [never is failed, never.attempts == 1] }
    # out of retries: failed_when alone decides, and attempts counts the retries
    - shell: "true"
      register: judged
      until: false
      retries: 2
      delay: 0
      failed_when: judged.attempts > 9
    - assert: { that: [judged.attempts == 2, judged is changed, judged is failed] }
    # retries 0: one run, until is not tested
    - command: "true"
      register: one
      until: false
      retries: 0
    - assert: { that: [one.attempts == 1, one is succeeded] }
    # a looped task whose failing items changed something: counted changed (and ignored)
    - command: /bin/false
      loop: [1, 2]
      ignore_errors: true
`,
      ),
    },
  },
]
