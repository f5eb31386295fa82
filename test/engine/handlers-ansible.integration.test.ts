/**
 * Handlers, flush points, `meta:` and the run-ending rules, run side by side with ansible-playbook 2.14 (the
 * oracle) on the same loopback sshd targets: every host's recap counts and the exit code must agree. Each case
 * writes what ran into a per-engine file on the target, and each host's trace must agree too (the order handlers ran
 * in).
 * Needs root, sshd and ansible-playbook; skips with the reason otherwise.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAnsible, runTsplay } from '../../bench/engines.js'
import { startSshd, type SshdFleet } from '../helpers/sshd.js'
import { writeTree } from '../helpers/cli.js'
import { CASES } from './handlers-cases.js'
import { whyNoAnsible } from '../helpers/ansible.js'
import { scratchPath } from '../helpers/tempdir.js'

const skip = whyNoAnsible()

describe.skipIf(skip !== undefined)(`handlers and meta agree with ansible-playbook${skip ? ` (${skip})` : ''}`, () => {
  let fleet: SshdFleet
  let dir: string
  const root = scratchPath('tsplay-hd-')

  beforeAll(async () => {
    fleet = await startSshd({ count: 3, sudo: 'nopasswd' })
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ tsplay_state_dir: `${root}/state` }),
      ...Object.assign({}, ...CASES.map((c) => ({ [`${c.name}.yml`]: c.playbook, ...c.files }))),
    })
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
    rmSync(root, { recursive: true, force: true })
  })

  /** Trace lines "HOST what", grouped by host in the order written. */
  const perHost = (text: string): Record<string, string[]> => {
    const out: Record<string, string[]> = {}
    for (const l of text.split('\n').filter(Boolean)) (out[l.split(' ')[0]] ??= []).push(l.slice(l.indexOf(' ') + 1))
    return out
  }
  const trace = (engine: string, name: string) => {
    try {
      return readFileSync(join(root, engine, name, 'trace'), 'utf8')
    } catch {
      return ''
    }
  }

  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const run = (engine: string) => ({
          playbook: join(dir, `${c.name}.yml`),
          inventory: join(dir, 'inventory.yml'),
          knownHosts: fleet.knownHostsFile,
          forks: 5,
          extraVars: { out: join(root, engine, c.name), ...(c.extraVars ?? {}) },
        })
        const a = await runAnsible(run('ansible'))
        const t = await runTsplay(run('tsplay'))
        expect(Object.keys(a.counts).length, a.stdout + a.stderr).toBeGreaterThan(0)
        expect(t.counts, `tsplay:\n${t.stdout}\n${t.stderr}\nansible:\n${a.stdout}`).toEqual(a.counts)
        expect(t.code, t.stderr).toBe(a.code)
        expect(perHost(trace('tsplay', c.name)), 'what ran on each host, in order').toEqual(
          perHost(trace('ansible', c.name)),
        )
        c.check?.(perHost(trace('tsplay', c.name)))
      },
      120_000,
    )
  }
})
