/**
 * Agreement case for the git module's `bare` and `executable`: a bare clone (and the same again: ok), one with a
 * remote of another name (added beside origin; `version` does not pick the branch without `depth`), a commit on
 * the remote's HEAD branch that the next run fetches (changed in both), check mode on a new and an up-to-date
 * mirror, and a clone whose git is a wrapper that records that it ran. Only stable results are compared: commits,
 * refs, remote names, whether the wrapper ran.
 */
import type { CompatCase } from '../harness.js'
import { MAKE, play } from './gitargs.js'

const WRAPPER = `#!/bin/sh
echo x >> "$(dirname "$0")/../git-calls"
exec git "$@"
`

const MOVE = 'git -C src commit -q --allow-empty -m moved && touch moved'

const TASKS = `
    - file: { path: "{{ w }}/bin", state: directory, mode: "0755" }
    - copy: { dest: "{{ w }}/bin/mygit", mode: "0755", content: ${JSON.stringify(WRAPPER)} }
    - shell: { cmd: ${JSON.stringify(MAKE)}, chdir: "{{ w }}", creates: "{{ w }}/made" }
      register: mk
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/m.git", bare: true }
      register: b1
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/m.git", bare: yes }
      register: b2
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/never.git", bare: true }
      check_mode: true
      register: chk
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/m.git", bare: true }
      check_mode: true
      register: chk2
    - shell: { cmd: ${JSON.stringify(MOVE)}, chdir: "{{ w }}", creates: "{{ w }}/moved" }
      register: mv
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/m.git", bare: true }
      register: b4
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/up.git", bare: true, remote: up, version: other }
      register: b3
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/exe", executable: "{{ w }}/bin/mygit", recursive: false }
      register: ex
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/m.git", bare: true, separate_git_dir: "{{ w }}/sgd" }
      register: both
      ignore_errors: true
    - assert:
        that:
          - "(mk is changed) == (b1 is changed)"
          - b2 is not changed
          - "(mk is changed) == (b3 is changed)"
          - chk is changed
          - chk2 is not changed
          - "(mv is changed) == (b4 is changed)"
          - "(mk is changed) == (ex is changed)"
          - both is failed
          - "'mutually exclusive' in both.msg"
    - name: what the clones hold
      shell: |
        for d in m.git up.git exe; do
          echo "== $d $(git -C $d rev-parse HEAD) $(git -C $d rev-parse --is-bare-repository)"
          git -C $d for-each-ref --format='%(refname) %(objectname)' refs/heads refs/tags
          git -C $d remote
        done
        [ -s git-calls ] && echo "the wrapper ran"
        ls -d never.git sgd 2>&1 | sed 's/.*: //'
      args: { chdir: "{{ w }}" }
      register: held
      changed_when: false
    - copy: { dest: "{{ root }}/held", content: "{{ held.stdout }}\\n", mode: "0644" }
`

export const GIT_BARE: CompatCase[] = [
  {
    name: 'git_bare',
    covers: 'git (bare, executable)',
    clean: true,
    files: { 'main.yml': play('git_bare', TASKS) },
  },
]
