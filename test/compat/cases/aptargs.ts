/**
 * Agreement cases for the apt module's arguments beyond naming packages (Ansible's `apt` integration target):
 * allow_unauthenticated, deb, allow_downgrade, allow_change_held_packages, force, only_upgrade, fail_on_autoremove,
 * policy_rc_d, upgrade and autoclean. Nothing comes from the network: each host builds two versions of a tiny package
 * `tspt-<random>-ap<host letter>` with dpkg-deb into an unsigned flat `file:` repository, and apt reads only that
 * repository (the tasks' `APT_CONFIG` points its sources, lists and cache into the case's folder). The packages are
 * recorded in the leftovers registry before the run and purged at the end of every round. dpkg has one lock: the
 * hosts take turns (`throttle: 1`).
 */
import { randomBytes } from 'node:crypto'
import type { CompatCase } from '../harness.js'
import { track } from '../../helpers/leftovers.js'

const TAG = randomBytes(3).toString('hex')

/** Builds version $1 of package $2 into ./p$1.deb and lists the versions given after it in ./repo/Packages. */
const BUILD = `set -e
rm -rf apt && mkdir -p apt/repo apt/lists/partial apt/cache/archives/partial apt/parts && cd apt && d=$(pwd -P)
for v in 1.0 2.0; do
  mkdir -p pkg$v/DEBIAN
  printf 'Package: %s\\nVersion: %s\\nArchitecture: all\\n' "$1" $v > pkg$v/DEBIAN/control
  printf 'Maintainer: t <t@example.invalid>\\nDescription: t\\n' >> pkg$v/DEBIAN/control
  dpkg-deb --build pkg$v p$v.deb >/dev/null
done
printf 'deb [allow-insecure=yes] file:%s/repo ./\\n' "$d" > sources.list
printf 'Dir::Etc::SourceList "%s/sources.list";\\nDir::Etc::SourceParts "%s/parts";\\n' "$d" "$d" > apt.conf
printf 'Dir::State::Lists "%s/lists";\\nDir::Cache "%s/cache";\\n' "$d" "$d" >> apt.conf`

/** Puts the given versions (./p<v>.deb) into the repository's Packages index. */
const INDEX = `set -e; cd apt/repo; rm -f ./*.deb Packages
for v in "$@"; do
  cp ../p$v.deb p$v.deb
  { dpkg-deb -f p$v.deb; echo "Filename: ./p$v.deb"; echo "Size: $(stat -c %s p$v.deb)"
    echo "SHA256: $(sha256sum p$v.deb | cut -d' ' -f1)"; echo; } >> Packages
done`

/** Adds a source whose index is missing (apt-get update fails), the sources as they were kept in ./good.list. */
const BAD_SOURCE =
  'cp sources.list good.list && printf "deb [allow-insecure=yes] file:%s/none ./\\n" "$(pwd -P)" >> sources.list'

const pkgs = ['a', 'b'].map((h) => `tspt-${TAG}-ap${h}`)

