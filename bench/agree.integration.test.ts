/**
 * The benchmark's idea of a correct run, checked against the reference: on two real loopback sshd targets,
 * ansible-playbook, tsplay and the floor each run the workload twice on clean targets; each must report the counts
 * `expectedCounts` says and leave exactly the same files (paths, modes, contents) as the others.
 * Needs root, sshd, ansible-playbook and a built tsplay (`npm run build`); skips with the reason otherwise.
 * Run: `npx vitest run --config bench/vitest.config.ts bench/agree.integration.test.ts`.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removeTempDir, tempDir } from '../test/helpers/tempdir.js'
import { type SshdFleet } from '../test/helpers/sshd.js'
import { runAnsible, runTsplay, type EngineRun } from './engines.js'
import { runFloor } from './floor.js'
import { floorSpec, freshRoot, inventoryYaml, startFleet, treeDigest, wipe } from './targets.js'
import { expectedCounts, playbookYaml, TEMPLATE_NAME, TEMPLATE_TEXT, type Counts } from './workload.js'
import { whyNoAnsible } from '../test/helpers/ansible.js'

const skip = whyNoAnsible()
if (skip) console.warn(`bench/agree.integration.test.ts skipped: ${skip}`)

const HOSTS = 2

describe.skipIf(skip !== undefined)('ansible-playbook, tsplay and the floor agree on the workload', () => {
  let fleet: SshdFleet
  let dir: string
  let base: Omit<EngineRun, 'extraVars'>
  const digests = new Map<string, string>()

  beforeAll(async () => {
    fleet = await startFleet(HOSTS)
    dir = tempDir('tsplay-bench-test-')
    writeFileSync(join(dir, 'bench.yml'), playbookYaml())
    writeFileSync(join(dir, TEMPLATE_NAME), TEMPLATE_TEXT)
    writeFileSync(join(dir, 'inventory.yml'), inventoryYaml(fleet, HOSTS))
    base = {
      playbook: join(dir, 'bench.yml'),
      inventory: join(dir, 'inventory.yml'),
      knownHosts: fleet.knownHostsFile,
      forks: 10,
    }
  })
  afterAll(async () => {
    await fleet?.stop()
    if (dir) removeTempDir(dir)
  })

  const engines: [string, (root: string) => Promise<Record<string, Counts>>][] = [
    ['floor', (root) => runFloor(floorSpec(fleet, HOSTS, root, 10))],
    ['ansible', async (root) => (await runAnsible({ ...base, extraVars: { bench_root: root } })).counts],
    ['tsplay', async (root) => (await runTsplay({ ...base, extraVars: { bench_root: root } })).counts],
  ]

  it.each(engines)(
    '%s: first run changes all, second run nothing',
    async (name, run) => {
      const root = freshRoot(fleet.user)
      try {
        for (const kind of ['first', 'second'] as const) {
          const counts = await run(root)
          expect({ kind, counts }).toEqual({ kind, counts: { t1: expectedCounts(kind), t2: expectedCounts(kind) } })
        }
        digests.set(name, treeDigest(root))
      } finally {
        wipe(root)
      }
    },
    300_000,
  ) // two ansible-playbook runs took over 60 s on a slow CI machine

  it('all leave the same files behind', () => {
    const floor = digests.get('floor')
    expect(floor).toMatch(/t2\/d5\/conf\.txt file 644/)
    expect(floor).not.toMatch(/d5\/tpl\.txt/) // skipped by `when`
    expect(digests.get('ansible')).toBe(floor)
    expect(digests.get('tsplay')).toBe(floor)
  })
})
