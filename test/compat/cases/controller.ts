/**
 * Agreement cases for the controller lookups `password` (a file made on the controller, read back the same on the
 * second run; seeded and encrypted forms), `csvfile`, `ini` and `url` (against the loopback HTTP server the
 * agreement test starts, its URL in `web`); Jinja's `{% extends %}`/`{% block %}` in templates (Ansible's
 * `template_jinja2_latest` target); and `vars` on `import_playbook` (Ansible's `import_playbook` target), written
 * here.
 */
import type { CompatCase } from '../harness.js'

const TABLES: Record<string, string> = {
  'files/elements.csv': 'Li,3,6.94\nH,1,1.008\n"Na ""x""",11,"22,99"\n',
  'elements.tsv': 'Li\t3\nBe\t4\n',
  'files/app.ini':
    '[DEFAULT]\nhome = /srv\n\n[global]\nUser = root\npath = %(home)s/app\npct = 100%%\nmulti = one\n  two\n' +
    '; comment\n[prod]\nuser = app\nuser.name=x\nport: 5432\n',
  'user.properties': 'user.name = bob\nuser.mail=b@x\n',
}

const TEMPLATES: Record<string, string> = {
  'templates/base.j2':
    '<title>{% block title %}Site{% endblock %}</title>\n{% block body %}\ndefault body {{ who }}\n{% endblock %}\n' +
    '{% for x in [1, 2] %}{% block item scoped %}[{{ x }}]{% endblock %}{% endfor %}\n\nfooter {{ self.title() }}\n',
  'templates/page.j2':
    "before\n{% extends 'base.j2' %}\n{% set extra = 'E' %}\nignored text\n" +
    '{% block title %}Page - {{ super() }}{% endblock %}\n{% block item %}<{{ x }}{{ extra }}>{% endblock %}\n',
  'templates/mid.j2':
    "{% extends 'page.j2' %}\n{% block body %}mid {{ super() }}{% endblock body %}\n" +
    '{% macro m() %}never{% endmacro %}\n',
  'roles/inh/templates/role.j2': "{% extends 'base.j2' %}\n{% block body %}role {{ who }}\n{% endblock %}\n",
  'roles/inh/templates/base.j2': '[{% block body %}{% endblock %}]\n',
  'roles/inh/tasks/main.yml': '- template: { src: role.j2, dest: "{{ root }}/role", mode: "0644" }\n',
}