export const APT_ARGS: CompatCase[] = [
  {
    name: 'apt_args',
    covers:
      'apt (allow_unauthenticated, deb (a file and a URL), allow_downgrade, held, force, only_upgrade, upgrade, ' +
      'autoclean, clean, dpkg_options, lock_timeout, state fixed, update_cache_retries and its delay, ' +
      "policy_rc_d), package with apt's and another system's module_defaults, package with update_cache alone",
    clean: true,
    // Ansible's apt counts a cache update alone as a change only when apt's update-success stamp moved, which this
    // case's apt configuration does not move; tsplay counts every update (README, Differences from Ansible)
    allow: { counts: { changed: 1 }, reason: 'with no package named: changed whenever `apt-get update` ran' },
    setup: () => track({ packages: pkgs }),
    files: {
      'main.yml': `- hosts: apt_args
  gather_facts: false
  become: true
  vars:
    p: "tspt-${TAG}-ap{{ inventory_hostname[-1] }}"
    sh_build: ${JSON.stringify(BUILD)}
    sh_index: ${JSON.stringify(INDEX)}
    sh_bad_source: ${JSON.stringify(BAD_SOURCE)}
  tasks:
    - block:
        - command: { argv: [sh, -c, "{{ sh_build }}", sh, "{{ p }}"], chdir: "{{ root }}" }
          changed_when: false
        - command: { argv: [sh, -c, "{{ sh_index }}", sh, "1.0"], chdir: "{{ root }}" }
          changed_when: false
        - stat: { path: /usr/sbin/policy-rc.d }
          register: rcd_before
        - apt: { name: "{{ p }}", update_cache: true }
          register: unauth
          ignore_errors: true
        - apt:
            name: "{{ p }}"
            allow_unauthenticated: true
            policy_rc_d: 101
            fail_on_autoremove: true
            dpkg_options: force-confold,force-confdef,force-overwrite
            lock_timeout: 30
          register: first
        - apt: { name: "{{ p }}", allow_unauthenticated: true }
          register: again
        - stat: { path: /usr/sbin/policy-rc.d }
          register: rcd_after
        - assert:
            that:
              - unauth is failed
              - first is changed
              - again is not changed
              - rcd_before.stat.exists == rcd_after.stat.exists
              - rcd_before.stat.checksum | default('') == rcd_after.stat.checksum | default('')
        - apt: { deb: "{{ root }}/apt/p2.0.deb" }
        - apt: { deb: "{{ root }}/apt/p2.0.deb" }
        - apt: { name: "{{ p }}=1.0", allow_unauthenticated: true }
          ignore_errors: true
        - apt: { name: "{{ p }}=1.0", allow_unauthenticated: true, allow_downgrade: true }
        - command: { argv: [sh, -c, "{{ sh_index }}", sh, "1.0", "2.0"], chdir: "{{ root }}" }
          changed_when: false
        - command: apt-get -q update
          changed_when: false
        - dpkg_selections: { name: "{{ p }}", selection: hold }
        - apt: { name: "{{ p }}", state: latest, allow_unauthenticated: true }
          ignore_errors: true
        - apt: { name: "{{ p }}", state: latest, allow_unauthenticated: true, allow_change_held_packages: true }
        - dpkg_selections: { name: "{{ p }}", selection: install }
        - apt: { name: "{{ p }}=1.0", force: true }
        - apt: { upgrade: dist, allow_unauthenticated: true }
          check_mode: true
          register: would
        - apt: { upgrade: dist, allow_unauthenticated: true }
        - apt: { upgrade: safe, allow_unauthenticated: true }
        - command: dpkg-query -W -f '\${Version}' {{ p }}
          register: ver
          changed_when: false
        - assert: { that: [would is changed, "ver.stdout == '2.0'"] }
        - command: { argv: [sh, -c, "{{ sh_index }}", sh, "2.0"], chdir: "{{ root }}" }
          changed_when: false
        - command: apt-get -q update
          changed_when: false
        - copy:
            src: "{{ root }}/apt/p1.0.deb"
            dest: "{{ root }}/apt/cache/archives/old_1.0_all.deb"
            remote_src: true
        - apt: { clean: true }
          register: cleaned_all
        - stat: { path: "{{ root }}/apt/cache/archives/old_1.0_all.deb" }
          register: old_gone
        - assert: { that: [cleaned_all is not changed, not old_gone.stat.exists] }
        - copy:
            src: "{{ root }}/apt/p1.0.deb"
            dest: "{{ root }}/apt/cache/archives/{{ p }}_1.0_all.deb"
            remote_src: true
        - apt: { autoclean: true }
          register: cleaned
        - apt: { autoclean: true }
        - stat: { path: "{{ root }}/apt/cache/archives/{{ p }}_1.0_all.deb" }
          register: old
        - assert: { that: [cleaned is changed, not old.stat.exists] }
        - apt: { name: "{{ p }}", state: absent }
        - apt: { deb: "{{ web }}/file{{ root }}/apt/p1.0.deb" }
          check_mode: true
          register: url_would
        - apt: { deb: "{{ web }}/file{{ root }}/apt/p1.0.deb" }
          register: url_first
        - apt: { deb: "{{ web }}/file{{ root }}/apt/p1.0.deb" }
          register: url_again
        - apt: { deb: "{{ web }}/file/nowhere/tsplay-compat/none.deb" }
          register: url_missing
          ignore_errors: true
        - command: dpkg-query -W -f '\${Version}' {{ p }}
          register: url_ver
          changed_when: false
        - assert:
            that:
              - url_would is changed and url_first is changed and url_again is not changed
              - url_missing is failed
              - "url_ver.stdout == '1.0'"
        - apt: { name: "{{ p }}", state: absent }
        - apt: { name: "{{ p }}", state: fixed, allow_unauthenticated: true }
          register: fixed_first
        - apt: { name: "{{ p }}", state: fixed, allow_unauthenticated: true }
          register: fixed_again
        - apt: &retried
            name: "{{ p }}"
            allow_unauthenticated: true
            update_cache: true
            update_cache_retries: 2
            update_cache_retry_max_delay: 1
          register: updated
        - command: { argv: [sh, -c, "{{ sh_bad_source }}"], chdir: "{{ root }}/apt" }
          changed_when: false
        - apt: *retried
          register: update_failed
          ignore_errors: true
        - command: { argv: [mv, good.list, sources.list], chdir: "{{ root }}/apt" }
          changed_when: false
        - assert:
            that:
              - fixed_first is changed and fixed_again is not changed
              - updated is not changed and update_failed is failed
        - apt: { name: "{{ p }}", state: absent }
        - package: { update_cache: true }
        - package:
          module_defaults: { dnf: { name: "{{ p }}" } }
          when: p == 'on another system'
        - package:
          module_defaults: { apt: { name: "{{ p }}", allow_unauthenticated: true }, package: { state: present } }
          register: viapkg
        - package: { name: "{{ p }}", state: absent }
          module_defaults: { apt: { purge: true } }
        - assert: { that: [viapkg is changed] }
        - apt: { name: "{{ p }}", only_upgrade: true }
        - command: dpkg-query -W -f '\${db:Status-Abbrev}' {{ p }}
          register: st
          changed_when: false
          failed_when: false
        - assert: { that: ["not st.stdout.startswith('ii')"] }
      always:
        - apt: { name: "{{ p }}", state: absent, purge: true }
        - file: { path: "{{ root }}/apt", state: absent }
      environment:
        APT_CONFIG: "{{ root }}/apt/apt.conf"
      throttle: 1
`,
    },
  },
]
