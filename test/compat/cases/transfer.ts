/**
 * Agreement cases for the modules that move bytes between controller and host or run without module
 * machinery: slurp, raw, fetch (flat and per-host tree), script (with creates/removes), wait_for_connection and
 * pause (once per play, its result registered on the first host only; a prompt without a terminal does not wait).
 */
import type { CompatCase } from '../harness.js'

const play = (name: string, tasks: string) => `- hosts: ${name}\n  gather_facts: false\n  tasks:\n${tasks}`

export const TRANSFER: CompatCase[] = [
  {
    name: 'slurp_raw',
    covers: 'slurp, raw',
    files: {
      'main.yml': play(
        'slurp_raw',
        `
    - copy: { content: "hello\\n", dest: "{{ root }}/f", mode: "0644" }
    - slurp: { src: "{{ root }}/f" }
      register: s
    - assert: { that: ["(s.content | b64decode | trim) == 'hello'", "s.encoding == 'base64'"] }
    - slurp: { src: "{{ root }}/missing" }
      register: m
      ignore_errors: true
    - assert: { that: [m is failed] }
    - raw: echo raw > {{ root }}/raw.txt
    - raw: exit 3
      ignore_errors: true
`,
      ),
    },
  },
  {
    name: 'fetch',
    covers: 'fetch (an argument it does not take is ignored, as the action ignores it)',
    files: {
      'main.yml': play(
        'fetch',
        `
    - copy: { content: "data\\n", dest: "{{ root }}/src.txt", mode: "0644" }
    - fetch: { src: "{{ root }}/src.txt", dest: "{{ root }}/flat.txt", flat: true }
    - fetch: { src: "{{ root }}/src.txt", dest: "{{ root }}/dir/", flat: true, mode: "0600" }
    - fetch: { src: "{{ root }}/src.txt", dest: "{{ root }}/tree" }
      register: t
    - assert: { that: ["t.dest == root + '/tree/' + inventory_hostname + root + '/src.txt'"] }
    - fetch: { src: "{{ root }}/missing", dest: "{{ root }}/tree", fail_on_missing: false }
    # the tree holds the engine's own state path: remove it so the states compare
    - file: { path: "{{ root }}/tree", state: absent }
      delegate_to: localhost
`,
      ),
    },
  },
  {
    name: 'script',
    covers: 'script',
    files: {
      'main.yml': play(
        'script',
        `
    - script: write.sh {{ root }} "two words"
      args: { creates: "{{ root }}/out.txt" }
    - script: write.sh {{ root }} again
      args: { removes: "{{ root }}/nothing" }
    - script: fails.sh
      ignore_errors: true
`,
      ),
      'files/write.sh': '#!/bin/sh\nprintf "%s\\n" "$@" > "$1/out.txt"\n',
      'files/fails.sh': '#!/bin/sh\nexit 2\n',
    },
  },
  {
    name: 'waits',
    covers: 'wait_for_connection, pause',
    files: {
      'main.yml': play(
        'waits',
        `
    - wait_for_connection: { timeout: 20 }
      register: w
    - assert: { that: [w.elapsed is defined] }
    - pause: { seconds: 1 }
      register: paused
    - pause: { prompt: "nobody answers here" }
    - copy: { content: "{{ 'yes' if paused is defined else 'no' }}\\n", dest: "{{ root }}/paused", mode: "0644" }
`,
      ),
    },
  },
]
