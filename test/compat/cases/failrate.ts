/**
 * Agreement cases for how many failures a batch takes before the run ends for every host ("NO MORE HOSTS LEFT"):
 * `max_fail_percentage` counts the failed hosts of the batch, not the unreachable ones; `any_errors_fatal` takes
 * either, and the run it ends exits with 2 even when a host is unreachable. Fact gathering is the batch's first
 * task: a host that fails it (or cannot be reached) counts, with or without `serial`. A host is made unreachable by
 * an `ansible_host` where no sshd listens (the target listens on 127.0.0.1 only); its gathering fails by a
 * `gather_subset` setup does not know, given by module_defaults to that host only. A host that failed in an earlier
 * play still takes its place in a later play's `serial` batches (it runs nothing there): a batch's size counts it,
 * its failures do not. Under `strategy: free` Ansible 2.14 ignores both keywords and tsplay does not
 * (`free_max_fail`, `free_fatal`: a difference the README lists).
 */
import type { CompatCase } from '../harness.js'

/** Play variables that send `_a` where nothing listens. */
const away = `  vars:
    ansible_host: "{{ '127.0.0.3' if inventory_hostname.endswith('_a') else '127.0.0.1' }}"
`

/** Fact gathering that fails on the host whose name ends with `suffix`. */
const failGathering = (suffix: string) => `  gather_facts: true
  module_defaults:
    setup: { gather_subset: "{{ 'no-such-subset' if inventory_hostname.endswith('${suffix}') else 'all' }}" }
`

/** A case whose first play has `keywords` (and `vars`), then a second play on the same hosts. */
function twoPlays(name: string, covers: string, keywords: string, alone = false, hosts = 2): CompatCase {
  return {
    name,
    covers,
    ...(alone ? { alone } : {}),
    ...(hosts === 2 ? {} : { hosts }),
    files: {
      'main.yml': `- hosts: ${name}
${keywords}  tasks:
    - file: { path: "{{ root }}/first-play", state: directory, mode: "0755" }
    - file: { path: "{{ root }}/first-play-2", state: directory, mode: "0755" }
- hosts: ${name}
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/second-play", state: directory, mode: "0755" }
`,
    },
  }
}

/** Why tsplay ends a `strategy: free` run Ansible goes on with: words of the README's "Differences" row. */
const FREE = 'under `strategy: free` applies `max_fail_percentage` and `any_errors_fatal`'

/**
 * A `strategy: free` play with `keywords` whose fact gathering fails on `_a`, then a second play: Ansible ignores
 * the keywords under free and `_b` runs on (three ok tasks), tsplay ends the run after the gathering.
 */
function freePlays(name: string, keywords: string): CompatCase {
  const ok = `    - command: "true"\n      changed_when: false\n`
  return {
    name,
    covers: `${keywords.trim()} under strategy free (ignored by Ansible)`,
    alone: true,
    allow: { host: '_b', counts: { ok: -2 }, reason: FREE },
    files: {
      'main.yml':
        `- hosts: ${name}\n  strategy: free\n${keywords}${failGathering('_a')}  tasks:\n${ok}` +
        `- hosts: ${name}\n  gather_facts: false\n  tasks:\n${ok}`,
    },
  }
}

export const FAIL_RATE: CompatCase[] = [
  freePlays('free_max_fail', '  max_fail_percentage: 0\n'),
  freePlays('free_fatal', '  any_errors_fatal: true\n'),
  twoPlays(
    'max_fail_unreachable',
    'max_fail_percentage (an unreachable host does not count toward it)',
    `  gather_facts: false\n  max_fail_percentage: 0\n${away}`,
  ),
  twoPlays(
    'fatal_unreachable',
    'any_errors_fatal (an unreachable host ends the run, exit code 2)',
    `  gather_facts: false\n  any_errors_fatal: true\n${away}`,
    true, // it ends the whole run, in both engines
  ),
  twoPlays(
    'max_fail_gather',
    'max_fail_percentage (a host that fails fact gathering counts)',
    `  max_fail_percentage: 40\n${failGathering('_a')}`,
    true,
  ),
  twoPlays(
    'max_fail_gather_serial',
    "max_fail_percentage with serial (a host failing its batch's fact gathering counts in that batch)",
    `  serial: 2\n  max_fail_percentage: 40\n${failGathering('_c')}`,
    true,
    4,
  ),
  twoPlays(
    'max_fail_gather_unreachable',
    'max_fail_percentage (a host unreachable at fact gathering does not count)',
    `  gather_facts: true\n  max_fail_percentage: 0\n${away}`,
  ),
  twoPlays(
    'fatal_gather',
    'any_errors_fatal (a host that fails fact gathering ends the run)',
    `  any_errors_fatal: true\n${failGathering('_a')}`,
    true,
  ),
  twoPlays(
    'fatal_gather_unreachable',
    'any_errors_fatal (a host unreachable at fact gathering ends the run, exit code 2)',
    `  gather_facts: true\n  any_errors_fatal: true\n${away}`,
    true,
  ),
  {
    name: 'gather_all_failed',
    covers: "every host of a play's batch failing fact gathering ends the run (a later play on other hosts never runs)",
    alone: true,
    files: {
      'main.yml': `- hosts: gather_all_failed
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/first-play", state: directory, mode: "0755" }
- hosts: gather_all_failed_a
${failGathering('_a')}  tasks:
    - file: { path: "{{ root }}/not-reached", state: directory, mode: "0755" }
- hosts: gather_all_failed_b
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/not-reached", state: directory, mode: "0755" }
`,
    },
  },
  earlierFailed(
    'serial_earlier_failed',
    "serial batches are cut over the play's hosts, one that failed in an earlier play too (max_fail_percentage)",
    '  max_fail_percentage: 40\n',
    '_c',
  ),
  earlierFailed(
    'serial_earlier_failed_all',
    'a batch whose only other host fails is not "every host failed" when an earlier play failed one of it',
    '',
    '_b',
  ),
]

/** Three hosts; `_a` fails the first play; the second, in batches of 2, fails `fails` and has `keywords`. */
function earlierFailed(name: string, covers: string, keywords: string, fails: string): CompatCase {
  return {
    name,
    covers,
    alone: true,
    hosts: 3,
    files: {
      'main.yml': `- hosts: ${name}
  gather_facts: false
  tasks:
    - fail: { msg: first play }
      when: inventory_hostname.endswith('_a')
- hosts: ${name}
  gather_facts: false
  serial: 2
${keywords}  tasks:
    - fail: { msg: second play }
      when: inventory_hostname.endswith('${fails}')
    - file: { path: "{{ root }}/second-play", state: directory, mode: "0755" }
- hosts: ${name}
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/third-play", state: directory, mode: "0755" }
`,
    },
  }
}
