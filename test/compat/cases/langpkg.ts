/**
 * Agreement cases for pip, expect and subversion (what Ansible's integration targets of those names pin down),
 * offline: pip installs a wheel the case builds by hand into a virtualenv (`--no-index`), expect answers a small sh
 * program, subversion works on a `file://` repository made with `svnadmin`. Each host's scratch folder is
 * `{{ root }}-work` (removed with the state base); only stable results are copied into `root` for comparison.
 */
import type { CompatCase } from '../harness.js'

const play = (name: string, tasks: string) =>
  `- hosts: ${name}\n  gather_facts: false\n  vars:\n    w: "{{ root }}-work"\n  tasks:\n${tasks}`

/** Tasks that build `tinypkg-VERSION-py3-none-any.whl` under `{{ w }}/wheels` (a zip of the package + metadata). */
const wheel = (v: string) => `
    - file: { path: "{{ w }}/{{ item }}", state: directory, mode: "0755" }
      loop: [src-${v}/tinypkg, src-${v}/tinypkg-${v}.dist-info, wheels]
    - copy: { dest: "{{ w }}/src-${v}/{{ item.f }}", content: "{{ item.c }}", mode: "0644" }
      loop:
        - { f: tinypkg/__init__.py, c: "V = '${v}'\\n" }
        - { f: tinypkg-${v}.dist-info/METADATA, c: "Metadata-Version: 2.1\\nName: tinypkg\\nVersion: ${v}\\n" }
        - f: tinypkg-${v}.dist-info/WHEEL
          c: "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
        - f: tinypkg-${v}.dist-info/RECORD
          c: |
            tinypkg/__init__.py,,
            tinypkg-${v}.dist-info/METADATA,,
            tinypkg-${v}.dist-info/WHEEL,,
            tinypkg-${v}.dist-info/RECORD,,
    - command:
        cmd: zip -qr ../wheels/tinypkg-${v}-py3-none-any.whl .
        chdir: "{{ w }}/src-${v}"
        creates: "{{ w }}/wheels/tinypkg-${v}-py3-none-any.whl"`

const PIP = `
    - set_fact:
        venv: "{{ w }}/venv"
        offline: "--no-index --find-links {{ w }}/wheels"
${wheel('1.0')}
    - pip:
        name: tinypkg
        version: "1.0"
        virtualenv: "{{ venv }}"
        virtualenv_command: /usr/bin/python3 -m venv
        extra_args: "{{ offline }}"
      register: first
    - pip: { name: tinypkg, version: "1.0", virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
      register: again
    - assert: { that: ["not again.changed", "again.state == 'present'", "again.version == '1.0'"] }
    - name: check mode with extra_args always predicts a change (as Ansible)
      pip: { name: tinypkg, virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
      check_mode: true
    - name: check mode without extra_args reads the installed list
      pip: { name: "tinypkg>=0.9", virtualenv: "{{ venv }}" }
      check_mode: true
      register: chk
    - assert: { that: ["not chk.changed"] }
${wheel('1.1')}
    - pip: { name: tinypkg, state: latest, virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
    - pip: { name: tinypkg, state: latest, virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
      register: latest
    - assert: { that: ["not latest.changed"] }
    - pip: { name: tinypkg, state: absent, virtualenv: "{{ venv }}" }
    - pip: { name: tinypkg, state: absent, virtualenv: "{{ venv }}" }
      register: gone
    - assert: { that: ["not gone.changed"] }
    - copy: { dest: "{{ w }}/req.txt", content: "tinypkg==1.0\\n", mode: "0644" }
    - pip: { requirements: req.txt, chdir: "{{ w }}", virtualenv: venv, extra_args: "{{ offline }}" }
    - pip: { requirements: req.txt, chdir: "{{ w }}", virtualenv: venv, extra_args: "{{ offline }}" }
      register: req
    - assert: { that: ["not req.changed"] }
    - pip:
        name: tinypkg
        virtualenv: "{{ w }}/masked"
        virtualenv_command: /usr/bin/python3 -m venv
        extra_args: "{{ offline }}"
        umask: "0077"
    - shell: stat -c %a masked masked/lib/python3*/site-packages/tinypkg/__init__.py
      args: { chdir: "{{ w }}" }
      register: modes
      changed_when: false
    - copy: { dest: "{{ root }}/masked", content: "{{ modes.stdout }}\\n", mode: "0644" }
    - pip: { name: tinypkg, state: forcereinstall, virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
    - pip: { name: [tinypkg, other], version: "1.0", virtualenv: "{{ venv }}" }
      ignore_errors: true
    - pip: { name: tinypkg, version: "1.0", state: latest, virtualenv: "{{ venv }}" }
      ignore_errors: true
    - pip: { name: no-such-package-here, virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
      ignore_errors: true
    - pip: { name: tinypkg, executable: "{{ w }}/no-pip-here" }
      ignore_errors: true
    - command: "{{ venv }}/bin/python -c 'import tinypkg; print(tinypkg.V)'"
      register: v
      changed_when: false
    - copy: { dest: "{{ root }}/result", content: "{{ v.stdout }} {{ 'yes' if first.changed else 'no' }}\\n" }
`

