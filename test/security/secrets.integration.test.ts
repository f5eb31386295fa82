/**
 * Security: secrets never leak. End to end through the CLI against a real loopback sshd whose login user
 * needs a sudo password, and a private PostgreSQL cluster: a database password given with `-e` to a secret
 * argument (`postgres_user.password`) and the sudo password (TSPLAY_BECOME_PASSWORD) appear in no output channel
 * (plain, `-vvv`, `--json`, `--diff`, failures), in no file left on the host, and in no process's argv or
 * environment on the host — sampled with `ps -eo args` and /proc/PID/environ while a slow become command and the
 * psql commands run. tsplay's own files on the host (the askpass session folder) are 0700/0600 and removed.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { background, bounded, explain, psArgs, userDir, waitFor } from '../faults/util.js'
import { canRunPg, startPg, type PgCluster } from './pg.js'

const can = canRunSshd()
const pgOk = canRunPg()
const SECRET = `Db-${randomBytes(9).toString('hex')}`

/** Session folders of tsplay on this machine (the askpass helper lives there). */
const sessionDirs = (): string[] =>
  readdirSync('/tmp')
    .filter((d) => d.startsWith('tsplay.'))
    .map((d) => `/tmp/${d}`)

/** Environments of `users`' processes but `skip` (the CLI itself: its env holds TSPLAY_BECOME_PASSWORD), joined. */
function environs(users: string[], skip: number): string {
  let out = ''
  for (const u of users) {
    let ids: string[]
    try {
      ids = execFileSync('pgrep', ['-u', u], { encoding: 'utf8' }).split('\n').filter(Boolean)
    } catch {
      continue
    }
    for (const p of ids) {
      if (Number(p) === skip) continue
      try {
        out += readFileSync(`/proc/${p}/environ`, 'latin1')
      } catch {
        /* gone */
      }
    }
  }
  return out
}

