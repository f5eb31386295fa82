/**
 * Agreement case for multi-OS roles: modules of other systems (ansible-core's `yum`/`dnf`, a collection's
 * `pacman`, Windows' `win_ping`, `timezone`) in branches a Debian host skips by `when` on its facts, beside the
 * Debian branch that runs; and one whose failure is ignored. The host's Python facts (`ansible_python`).
 */
import type { CompatCase } from '../harness.js'

export const MULTI_OS: CompatCase[] = [
  {
    name: 'multi_os',
    covers: "multi-OS role style: per-family when branches with other systems' package modules",
    clean: true,
    files: {
      'roles/pkgs/tasks/main.yml': `- include_tasks: "{{ ansible_os_family | lower }}.yml"
- import_tasks: redhat.yml
  when: ansible_os_family == 'RedHat'
- name: Arch
  community.general.pacman: { name: git, state: present }
  when: ansible_os_family == 'Archlinux'
- name: Windows
  block:
    - win_ping:
    - ansible.windows.win_file: { path: C:/x, state: absent }
  when: ansible_os_family == 'Windows'
`,
      'roles/pkgs/tasks/debian.yml': '- debug: { msg: "the Debian branch" }\n',
      'roles/pkgs/tasks/redhat.yml': `- yum: { name: git, state: present }
- dnf: { name: git }
- yum_repository: { name: epel, description: EPEL, baseurl: "http://example.invalid/" }
`,
      'main.yml': `- hosts: multi_os
  gather_facts: true
  roles: [pkgs]
  tasks:
    - timezone: { name: UTC }
      when: ansible_system == 'SunOS'
    - rpm_key: { key: /nonexistent.asc }
      when: false
    # the host's Python as the setup module reports it (the file's text is compared between the engines)
    - copy:
        dest: "{{ root }}/python.txt"
        content: |
          {{ ansible_python_version }} {{ ansible_facts.python_version }} {{ ansible_python.executable }}
          {{ ansible_python.version_info | join(' ') }} {{ ansible_python.version.major }} {{ ansible_python.type }}
          {{ ansible_python.has_sslcontext | ternary('ssl', 'no ssl') }} {{ ansible_python.version.releaselevel }}
      when: ansible_python.version.major == 3
`,
    },
  },
]