// pexpect.run (Ansible's) closes the terminal as soon as output ends and may kill a command that is just exiting (rc
// None: "command exceeded timeout"); a background sleep that ignores SIGHUP holds the terminal open until the
// command has surely exited, so Ansible's runs are not flaky. tsplay waits for the exit either way. A command left
// without an answer writes nothing: Ansible's hang-up races its reading end-of-file, tsplay kills it first.
const EXPECT = `
    - set_fact:
        hold: '(trap "" HUP; sleep 0.3) &'
    - set_fact:
        ask: >-
          sh -c 'printf "Name? "; read n; printf "Pin? "; read p; printf "Pin? "; read q;
          printf "%s %s %s\\n" "$n" "$p" "$q" > {{ root }}/answers; echo done; {{ hold }}'
    - expect:
        command: "{{ ask }}"
        responses: { 'Name\\?': ann, 'Pin\\?': ["1234", "5678"] }
      register: e
    - assert: { that: ["e.changed", "e.rc == 0", "'done' in e.stdout", "'1234' not in e.stdout", "e.cmd == ask"] }
    - expect:
        command: "{{ ask }}"
        responses: { 'Name\\?': bob, 'Pin\\?': ["1", "2"] }
        echo: true
      register: echoed
    - assert: { that: ["'bob' in echoed.stdout"] }
    - expect: { command: "{{ ask }}", responses: { 'Name\\?': x }, creates: "{{ root }}/answers" }
      register: made
    - assert: { that: ["not made.changed", "made.stdout.startswith('skipped, since')"] }
    - expect: { command: "{{ ask }}", responses: { 'Name\\?': x }, removes: "{{ root }}/nothing" }
    - expect: { command: "sh -c 'rm -f answers; {{ hold }}'", responses: {}, chdir: "{{ root }}", removes: answers }
    - expect:
        command: "sh -c 'printf \\"Name? \\"; read n; printf \\"Pin? \\"; read p; printf \\"Pin? \\"; read q; echo $q'"
        responses: { 'Name\\?': a, 'Pin\\?': ["1"] }
      ignore_errors: true
    - expect: { command: "sh -c '{{ hold }} exit 3'", responses: {} }
      ignore_errors: true
      register: rc
    - assert: { that: ["rc.rc == 3", "rc is failed"] }
    - expect: { command: sleep 5, responses: {}, timeout: 1 }
      ignore_errors: true
    - expect: { command: "touch {{ root }}/never", responses: {} }
      check_mode: true
    - expect:
        command: "sh -c 'printf \\"Name? \\"; read n; echo $n > {{ root }}/last; {{ hold }}'"
        responses: { 'Name\\?': 42 }
`

const SVN = `
    - set_fact: { url: "file://{{ w }}/repo" }
    - file: { path: "{{ w }}/src/trunk", state: directory, mode: "0755" }
    - copy: { dest: "{{ w }}/src/trunk/a", content: "one\\n", mode: "0644" }
    - command: { cmd: "svnadmin create {{ w }}/repo", creates: "{{ w }}/repo/format" }
    - command: { cmd: "svn import -q -m init {{ w }}/src {{ url }}", creates: "{{ w }}/repo/db/revs/0/1" }
    - command: { cmd: "svn mkdir -q -m d {{ url }}/trunk/d", creates: "{{ w }}/repo/db/revs/0/2" }
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/wc", revision: "1" }
      register: co
    - assert: { that: ["co.after[0] == 'Revision: 1'"] }
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/wc" }
      register: up
    - assert: { that: ["up.changed", "up.after[0] == 'Revision: 2'"] }
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/wc" }
      register: same
    - assert: { that: ["not same.changed"] }
    - name: check mode on an up-to-date working copy
      subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/wc", revision: "1" }
      check_mode: true
    - copy: { dest: "{{ w }}/wc/a", content: "local\\n" }
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/wc" }
      ignore_errors: true
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/wc", force: true }
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/wc", update: false }
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ root }}/export", export: true, force: true }
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/none", checkout: false }
    - subversion: { repo: "{{ url }}/trunk", checkout: false, update: false, export: false }
      register: remote
    - assert: { that: ["remote.after == 'Revision: 2'"] }
    - file: { path: "{{ w }}/plain", state: directory, mode: "0755" }
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/plain" }
      ignore_errors: true
    - subversion: { repo: "{{ url }}/trunk", dest: "{{ w }}/plain", in_place: true }
    - subversion: { repo: "{{ url }}/nope", dest: "{{ w }}/nope" }
      ignore_errors: true
    - copy: { src: "{{ w }}/wc/a", dest: "{{ root }}/a", remote_src: true, mode: "0644" }
`

export const LANGPKG: CompatCase[] = [
  { name: 'pip', covers: 'pip', clean: true, files: { 'main.yml': play('pip', PIP) } },
  { name: 'expect', covers: 'expect', clean: true, files: { 'main.yml': play('expect', EXPECT) } },
  { name: 'subversion', covers: 'subversion', clean: true, files: { 'main.yml': play('subversion', SVN) } },
]
