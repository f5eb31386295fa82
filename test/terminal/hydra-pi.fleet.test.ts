/**
 * The flagship playbook as a Pi owner runs it: `tsplay run playbooks/hydra-pi.yml` on a real terminal (a tmux
 * pane, so the live view is on), against two fresh Debian nodes of the test fleet (a server and a builder), read
 * from the screen. Set up as test/hydra/hydra-pi.fleet.test.ts does (`nix_install_method: debian`, the Hydra stand-in
 * of
 * test/fixtures/hydra-standin copied onto the server, the admin password in a 0600 vars file).
 *
 * Ctrl-C once, just after the `run_once` preflight task: the view gets past it (it used to freeze there), the run
 * ends with a recap and exit 130. Then the whole run: exit 0, every row of every task finished (no spinner left on
 * screen), the recap names both nodes.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.js'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { copyStandin, STANDIN_PREFIX, writePrefixFarm } from '../hydra/standin.js'
import { canRunTmux, openScreen, spinningRows, type Screen } from './tmux.js'

const can = canRunFleet().ok ? canRunTmux() : canRunFleet()
const PLAYBOOK = join(ROOT, 'playbooks', 'hydra-pi.yml')
const RUN_ONCE_TASK = 'preflight : Exactly one Hydra server in the inventory'
const NEXT_TASK = 'preflight : Debian or Raspberry Pi OS, bookworm or trixie'

describe.skipIf(!can.ok)(
  `hydra-pi.yml on a terminal, two fleet nodes${can.ok ? '' : ` (skipped: ${!can.ok && can.why})`}`,
  () => {
    let fleet: Fleet
    let dir: string
    let nodes: string[]
    let args: string[]
    const screens: Screen[] = []
    const recap = (t: string) =>
      t
        .slice(t.lastIndexOf('PLAY RECAP'))
        .split('\n')
        .filter((l) => / : ok=/.test(l))

    beforeAll(async () => {
      fleet = await startFleet(2)
      nodes = fleet.nodes.map((n) => n.name)
      const [server, builder] = nodes
      dir = mkdtempSync(join(tmpdir(), 'tsplay-term-hydra-'))
      const farm = writePrefixFarm(fleet, dir, server, builder)
      args = ['run', PLAYBOOK, '-i', farm.hosts, '--known-hosts', fleet.knownHostsFile, '-e', `@${farm.secrets}`]
      await copyStandin(fleet, server, STANDIN_PREFIX)
    }, 600_000)

    afterAll(async () => {
      for (const s of screens) await s.close()
      await fleet?.stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('Ctrl-C after the run_once preflight task: the view goes on past it, then a recap and exit 130', async () => {
      const s = await openScreen(args, { cols: 140, rows: 50 })
      screens.push(s)
      await s.waitFor(
        (t) => t.includes(`TASK [${NEXT_TASK}]`),
        180_000,
        `the task after "${RUN_ONCE_TASK}" (a frozen view never shows it)`,
      )
      await s.keys('C-c')
      const code = await s.exitCode(900_000)
      const t = await s.text()
      expect(code, t).toBe(130)
      expect(t).toContain('Interrupted')
      expect(
        recap(t)
          .map((l) => l.split(/\s/)[0])
          .sort(),
        t,
      ).toEqual([...nodes].sort())
      expect(spinningRows(t), t).toEqual([])
    }, 1_000_000)

    it('the whole run: exit 0, every row finished, the recap names both nodes', async () => {
      const s = await openScreen(args, { cols: 140, rows: 50 })
      screens.push(s)
      const code = await s.exitCode(2_400_000)
      const t = await s.text()
      expect(code, `the run did not end in time or failed:\n${t.slice(-6000)}`).toBe(0)
      expect(spinningRows(t), t.slice(-6000)).toEqual([])
      const once = t.split(`TASK [${RUN_ONCE_TASK}]`)[1]?.split('TASK [')[0] ?? ''
      expect(
        once.split('\n').filter((l) => /^[✔↓✖]/.test(l.trim())),
        once,
      ).toHaveLength(1) // one row: the host it ran on
      expect(
        recap(t)
          .map((l) => l.split(/\s/)[0])
          .sort(),
        t.slice(-3000),
      ).toEqual([...nodes].sort())
      for (const l of recap(t)) expect(l).toMatch(/failed=0 .*unreachable=0|unreachable=0 .*failed=0/)
    }, 2_500_000)
  },
)