describe.skipIf(!can.ok || !pgOk)(
  `secrets never leak${can.ok && pgOk ? '' : ' (skipped: needs root, sshd and PostgreSQL 15)'}`,
  () => {
    let fleet: SshdFleet
    let pg: PgCluster
    let dir: string
    let base: string
    const args = (extra: string[]) => [
      'run',
      join(dir, 'book.yml'),
      '-i',
      join(dir, 'inventory.yml'),
      '--known-hosts',
      fleet.knownHostsFile,
      '-e',
      `@${join(dir, 'secret.yml')}`,
      ...extra,
    ]
    const env = () => ({ TSPLAY_BECOME_PASSWORD: fleet.sudoPassword })

    beforeAll(async () => {
      fleet = await startSshd({ count: 1, sudo: 'password' })
      pg = await startPg()
      base = userDir(fleet.user, 'tsplay-secret-')
      // a slow psql, so the sampling below sees every psql process's argv and environment
      mkdirSync(join(base, 'bin'))
      writeFileSync(join(base, 'bin', 'psql'), '#!/bin/sh\nsleep 1\nexec /usr/bin/psql "$@"\n', { mode: 0o755 })
      dir = writeTree({
        'inventory.yml': fleet.inventoryYaml({ base }),
        'secret.yml': `db_password: ${SECRET}\n`,
        'book.yml': `
- hosts: all
  gather_facts: false
  environment: { PGHOST: ${pg.host}, PGPORT: "${pg.port}", PATH: "${base}/bin:/usr/sbin:/usr/bin:/sbin:/bin" }
  tasks:
    - name: slow become
      command: sleep 2
      become: true
    - name: role with a password
      postgres_user: { name: hydra_secret_test, password: "{{ db_password }}" }
      become: true
    - name: a config holding it
      copy: { content: "password={{ db_password }}\\n", dest: "{{ base }}/app.conf", mode: "0600" }
    - name: a failure that quotes it
      command: { argv: [sh, -c, 'cat >&2; exit 3'], stdin: "bad password {{ db_password }}" }
      ignore_errors: true
`,
        'early.yml': `
- hosts: all
  gather_facts: false
  environment: { PGHOST: ${pg.host}, PGPORT: "${pg.port}" }
  tasks:
    - name: shown before any secret argument used it
      debug: { msg: "connecting with {{ db_password }}" }
    - name: role with a password
      postgres_user: { name: hydra_secret_test, password: "{{ db_password }}" }
      become: true
`,
      })
    })

    afterAll(async () => {
      await pg?.stop()
      await fleet?.stop()
      rmSync(base, { recursive: true, force: true })
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it(
      'not in argv or environment of any process on the host while it runs; session folder private, then ' + 'removed',
      async () => {
        const before = new Set(sessionDirs())
        const bg = background(args(['--json']), { env: env(), limitMs: 90_000 })
        let samples = 0
        let sawPsql = false
        const leaks: string[] = []
        let sawDir: string | undefined
        let modes: number[] = []
        let running = true
        bg.done.finally(() => (running = false))
        while (running) {
          const text = psArgs() + environs([fleet.user, 'root', 'postgres'], bg.child.pid ?? -1)
          samples++
          if (text.includes('ON_ERROR_STOP')) sawPsql = true
          for (const s of [SECRET, fleet.sudoPassword])
            if (text.includes(s)) leaks.push(s === SECRET ? 'db password' : 'sudo password')
          const mine = sessionDirs().find((d) => !before.has(d))
          if (mine && !sawDir && existsSync(join(mine, 'askpass'))) {
            try {
              modes = [
                statSync(mine).mode & 0o777,
                statSync(join(mine, 'pw')).mode & 0o777,
                statSync(join(mine, 'askpass')).mode & 0o777,
              ]
              sawDir = mine
            } catch {
              /* removed meanwhile */
            }
          }
          await new Promise((r) => setTimeout(r, 20))
        }
        const r = await bg.done
        expect(r.code, explain(r)).toBe(0)
        expect(samples).toBeGreaterThan(20) // sampled all along the 2 s become command and the (1 s each) psql calls
        expect(sawPsql, 'a psql process was sampled').toBe(true)
        expect([...new Set(leaks)]).toEqual([])
        expect(sawDir, 'the askpass session folder was seen').toBeDefined()
        expect(modes).toEqual([0o700, 0o600, 0o700])
        await waitFor(() => !existsSync(sawDir!), 'the session folder to be removed', 10_000)
        expect(pg.sql('postgres', "SELECT count(*) FROM pg_roles WHERE rolname = 'hydra_secret_test'")).toBe('1')
      },
      120_000,
    )

    it.each([[['--json']], [['-vvv']], [['-vvv', '--diff']], [['--diff', '--output', 'plain']]])(
      'not in any output: %j',
      async (extra) => {
        rmSync(join(base, 'app.conf'), { force: true })
        const r = await bounded(args(extra), { env: env(), limitMs: 90_000 })
        expect(r.code, explain(r)).toBe(0)
        const all = r.stdout + r.stderr
        expect(all).not.toContain(SECRET)
        expect(all).not.toContain(fleet.sudoPassword)
        expect(all).toContain('********') // masked, not absent: the tasks did show their (masked) values
        // the value did reach the host
        expect(readFileSync(join(base, 'app.conf'), 'utf8')).toBe(`password=${SECRET}\n`)
      },
      120_000,
    )

    it('passed inline as -e k=v: still masked in every output channel', async () => {
      const inline = args(['-vvv', '--diff']).filter((a, i, all) => a !== '-e' && all[i - 1] !== '-e')
      const r = await bounded([...inline, '-e', `db_password=${SECRET}`], { env: env(), limitMs: 90_000 })
      expect(r.code, explain(r)).toBe(0)
      expect(r.stdout + r.stderr).not.toContain(SECRET)
    }, 120_000)

    it('masked even where a task shows it before the secret argument that marks it runs', async () => {
      const early = args([]).map((x) => (x.endsWith('book.yml') ? join(dir, 'early.yml') : x))
      const r = await bounded(early, { env: env(), limitMs: 90_000 })
      expect(r.code, explain(r)).toBe(0)
      expect(r.stdout + r.stderr).not.toContain(SECRET)
    }, 120_000)

    it('no file tsplay leaves on the host or the controller holds a secret (but the one the play wrote)', () => {
      const hits = (root: string, secrets = [SECRET, fleet.sudoPassword]): string[] => {
        try {
          return execFileSync('grep', ['-rlaF', ...secrets.flatMap((x) => ['-e', x]), root], { encoding: 'utf8' })
            .split('\n')
            .filter(Boolean)
        } catch {
          return [] // grep: no match
        }
      }
      const home = readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`${fleet.user}:`))!
        .split(':')[5]
      expect(hits(home)).toEqual([])
      // other test files' runs may hold their own session (and the shared test sudo password) right now: look for
      // this file's unique secret there; this file's own session folder was seen removed in the first test
      expect(sessionDirs().flatMap((d) => hits(d, [SECRET]))).toEqual([])
      expect(hits(base)).toEqual([join(base, 'app.conf')])
      expect(hits(dir).filter((f) => !f.endsWith('secret.yml'))).toEqual([])
      writeFileSync(join(base, 'app.conf'), '')
    })
  },
)
