/**
 * Agreement case for the template module's Jinja environment and output arguments (Ansible's `template`
 * integration target): trim_blocks, lstrip_blocks, a `#jinja2:` line over them, newline_sequence, output_encoding
 * and follow; `{% autoescape %}` blocks. The files they write are compared byte for byte.
 */
import type { CompatCase } from '../harness.js'

const T = 'a\n  {% if x %}\nyes \u00e9\n  {% endif %}\nz\n'

export const TEMPLATE_ARGS: CompatCase[] = [
  {
    name: 'template_args',
    covers: 'template (trim_blocks, lstrip_blocks, newline_sequence, output_encoding (Python codecs), follow)',
    clean: true,
    files: {
      't.j2': T,
      'h.j2': `#jinja2: trim_blocks: False, lstrip_blocks: True\n${T}`,
      'main.yml': `- hosts: template_args
  gather_facts: false
  vars: { x: true }
  tasks:
    - template: { src: t.j2, dest: "{{ root }}/plain", mode: "0644" }
    - template: { src: t.j2, dest: "{{ root }}/lstrip", mode: "0644", lstrip_blocks: true }
    - template: { src: t.j2, dest: "{{ root }}/notrim", mode: "0644", trim_blocks: false }
    - template: { src: h.j2, dest: "{{ root }}/header", mode: "0644", trim_blocks: true, lstrip_blocks: false }
    - template: { src: t.j2, dest: "{{ root }}/crlf", mode: "0644", newline_sequence: "\\r\\n" }
    - template: { src: t.j2, dest: "{{ root }}/crlf", mode: "0644", newline_sequence: "\\r\\n" }
    - template: { src: t.j2, dest: "{{ root }}/latin", mode: "0644", output_encoding: latin-1 }
    - template: { src: t.j2, dest: "{{ root }}/ascii", mode: "0644", output_encoding: ascii }
      ignore_errors: true
    - template: { src: t.j2, dest: "{{ root }}/cp1252", mode: "0644", output_encoding: windows-1252 }
    - template: { src: t.j2, dest: "{{ root }}/utf16", mode: "0644", output_encoding: utf-16 }
    - template: { src: t.j2, dest: "{{ root }}/latin9", mode: "0644", output_encoding: ISO-8859-15 }
    - template: { src: t.j2, dest: "{{ root }}/koi8", mode: "0644", output_encoding: koi8_r }
      ignore_errors: true
    - copy: { content: "old\\n", dest: "{{ root }}/target", mode: "0644", force: false }
    - file: { src: "{{ root }}/target", dest: "{{ root }}/link", state: link }
    - template: { src: t.j2, dest: "{{ root }}/link", mode: "0644", follow: true }
    - template: { src: t.j2, dest: "{{ root }}/link", mode: "0644", follow: true }
`,
    },
  },
  {
    name: 'template_delims',
    covers: 'template (the delimiter strings, also in a #jinja2: line; template_path, template_destpath)',
    clean: true,
    files: {
      'c.j2': 'Before\n[# a comment #]\n{# not one #} {{ x }}\nAfter\n',
      'v.j2': '<< x >> {{ kept }} [% if x %]yes[% endif %] [# gone #]{% raw %}\n',
      'h.j2': "#jinja2: variable_start_string: '[[', variable_end_string: ']]'\n[[ x ]] {{ kept }}\n",
      'tv.j2': '{{ template_path | basename }} {{ template_destpath | basename }} {{ ansible_managed }}\n',
      'main.yml': `- hosts: template_delims
  gather_facts: false
  vars: { x: 7 }
  tasks:
    - template:
        src: c.j2
        dest: "{{ root }}/comment"
        mode: "0644"
        comment_start_string: "[#"
        comment_end_string: "#]"
    - template:
        src: v.j2
        dest: "{{ root }}/all"
        mode: "0644"
        variable_start_string: "<<"
        variable_end_string: ">>"
        block_start_string: "[%"
        block_end_string: "%]"
        comment_start_string: "[#"
        comment_end_string: "#]"
    - template: { src: h.j2, dest: "{{ root }}/header", mode: "0644" }
    - template: { src: tv.j2, dest: "{{ root }}/template-vars", mode: "0644" }
`,
    },
  },
  {
    name: 'template_autoescape',
    covers: 'template and YAML strings with {% autoescape %} blocks (Ansible escapes nothing in them)',
    clean: true,
    files: {
      'ae.j2': [
        '{% autoescape true %}{{ s }} {{ "<x>" }} {{ s | e }} {{ s | safe }} {{ n }} {{ [s] }}',
        '{%- autoescape false %} {{ s }}{% endautoescape %}',
        '{% set y %}<p>{{ s }}</p>{% endset %}{{ y }}',
        '{% endautoescape %}',
        '{{ s }}',
        '',
      ].join('\n'),
      'main.yml': `- hosts: template_autoescape
  gather_facts: false
  vars: { s: "<b>&'\\"", n: 5, flag: "yes" }
  tasks:
    - template: { src: ae.j2, dest: "{{ root }}/ae", mode: "0644" }
    - copy:
        content: "{% autoescape flag %}{{ s }}{% endautoescape %}\\n"
        dest: "{{ root }}/inline"
        mode: "0644"
    - copy:
        content: "{% autoescape nosuch %}{{ s }}{% endautoescape %}\\n"
        dest: "{{ root }}/undefined"
        mode: "0644"
    - copy:
        content: "{% autoescape nosuch %}text {{ s }}{% endautoescape %}\\n"
        dest: "{{ root }}/undefined-text"
        mode: "0644"
      ignore_errors: true
`,
    },
  },
]