export const CONTROLLER: CompatCase[] = [
  {
    name: 'lookups_controller',
    covers: 'lookup_password, lookup_csvfile, lookup_ini, lookup_url, lookup_unvault',
    clean: true,
    files: {
      ...TABLES,
      'main.yml': `- hosts: lookups_controller
  gather_facts: false
  vars:
    # a file per engine (base differs) and host, relative to the playbook's folder
    pwfile: "pw/{{ base | basename }}/{{ inventory_hostname }}"
    encfile: "pw/{{ base | basename }}/enc-{{ inventory_hostname }}"
  tasks:
    - set_fact:
        pw1: "{{ lookup('password', pwfile ~ ' length=16 chars=ascii_letters') }}"
        hashed: "{{ lookup('ansible.builtin.password', encfile, encrypt='sha512_crypt') }}"
    - set_fact:
        pw2: "{{ lookup('password', pwfile) }}"
        stored: "{{ lookup('file', pwfile) }}"
        enc: "{{ lookup('file', encfile).split(' salt=') }}"
        seeded: "{{ lookup('password', '/dev/null seed=' ~ inventory_hostname ~ ' length=10') }}"
        digits: "{{ lookup('password', '/dev/null', length=6, chars=['digits'], seed='s') }}"
    - copy:
        dest: "{{ root }}/pw"
        mode: "0644"
        content: |
          len {{ pw1 | length }} same {{ 'yes' if pw1 == pw2 and pw2 == stored else 'no' }}
          letters {{ 'yes' if pw1 is regex('^[A-Za-z]+$') else 'no' }} seeded {{ seeded }} {{ digits }}
          hash {{ 'yes' if hashed == enc[0] | password_hash('sha512', enc[1]) else 'no' }} {{ enc[1] | length }}
    - copy:
        dest: "{{ root }}/tables"
        mode: "0644"
        content: |
          {{ lookup('csvfile', 'Li file=elements.csv delimiter=,') }}
          {{ lookup('csvfile', 'Na "x"', file='elements.csv', delimiter=',', col=2) }}
          {{ lookup('csvfile', 'Be file=elements.tsv') }}
          {{ lookup('csvfile', 'nope', file='elements.tsv', default='d') }}
          {{ lookup('ini', 'user', section='prod', file='app.ini') }} {{ lookup('ini', 'path', file='app.ini') }}
          {{ lookup('ini', 'pct', file='app.ini') }} {{ lookup('ini', 'USER file=app.ini') }}
          {{ query('ini', 'user', section='prod', file='app.ini', re=true) | join('|') }}
          {{ lookup('ini', 'nope', file='app.ini', default='dd') }}
          {{ lookup('ini', 'multi', file='app.ini') | to_json }}
          {{ lookup('ini', 'user.name', type='properties', file='user.properties') }}
          {{ lookup('unvault', 'elements.csv') | to_json }} {{ query('unvault', 'app.ini') | length }}
    - copy:
        dest: "{{ root }}/url"
        mode: "0644"
        content: |
          {{ lookup('url', web ~ '/json', split_lines=false) }}
          {{ query('url', web ~ '/lines', headers={'X-Who': 'me'}) | join('|') }} {{ lookup('url', web ~ '/lines') }}
          {{ lookup('url', web ~ '/auth', username='u', password='s3cret', validate_certs=false) }}
          {{ 'yes' if lookup('url', web ~ '/nope', errors='ignore') is none else 'no' }}
    - debug: { msg: "{{ lookup('url', web ~ '/nope') }}" }
      ignore_errors: true
`,
    },
  },
  {
    name: 'jinja_inherit',
    covers: 'template_jinja2_latest: extends, block, super(), self, scoped blocks, three levels, in a role',
    clean: true,
    files: {
      ...TEMPLATES,
      'main.yml': `- hosts: jinja_inherit
  gather_facts: false
  vars: { who: w }
  roles: [inh]
  tasks:
    - template: { src: page.j2, dest: "{{ root }}/page", mode: "0644" }
    - template: { src: mid.j2, dest: "{{ root }}/mid", mode: "0644" }
    - copy:
        dest: "{{ root }}/lookup"
        content: "{{ lookup('template', 'page.j2') }}"
        mode: "0644"
`,
    },
  },
  {
    name: 'import_vars',
    covers: 'import_playbook: vars on the import (over play vars, under vars_files), templated name, nested',
    clean: true,
    files: {
      'vf.yml': 'from_file: file\nover_file: file\n',
      'inner.yml': `- hosts: import_vars
  gather_facts: false
  vars: { own: play, over: play, over_file: play, deep: play }
  vars_files: [vf.yml]
  tasks:
    - copy:
        dest: "{{ root }}/vars-{{ tag }}"
        mode: "0644"
        content: "{{ own }} {{ over }} {{ over_file }} {{ from_file }} {{ deep }} {{ web_known }} {{ sub }}\\n"
`,
      'mid.yml': '- import_playbook: inner.yml\n  vars: { deep: mid, over: mid, tag: nested }\n',
      'main.yml': `- import_playbook: "{{ sub }}.yml"
  vars:
    sub: inner
    tag: direct
    over: import
    over_file: import
    web_known: "{{ 'yes' if web is defined else 'no' }}"
- import_playbook: mid.yml
  vars: { deep: top, sub: mid, web_known: "no" }
`,
    },
  },
  {
    // the import's tags become the imported plays' (their fact gathering too), its `when` goes before every task's
    // and decides the gathering; a `tags` in its vars is dropped (ansible-core 2.14)
    name: 'import_when_tags',
    covers: 'import_playbook: when and tags on the import, with --tags; a tagged play gathers only when selected',
    clean: true,
    flags: ['--tags', 'web,own'],
    files: {
      'sub.yml': `- hosts: import_when_tags
  gather_facts: true
  tasks:
    - copy: { dest: "{{ root }}/{{ name }}", content: "{{ tags | default('no tags') }}\\n", mode: "0644" }
    - copy: { dest: "{{ root }}/{{ name }}-own", content: "own\\n", mode: "0644" }
      tags: [own]
`,
      'main.yml': `- import_playbook: sub.yml
  tags: [web]
  when: flag | bool
  vars: { name: first, flag: "{{ inventory_hostname is match('.*_a') }}", tags: "db" }
- import_playbook: sub.yml
  when: false
  vars: { name: never }
- hosts: import_when_tags
  gather_facts: true
  tags: [other]
  tasks:
    - copy: { dest: "{{ root }}/other", content: "x\\n", mode: "0644" }
      tags: [web]
`,
    },
  },
]
