/**
 * Agreement cases for the system modules that can run on the loopback target without changing the machine:
 * `sysctl` on a sysctl file in the case's own folder (no reload, no running value set), and, in check mode only,
 * `hostname` and `debconf` (they read the machine's name and debconf answers, and change nothing). Their real runs
 * are proven on fleet nodes (test/modules-fleet/system.fleet.test.ts).
 */
import type { CompatCase } from '../harness.js'

const play = (name: string, tasks: string) => `- hosts: ${name}\n  gather_facts: false\n  tasks:\n${tasks}`

export const SYSTEM: CompatCase[] = [
  {
    name: 'sysctl',
    covers: 'ansible.posix sysctl (sysctl_file, state, value spellings)',
    files: {
      'main.yml': play(
        'sysctl',
        `
    - copy:
        dest: "{{ root }}/s.conf"
        content: "# keep\\n; semi\\nvm.swappiness = 60\\nkernel.x=1\\n\\nvm.swappiness=70\\n"
        mode: "0640"
        force: false
    - sysctl: { name: vm.swappiness, value: "10", sysctl_file: "{{ root }}/s.conf", reload: false }
    - sysctl: { name: vm.swappiness, value: " 10 ", sysctl_file: "{{ root }}/s.conf", reload: false }
    - sysctl: { name: net.new, value: "yes", sysctl_file: "{{ root }}/s.conf", reload: false }
      register: r
    - sysctl: { key: kernel.x, state: absent, sysctl_file: "{{ root }}/s.conf", reload: false }
    - sysctl: { name: kernel.none, state: absent, sysctl_file: "{{ root }}/s.conf", reload: false }
    - sysctl: { name: a.b, val: 2, sysctl_file: "{{ root }}/new.conf", reload: false }
    - sysctl: { name: a.b, value: "", sysctl_file: "{{ root }}/new.conf", reload: false }
      ignore_errors: true
`,
      ),
    },
  },
  {
    name: 'hostname_check',
    covers: 'hostname (strategy choice, check mode)',
    flags: ['--check'],
    files: {
      'main.yml': play(
        'hostname_check',
        `
    - hostname: { name: tsplay-compat-not-this-host }
      register: h
    - assert: { that: [h is changed, "h.name == 'tsplay-compat-not-this-host'"] }
`,
      ),
    },
  },
  {
    name: 'debconf_check',
    covers: 'debconf (debconf-show parsing, compare, check mode)',
    flags: ['--check'],
    files: {
      'main.yml': play(
        'debconf_check',
        `
    - debconf: { name: tzdata }
      register: now
    - debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: "{{ now.current['tzdata/Areas'] }}" }
    - debconf: { name: tzdata, question: tsplay-compat/none, vtype: string, value: x }
    - debconf: { pkg: tzdata, selection: tsplay-compat/flag, vtype: boolean, answer: true }
`,
      ),
    },
  },
]
