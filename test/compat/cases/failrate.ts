/**
 * Agreement cases for how many failures a batch takes before the run ends for every host ("NO MORE HOSTS LEFT"):
 * `max_fail_percentage` counts the failed hosts of the batch, not the unreachable ones; `any_errors_fatal` takes
 * either, and the run it ends exits with 2 even when a host is unreachable. A host is made unreachable by an
 * `ansible_host` where no sshd listens (the target listens on 127.0.0.1 only).
 */
import type { CompatCase } from '../harness.js'

/** Play variables that send `_a` where nothing listens. */
const away = `  vars:
    ansible_host: "{{ '127.0.0.3' if inventory_hostname.endswith('_a') else '127.0.0.1' }}"
`

/** A case whose first play has `keywords` (and `vars`), then a second play on the same hosts. */
function twoPlays(name: string, covers: string, keywords: string, alone = false): CompatCase {
  return {
    name,
    covers,
    ...(alone ? { alone } : {}),
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

export const FAIL_RATE: CompatCase[] = [
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
]
