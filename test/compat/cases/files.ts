/**
 * Agreement cases for the file-shaped modules and commands: file, copy, lineinfile, template, stat,
 * command/shell and environment (what Ansible's integration targets of those names pin down), written here.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { CompatCase } from '../harness.js'

const play = (name: string, tasks: string, extra = '') =>
  `- hosts: ${name}\n  gather_facts: false\n${extra}  tasks:\n${tasks}`

export const FILES: CompatCase[] = [
  {
    name: 'file',
    covers: 'file',
    files: {
      'main.yml': play(
        'file',
        `
    - file: { path: "{{ root }}/d/e", state: directory, mode: "0750" }
    - file: { path: "{{ root }}/d/t", state: touch, mode: "0640" }
    - file: { path: "{{ root }}/d/t", mode: "0600" }
    - file: { src: "{{ root }}/d/t", dest: "{{ root }}/d/link", state: link }
    - file: { path: "{{ root }}/gone", state: directory, mode: "0755" }
    - file: { path: "{{ root }}/gone", state: absent }
    - file: { path: "{{ root }}/never-was", state: absent }
    - stat: { path: "{{ root }}/d/link" }
      register: l
    - assert: { that: [l.stat.islnk, l.stat.exists] }
`,
      ),
    },
  },
  {
    name: 'file_peek',
    covers: 'file (_diff_peek)',
    clean: true,
    files: {
      'main.yml': play(
        'file_peek',
        `
    - copy: { dest: "{{ root }}/text", content: "plain\\n", mode: "0644" }
    - shell: printf 'a\\000b' > {{ root }}/bin
      args: { creates: "{{ root }}/bin" }
    - file: { path: "{{ root }}/{{ item }}", _diff_peek: true }
      loop: [text, bin, missing]
      register: peek
    - file: { path: "{{ root }}/bin", _diff_peek: false }
      register: nopeek
    - assert:
        that:
          - peek.results | map(attribute='appears_binary') | list == [false, true, false]
          - nopeek.appears_binary
          - peek is not changed
`,
      ),
    },
  },
  {
    // the state folder is on the machine's own disk (ext4 on the test machines): the login user may set `A`
    name: 'file_attributes',
    covers: 'file (attributes, attr)',
    clean: true,
    files: {
      'main.yml': play(
        'file_attributes',
        `
    - file: { path: "{{ root }}/f", state: touch, modification_time: preserve, access_time: preserve }
    - name: the flags a new file has here (ext4 with extents shows e, which chattr cannot clear)
      command: lsattr -d {{ root }}/f
      register: fresh
      changed_when: false
    - set_fact: { A: "{{ 'Ae' if 'e' in fresh.stdout.split()[0] else 'A' }}" }
    - file: { path: "{{ root }}/f", attributes: "{{ A }}" }
    - file: { path: "{{ root }}/f", attributes: "{{ A }}" }
      register: same
    - file: { path: "{{ root }}/f", attr: "+{{ A }}" }
    - file: { path: "{{ root }}/f", attributes: "{{ A }}" }
      check_mode: true
    - file: { path: "{{ root }}/d", state: directory, attributes: "+{{ A }}" }
    - file: { path: "{{ root }}/d", state: directory, attributes: "+{{ A }}" }
      register: plus
    - file:
        path: "{{ root }}/g"
        state: touch
        attributes: "{{ A }}"
        modification_time: preserve
        access_time: preserve
    - file: { path: "{{ root }}/g", attributes: -A }
    - file: { path: "{{ root }}/missing", state: directory, attributes: "{{ A }}" }
      check_mode: true
    - shell: lsattr -d f d g > flags
      args: { chdir: "{{ root }}" }
      changed_when: false
    - assert: { that: [same is not changed] }
`,
      ),
    },
  },
  {
    name: 'file_contexts',
    covers: 'SELinux context arguments on a host without SELinux: taken and ignored; the ansible_selinux fact',
    clean: true,
    files: {
      'main.yml': play(
        'file_contexts',
        `
    - file: { path: "{{ root }}/d", state: directory, mode: "0750", setype: mysqld_db_t }
    - copy:
        content: "x\\n"
        dest: "{{ root }}/d/c"
        seuser: system_u
        serole: object_r
        setype: etc_t
        selevel: s0
    - template: { src: t.j2, dest: "{{ root }}/d/t", setype: etc_t }
    - lineinfile: { path: "{{ root }}/d/c", line: y, setype: etc_t }
    - file: { path: "{{ root }}/d", state: directory, mode: "0750", setype: mysqld_db_t }
      register: again
    - setup: { filter: ansible_selinux }
    - assert: { that: [again is not changed, ansible_selinux.status == "disabled"] }
`,
      ),
      't.j2': 'hello\n',
    },
  },
  {
    name: 'failed_changes',
    covers: 'file, copy, lineinfile, blockinfile, template (a change that fails reports changed: false; command true)',
    files: {
      't.j2': 'hello {{ inventory_hostname }}\n',
      'main.yml': play(
        'failed_changes',
        `
    - file: { path: "{{ root }}/ro", state: directory, mode: "0555" }
    - file: { path: "{{ root }}/ro/d", state: directory }
      ignore_errors: true
    - file: { path: "{{ root }}/ro/t", state: touch }
      ignore_errors: true
    - copy: { content: "x\\n", dest: "{{ root }}/ro/c" }
      ignore_errors: true
    - lineinfile: { path: "{{ root }}/ro/sub/l", line: x, create: true }
      ignore_errors: true
    - blockinfile: { path: "{{ root }}/ro/b", block: x, create: true }
      ignore_errors: true
    - template: { src: t.j2, dest: "{{ root }}/ro/t.txt" }
      ignore_errors: true
    - command: "false"
      ignore_errors: true
`,
      ),
    },
  },
  {
    name: 'copy',
    covers: 'copy',
    files: {
      'main.yml': play(
        'copy',
        `
    - copy: { src: hello.txt, dest: "{{ root }}/hello.txt", mode: "0644" }
    - copy: { content: "inline {{ word }}\\n", dest: "{{ root }}/inline.txt", mode: "0600" }
    - copy: { content: "x\\n", dest: "{{ root }}/inline.txt", mode: "0600", force: false }
    - file: { path: "{{ root }}/sub", state: directory, mode: "0755" }
    - copy: { src: hello.txt, dest: "{{ root }}/sub/", mode: "0644" }
    - copy: { content: "first\\n", dest: "{{ root }}/backed.txt", mode: "0644" }
`,
        `  vars:\n    word: text\n`,
      ),
      'files/hello.txt': 'hello from the controller\n',
    },
  },
  {
    // Ansible's modules add the owner, mode, type and size of the file their result names (add_path_info)
    name: 'path_info',
    covers: 'file, copy, template results: uid, gid, owner, group, mode, state, size; copy md5sum',
    clean: true,
    files: {
      'main.yml': play(
        'path_info',
        `
    - copy: { content: "hello\\n", dest: "{{ root }}/a.txt", mode: "0640" }
      register: c1
    - copy: { content: "hello\\n", dest: "{{ root }}/a.txt", mode: "0640" }
      register: c2
    - file: { path: "{{ root }}/d", state: directory, mode: "0750" }
      register: f1
    - file: { path: "{{ root }}/d/t", state: touch }
      register: f2
    - file: { src: "{{ root }}/a.txt", dest: "{{ root }}/l", state: link }
      register: f3
    - file: { path: "{{ root }}/gone", state: absent }
      register: f4
    - template: { src: t.j2, dest: "{{ root }}/t.txt", mode: "0600" }
      register: t1
    - copy: { content: "b\\n", dest: "{{ root }}/b.txt" }
    - file: { src: "{{ root }}/b.txt", dest: "{{ root }}/h", state: hard }
      register: f5
    - file: { path: "{{ root }}/d", mode: "0755" }
      register: f6
      changed_when: false
    - known_hosts:
        path: "{{ root }}/kh"
        name: example.org
        key: "example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
      register: k
    - tempfile: { path: "{{ root }}", prefix: tmp. }
      register: tf
    - stat: { path: "{{ root }}/a.txt" }
      register: st
    - assert:
        that:
          - k.state == 'file' and k.mode is defined and k.size > 0 and k.path == root ~ '/kh'
          - tf.state == 'file' and tf.mode == '0600' and tf.size == 0
          - c1.mode == '0640' and c1.state == 'file' and c1.size == 6 and c1.dest == root ~ '/a.txt'
          - c1.uid == st.stat.uid and c1.gid == st.stat.gid
          - c1.owner == st.stat.pw_name and c1.group == st.stat.gr_name
          - c1 is not changed or c1.md5sum == 'b1946ac92492d2347c6235b4d2611184'
          - c2 is not changed and c2.path == c2.dest and c2.md5sum is not defined and c2.mode == '0640'
          - f1.mode == '0750' and f1.state == 'directory' and f1.path == root ~ '/d'
          - f2.state == 'file' and f2.dest == root ~ '/d/t' and f2.path is not defined and f2.size == 0
          - f3.state == 'link' and f3.mode == '0777' and f3.src == root ~ '/a.txt' and f3.dest == root ~ '/l'
          - f4.state == 'absent' and f4.mode is not defined and f4.uid is not defined
          - t1.mode == '0600' and t1.state == 'file' and t1.size == 4 and t1.checksum is defined
          - f5.state == 'hard' and f5.src == root ~ '/b.txt'
          - f6.mode == '0755'
    - file: { path: "{{ tf.path }}", state: absent }
`,
      ),
      'templates/t.j2': 'x={{ 1 }}\n',
    },
  },
  {
    // stat's blocks, block size and device number, and the chattr flags when asked
    name: 'stat_detail',
    covers:
      'stat: blocks, block_size, device_type; times with fractions; get_attributes (attributes, attr_flags, ' +
      'version); follow',
    clean: true,
    files: {
      'main.yml': play(
        'stat_detail',
        `
    - copy: { content: "x\\n", dest: "{{ root }}/a.txt" }
    - file: { src: "{{ root }}/a.txt", dest: "{{ root }}/l", state: link }
    - stat: { path: /etc/passwd, get_attributes: true }
      register: p
    - stat: { path: /dev/null, get_checksum: false }
      register: n
    - stat: { path: "{{ root }}/a.txt", attr: true }
      register: a
    - stat: { path: "{{ root }}/l", attributes: true }
      register: l
    - stat: { path: "{{ root }}/l", follow: true, get_attributes: false }
      register: lf
    - stat: { path: "{{ root }}/missing" }
      register: m
    - command: touch -d '2021-02-03 04:05:06.123456789' {{ root }}/t
    - stat: { path: "{{ root }}/t" }
      register: t
    - assert:
        that:
          - l.stat.version is none and l.stat.attr_flags == '' and l.stat.attributes == []
          - "'version' not in lf.stat and 'attributes' not in lf.stat and lf.stat.isreg"
          - "'blocks' not in m.stat and 'attributes' not in m.stat"
          - a.stat.version is none or a.stat.version is string
    # a .j2 template prints to_json as Ansible does (a playbook string's is compact: README, Differences)
    - template: { src: out.j2, dest: "{{ root }}/out.json" }
`,
      ),
      'templates/out.j2': [
        "{{ {'p': [p.stat.blocks,",
        'p.stat.block_size, p.stat.device_type, p.stat.attr_flags, p.stat.attributes],',
        "'n': [n.stat.device_type, n.stat.blocks, n.stat.ischr],",
        "'a': [a.stat.attr_flags, a.stat.attributes, a.stat.blocks, a.stat.block_size, a.stat.device_type],",
        "'lf': [lf.stat.blocks, lf.stat.size],",
        "'t': [t.stat.mtime, t.stat.mtime is float, t.stat.atime > 0]} | to_json }}\n",
      ].join(' '),
    },
  },
  {
    name: 'copy_structured',
    covers: 'copy content a template gives as a map or list (written as JSON), a number, a boolean; to_nice_json',
    clean: true,
    files: {
      'main.yml': play(
        'copy_structured',
        `
    - copy: { content: "{{ d }}", dest: "{{ root }}/map.json" }
    - copy: { content: "{{ l }}", dest: "{{ root }}/list.json" }
    - copy: { content: "{{ d | to_nice_json }}\\n", dest: "{{ root }}/nice.json" }
    - copy: { content: 5, dest: "{{ root }}/five" }
    - copy: { content: true, dest: "{{ root }}/yes" }
`,
        '  vars:\n    d: { name: café, ports: [80, 443], enabled: true, none: null, n: 1.5 }\n    l: [1, "x", [2]]\n',
      ),
    },
  },
  {
    name: 'copy_folder',
    covers:
      'copy of a controller folder: src/ and src, mode, directory_mode, attributes, an existing file updated; ' +
      'what it registers',
    files: {
      'main.yml': play(
        'copy_folder',
        `
    - copy: { content: "old\\n", dest: "{{ root }}/contents/a.txt", mode: "0640" }
      ignore_errors: true
    - file: { path: "{{ root }}/contents", state: directory, mode: "0755" }
    - copy: { content: "old\\n", dest: "{{ root }}/contents/a.txt", mode: "0640" }
    - copy: { src: conf/, dest: "{{ root }}/contents" }
    - copy: { src: conf, dest: "{{ root }}/itself/", mode: "0600", directory_mode: "0750" }
    - copy: { src: conf/, dest: "{{ root }}/kept", force: false, mode: preserve }
      register: many
    # a folder of one file registers that file's result (written, then not); one of several, dest and src only
    - copy: { src: one/, dest: "{{ root }}/one/" }
      register: one
    - copy: { src: one/, dest: "{{ root }}/one/" }
      register: again
    - template: { src: reg.j2, dest: "{{ root }}/registered.json" }
    # chattr flags on every file and folder copied, and on the folders the copy makes ('+A' changes every run)
    - copy: { src: conf/, dest: "{{ root }}/flagged", attributes: e }
    - copy: { src: conf, dest: "{{ root }}/self/", attributes: "+A" }
    - command: lsattr -R {{ root }}/flagged {{ root }}/self
      register: flags
    - copy: { content: "{{ flags.stdout | replace(root, '') }}\\n", dest: "{{ root }}/flags.txt" }
`,
      ),
      'templates/reg.j2':
        // the second round's first copy of one/ writes nothing: no md5sum then
        '{{ [many.keys() | sort, many.dest | basename, one.dest | basename, one.md5sum | default("-"), ' +
        'one.checksum, one.state, one.mode, one.path is defined, again.path | basename, again.md5sum is defined, ' +
        'again.size] | to_json }}\n',
      'files/one/only.txt': 'only\n',
      'files/conf/a.txt': 'a\n',
      'files/conf/sub/b.txt': 'b\n',
      'files/conf/sub/deeper/c.txt': 'c\n',
      'files/conf/only-dirs/x/y.txt': 'y\n',
    },
  },
  {
    name: 'copy_folder_lone_file',
    covers: 'copy of a controller folder whose one file sits beside a subfolder: changed when it rewrites the file',
    // Ansible takes the status of its helper task for the subfolder (already there: ok) as the whole copy's
    allow: { counts: { changed: 1 }, reason: 'registers `dest` and `src`, and is changed when any of them changed' },
    setup: (dir) => mkdirSync(join(dir, 'files/lone/sub'), { recursive: true }),
    files: {
      'main.yml': play(
        'copy_folder_lone_file',
        `
    - copy: { src: lone/, dest: "{{ root }}/lone/" }
    - copy: { content: "edited\\n", dest: "{{ root }}/lone/f.txt" }
    - copy: { src: lone/, dest: "{{ root }}/lone/" }
`,
      ),
      'files/lone/f.txt': 'lone\n',
    },
  },
  {
    name: 'password_hash',
    covers: 'password_hash with a salt (sha512, sha256, rounds): the same crypt(3) strings',
    files: {
      'main.yml': play(
        'password_hash',
        `
    - copy:
        dest: "{{ root }}/hashes"
        content: |
          {{ 'secret' | password_hash('sha512', 'abcdefgh') }}
          {{ 'secret' | password_hash('sha256', 'abcdefgh') }}
          {{ 'secret' | password_hash('sha512', 'saltsaltsaltsalt', rounds=6000) }}
        mode: "0600"
    - assert: { that: ["('x' | password_hash('sha512')) is match('^[$]6[$][./0-9A-Za-z]{16}[$]')"] }
`,
      ),
    },
  },
  {
    name: 'lineinfile',
    covers: 'lineinfile',
    files: {
      'main.yml': play(
        'lineinfile',
        `
    - copy: { dest: "{{ root }}/conf", content: "# conf\\nport=1\\nname=x\\n", mode: "0644", force: false }
    - lineinfile: { path: "{{ root }}/conf", regexp: "^port=", line: "port=2" }
    - lineinfile: { path: "{{ root }}/conf", line: "added=yes" }
    - lineinfile: { path: "{{ root }}/conf", regexp: "^name=", state: absent }
    - lineinfile: { path: "{{ root }}/conf", line: "first", insertbefore: BOF }
    - lineinfile: { path: "{{ root }}/conf", line: "after-port", insertafter: "^port=" }
    - lineinfile: { path: "{{ root }}/new", line: "created", create: true, mode: "0644" }
`,
      ),
    },
  },
  {
    name: 'template',
    covers: 'template',
    files: {
      'main.yml': play(
        'template',
        `
    - template: { src: app.conf.j2, dest: "{{ root }}/app.conf", mode: "0644" }
    - template: { src: app.conf.j2, dest: "{{ root }}/app.conf", mode: "0644" }
`,
        `  vars:\n    port: 8080\n    names: [a, b]\n    opts: { debug: false }\n`,
      ),
      'templates/app.conf.j2':
        'port = {{ port }}\nnames = {{ names | join(",") }}\nhost = {{ inventory_hostname }}\nupper = {{ ' +
        '"x" | upper }}\nport_plus = {{ port | int + 1 }}\n',
    },
  },
  {
    name: 'stat',
    covers: 'stat',
    files: {
      'main.yml': play(
        'stat',
        `
    - copy: { dest: "{{ root }}/f", content: "abc\\n", mode: "0640" }
    - stat: { path: "{{ root }}/f" }
      register: f
    - assert:
        that:
          - f.stat.exists
          - f.stat.isreg
          - not f.stat.isdir
          - f.stat.mode == '0640'
          - f.stat.size == 4
          - f.stat.checksum == '03cfd743661f07975fa2f1220c5194cbaff48451'
    - stat: { path: "{{ root }}/missing" }
      register: m
    - command: touch -d '2021-02-03 04:05:06.123456789' {{ root }}/t
    - stat: { path: "{{ root }}/t" }
      register: t
    - assert: { that: [not m.stat.exists] }
    - stat: { path: "{{ root }}" }
      register: d
    - assert: { that: [d.stat.isdir, "d.stat.mimetype == 'inode/directory'", "d.stat.charset == 'binary'"] }
    - assert: { that: ["f.stat.mimetype == 'text/plain'", "f.stat.charset == 'us-ascii'"] }
    - stat: { path: "{{ root }}/f", get_mime: false }
      register: nm
    - assert: { that: [nm.stat.mimetype is not defined] }
    # a second folder and two empty files: the second of each kind is answered from the first (same answer)
    - file: { path: "{{ root }}/sub", state: directory }
    - copy: { dest: "{{ root }}/e{{ item }}", content: "" }
      loop: [1, 2]
    - stat: { path: "{{ root }}/{{ item }}" }
      loop: [sub, e1, e2, sub]
      register: more
    - set_fact: { kinds: "{{ more.results | map(attribute='stat.mimetype') | list }}" }
    - assert:
        that:
          - "kinds == ['inode/directory', 'inode/x-empty', 'inode/x-empty', 'inode/directory']"
          - "more.results | map(attribute='stat.charset') | unique | list == ['binary']"
`,
      ),
    },
  },
  {
    name: 'command_shell',
    covers: 'command_shell',
    files: {
      'main.yml': play(
        'command_shell',
        `
    - command: touch {{ root }}/made
      args: { creates: "{{ root }}/made" }
    - command: rm {{ root }}/nothing
      args: { removes: "{{ root }}/nothing" }
    - command: { argv: [echo, "a b"] }
      register: argv
    - assert: { that: ["argv.stdout == 'a b'"] }
    - shell: "echo one | tr o O > {{ root }}/piped"
      args: { creates: "{{ root }}/piped" }
    - command: pwd
      args: { chdir: "{{ root }}" }
      register: wd
    - assert: { that: ["wd.stdout == root"] }
    - shell: "cat"
      args: { stdin: "from stdin" }
      register: si
    - assert: { that: ["si.stdout == 'from stdin'"] }
    - command: { argv: [sh, -c, "echo $0 $1", "a b", c] }
      register: zero
    - assert: { that: ["zero.stdout == 'a b c'"] }
    - command: { cmd: "echo ran", executable: /bin/sh }
      register: ex
    - assert: { that: ["ex.stdout == 'ran'"] }
    - shell: echo \${BASH_VERSION:+bash}
      args: { executable: /bin/bash }
      register: bash
    - assert: { that: ["bash.stdout == 'bash'"] }
`,
      ),
    },
  },
  {
    name: 'environment',
    covers: 'environment (not for raw, as Ansible)',
    clean: true,
    files: {
      'main.yml': `- hosts: environment
  gather_facts: false
  environment: { PLAY_V: play }
  vars:
    env_map: { FROM_VAR: templated }
  tasks:
    - shell: 'echo "$PLAY_V $TASK_V"'
      environment: { TASK_V: task }
      register: e1
    - assert: { that: ["e1.stdout == 'play task'"] }
    - block:
        - shell: 'echo "$PLAY_V $BLOCK_V"'
          register: e2
        - assert: { that: ["e2.stdout == 'play block'"] }
      environment: { BLOCK_V: block }
    - shell: 'echo "$FROM_VAR"'
      environment: "{{ env_map }}"
      register: e3
    - assert: { that: ["e3.stdout == 'templated'"] }
    - shell: 'echo "$FROM_VAR $A $B"'
      environment:
        - "{{ env_map }}"
        - { A: first, B: first }
        - { B: second }
      register: e4
    - assert: { that: ["e4.stdout == 'templated first second'"] }
    - raw: 'echo "[$PLAY_V]"'
      register: e5
    - assert: { that: ["e5.stdout | trim == '[]'"] }
`,
    },
  },
]
