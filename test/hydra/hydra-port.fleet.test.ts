/**
 * hydra-pi.yml on two fleet nodes (a server with the Hydra stand-in, see hydra-pi.test.ts, and one builder):
 * a preflight failure on the server stops the builder too before anything changes; a new `hydra_port` is live
 * after one run; a run killed between the unit's change and the restart leaves the restart pending on the server,
 * `--check` predicts it, and a plain rerun does it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { changedTasks, explain, PLAYBOOK, ROOT, tsplay } from './cli.js'
import { copyStandin, STANDIN_PREFIX, writePrefixFarm } from './standin.js'

const can = canRunFleet()
const LONG = 1_200_000
const PENDING = '/var/lib/tsplay/pending-handlers'

describe.skipIf(!can.ok)(`hydra-pi.yml: preflight and a changed hydra_port (${can.ok ? 'fleet' : can.why})`, () => {
  let fleet: Fleet
  let dir: string
  let server: string
  let builder: string
  let base: string[]
  let secrets: string[]

  const exec = (node: string, argv: string[]) => fleet.exec(node, argv)
  const answers = async (port: number) => {
    try {
      return (await fetch(`http://${fleet.nodes[0].address}:${port}/`, { signal: AbortSignal.timeout(5000) })).ok
    } catch {
      return false
    }
  }
  const records = async () =>
    (await exec(server, ['sh', '-c', `ls ${PENDING} 2>/dev/null || true`])).stdout.split('\n').filter(Boolean)

  beforeAll(async () => {
    fleet = await startFleet(2)
    ;[server, builder] = fleet.nodes.map((n) => n.name)
    dir = mkdtempSync(join(tmpdir(), 'tsplay-hport-'))
    const farm = writePrefixFarm(fleet, dir, server, builder)
    base = ['run', PLAYBOOK, '-i', farm.hosts, '--known-hosts', fleet.knownHostsFile, '--json']
    secrets = ['-e', `@${farm.secrets}`]
    await copyStandin(fleet, server, STANDIN_PREFIX)
  }, 600_000)

  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it(
    'a missing admin password stops every Pi before anything changes',
    async () => {
      const r = await tsplay(base)
      expect(r.rc).toBe(2)
      expect(r.tasks.find((t) => t.status === 'failed')?.msg).toMatch(/hydra_admin_password is not set/)
      expect(r.stdout + r.stderr).toMatch(
        /no more hosts left: play \\?"Preflight on every Pi\\?": more than 0% of its hosts failed/,
      )
      for (const h of [server, builder]) expect(r.recap[h]?.changed, `${h}: ${changedTasks(r, h).join(' | ')}`).toBe(0)
      expect(
        r.tasks.some((t) => t.host === builder && /^(base|nix) : /.test(t.task)),
        'the builder ran no install task',
      ).toBe(false)
      for (const h of [server, builder]) {
        expect((await exec(h, ['dpkg-query', '-W', 'nix-bin'])).rc, `${h}: nix-bin`).not.toBe(0)
        expect((await exec(h, ['test', '-e', '/etc/nix'])).rc, `${h}: /etc/nix`).not.toBe(0)
      }
      expect((await exec(builder, ['getent', 'passwd', 'nixremote'])).rc).not.toBe(0)
    },
    LONG,
  )

  it(
    'first run, then a new hydra_port: the web UI answers on it after that one run',
    async () => {
      const first = await tsplay([...base, ...secrets])
      expect(first.rc, explain(first)).toBe(0)
      expect(await answers(3000)).toBe(true)
      const moved = await tsplay([...base, ...secrets, '-e', 'hydra_port=3100', '--tags', 'hydra'])
      expect(moved.rc, explain(moved)).toBe(0)
      expect(
        moved.tasks.filter((t) => t.handler && t.task === 'hydra : restart hydra-server').map((t) => t.status),
      ).toEqual(['changed'])
      expect(await answers(3100)).toBe(true)
      expect(await answers(3000)).toBe(false)
      expect(await records()).toEqual([])
    },
    LONG,
  )

  it(
    'a run killed after the unit changed: --check predicts the restart, a plain rerun does it, then 0 changed',
    async () => {
      const unitHas = async (port: number) =>
        (await exec(server, ['grep', '-q', '--', `-p ${port} `, '/etc/systemd/system/hydra-server.service'])).rc === 0
      // The service runs on 3100 (the test before); the run to 3200 is killed once the unit holds the new port and the
      // restart is recorded as pending on the server.
      const killed = await tsplayKilledWhen(
        async () => (await unitHas(3200)) && (await records()).some((f) => f.startsWith('restart-hydra-server-')),
      )([...base, ...secrets, '-e', 'hydra_port=3200', '--tags', 'hydra'])
      expect(killed).toBe(true)
      expect(await unitHas(3200)).toBe(true)
      expect(await answers(3100), 'the service still runs with the old port').toBe(true)

      const check = await tsplay([...base, ...secrets, '-e', 'hydra_port=3200', '--tags', 'hydra', '--check'])
      expect(check.rc, explain(check)).toBe(0)
      expect(
        check.tasks.filter((t) => t.handler && t.task === 'hydra : restart hydra-server').map((t) => t.status),
      ).toEqual(['changed'])
      expect(await answers(3100)).toBe(true)

      const rerun = await tsplay([...base, ...secrets, '-e', 'hydra_port=3200'])
      expect(rerun.rc, explain(rerun)).toBe(0)
      expect(rerun.tasks.find((t) => t.task === 'hydra : Unit hydra-server (web UI)' && !t.handler)?.status).toBe('ok')
      expect(await answers(3200)).toBe(true)
      expect(await records()).toEqual([])

      const again = await tsplay([...base, ...secrets, '-e', 'hydra_port=3200'])
      expect(again.rc, explain(again)).toBe(0)
      for (const [h, c] of Object.entries(again.recap))
        expect(c.changed, `${h}: ${changedTasks(again, h).join(' | ')}`).toBe(0)
    },
    LONG,
  )
})

/** A runner of tsplay that SIGKILLs it as soon as `when()` holds (polled); resolves whether it killed it. */
function tsplayKilledWhen(when: () => Promise<boolean>): (args: string[]) => Promise<boolean> {
  return async (args) => {
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'tsplay.js'), ...args], { cwd: ROOT, stdio: 'ignore' })
    let killed = false
    const closed = new Promise<void>((r) => child.on('close', () => r()))
    let done = false
    void closed.then(() => (done = true))
    while (!done) {
      if (await when()) {
        killed = child.kill('SIGKILL')
        break
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    await closed
    return killed
  }
}
