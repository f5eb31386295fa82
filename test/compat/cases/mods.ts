/**
 * Agreement cases for the file-editing, search and system modules Ansible users reach for next: blockinfile,
 * replace, find, tempfile, cron, authorized_key, known_hosts, get_url, uri, unarchive (what Ansible's integration
 * targets of those names pin down), written here.
 */
import type { CompatCase } from '../harness.js'

const ED1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPQwMXn3UF3eGiOTzkKKfUqjQ437X9pjqPj41RDi2AhJ'
const ED2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9G5uTQl7GG9Uz2c5VdZlNbc5FQ5mVBeyHchBiizWQV'
const EC =
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJ2W4H13DiWubU1fFvhiDyVjMWHo' +
  'GY1YJ3xdbCZUP+vHllUx27t4X7yTi8pF2UmplZKeO1VWiIbQ/Pjb1aUydls='

const play = (name: string, tasks: string, extra = '') =>
  `- hosts: ${name}\n  gather_facts: false\n${extra}  tasks:\n${tasks}`

export const MODS: CompatCase[] = [
  {
    // what these modules register beside their work: Ansible's field names, nulls and the file's owner and mode
    name: 'module_results',
    covers: 'command/shell creates, wait_for (match groups too), authorized_key, unarchive and template results',
    clean: true,
    files: {
      'main.yml': play(
        'module_results',
        `
    - copy: { content: "a\\n", dest: "{{ root }}/made" }
    - command: { cmd: echo hi, creates: "{{ root }}/made" }
      register: c
    - shell: { cmd: echo hi, removes: "{{ root }}/nothing" }
      register: s
    - wait_for: { path: "{{ root }}/made" }
      register: w1
    - wait_for: { timeout: 0 }
      register: w2
    - copy: { content: "a\\nname=pi ver=3\\nend\\n", dest: "{{ root }}/banner" }
    # the whole file is searched (a match across lines), its groups registered in the pattern's order
    - wait_for: { path: "{{ root }}/banner", search_regex: '(?P<name>\\w+)=pi ver=(?P<ver>\\d)(x)?\\nend$' }
      register: w3
    - template: { src: groups.j2, dest: "{{ root }}/groups.json" }
    - authorized_key:
        { user: "{{ ansible_user }}", path: "{{ root }}/ak", key: "${ED1} a@b", manage_dir: false }
      register: ak
    - shell: tar --mtime=@0 -C {{ root }} -cf {{ root }}/a.tar made
      args: { creates: "{{ root }}/a.tar" }
    - file: { path: "{{ root }}/un", state: directory }
    - unarchive: { src: "{{ root }}/a.tar", dest: "{{ root }}/un", remote_src: true }
      register: un
    - template: { src: t.j2, dest: "{{ root }}/t.txt" }
      register: t
    - lineinfile: { path: "{{ root }}/missing", line: x }
      register: li
      ignore_errors: true
    - replace: { path: "{{ root }}/un", regexp: x, replace: y }
      register: rp
      ignore_errors: true
    - file: { path: "{{ root }}/missing", state: file }
      register: fm
      ignore_errors: true
    - copy: { content: x, dest: "{{ root }}/nodir/x" }
      register: cn
      ignore_errors: true
    - fetch: { src: "{{ root }}/made", dest: "{{ root }}/fetched/", flat: true }
      register: fe
    - fetch: { src: "{{ root }}/made", dest: "{{ root }}/fetched/", flat: true }
      register: fe2
    - debug: { var: fe2.checksum }
      register: dv
    - file: { path: "{{ root }}/made", src: "{{ root }}/made", state: hard }
      register: self_link
      ignore_errors: true
    - assert:
        that:
          - li.rc == 257 and rp.rc == 256
          - fm.path == root ~ '/missing' and fm.state == 'absent'
          - cn.dest is not defined and cn.checksum is defined
          - fe is not changed or (fe.file is not defined and fe.remote_checksum == fe.checksum)
          - fe2 is not changed and fe2.file == root ~ '/made' and fe2.md5sum is defined
          - fe2.remote_checksum is not defined
          - dv.msg is not defined and dv['fe2.checksum'] == fe2.checksum
          - self_link is failed and self_link is not changed
          - ansible_facts == {} and hostvars[inventory_hostname].ansible_facts == {}
          - c.msg == "Did not run command since '" ~ root ~ "/made' exists"
          - c.stdout == 'skipped, since ' ~ root ~ '/made exists' and c.start is none and c.delta is none
          - s.msg == "Did not run command since '" ~ root ~ "/nothing' does not exist" and s.end is none
          - w1.state == 'file' and w1.mode == '0644' and w1.port is none and w1.search_regex is none
          - w1.match_groups == [] and w1.match_groupdict == {}
          - w2.path is none and w2.state == 'started' and w2.match_groups == []
          - ak.comment is none and ak.key_options is none and ak.state == 'file' and ak.mode == '0600'
          - un is not changed or (un.extract_results.rc == 0 and un.extract_results.cmd is defined)
          - un.state == 'directory' and un.uid is defined
          - t is changed or t.src is not defined
`,
      ),
      'templates/t.j2': 'x={{ 1 }}\n',
      'templates/groups.j2': '{{ [w3.match_groups, w3.match_groupdict, w1.match_groups] | to_json }}\n',
    },
  },
  {
    name: 'blockinfile',
    covers: 'blockinfile',
    files: {
      'main.yml': play(
        'blockinfile',
        `
    - copy: { dest: "{{ root }}/conf", content: "# conf\\n[main]\\nport=1\\n[other]\\n", mode: "0644", force: false }
    - blockinfile: { path: "{{ root }}/conf", block: "a=1\\nb=2" }
      register: r1
    - assert: { that: ["r1.changed or r1.msg == ''"] }
    - blockinfile: { path: "{{ root }}/conf", block: "a=1\\nb=3" }
    - blockinfile:
        path: "{{ root }}/conf"
        marker: "; {mark} second"
        insertafter: '^\\[main\\]'
        block: |
          in=main
    - blockinfile: { path: "{{ root }}/conf", marker: "# {mark} top", insertbefore: BOF, content: "top" }
    - blockinfile: { path: "{{ root }}/conf", marker: "# {mark} gone", block: "x" }
    - blockinfile: { path: "{{ root }}/conf", marker: "# {mark} gone", state: absent }
    - blockinfile: { path: "{{ root }}/new/file", block: "made", create: true, mode: "0600" }
    - blockinfile: { path: "{{ root }}/missing", block: "x", state: absent, create: true }
    - blockinfile: { path: "{{ root }}/missing", block: "x", state: absent }
      ignore_errors: true
    - blockinfile: { path: "{{ root }}/missing2", block: "x" }
      ignore_errors: true
      register: miss
    - assert: { that: [miss is failed] }
`,
      ),
    },
  },
  {
    name: 'replace',
    covers: 'replace',
    files: {
      'main.yml': play(
        'replace',
        `
    - copy:
        dest: "{{ root }}/conf"
        content: "#PasswordAuthentication yes\\nPort 22\\n[s]\\nPort 22\\nhost=old\\n"
        mode: "0644"
        force: false
    - replace:
        path: "{{ root }}/conf"
        regexp: '^#?PasswordAuthentication .*$'
        replace: 'PasswordAuthentication no'
      register: r
    - replace: { path: "{{ root }}/conf", regexp: '^Port 22$', replace: 'Port 2222', after: '\\[s\\]' }
    - replace: { path: "{{ root }}/conf", regexp: '^(?P<k>host)=(\\w+)$', replace: '\\g<k>=new-\\2' }
    - replace: { path: "{{ root }}/conf", regexp: 'nothing-here', replace: 'x' }
    - replace: { path: "{{ root }}/conf", regexp: 'x', replace: 'y', before: 'no-such-marker' }
      register: nomatch
    - assert: { that: [not nomatch.changed] }
    - replace: { path: "{{ root }}/conf", regexp: 'zzz', mode: "0600" }
    - replace: { path: "{{ root }}/missing", regexp: 'x' }
      ignore_errors: true
`,
      ),
    },
  },
  {
    name: 'find',
    covers: 'find',
    files: {
      'main.yml': play(
        'find',
        `
    - file: { path: "{{ root }}/{{ item }}", state: directory, mode: "0755" }
      loop: [logs, logs/sub, logs/.hidden]
    - copy: { dest: "{{ root }}/logs/{{ item.n }}", content: "{{ item.c }}", mode: "0644" }
      loop:
        - { n: a.log, c: "one\\nERROR two\\n" }
        - { n: b.txt, c: "b" }
        - { n: sub/c.log, c: "ccc" }
        - { n: .hidden/d.log, c: "" }
        - { n: .e.log, c: "" }
    - file: { src: "{{ root }}/logs/b.txt", dest: "{{ root }}/logs/link", state: link }
    - find: { paths: "{{ root }}/logs" }
      register: top
    - assert: { that: ["top.matched == 2", "top.examined == 6", "not top.changed", "top.files[0].mode == '0644'"] }
    - find: { paths: "{{ root }}/logs", patterns: "*.log", recurse: true }
      register: logs
    - assert:
        that:
          - logs.matched == 3
          - logs.files | map(attribute='path') | select('search', 'hidden') | list | length == 1
    - find: { paths: "{{ root }}/logs", patterns: "*.log", recurse: true, hidden: true }
      register: hid
    - assert: { that: ["hid.matched == 4"] }
    - find: { paths: "{{ root }}/logs", contains: "ERROR" }
      register: err
    - assert: { that: ["err.matched == 1", "err.files[0].path.endswith('a.log')"] }
    - find: { paths: "{{ root }}/logs", file_type: directory, recurse: true }
      register: dirs
    - assert: { that: ["dirs.matched == 1"] }
    - find: { paths: "{{ root }}/logs", file_type: link }
      register: links
    - assert: { that: ["links.matched == 1", "links.files[0].islnk"] }
    - find: { paths: "{{ root }}/logs", patterns: ['^[ab]\\.'], use_regex: true, size: "-1k" }
      register: rx
    - assert: { that: ["rx.matched == 2"] }
    - find: { paths: "{{ root }}/logs", age: 1d }
      register: old
    - assert: { that: ["old.matched == 0"] }
    - find: { paths: ["{{ root }}/logs/sub", "{{ root }}/nope"], get_checksum: true }
      register: two
    - assert: { that: ["two.matched == 1", "two.files[0].checksum == 'f36b4825e5db2cf7dd2d2593b3f5c24c0311d8b2'"] }
`,
      ),
    },
  },
  {
    name: 'tempfile',
    covers: 'tempfile',
    files: {
      'main.yml': play(
        'tempfile',
        `
    - tempfile: { path: "{{ root }}", suffix: .txt }
      register: f
    - tempfile: { state: directory, path: "{{ root }}", prefix: work. }
      register: d
    - stat: { path: "{{ f.path }}" }
      register: fs
    - stat: { path: "{{ d.path }}" }
      register: ds
    - assert:
        that:
          - f.path.startswith(root + '/ansible.')
          - f.path.endswith('.txt')
          - d.path.startswith(root + '/work.')
          - fs.stat.isreg and fs.stat.mode == '0600'
          - ds.stat.isdir and ds.stat.mode == '0700'
    - file: { path: "{{ item }}", state: absent }
      loop: ["{{ f.path }}", "{{ d.path }}"]
`,
      ),
    },
  },
  {
    name: 'cron',
    covers: 'cron',
    files: {
      'main.yml': play(
        'cron',
        `
    - cron: { name: gc, cron_file: "{{ root }}/jobs", user: "{{ ansible_user }}", special_time: daily, job: "gc -d" }
    - cron: { name: gc, cron_file: "{{ root }}/jobs", user: "{{ ansible_user }}", special_time: daily, job: "gc -d" }
    - cron:
        { name: backup, cron_file: "{{ root }}/jobs", user: "{{ ansible_user }}", minute: "5", hour: "3", job: "b" }
    - cron: { name: MAILTO, env: true, job: "", cron_file: "{{ root }}/jobs", user: "{{ ansible_user }}" }
    - cron:
        name: PATH
        env: true
        job: /usr/bin:/bin
        insertafter: MAILTO
        cron_file: "{{ root }}/jobs"
        user: "{{ ansible_user }}"
    - cron: { name: gc, cron_file: "{{ root }}/jobs", state: absent }
      register: rm
    - assert: { that: ["rm.jobs == ['backup']", "rm.envs == ['MAILTO', 'PATH']"] }
    - cron: { name: only, cron_file: "{{ root }}/single", user: "{{ ansible_user }}", job: "x", disabled: true }
    - cron: { name: only, cron_file: "{{ root }}/single", state: absent }
    - cron: { name: nope, cron_file: "{{ root }}/jobs", user: "{{ ansible_user }}" }
      ignore_errors: true
    - name: "the login user's own crontab (one host of the two: they share it)"
      when: inventory_hostname.endswith('_a')
      block:
        - cron: { name: mine, job: "true", minute: "*/5" }
        - cron: { name: mine, job: "true", minute: "*/5" }
        - command: crontab -l
          register: l
          changed_when: false
        - assert: { that: ["'#Ansible: mine' in l.stdout_lines"] }
        - cron: { name: mine, state: absent }
        - command: crontab -r
          changed_when: false
          failed_when: false
`,
      ),
    },
  },
  {
    name: 'authorized_key',
    covers: 'authorized_key',
    files: {
      'main.yml': play(
        'authorized_key',
        `
    - authorized_key: { user: "{{ ansible_user }}", path: "{{ root }}/ssh/keys", key: "${ED1} one@pc" }
    - authorized_key: { user: "{{ ansible_user }}", path: "{{ root }}/ssh/keys", key: "${ED1} one@pc" }
    - authorized_key: { user: "{{ ansible_user }}", path: "{{ root }}/ssh/keys", key: "${ED2}" }
    - authorized_key:
        user: "{{ ansible_user }}"
        path: "{{ root }}/ssh/keys"
        key: "${EC} three"
        key_options: 'no-pty,from="10.0.0.1,10.0.0.2"'
    - authorized_key: { user: "{{ ansible_user }}", path: "{{ root }}/ssh/keys", key: "${ED1}", comment: renamed }
    - authorized_key: { user: "{{ ansible_user }}", path: "{{ root }}/ssh/keys", key: "${ED2}", state: absent }
    - authorized_key: { user: "{{ ansible_user }}", path: "{{ root }}/ssh/keys", key: "${ED2}", state: absent }
    - authorized_key:
        user: "{{ ansible_user }}"
        path: "{{ root }}/ex/keys"
        key: "${ED1}\\n${ED2}"
    - authorized_key: { user: "{{ ansible_user }}", path: "{{ root }}/ex/keys", key: "${ED2}", exclusive: true }
    - authorized_key: { user: "{{ ansible_user }}", path: "{{ root }}/ex/keys", key: "not a key" }
      ignore_errors: true
`,
      ),
    },
  },
  {
    name: 'known_hosts',
    covers: 'known_hosts',
    files: {
      'main.yml': play(
        'known_hosts',
        `
    - copy: { dest: "{{ root }}/kh", content: "other.org ${ED2}\\n", mode: "0644", force: false }
    - known_hosts: { path: "{{ root }}/kh", name: Example.org, key: "example.org ${ED1}" }
    - known_hosts: { path: "{{ root }}/kh", name: example.org, key: "example.org ${ED1}" }
    - known_hosts: { path: "{{ root }}/kh", name: example.org, key: "example.org ${ED2}" }
    - known_hosts: { path: "{{ root }}/kh", name: example.org, key: "example.org ${EC}" }
    - known_hosts: { path: "{{ root }}/kh", name: "[x.org]:2222", key: "[x.org]:2222 ${ED1}" }
    - known_hosts: { path: "{{ root }}/kh", name: example.org, key: "example.org ${EC}", state: absent }
    - known_hosts: { path: "{{ root }}/kh", name: example.org, key: "example.org ${EC}", state: absent }
    - known_hosts: { path: "{{ root }}/kh", name: other.org, state: absent }
    - known_hosts: { path: "{{ root }}/kh", name: nothere.org, state: absent }
    - known_hosts: { path: "{{ root }}/kh", name: a.org, key: "b.org ${ED1}" }
      ignore_errors: true
    - known_hosts: { path: "{{ root }}/hashed", name: h.org, key: "h.org ${ED1}", hash_host: true }
    - known_hosts: { path: "{{ root }}/hashed", name: h.org, key: "h.org ${ED1}", hash_host: true }
    - command: ssh-keygen -F h.org -f {{ root }}/hashed
      changed_when: false
    - file: { path: "{{ root }}/hashed", state: absent }
`,
      ),
    },
  },
  {
    name: 'get_url',
    covers: 'get_url',
    files: {
      'main.yml': play(
        'get_url',
        `
    - file: { path: "{{ root }}/src", state: directory, mode: "0755" }
    - file: { path: "{{ root }}/into", state: directory, mode: "0755" }
    - copy: { dest: "{{ root }}/src/a.txt", content: "payload\\n", mode: "0644" }
    - copy: { dest: "{{ root }}/src/SUMS", content: "0000  other.txt\\n{{ sum }}  a.txt\\n", mode: "0644" }
    - get_url: { url: "file://{{ root }}/src/a.txt", dest: "{{ root }}/a.txt", mode: "0640" }
      register: first
    - get_url: { url: "file://{{ root }}/src/a.txt", dest: "{{ root }}/a.txt", mode: "0640" }
    - get_url: { url: "file://{{ root }}/src/a.txt", dest: "{{ root }}/a.txt", checksum: "sha256:{{ sum }}" }
      register: same
    - assert: { that: ["same.msg == 'file already exists'", "first.dest == root + '/a.txt'"] }
    - get_url: { url: "file://{{ root }}/src/a.txt", dest: "{{ root }}/into/" }
    - get_url:
        url: "file://{{ root }}/src/a.txt"
        dest: "{{ root }}/b.txt"
        checksum: "sha256:file://{{ root }}/src/SUMS"
    - get_url: { url: "file://{{ root }}/src/a.txt", dest: "{{ root }}/a.txt", mode: "0600" }
    - get_url: { url: "file://{{ root }}/src/a.txt", dest: "{{ root }}/bad.txt", checksum: "sha256:{{ '0' * 64 }}" }
      ignore_errors: true
    - get_url: { url: "file://{{ root }}/src/missing", dest: "{{ root }}/m.txt" }
      ignore_errors: true
`,
        `  vars:\n    sum: d4e4877bac978b7952f0d544fc52ebff5411d351d129f1f056fa43f11da9af2b\n`,
      ),
    },
  },
]
