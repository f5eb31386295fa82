/**
 * Faults end to end through the CLI against real loopback sshd targets: hosts that are down, silent on
 * connect or reject the key are unreachable with their reason while the others finish (exit 4); a connection
 * killed in the middle of a task ends that host promptly with the cause (no hang); with `--retries` the task is
 * run again once the host is back; a hanging command under `timeout:`/`--task-timeout` is killed on the host.
 * Every run is bounded (the CLI is SIGKILLed past its limit) and a run that hit the limit fails the test.
 */
import { randomInt } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunSshd, ed25519Pair, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { background, bounded, explain, killMatching, pids, recapOf, resultsOf, userDir, waitFor } from './util.js'

const can = canRunSshd()
const lines = (f: string): number => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0)

const LONG = `
- hosts: all
  gather_facts: false
  tasks:
    - name: long
      command:
        argv:
          - sh
          - -c
          - 'echo x >> "$1/attempts-$2"; sleep "$3"'
          - sh
          - "{{ base }}"
          - "{{ inventory_hostname }}"
          - "{{ secs }}"
    - name: after
      command: "true"
`

/** A play whose task hangs (records its start, then sleeps `n` seconds). */
const hang = (keywords: Record<string, unknown>) => `
- hosts: t1
  gather_facts: false
  tasks:
    - name: hang
      command: { argv: [sh, -c, 'echo started > "$1"; exec sleep "$2"', sh, "{{ base }}/hang-{{ n }}", "{{ n }}"] }
${Object.entries(keywords)
  .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`)
  .join('')}`

describe.skipIf(!can.ok)(`faults through the CLI${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: SshdFleet
  let dir: string
  let base: string
  let silent: Server
  const sockets: Socket[] = []
  const run = (book: string, extra: string[], inv = 'inventory.yml') => [
    'run',
    join(dir, book),
    '-i',
    join(dir, inv),
    '--known-hosts',
    fleet.knownHostsFile,
    '--json',
    ...extra,
  ]

  beforeAll(async () => {
    fleet = await startSshd({ count: 2, sudo: 'nopasswd' })
    base = userDir(fleet.user, 'tsplay-faults-')
    silent = createServer((s) => sockets.push(s)) // accepts, never speaks
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    const other = ed25519Pair()
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ base }),
      other_key: other.private,
      'long.yml': LONG,
      'two.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n    - { name: one, command: "true" }\n    - { name: ' +
        'two, command: "true" }\n',
      'hang.yml': hang({ timeout: 2 }),
      'hang-root.yml': hang({ timeout: 2, become: true }),
      'hang-plain.yml': hang({}),
    })
    const h = fleet.hosts
    const host = (name: string, port: number, key: string) =>
      `    ${name}: { ansible_host: 127.0.0.1, ansible_port: ${port}, ansible_user: ${fleet.user}, ` +
      `ansible_ssh_private_key_file: ${JSON.stringify(key)}, ansible_connect_timeout: 2 }\n`
    writeFileSync(
      join(dir, 'mixed.yml'),
      'all:\n  hosts:\n' +
        host('good', h[0].port, fleet.keyFile) +
        host('down', h[1].port, fleet.keyFile) +
        host('silent', (silent.address() as { port: number }).port, fleet.keyFile) +
        host('badkey', h[0].port, join(dir, 'other_key')),
    )
  })

  afterAll(async () => {
    killMatching(fleet.user, base)
    for (const s of sockets) s.destroy()
    silent?.close()
    await fleet?.stop()
    rmSync(base, { recursive: true, force: true })
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it(
    'down, silent on connect, key rejected: each unreachable with its reason; the good host finishes; exit ' + '4',
    async () => {
      await fleet.stopHost(1)
      try {
        const r = await bounded(run('two.yml', [], 'mixed.yml'), { limitMs: 90_000 })
        expect(r.killed, explain(r)).toBe(false)
        expect(r.code, explain(r)).toBe(4)
        expect(recapOf(r, 'good')).toMatchObject({ ok: 2, failed: 0, unreachable: 0 })
        const why = (host: string) => r.events.find((e) => e.host === host && e.status === 'unreachable')?.msg ?? ''
        expect(why('down')).toMatch(/refused/i)
        expect(why('silent')).toMatch(/time(d)? ?out/i)
        expect(why('badkey')).toMatch(/auth|denied|reject|key/i)
        expect(new Set([why('down'), why('silent'), why('badkey')]).size).toBe(3)
        for (const h of ['down', 'silent', 'badkey']) expect(recapOf(r, h).unreachable).toBe(1)
        expect(resultsOf(r, 'two').map((e) => e.host)).toEqual(['good'])
      } finally {
        await fleet.startHost(1)
      }
    },
    120_000,
  )

  it(
    'a connection killed in the middle of a task: unreachable with the cause, no hang, no further task on ' +
      'that host',
    async () => {
      const marker = join(base, 'attempts-t1')
      rmSync(marker, { force: true })
      const bg = background(run('long.yml', ['-l', 't1', '-e', 'secs=600']), { limitMs: 60_000 })
      await waitFor(() => lines(marker) === 1, 'the task to start on t1')
      fleet.killConnections(0)
      const r = await bg.done
      killMatching(fleet.user, base)
      expect(r.killed, `hung until killed: ${explain(r)}`).toBe(false)
      expect(r.code, explain(r)).toBe(4)
      const long = resultsOf(r, 'long')[0]
      expect(long?.status).toBe('unreachable')
      expect(long?.msg).toMatch(/connection (lost|closed)|dropped/i)
      expect(resultsOf(r, 'after')).toEqual([])
      expect(lines(marker)).toBe(1)
    },
    90_000,
  )

  it(
    'a link that goes silent mid-task (connection frozen, no FIN): noticed by keepalives, unreachable, no ' + 'hang',
    async () => {
      const marker = join(base, 'attempts-t2')
      rmSync(marker, { force: true })
      const bg = background(run('long.yml', ['-l', 't2', '-e', 'secs=600']), { limitMs: 75_000 })
      await waitFor(() => lines(marker) === 1, 'the task to start on t2')
      fleet.pauseConnections(1, true)
      try {
        const r = await bg.done
        expect(r.killed, `hung until killed: ${explain(r)}`).toBe(false)
        expect(r.code, explain(r)).toBe(4)
        expect(resultsOf(r, 'long')[0]?.status).toBe('unreachable')
        expect(resultsOf(r, 'after')).toEqual([])
      } finally {
        fleet.pauseConnections(1, false)
        killMatching(fleet.user, base)
      }
    },
    90_000,
  )

  it('with --retries 1, a task whose connection dropped runs again once the host is back', async () => {
    const marker = join(base, 'attempts-t1')
    rmSync(marker, { force: true })
    const bg = background(
      run('long.yml', ['-l', 't1', '-e', 'secs=3', '--retries', '1', '--reconnect-timeout', '60']),
      { limitMs: 90_000 },
    )
    await waitFor(() => lines(marker) === 1, 'the task to start on t1')
    await fleet.stopHost(0) // host down: listener and connections gone
    await new Promise((r) => setTimeout(r, 2000))
    await fleet.startHost(0)
    const r = await bg.done
    expect(r.killed, explain(r)).toBe(false)
    expect(r.code, explain(r)).toBe(0)
    expect(lines(marker)).toBe(2)
    expect(recapOf(r, 't1')).toMatchObject({ unreachable: 0, failed: 0 })
    expect(resultsOf(r, 'after')[0]?.status).toBe('changed')
  }, 120_000)

  it.each([
    ['timeout: 2', 'hang.yml', [], false],
    ['--task-timeout 2', 'hang-plain.yml', ['--task-timeout', '2'], false],
    ['timeout: 2 with become', 'hang-root.yml', [], true],
  ] as const)(
    'a hanging command under %s is killed on the host',
    async (_, book, extra, root) => {
      const n = String(randomInt(100_000, 999_999))
      const r = await bounded(run(book, ['-e', `n=${n}`, ...extra]), { limitMs: 60_000 })
      expect(r.killed, explain(r)).toBe(false)
      expect(r.code, explain(r)).toBe(2)
      const hang = resultsOf(r, 'hang')[0]
      expect(hang?.status).toBe('failed')
      expect(hang?.msg).toMatch(/failed to execute in the expected time frame \(2\) and was terminated/)
      expect(existsSync(join(base, `hang-${n}`))).toBe(true) // it did start
      await waitFor(
        () => pids(root ? 'root' : fleet.user, `sleep ${n}`).length === 0,
        `sleep ${n} to be gone on the host`,
        10_000,
      )
    },
    90_000,
  )
})
