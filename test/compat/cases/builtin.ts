/**
 * Agreement cases for the ansible.builtin modules real Debian playbooks and roles use next: getent, gather_facts,
 * package_facts, service_facts, group_by, add_host, assemble (what Ansible's integration targets of those names pin
 * down), written here.
 */
import type { CompatCase } from '../harness.js'

const play = (name: string, tasks: string, extra = '') =>
  `- hosts: ${name}\n  gather_facts: false\n${extra}  tasks:\n${tasks}`

export const BUILTIN: CompatCase[] = [
  {
    name: 'getent',
    covers: 'getent',
    clean: true,
    files: {
      'main.yml': play(
        'getent',
        `
    - getent: { database: passwd, key: root }
    - assert:
        that:
          - getent_passwd.root[0] == 'x'
          - getent_passwd.root[1] == '0'
          - getent_passwd.root[4] == '/root'
          - ansible_facts.getent_passwd.root[1] == '0'
          - getent_passwd | length == 1
    - getent: { database: group, key: root, split: ":" }
      register: g
    - assert: { that: ["g.ansible_facts.getent_group.root[1] == '0'", g is not changed] }
    - getent: { database: passwd, key: tsplay-no-such-user, fail_key: false }
      register: miss
    - assert:
        that:
          - miss is not failed
          - getent_passwd['tsplay-no-such-user'] is none
          - "'could not be found' in miss.msg"
    - getent: { database: passwd, key: tsplay-no-such-user }
      register: miss2
      ignore_errors: true
    - assert: { that: [miss2 is failed, "'could not be found' in miss2.msg"] }
    - getent: { database: tsplay-no-such-db }
      register: nodb
      ignore_errors: true
    - assert: { that: ["nodb.msg == 'Missing arguments, or database unknown.'"] }
    - getent: { database: hosts, key: localhost }
    - assert: { that: ["getent_hosts | length == 1", "'localhost' in (getent_hosts.values() | first)"] }
    - setup: { filter: ["ansible_hostname"] }
    - assert: { that: ["ansible_facts.getent_hosts | length == 1", "getent_hosts | length == 1"] }
    - getent: { database: passwd }
    - assert: { that: ["'root' in getent_passwd", "getent_passwd | length > 5"] }
    - copy: { dest: "{{ root }}/root", content: "{{ getent_passwd.root | join(':') }}\\n", mode: "0644" }
`,
      ),
    },
  },
  {
    name: 'factmods',
    covers: 'gather_facts, package_facts, service_facts',
    clean: true,
    files: {
      'main.yml': play(
        'factmods',
        `
    - gather_facts:
    - assert: { that: ["ansible_facts.os_family == 'Debian'", ansible_hostname is defined] }
    - ansible.builtin.gather_facts: { gather_subset: [min], parallel: false }
    - package_facts: { manager: auto }
    - command: dpkg-query -W -f=\${Version} bash
      register: v
      changed_when: false
    - assert:
        that:
          - "'bash' in ansible_facts.packages"
          - packages.bash | length == 1
          - packages.bash[0].name == 'bash'
          - packages.bash[0].version == v.stdout
          - packages.bash[0].source == 'apt'
          - packages.bash[0].category == 'shells'
          - "'arch' in packages.bash[0]"
    - package_facts: { manager: [apt], strategy: all }
      register: pf
    - assert: { that: [pf is not changed, "'bash' in pf.ansible_facts.packages"] }
    - package_facts: { manager: rpm }
      register: rpm
      ignore_errors: true
    - assert: { that: [rpm is failed] }
    - copy:
        dest: "{{ root }}/packages"
        mode: "0644"
        content: |
          {{ packages | length }} {{ packages.bash[0].arch }} {{ packages.bash[0].version }}
          {{ packages | list | sort | join(' ') }}
    - service_facts:
    - assert:
        that:
          - services | length > 0
          - ansible_facts.services | length == services | length
    - copy:
        dest: "{{ root }}/services"
        mode: "0644"
        content: |
          {% for s in services.values() | sort(attribute='name') %}
          {{ s.name }} {{ s.state }} {{ s.source }} {{ s.status | default('-') }}
          {% endfor %}
`,
      ),
    },
  },
  {
    name: 'groupby',
    covers: 'group_by, add_host',
    clean: true,
    files: {
      'main.yml': `
- hosts: groupby
  gather_facts: false
  tasks:
    - group_by: { key: "gb_{{ inventory_hostname }}" }
    - group_by: { key: "gb all", parents: [gb_parent] }
      register: first
    - group_by: { key: "gb all", parents: gb_parent }
      register: again
    - assert:
        that:
          - first is changed
          - again is not changed
          - "'gb-all' in group_names"
          - "'gb_parent' in group_names"
          - groups['gb-all'] | length == 2
          - groups['gb_' ~ inventory_hostname] == [inventory_hostname]
    - add_host:
        name: gb_new
        groups: "gb_added, gb_other"
        root: "{{ root }}/new"
        marker: hello
      register: added
    - add_host: { name: gb_new, groups: [gb_added], marker: hello }
      register: again
    - assert:
        that:
          - added is changed
          - again is not changed
      when: inventory_hostname == 'groupby_a'
    - assert:
        that:
          - added is not defined
          - groups.gb_added == ['gb_new']
          - groups.gb_other == ['gb_new']
          - hostvars.gb_new.marker == 'hello'
      when: inventory_hostname == 'groupby_b'
    - file: { path: "{{ root }}/new", state: directory, mode: "0755" }
      when: inventory_hostname == 'groupby_a'
- hosts: gb-all
  gather_facts: false
  tasks:
    - copy: { dest: "{{ root }}/groups", content: "{{ group_names | join(',') }}\\n", mode: "0644" }
- hosts: gb_groupby_b
  gather_facts: false
  tasks:
    - copy: { dest: "{{ root }}/only_b", content: "b\\n", mode: "0644" }
- hosts: gb_added:&gb_other
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ root }}/hello"
        content: "{{ marker }} {{ inventory_hostname }} {{ group_names | join(',') }}\\n"
        mode: "0644"
`,
    },
  },
  {
    name: 'assemble',
    covers: 'assemble',
    clean: true,
    files: {
      'files/frags/01-head': '#!/bin/sh\nprintf hello',
      'files/frags/02-tail': "printf ' world\\n'\n",
      'files/bad/1': 'if then fi\n',
      'main.yml': play(
        'assemble',
        `
    - file: { path: "{{ root }}/frags", state: directory, mode: "0755" }
    - copy: { dest: "{{ root }}/frags/10-b", content: "b=2\\n", mode: "0644" }
    - copy: { dest: "{{ root }}/frags/02-a", content: "a=1", mode: "0644" }
    - copy: { dest: "{{ root }}/frags/.hidden", content: "hidden\\n", mode: "0644" }
    - copy: { dest: "{{ root }}/frags/20-skip.bak", content: "skip\\n", mode: "0644" }
    - file: { path: "{{ root }}/frags/sub", state: directory, mode: "0755" }
    - assemble: { src: "{{ root }}/frags", dest: "{{ root }}/out.conf", regexp: '^[0-9]+-[a-z]$' }
      register: a1
    - assemble: { src: "{{ root }}/frags", dest: "{{ root }}/out.conf", regexp: '^[0-9]+-[a-z]$' }
      register: a2
    - assert: { that: [a2 is not changed, "a2.msg == 'OK'", a2.checksum == a1.checksum] }
    - assemble: { src: "{{ root }}/frags", dest: "{{ root }}/out.conf", regexp: '^[0-9]+-[a-z]$', mode: "0600" }
    - assemble:
        src: "{{ root }}/frags"
        dest: "{{ root }}/all.conf"
        delimiter: '### part'
        ignore_hidden: true
    - assemble: { src: "{{ root }}/frags", dest: "{{ root }}/hidden.conf", delimiter: '#\\n' }
    - assemble:
        src: frags
        remote_src: false
        dest: "{{ root }}/script.sh"
        validate: sh -n %s
        mode: "0755"
    - command: "{{ root }}/script.sh"
      register: out
      changed_when: false
    - assert: { that: ["out.stdout == 'hello world'"] }
    - assemble: { src: bad, remote_src: false, dest: "{{ root }}/bad.sh", validate: sh -n %s }
      register: bad
      ignore_errors: true
    - assemble: { src: "{{ root }}/missing", dest: "{{ root }}/missing.conf" }
      register: miss
      ignore_errors: true
    - assemble: { src: "{{ root }}/frags/10-b", dest: "{{ root }}/file.conf" }
      register: notdir
      ignore_errors: true
    - assert:
        that:
          - bad is failed
          - miss is failed
          - "'does not exist' in miss.msg"
          - notdir is failed
          - "'is not a directory' in notdir.msg"
`,
      ),
    },
  },
  {
    name: 'dpkgsel',
    covers: 'dpkg_selections',
    clean: true,
    files: {
      'main.yml': play(
        'dpkgsel',
        `
    - dpkg_selections: { name: bash, selection: install }
      register: same
    - dpkg_selections: { name: bash, selection: hold }
      check_mode: true
      register: hold
    - dpkg_selections: { name: tsplay-no-such-package, selection: purge }
      check_mode: true
      register: absent
    - assert:
        that:
          - same is not changed
          - same.before == 'install'
          - hold is changed
          - hold.before == 'install'
          - hold.after == 'hold'
          - absent is changed
          - absent.before == 'not present'
    - command: dpkg --get-selections bash
      register: still
      changed_when: false
    - assert: { that: ["still.stdout.split()[1] == 'install'"] }
`,
      ),
    },
  },
]
