/**
 * Playbook features over real loopback sshd targets: tags, --limit, listings, handlers (listen, chains),
 * run_once, delegate_to + hostvars, vars precedence with -e, no_log and secret masking.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { tsplay, writeTree, type CliResult } from '../helpers/cli.js'
import { scratchPath } from '../helpers/tempdir.js'

const can = canRunSshd()
const d = can.ok ? describe : describe.skip

d('playbook features', () => {
  let fleet: SshdFleet
  let dir: string
  let base: string
  const args = (pb: string, extra: string[] = []) => [
    'run',
    join(dir, pb),
    '-i',
    join(dir, 'inventory.yml'),
    '--known-hosts',
    fleet.knownHostsFile,
    '--json',
    ...extra,
  ]

  beforeAll(async () => {
    fleet = await startSshd({ count: 3, sudo: 'nopasswd' })
    base = scratchPath('tsplay-ft-')
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ base }).replace('all:\n', 'all:\n  vars:\n    who: inventory\n'),
      'tags.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - { name: tagged a, debug: { msg: a }, tags: [a] }
    - { name: tagged b, debug: { msg: b }, tags: [b] }
    - { name: always, debug: { msg: always }, tags: [always] }
    - { name: never unless asked, debug: { msg: never }, tags: [never, special] }
`,
      'handlers.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: change something
      command: "true"
      notify: [restart app, by topic]
    - name: change again
      command: "true"
      notify: restart app
  handlers:
    - name: restart app
      command: "true"
      notify: chained
    - name: listener
      debug: { msg: heard }
      listen: by topic
    - name: chained
      debug: { msg: chained }
`,
      'multi.yml': `
- hosts: all
  gather_facts: false
  vars:
    who: play
  tasks:
    - name: make a token once
      command: "echo token-{{ inventory_hostname }}"
      register: tok
      run_once: true
      changed_when: false
    - name: every host sees the run_once result
      assert: { that: ['tok.stdout == "token-t1"'] }
    - name: record who runs on t3 for t1
      shell: "mkdir -p {{ base }} && echo {{ inventory_hostname }} > {{ base }}/delegated-from-{{ inventory_hostname }}"
      delegate_to: t3
      when: inventory_hostname == "t1"
    - name: read another host's vars
      assert: { that: ['hostvars["t2"].inventory_hostname == "t2"', 'hostvars.t2.base == base'] }
    - name: precedence
      assert: { that: ['who == expected'] }
      vars: { expected: "{{ expect_who | default('play') }}" }
`,
      'secret.yml': `
- hosts: t1
  gather_facts: false
  tasks:
    - name: hidden
      command: "echo {{ secret_value }}"
      no_log: true
      changed_when: false
    - name: shown then masked
      debug: { msg: "the value is {{ secret_value }}" }
      no_log: true
    - name: fails loudly but hidden
      command: "sh -c 'echo {{ secret_value }} >&2; exit 3'"
      no_log: true
      ignore_errors: true
`,
    })
  }, 120_000)

  afterAll(async () => {
    await fleet?.stop()
    if (base) rmSync(base, { recursive: true, force: true })
  })

  it('--tags, --skip-tags, always and never', async () => {
    const names = (r: CliResult) => [...new Set(r.events.filter((e) => e.type === 'task').map((e) => e.task))]
    expect(names(await tsplay(args('tags.yml')))).toEqual(['tagged a', 'tagged b', 'always'])
    expect(names(await tsplay(args('tags.yml', ['-t', 'b'])))).toEqual(['tagged b', 'always'])
    expect(names(await tsplay(args('tags.yml', ['--skip-tags', 'a,always'])))).toEqual(['tagged b'])
    expect(names(await tsplay(args('tags.yml', ['-t', 'special'])))).toEqual(['always', 'never unless asked'])
  })

  it('--limit narrows the hosts; --list-hosts/--list-tasks/--list-tags contact nothing', async () => {
    const r = await tsplay(args('tags.yml', ['-l', 't1:t3']))
    expect(Object.keys(r.recap!)).toEqual(['t1', 't3'])
    const l = await tsplay([
      'run',
      join(dir, 'tags.yml'),
      '-i',
      join(dir, 'inventory.yml'),
      '--list-hosts',
      '--list-tasks',
      '--list-tags',
      '-l',
      '!t2',
    ])
    expect(l.code).toBe(0)
    expect(l.stdout).toMatch(/hosts \(2\):\n\s+t1\n\s+t3/)
    expect(l.stdout).toContain('tagged a\tTAGS: [a]')
    expect(l.stdout).toContain('TASK TAGS: [a, always, b, never, special]')
  })

  it('handlers run once each, in definition order, via listen, and chained', async () => {
    const r = await tsplay(args('handlers.yml'))
    expect(r.code).toBe(0)
    const handlers = r.events.filter((e) => e.handler)
    expect(handlers.filter((e) => e.host === 't1').map((e) => e.task)).toEqual(['restart app', 'listener', 'chained'])
    expect(handlers.length).toBe(9)
  })

  it('run_once, delegate_to, hostvars and -e precedence', async () => {
    const r = await tsplay(args('multi.yml'))
    expect(r.code, r.stdout).toBe(0)
    expect(r.events.filter((e) => e.task === 'make a token once').map((e) => e.host)).toEqual(['t1'])
    expect(readFileSync(`${base}/delegated-from-t1`, 'utf8')).toBe('t1\n')
    const e = await tsplay(args('multi.yml', ['-e', 'who=cli expect_who=cli']))
    expect(e.code, e.stdout).toBe(0)
    // -e values split like module arguments: a {{ }} block with spaces and a quoted value stay whole
    const t = await tsplay(args('multi.yml', ['-e', `who="{{ base }} x" expect_who={{ base ~ ' x' }}`]))
    expect(t.code, t.stdout + t.stderr).toBe(0)
  })

  it('no_log hides values; the secret appears in no output channel', async () => {
    const secret = `s3cr3t-${randomBytes(6).toString('hex')}`
    for (const extra of [['--json'], ['-vvv'], ['-vvv', '--diff']]) {
      const a = args('secret.yml', ['-e', `secret_value=${secret}`]).filter((x) => x !== '--json')
      const r = await tsplay([...a, ...extra])
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout + r.stderr).not.toContain(secret)
      expect(r.stdout).toContain('hidden due to')
    }
  })
})

d('play strategies and failure limits', () => {
  let fleet: SshdFleet
  let dir: string
  const args = (pb: string, extra: string[] = []) => [
    'run',
    join(dir, pb),
    '-i',
    join(dir, 'inventory.yml'),
    '--known-hosts',
    fleet.knownHostsFile,
    '--json',
    ...extra,
  ]
  const failOnT2 = `
    - name: fails on t2
      command: "false"
      when: inventory_hostname == "t2"
    - name: after
      debug: { msg: after }
`
  beforeAll(async () => {
    fleet = await startSshd({ count: 3, sudo: 'nopasswd' })
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml(),
      'serial.yml':
        `- hosts: all\n  gather_facts: false\n  serial: 2\n  tasks:\n    - { name: one, debug: ` +
        `{ msg: one } }\n    - { name: two, debug: { msg: two } }\n`,
      'free.yml': `- hosts: all\n  gather_facts: false\n  strategy: free\n  tasks:${failOnT2}`,
      'fatal.yml': `- hosts: all\n  gather_facts: false\n  any_errors_fatal: true\n  tasks:${failOnT2}`,
      'pct.yml': `- hosts: all\n  gather_facts: false\n  max_fail_percentage: 50\n  tasks:${failOnT2}`,
      'checkmode.yml':
        `- hosts: t1\n  gather_facts: false\n  tasks:\n    - name: always in check mode\n    ` +
        `  command: "true"\n      check_mode: true\n      register: r\n    - assert: { that: ['r.changed', ` +
        `'r.rc is not defined'] }\n`,
    })
  }, 120_000)
  afterAll(async () => fleet?.stop())

  it('serial runs the play batch by batch', async () => {
    const r = await tsplay(args('serial.yml'))
    const order = r.events.filter((e) => e.type === 'task').map((e) => `${e.task}:${e.host}`)
    expect(order).toEqual(['one:t1', 'one:t2', 'two:t1', 'two:t2', 'one:t3', 'two:t3'])
  })

  it('strategy free: a failing host does not hold the others; they finish', async () => {
    const r = await tsplay(args('free.yml'))
    expect(r.code).toBe(2)
    expect(
      r.events
        .filter((e) => e.task === 'after')
        .map((e) => e.host)
        .sort(),
    ).toEqual(['t1', 't3'])
  })

  it('any_errors_fatal stops every host after a failure; max_fail_percentage tolerates up to its share', async () => {
    const fatal = await tsplay(args('fatal.yml'))
    expect(fatal.code).toBe(2)
    expect(fatal.events.some((e) => e.task === 'after')).toBe(false)
    expect(fatal.events.find((e) => e.type === 'warning')?.msg).toMatch(/any_errors_fatal/)
    const pct = await tsplay(args('pct.yml'))
    expect(pct.events.filter((e) => e.task === 'after').map((e) => e.host)).toEqual(['t1', 't3'])
  })

  it('check_mode: true on a task predicts instead of running, even in a normal run', async () => {
    const r = await tsplay(args('checkmode.yml'))
    expect(r.code, r.stdout).toBe(0)
  })
})
