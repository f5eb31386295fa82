/**
 * Agreement case for `attributes` (chattr flags) on the modules that write or edit a file: copy (content and a
 * controller file), template, assemble, lineinfile, blockinfile and replace, each on a new file, again (ok), and on
 * an unchanged file whose flags differ (changed by chattr alone); and `file` with `recurse` on a folder tree. The
 * state folder is on the machine's own disk (ext4 on the test machines), where the login user may set `A`; a new
 * file there may show `e` (extents), which chattr cannot clear, so the flags asked for include it where a new file
 * has it.
 */
import type { CompatCase } from '../harness.js'

const TASKS = `
    - file: { path: "{{ root }}/probe", state: touch, modification_time: preserve, access_time: preserve }
    - name: the flags a new file has here
      command: lsattr -d {{ root }}/probe
      register: fresh
      changed_when: false
    - set_fact: { A: "{{ 'Ae' if 'e' in fresh.stdout.split()[0] else 'A' }}" }
    - file: { path: "{{ root }}/parts", state: directory, mode: "0755" }
    - copy: { dest: "{{ root }}/parts/1", content: "one\\n", mode: "0644" }
    - copy: { dest: "{{ root }}/c", content: "c\\n", mode: "0644", attributes: "{{ A }}" }
    - copy: { dest: "{{ root }}/c", content: "c\\n", mode: "0644", attributes: "{{ A }}" }
      register: c2
    - copy: { dest: "{{ root }}/h", src: hello.txt, mode: "0644", attributes: "+A" }
    - template: { dest: "{{ root }}/t", src: attrs.j2, mode: "0644", attributes: "{{ A }}" }
    - template: { dest: "{{ root }}/t", src: attrs.j2, mode: "0644", attributes: "{{ A }}" }
      register: t2
    - assemble: { src: "{{ root }}/parts", dest: "{{ root }}/a", mode: "0644", attributes: "{{ A }}" }
    - lineinfile: { path: "{{ root }}/l", line: "x = 1", create: true, mode: "0644", attributes: "{{ A }}" }
    - lineinfile: { path: "{{ root }}/l", line: "x = 1", mode: "0644", attr: "{{ A }}" }
      register: l2
    - blockinfile: { path: "{{ root }}/b", block: "y", create: true, mode: "0644", attributes: "{{ A }}" }
    - copy: { dest: "{{ root }}/r", content: "aaa\\n", mode: "0644" }
    - replace: { path: "{{ root }}/r", regexp: "a", replace: "b", attributes: "{{ A }}" }
    - name: flags only, the content as it is
      copy: { dest: "{{ root }}/parts/1", content: "one\\n", mode: "0644", attributes: "{{ A }}" }
    - lineinfile: { path: "{{ root }}/r", line: "bbb", attributes: "-A" }
      register: minus
    - file: { path: "{{ root }}/tree/sub", state: directory, mode: "0755" }
    - copy: { dest: "{{ root }}/tree/sub/x", content: "x\\n", mode: "0644" }
    - file: { path: "{{ root }}/tree", state: directory, recurse: true, attributes: "{{ A }}" }
    - file: { path: "{{ root }}/tree", state: directory, recurse: true, attributes: "{{ A }}" }
      register: tree2
    - shell: lsattr -d c h t a l b r parts/1 tree tree/sub tree/sub/x > flags
      args: { chdir: "{{ root }}" }
      changed_when: false
    - assert:
        that: [c2 is not changed, t2 is not changed, l2 is not changed, minus is changed, tree2 is not changed]
`

export const ATTRS: CompatCase[] = [
  {
    name: 'file_attributes_more',
    covers: 'attributes (copy, template, assemble, lineinfile, blockinfile, replace, file recurse)',
    clean: true,
    files: {
      'main.yml': `- hosts: file_attributes_more\n  gather_facts: false\n  tasks:\n${TASKS}`,
      'files/hello.txt': 'hello\n',
      'templates/attrs.j2': '{{ A }}\n',
    },
  },
]
