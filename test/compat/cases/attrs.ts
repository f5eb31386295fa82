/**
 * Agreement case for `attributes` (chattr flags) on the modules that write or edit a file: copy (content and a
 * controller file), template, assemble, lineinfile, blockinfile and replace, each on a new file, again (ok), and on
 * an unchanged file whose flags differ (changed by chattr alone); and `file` with `recurse` on a folder tree. The
 * state folder is on the machine's own disk (ext4 on the test machines), where the login user may set `A`; a new
 * file there may show `e` (extents), which chattr cannot clear, so the flags asked for include it where a new file
 * has it.
 */
import { createHash } from 'node:crypto'
import type { CompatCase } from '../harness.js'

/** The loopback web server's `/json` answer (see web.ts), for a get_url checksum. */
const JSON_SUM = createHash('sha256').update('{"a": [1, 2], "who": "me"}').digest('hex')

const FLAGS = `
    - file: { path: "{{ root }}/probe", state: touch, modification_time: preserve, access_time: preserve }
    - name: the flags a new file has here
      command: lsattr -d {{ root }}/probe
      register: fresh
      changed_when: false
    - set_fact: { A: "{{ 'Ae' if 'e' in fresh.stdout.split()[0] else 'A' }}" }
`

const TASKS = `${FLAGS}    - file: { path: "{{ root }}/parts", state: directory, mode: "0755" }
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
    - name: a folder copied on the host, its flags and mode on the folder the entries go into
      copy: { src: "{{ root }}/tree", dest: "{{ root }}/parts", remote_src: true, mode: "0700", attributes: "{{ A }}" }
    - copy: { src: "{{ root }}/tree", dest: "{{ root }}/parts", remote_src: true, mode: "0700", attributes: "{{ A }}" }
      register: rc2
    - copy: { src: "{{ root }}/tree/", dest: "{{ root }}/inner", remote_src: true, attributes: "{{ A }}" }
    - shell: lsattr -d c h t a l b r parts/1 tree tree/sub tree/sub/x parts parts/tree parts/tree/sub inner > flags
      args: { chdir: "{{ root }}" }
      changed_when: false
    - assert:
        that:
          - c2 is not changed and t2 is not changed and l2 is not changed and minus is changed
          - tree2 is not changed and rc2 is not changed
`

const WEB_TASKS = `${FLAGS}
    - get_url: { url: "{{ web }}/json", dest: "{{ root }}/g", mode: "0644", attributes: "{{ A }}" }
    - get_url: { url: "{{ web }}/json", dest: "{{ root }}/g", mode: "0644", attributes: "{{ A }}" }
      register: g2
    - get_url: { url: "{{ web }}/json", dest: "{{ root }}/g", attributes: "-A" }
      register: g3
    - name: the file as it should be; only the flags differ
      get_url: { url: "{{ web }}/json", dest: "{{ root }}/g", checksum: "sha256:${JSON_SUM}", attributes: "+A" }
      register: g4
    - get_url: { url: "{{ web }}/json", dest: "{{ root }}/g", checksum: "sha256:${JSON_SUM}", attributes: "{{ A }}" }
      register: g5
    - uri: { url: "{{ web }}/lines", dest: "{{ root }}/u", attributes: "{{ A }}" }
    - file: { path: "{{ root }}/src/sub", state: directory, mode: "0755" }
    - copy: { dest: "{{ root }}/src/sub/x", content: "x\\n", mode: "0644" }
    - command: tar -C {{ root }} -cf {{ root }}/a.tar src
      args: { creates: "{{ root }}/a.tar" }
    - name: a folder unpacked without flags, each round
      file: { path: "{{ root }}/out2", state: absent }
    - file: { path: "{{ root }}/{{ item }}", state: directory, mode: "0755" }
      loop: [out, out2]
    - unarchive: { src: "{{ root }}/a.tar", dest: "{{ root }}/out", remote_src: true, attributes: "{{ A }}" }
    - unarchive: { src: "{{ root }}/a.tar", dest: "{{ root }}/out", remote_src: true, attributes: "{{ A }}" }
      register: un2
    - unarchive: { src: "{{ root }}/a.tar", dest: "{{ root }}/out2", remote_src: true }
    - name: unpacked already; only the flags differ
      unarchive: { src: "{{ root }}/a.tar", dest: "{{ root }}/out2", remote_src: true, attributes: "{{ A }}" }
      register: un3
    - shell: lsattr -d g u out/src out/src/sub out/src/sub/x out2/src out2/src/sub out2/src/sub/x > flags
      args: { chdir: "{{ root }}" }
      changed_when: false
    - name: the archive holds times of this run
      file: { path: "{{ root }}/a.tar", state: absent }
    - assert:
        that: [g2 is not changed, g3 is changed, g4 is changed, g5 is not changed, un2 is not changed, un3 is changed]
`

export const ATTRS: CompatCase[] = [
  {
    name: 'web_attributes',
    covers: 'attributes (get_url, uri, unarchive)',
    clean: true,
    files: { 'main.yml': `- hosts: web_attributes\n  gather_facts: false\n  tasks:\n${WEB_TASKS}` },
  },
  {
    name: 'file_attributes_more',
    covers: 'attributes (copy, template, assemble, lineinfile, blockinfile, replace, file recurse, remote_src folders)',
    clean: true,
    files: {
      'main.yml': `- hosts: file_attributes_more\n  gather_facts: false\n  tasks:\n${TASKS}`,
      'files/hello.txt': 'hello\n',
      'templates/attrs.j2': '{{ A }}\n',
    },
  },
]
