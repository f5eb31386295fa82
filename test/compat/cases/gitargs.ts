/**
 * Agreement case for the git module's arguments beyond repo/dest/version: submodules (`recursive`, the default),
 * `single_branch`, `refspec`, `separate_git_dir` (on a clone and moving an existing one), `archive` with
 * `archive_prefix`, `reference`, `umask`, `verify_commit` on unsigned commits (fails in both), and the ssh settings
 * (`ssh_opts`, `key_file`, `accept_hostkey`) through an `ssh://` URL whose `ssh` is a stand-in on PATH that records
 * the options git passed and serves the repository locally. The repositories are made by the case with fixed author
 * dates, so both engines see the same commits; the scratch folder is `{{ root }}-work` and only stable results
 * (commits, refs, submodule status, the archives, the ssh options) are copied into `root` for comparison. Each git
 * task must change in the first round only (asserted against the task that makes the repositories).
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CompatCase } from '../harness.js'

const ENV = `
  environment:
    GIT_AUTHOR_NAME: t
    GIT_AUTHOR_EMAIL: t@example.invalid
    GIT_COMMITTER_NAME: t
    GIT_COMMITTER_EMAIL: t@example.invalid
    GIT_AUTHOR_DATE: "2020-01-01T00:00:00Z"
    GIT_COMMITTER_DATE: "2020-01-01T00:00:00Z"
    GIT_CONFIG_COUNT: "1"
    GIT_CONFIG_KEY_0: protocol.file.allow
    GIT_CONFIG_VALUE_0: always`

// The stand-in ssh: writes its options (every word but the last, the remote command) and runs that command here.
const FAKE_SSH = `#!/bin/sh
for a; do last=$a; done
printf '%s\\n' "$@" | sed '$d' > "$(dirname "$0")/../ssh-args"
exec sh -c "$last"
`

export const MAKE = `
      set -e
      git init -q -b master sub && echo s1 > sub/s && git -C sub add s && git -C sub commit -qm s1
      git init -q -b main src && echo a > src/a && git -C src add a && git -C src commit -qm a1
      git -C src tag -a v1 -m v1
      git -C src submodule -q add ../sub sub && git -C src commit -qm sub
      git -C src branch other HEAD~1
      git -C src update-ref refs/meta/config HEAD~1
      echo s2 > sub/s && git -C sub commit -qam s2
      touch made`

const TASKS = `
    - file: { path: "{{ w }}/bin", state: directory, mode: "0755" }
    - copy: { dest: "{{ w }}/bin/ssh", mode: "0755", content: ${JSON.stringify(FAKE_SSH)} }
    - shell: { cmd: ${JSON.stringify(MAKE)}, chdir: "{{ w }}", creates: "{{ w }}/made" }
      register: mk
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/rec", version: main }
      register: rec
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/rec", version: main }
      register: rec2
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/norec", recursive: false }
      register: norec
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/single", version: main, single_branch: true }
      register: single
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/spec", refspec: "+refs/meta/*:refs/remotes/origin/meta/*" }
      register: spec
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/sep", separate_git_dir: "{{ w }}/sep.git" }
      register: sep
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/norec", recursive: false, separate_git_dir: "{{ w }}/norec.git" }
      register: moved
    - git:
        repo: "{{ w }}/src"
        dest: "{{ w }}/tag"
        version: v1
        archive: "{{ root }}/v1.tar.gz"
        archive_prefix: v1/
      register: tag
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/rec", version: main, archive: "{{ root }}/rec.zip" }
      register: arc
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/rec", update: false, archive: "{{ root }}/rec.tar" }
      register: arc2
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/signed", verify_commit: true }
      ignore_errors: true
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/rec", version: main, verify_commit: true }
      ignore_errors: true
    - git:
        repo: "ssh://loop.invalid{{ w }}/src"
        dest: "{{ w }}/viassh"
        recursive: false
        accept_hostkey: true
        key_file: ~/nokey
        ssh_opts: "-o \\"ServerAliveInterval 5\\" -o 'User=git'"
      environment: { PATH: "{{ w }}/bin:/usr/local/bin:/usr/bin:/bin" }
      register: viassh
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/refd", reference: "{{ w }}/rec", recursive: false }
      register: refd
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/masked", umask: "0027", recursive: false }
      register: masked
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/masked", umask: "0027", recursive: false }
      register: masked2
    - name: check mode predicts a move, a relocation and a clone, and changes nothing
      git: { repo: "{{ w }}/src", dest: "{{ w }}/rec", version: other, separate_git_dir: "{{ w }}/rec.git" }
      check_mode: true
      register: chk
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/never", single_branch: true, archive: "{{ root }}/never.zip" }
      check_mode: true
      register: chk2
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/rec", version: main }
      check_mode: true
      register: chk3
    - assert:
        that:
          - chk is changed
          - chk2 is changed
          - chk3 is not changed
          - "(mk is changed) == (rec is changed)"
          - rec2 is not changed
          - rec is not changed or rec.remote_url_changed is not defined
          - rec2.remote_url_changed is defined and not rec2.remote_url_changed
          - "(mk is changed) == (norec is changed)"
          - "(mk is changed) == (single is changed)"
          - "(mk is changed) == (spec is changed)"
          - "(mk is changed) == (sep is changed)"
          - "(mk is changed) == (moved is changed)"
          - "(mk is changed) == (tag is changed)"
          - "(mk is changed) == (arc is changed)"
          - "(mk is changed) == (arc2 is changed)"
          - "(mk is changed) == (viassh is changed)"
          - "(mk is changed) == (refd is changed)"
          - "(mk is changed) == (masked is changed)"
          - masked2 is not changed
    - name: what the clones hold
      shell: |
        for d in rec norec single spec sep tag signed viassh never; do
          echo "== $d $(git -C $d rev-parse HEAD) $(git -C $d symbolic-ref -q --short HEAD || echo detached)"
          git -C $d submodule status | sed 's/ (.*//'
          ls -A $d | grep -v '^.git$' | tr '\\n' ' '; echo
          [ -f $d/.git ] && sed "s|$PWD|W|" $d/.git && echo
        done
        for d in single spec; do git -C $d for-each-ref --format='%(refname) %(objectname)'; done
        sed "s|$PWD|W|" refd/.git/objects/info/alternates
        stat -c '%a %n' masked masked/a masked/.git masked/.git/config
        cat ssh-args
      args: { chdir: "{{ w }}" }
      register: held
      changed_when: false
    - copy: { dest: "{{ root }}/held", content: "{{ held.stdout }}\\n", mode: "0644" }
