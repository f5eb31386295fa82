/**
 * The system modules (group, user, apt, git, make, copy, systemd) on real Debian bookworm nodes of the test fleet
 * (systemd as PID 1, sshd, apt through NAT to the Debian mirror), driven over SSH by the real CLI (`bin/tsplay.js`,
 * built by `npm run build`) as the non-root login `tsplay` with sudo: `--check` on a fresh node changes nothing and
 * predicts the first run's changed/ok exactly; the first run changes the node (checked on the node itself); the second
 * run reports 0 changed; and each module's failure cases end in a clear message. The git repository is created on the
 * node itself (no network but the Debian mirror).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { changedOk, explain, tsplay, type CliResult } from '../hydra/cli.js'

const can = canRunFleet()
// A yescrypt hash of "tsplay-test" (mkpasswd -m yescrypt); secret in the schema, so it must never be printed.
const HASH = '$y$j9T$Qk1R3eJ9k0o0kC1b1y7H5.$0oG7s1kYbYxg3b3hZB3fQ6Wl2v4m1Zp8n7Qq2yY6V0A'

const MAKEFILE = 'all: out.txt\\nout.txt:\\n\\techo built > out.txt\\nbroken:\\n\\t@echo boom-message >&2; exit 3\\n'
const PLAYBOOK = `
- hosts: all
  become: true
  gather_facts: false
  tasks:
    - name: group
      group: { name: tsgroup, gid: 2345, system: true }
    - name: user
      user:
        { name: tsuser, group: tsgroup, groups: [users], shell: /bin/bash, home: /home/tsuser,
          password: "${HASH.replace(/\$/g, '$')}", password_expire_warn: 9 }
    - name: packages
      apt: { name: [make, git], update_cache: true, cache_valid_time: 3600 }
    - name: a repository on the node
      shell:
        creates: /srv/repo.git
        cmd: |
          set -e
          git init -q -b main /srv/src && cd /srv/src
          printf '${MAKEFILE}' > Makefile
          git add Makefile && git -c user.email=t@t -c user.name=t commit -qm one && git tag v1
          git clone -q --bare /srv/src /srv/repo.git
    - name: clone
      git: { repo: /srv/repo.git, dest: /opt/app, version: v1 }
    - name: build
      make: { chdir: /opt/app, target: all }
    - name: unit file
      copy:
        dest: /etc/systemd/system/tsdemo.service
        content: "[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n"
    - name: service
      systemd: { name: tsdemo, state: started, enabled: true, daemon_reload: true }
    - name: daemon-reload through service, with no unit (systemd's arguments)
      service: { daemon_reload: true }
`

describe.skipIf(!can.ok)(`modules on the fleet (${can.ok ? 'fleet' : can.why})`, () => {
  let fleet: Fleet
  let dir: string
  let node: string
  let inv: string
  let check: CliResult
  const run = (book: string, ...extra: string[]) =>
    tsplay(['run', join(dir, book), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json', ...extra])
  const onNode = async (argv: string[]) => (await fleet.exec(node, argv)).stdout.trim()

  beforeAll(async () => {
    fleet = await startFleet(1, { prefix: 'mm' })
    node = fleet.nodes[0].name
    dir = mkdtempSync(join(tmpdir(), 'tsplay-mm-'))
    inv = join(dir, 'hosts.yml')
    writeFileSync(inv, fleet.inventoryYaml())
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
  }, 600_000)
  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('--check on the fresh node changes nothing', async () => {
    check = await run('site.yml', '--check')
    expect(check.rc, explain(check)).toBe(0)
    expect(check.recap[node].changed).toBe(8)
    expect(await onNode(['sh', '-c', 'getent passwd tsuser; test -e /opt/app && echo app; command -v make'])).toBe('')
  }, 300_000)

  it('the first run changes the node exactly as --check predicted', async () => {
    const first = await run('site.yml')
    expect(first.rc, explain(first)).toBe(0)
    expect(changedOk(first)).toEqual(changedOk(check))
    expect(await onNode(['id', '-nG', 'tsuser'])).toBe('tsgroup users')
    expect(await onNode(['getent', 'group', 'tsgroup'])).toMatch(/^tsgroup:x:2345:/)
    expect(await onNode(['sh', '-c', 'getent shadow tsuser | cut -d: -f2,6'])).toBe(`${HASH}:9`)
    expect(await onNode(['cat', '/opt/app/out.txt'])).toBe('built')
    expect(await onNode(['git', '-C', '/opt/app', 'describe', '--tags'])).toBe('v1')
    expect(await onNode(['systemctl', 'is-active', 'tsdemo'])).toBe('active')
    expect(await onNode(['systemctl', 'is-enabled', 'tsdemo'])).toBe('enabled')
    expect(first.stdout + first.stderr).not.toContain(HASH)
  }, 600_000)

  it('the second run reports 0 changed', async () => {
    const second = await run('site.yml')
    expect(second.rc, explain(second)).toBe(0)
    expect(
      second.recap[node].changed,
      second.tasks
        .filter((t) => t.status === 'changed')
        .map((t) => t.task)
        .join(', '),
    ).toBe(0)
  }, 300_000)

  it("systemd registers Ansible's result: the unit, the state asked for, every property systemctl shows", async () => {
    writeFileSync(
      join(dir, 'unit.yml'),
      `- hosts: all
  become: true
  gather_facts: false
  tasks:
    - systemd: { name: tsdemo, state: started, enabled: true }
      register: unit
    - assert:
        that:
          - unit is not changed
          - unit.name == 'tsdemo' and unit.state == 'started' and unit.enabled
          - unit.status.Id == 'tsdemo.service' and unit.status.ActiveState == 'active'
          - unit.status.FragmentPath == '/etc/systemd/system/tsdemo.service'
          - unit.status.MainPID | int > 1
          - "'/bin/sleep' in unit.status.ExecStart"
          - unit.status | length > 100
`,
    )
    const r = await run('unit.yml')
    expect(r.rc, explain(r)).toBe(0)
    expect(r.recap[node]).toMatchObject({ ok: 2, changed: 0, failed: 0 })
  }, 300_000)

  it('a new commit on the branch moves the clone; local changes fail without force', async () => {
    await fleet.exec(node, [
      'sh',
      '-c',
      'cd /srv/src && echo x > x && git add x && git -c user.email=t@t -c user.name=t commit -qm two && git ' +
        'push -q /srv/repo.git main',
    ])
    writeFileSync(
      join(dir, 'main.yml'),
      '- hosts: all\n  become: true\n  gather_facts: false\n  tasks:\n    - git: { repo: /srv/repo.git, ' +
        'dest: /opt/app, version: main }\n',
    )
    const moved = await run('main.yml')
    expect(moved.rc, explain(moved)).toBe(0)
    expect(moved.recap[node].changed).toBe(1)
    expect(await onNode(['git', '-C', '/opt/app', 'rev-parse', 'HEAD'])).toBe(
      await onNode(['git', '-C', '/srv/repo.git', 'rev-parse', 'main']),
    )
    expect((await run('main.yml')).recap[node].changed).toBe(0)
    await fleet.exec(node, ['sh', '-c', 'echo local >> /opt/app/Makefile'])
    const dirty = await run('main.yml')
    expect(dirty.rc).toBe(2)
    expect(dirty.tasks.find((t) => t.status === 'failed')?.msg).toMatch(
      /local modifications in \/opt\/app \(Makefile\); set force: true/,
    )
  }, 300_000)

  const failures: [string, string, RegExp][] = [
    ['unknown package', 'apt: { name: no-such-package-tsplay }', /no package matching no-such-package-tsplay/],
    [
      'bad git ref',
      'git: { repo: /srv/repo.git, dest: /opt/other, version: no-such-ref }',
      /version no-such-ref not found in \/srv\/repo.git/,
    ],
    ['missing repository', 'git: { repo: /srv/nope.git, dest: /opt/other }', /cannot read repository \/srv\/nope.git/],
    [
      'failing make target',
      'make: { chdir: /srv/src, target: broken }',
      /make failed with exit code 2:[^]*boom-message/,
    ],
    ['unknown unit', 'systemd: { name: no-such-unit, state: started }', /unit no-such-unit not found/],
  ]
  it.each(failures)(
    'fails clearly: %s',
    async (name, task, msg) => {
      const file = `fail-${name.replace(/\W+/g, '-')}.yml`
      writeFileSync(join(dir, file), `- hosts: all\n  become: true\n  gather_facts: false\n  tasks:\n    - ${task}\n`)
      const r = await run(file)
      expect(r.rc, explain(r)).toBe(2)
      expect(r.tasks.find((t) => t.status === 'failed')?.msg).toMatch(msg)
    },
    300_000,
  )

  it('service maps to systemd and package to apt; daemon_reload is a step that changes nothing', async () => {
    writeFileSync(
      join(dir, 'generic.yml'),
      `- hosts: all
  become: true
  gather_facts: false
  tasks:
    - service: { name: tsdemo, state: started, enabled: true, daemon_reload: true }
    - package: { name: make, state: present }
    - service: { name: tsdemo, state: restarted }
`,
    )
    const pid = () => onNode(['systemctl', 'show', '-p', 'MainPID', '--value', 'tsdemo'])
    const before = await pid()
    const checked = await run('generic.yml', '--check')
    expect(checked.tasks.map((t) => t.status)).toEqual(['ok', 'ok', 'changed'])
    expect(await pid()).toBe(before)
    const r = await run('generic.yml')
    expect(r.rc, explain(r)).toBe(0)
    expect(r.tasks.map((t) => t.status)).toEqual(['ok', 'ok', 'changed'])
    expect(await pid()).not.toBe(before)
  }, 300_000)

  it('fails clearly: a unit that fails to start, with its journal lines', async () => {
    writeFileSync(
      join(dir, 'bad-unit.yml'),
      `- hosts: all
  become: true
  gather_facts: false
  tasks:
    - copy:
        dest: /etc/systemd/system/tsbad.service
        content: "[Service]\\nType=oneshot\\nExecStart=/bin/sh -c 'echo bad-unit-message; exit 1'\\n"
    - systemd: { name: tsbad, state: started, daemon_reload: true }
`,
    )
    const r = await run('bad-unit.yml')
    expect(r.rc, explain(r)).toBe(2)
    expect(r.tasks.find((t) => t.status === 'failed')?.msg).toMatch(
      /start -- tsbad failed \(exit 1\)[^]*Last journal lines of tsbad:[^]*bad-unit-message/,
    )
  }, 300_000)

  it('poll: 0: a restart and a failing start run as jobs on the node; async_status reads how each ended', async () => {
    writeFileSync(
      join(dir, 'jobs.yml'),
      `- hosts: all
  become: true
  gather_facts: false
  tasks:
    - service: { name: tsdemo, state: restarted }
      async: 30
      poll: 0
      register: j1
    - systemd: { name: tsbad, state: started }
      async: 30
      poll: 0
      register: j2
    - async_status: { jid: "{{ j1.ansible_job_id }}" }
      register: s1
      until: s1.finished
      retries: 30
      delay: 1
    - async_status: { jid: "{{ j2.ansible_job_id }}" }
      register: s2
      until: s2.finished
      retries: 30
      delay: 1
      ignore_errors: true
    - assert:
        that: [j1.started == 1, j1.finished == 0, s1 is changed, s1 is not failed, s2 is failed]
`,
    )
    const pid = () => onNode(['systemctl', 'show', '-p', 'MainPID', '--value', 'tsdemo'])
    const before = await pid()
    const r = await run('jobs.yml')
    expect(r.rc, explain(r)).toBe(0)
    expect(r.tasks.map((t) => t.status)).toEqual(['changed', 'changed', 'changed', 'failed', 'ok'])
    expect(await pid()).not.toBe(before)
    expect(await onNode(['systemctl', 'is-active', 'tsdemo'])).toBe('active')
  }, 300_000)
})
