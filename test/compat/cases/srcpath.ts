/**
 * Agreement case for where `copy` and `template` find a relative `src`: Ansible's action plugins search the task
 * file's own folder (its `files/`/`templates/`, then itself) before the play's folder. A task file imported from a
 * subfolder names files that sit beside it; one name exists both beside it and in the play's `files/`, and the one
 * beside it wins.
 */
import type { CompatCase } from '../harness.js'

export const SRCPATH: CompatCase[] = [
  {
    name: 'src_beside',
    covers: 'copy/template src found beside the task file (path_dwim_relative_stack)',
    clean: true,
    files: {
      'main.yml': `- hosts: src_beside
  gather_facts: false
  tasks:
    - import_tasks: inc/t.yml
`,
      'inc/t.yml': `- copy: { src: beside.txt, dest: "{{ root }}/beside", mode: "0644" }
- copy: { src: same.txt, dest: "{{ root }}/same", mode: "0644" }
- copy: { src: only-play.txt, dest: "{{ root }}/only-play", mode: "0644" }
- template: { src: t.j2, dest: "{{ root }}/t", mode: "0644" }
- command: cat {{ root }}/same {{ root }}/t
  register: out
  changed_when: false
- assert: { that: ["out.stdout_lines == ['inc', 'tpl ' + inventory_hostname]"] }
`,
      'inc/beside.txt': 'beside\n',
      'inc/files/same.txt': 'inc\n',
      'files/same.txt': 'play\n',
      'files/only-play.txt': 'play\n',
      'inc/templates/t.j2': 'tpl {{ inventory_hostname }}\n',
    },
  },
]