`

// The submodule's branch moved on after the superproject recorded it: tracking takes it to the tip.
const TRACK = `
    - file: { path: "{{ w }}", state: directory, mode: "0755" }
    - shell: { cmd: ${JSON.stringify(MAKE)}, chdir: "{{ w }}", creates: "{{ w }}/made" }
      register: mk
    - git: { repo: "{{ w }}/src", dest: "{{ w }}/track", version: main, track_submodules: true, force: true }
      register: track
    - shell: git -C track submodule status; git -C track status --porcelain
      args: { chdir: "{{ w }}" }
      register: held
      changed_when: false
    - copy: { dest: "{{ root }}/held", content: "{{ held.stdout }}\\n", mode: "0644" }
`

/**
 * GNUPGHOME of a case host, named here as the target's side does not inherit TMPDIR: in the run's temp folder (gone
 * with the run, also after a crash), short, as gpg-agent may put its sockets in it.
 */
const GNUPG_HOME = join(tmpdir(), 'tsplay-gpg-{{ root | md5 }}')

/** Refuse a GNUPGHOME whose longest gpg-agent socket would not fit a Unix socket path (107 bytes). */
function gnupgHomeFits(): void {
  const socket = `${GNUPG_HOME.replace('{{ root | md5 }}', '0'.repeat(32))}/S.gpg-agent.browser`
  if (Buffer.byteLength(socket) > 107)
    throw new Error(`gpg-agent's socket ${socket} would be too long for a Unix socket: use a shorter TMPDIR`)
}

// A signing key made in the first round (no passphrase), a signed commit and tag, the public key kept in the scratch
// folder; GNUPGHOME is a short folder in the run's temp folder (GNUPG_HOME), removed at the end of every round, the
// public key imported again in the next.
const KEYS = `
      set -e
      mkdir -p -m 700 "$GNUPGHOME"
      if [ -f pub.asc ]; then gpg --batch --quiet --import pub.asc; exit 0; fi
      gpg --batch --quiet --pinentry-mode loopback --passphrase '' --quick-gen-key 'T <t@example.invalid>' ed25519 sign
      fp=$(gpg --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
      git init -q -b main src && echo a > src/a && git -C src add a
      git -C src -c user.signingkey=$fp commit -qS -m a1
      git -C src -c user.signingkey=$fp tag -s v1 -m v1
      echo $fp > fpr; gpg --batch --armor --export $fp > pub.asc`

const SIGNED = `
    - file: { path: "{{ w }}", state: directory, mode: "0755" }
    - block:
        - shell: { cmd: ${JSON.stringify(KEYS)}, chdir: "{{ w }}" }
        - command: cat {{ w }}/fpr
          register: fp
          changed_when: false
        - git: { repo: "{{ w }}/src", dest: "{{ w }}/head", verify_commit: true }
        - git:
            repo: "{{ w }}/src"
            dest: "{{ w }}/tag"
            version: v1
            verify_commit: true
            gpg_whitelist: ["{{ fp.stdout }}"]
        - git: { repo: "{{ w }}/src", dest: "{{ w }}/head", verify_commit: true, gpg_whitelist: "{{ fp.stdout }},AB12" }
        - git: { repo: "{{ w }}/src", dest: "{{ w }}/other", verify_commit: true, gpg_whitelist: [AB12CD34] }
          ignore_errors: true
          register: bad
        - git: { repo: "{{ w }}/src", dest: "{{ w }}/tag", version: v1, verify_commit: true, gpg_whitelist: [AB12] }
          ignore_errors: true
          register: bad2
        - assert:
            that:
              - "'gpg_whitelist does not include the public key \\"' ~ fp.stdout in bad.msg"
              - "'gpg_whitelist does not include the public key \\"' ~ fp.stdout in bad2.msg"
      always:
        - command: gpgconf --kill all
          changed_when: false
        - file: { path: "{{ gh }}", state: absent }
`

// clone: false only reads the remote's commit: changed, `after` the commit, nothing written (dest or none)
const REMOTE = `
    - file: { path: "{{ w }}", state: directory, mode: "0755" }
    - shell: { cmd: ${JSON.stringify(MAKE)}, chdir: "{{ w }}", creates: "{{ w }}/made" }
    - git: { repo: "{{ w }}/src", update: false, clone: false, accept_hostkey: true }
      register: nodest
    - git: { repo: "{{ w }}/src", clone: false, dest: "{{ w }}/never", version: v1 }
      register: tag
    - git: { repo: "{{ w }}/src", clone: no, version: other }
      register: branch
    - git: { repo: "{{ w }}/src", clone: no, version: 0abc }
      register: unknown
    - git: { repo: "{{ w }}/none", clone: no }
      register: bad
      ignore_errors: true
    - stat: { path: "{{ w }}/never" }
      register: never
    - command: git -C {{ w }}/src rev-parse main other v1^{}
      register: revs
      changed_when: false
    - assert:
        that:
          - nodest is changed
          - tag is changed
          - nodest.after == revs.stdout_lines[0]
          - branch.after == revs.stdout_lines[1]
          - tag.after == revs.stdout_lines[2]
          - unknown.after == '0abc'
          - bad is failed
          - not never.stat.exists
    - copy:
        dest: "{{ root }}/held"
        content: "{{ [nodest.after, tag.after, branch.after, unknown.after, nodest.before] | join(' ') }}\\n"
        mode: "0644"
`

export const play = (name: string, tasks: string) =>
  `- hosts: ${name}\n  gather_facts: false\n  vars:\n    w: "{{ root }}-work"\n${ENV}\n  tasks:\n${tasks}`

export const GIT_ARGS: CompatCase[] = [
  {
    name: 'git_args',
    covers:
      'git (recursive, single_branch, refspec, separate_git_dir, archive, verify_commit, ssh settings, reference, ' +
      'umask)',
    clean: true,
    files: { 'main.yml': play('git_args', TASKS) },
  },
  {
    name: 'git_signed',
    covers: 'git (verify_commit, gpg_whitelist on a signed commit and tag)',
    clean: true,
    files: {
      'main.yml': play('git_signed', SIGNED)
        .replace('  environment:', '  environment:\n    GNUPGHOME: "{{ gh }}"')
        .replace('  vars:', `  vars:\n    gh: "${GNUPG_HOME}"`),
    },
    setup: gnupgHomeFits,
  },
  {
    name: 'git_remote',
    covers: 'git (clone: false, with and without dest)',
    clean: true,
    files: { 'main.yml': play('git_remote', REMOTE) },
  },
  {
    name: 'git_track',
    covers: 'git (track_submodules)',
    clean: true,
    files: { 'main.yml': play('git_track', TRACK) },
    // Ansible sees the moved submodule as a local modification: with force it resets and reports changed
    allow: { round: 2, counts: { changed: -1 }, reason: 'with `track_submodules` does not count submodules' },
  },
]
