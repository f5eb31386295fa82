/**
 * Ansible as the oracle: every agreement case (test/compat/cases/) runs with ansible-playbook and with tsplay on the
 * same loopback sshd target, twice each on fresh state; every host's ok/changed/failed/skipped/rescued/ignored
 * counts, the exit codes and the files left on the target must agree, except for the deliberate differences a case
 * allows (each named by a row of the README's "Differences from Ansible" table). Cases marked `pending` are expected
 * to differ until the work they name lands: they run alone and are reported as expected failures (`it.fails`), so
 * the day they agree the mark must go.
 * Needs root, sshd, ansible-playbook and a built tsplay; skips with the reason otherwise.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs'
import { removeTempDir } from '../helpers/tempdir.js'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO } from '../../bench/engines.js'
import { startFleet } from '../../bench/targets.js'
import { type SshdFleet } from '../helpers/sshd.js'
import { CASES } from './cases/index.js'
import {
  compatEnv,
  expectedTsplay,
  freshState,
  hostsOf,
  runGroup,
  stateOf,
  writeGroup,
  type CompatCase,
  type Counts,
  type CompatEnv,
  type GroupRun,
} from './harness.js'
import { whyNoAnsible } from '../helpers/ansible.js'
import { selfSignedCert, startWeb, type Web } from '../helpers/web.js'
import { WEB_ROUTES } from './cases/web.js'

const skip = whyNoAnsible()
if (skip) console.warn(`test/compat/agree.integration.test.ts skipped: ${skip}`)

/**
 * At most this many cases share one invocation: ansible-playbook runs the group twice, 6 to 13 s per case and run on
 * a loaded 2-core machine (measured with COMPAT_TIMES; a group of 40 took 1,385 s of its 1,800 s limit with the
 * machine busy), and one group must end within its test's time limit.
 */
const GROUP_MAX = 30

/** Cases grouped by their flags (one invocation per group, up to `GROUP_MAX` cases); each pending case alone. */
function groups(): Array<{ id: string; flags: string[]; cases: CompatCase[]; pending?: string }> {
  const out = new Map<string, { id: string; flags: string[]; cases: CompatCase[]; pending?: string }>()
  const counts = new Map<string, number>()
  for (const c of CASES) {
    const flags = c.flags ?? []
    const base = c.pending || c.alone ? `alone-${c.name}` : `flags${flags.join('_').replace(/[^A-Za-z0-9]+/g, '-')}`
    const n = counts.get(base) ?? 0
    counts.set(base, n + 1)
    const key = n < GROUP_MAX ? base : `${base}-${Math.floor(n / GROUP_MAX)}`
    if (!out.has(key)) out.set(key, { id: key, flags, cases: [], pending: c.pending })
    out.get(key)!.cases.push(c)
  }
  return [...out.values()]
}

/** Whether a recap line counts nothing at all. */
function isZero(c: Counts | undefined): boolean {
  return c !== undefined && Object.values(c).every((n) => n === 0)
}

/** Differences between the engines for one group, as readable lines (empty: they agree). */
function compare(cases: CompatCase[], ans: GroupRun[], ts: GroupRun[], ansState: string, tsState: string): string[] {
  const diffs: string[] = []
  for (const round of [1, 2] as const) {
    const a = ans[round - 1]
    const t = ts[round - 1]
    if (a.code !== t.code) diffs.push(`round ${round}: exit code ansible ${a.code}, tsplay ${t.code}`)
    for (const c of cases) {
      // a host that ran nothing (a batch a failed one stopped) is missing from Ansible's recap and all 0 in tsplay's
      const ranNothing = (h: string) => !a.counts[h] && hostsOf(c).some((o) => a.counts[o]) && isZero(t.counts[h])
      for (const h of hostsOf(c)) {
        // in neither recap: neither engine ran it (outside `--limit`), which is agreement
        if (!a.counts[h] && !t.counts[h]) continue
        const want = ranNothing(h) ? t.counts[h] : expectedTsplay(a.counts[h], c.allow, round, h)
        if (!want) diffs.push(`round ${round}: ${h}: no recap from ansible`)
        else if (c.clean && want.failed > 0) diffs.push(`round ${round}: ${h} [${c.covers}]: ansible failed a task`)
        else if (JSON.stringify(want) !== JSON.stringify(t.counts[h])) {
          diffs.push(
            `round ${round}: ${h} [${c.covers}]: ansible${c.allow ? ' (+allowed)' : ''} ` +
              `${JSON.stringify(want)} tsplay ${JSON.stringify(t.counts[h])}`,
          )
        }
      }
    }
  }
  for (const c of cases) {
    const sa = stateOf(ansState, c)
    const st = stateOf(tsState, c)
    for (const h of hostsOf(c))
      if (sa[h] !== st[h]) diffs.push(`${h} [${c.covers}]: state differs:\n  ansible:\n${sa[h]}\n  tsplay:\n${st[h]}`)
  }
  return diffs
}

describe.skipIf(skip !== undefined)('tsplay agrees with ansible-playbook', () => {
  let fleet: SshdFleet
  let env: CompatEnv
  let web: Web | undefined
  let webs: Web | undefined

  beforeAll(async () => {
    fleet = await startFleet(1)
    web = await startWeb(WEB_ROUTES)
    // the same routes over HTTPS (TLS 1.2 at most: a client's cipher list alone decides whether it connects)
    webs = await startWeb(WEB_ROUTES, { ...selfSignedCert(), maxVersion: 'TLSv1.2' })
    env = { ...compatEnv(fleet), web: web.base, webs: webs.base }
  })
  afterAll(async () => {
    const failed: unknown[] = []
    for (const c of CASES) {
      try {
        c.cleanup?.()
      } catch (e) {
        failed.push(e)
      }
    }
    await web?.close()
    await webs?.close()
    await fleet?.stop()
    if (env) {
      removeTempDir(env.dir)
      rmSync(env.home, { recursive: true, force: true })
    }
    expect(failed, 'cases left something behind').toEqual([])
  })

  it('every allowed difference is a row of the README\'s "Differences from Ansible" table', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
    const table = readme.slice(readme.indexOf('## Differences from Ansible'))
    for (const c of CASES) if (c.allow) expect(table, `${c.name}: ${c.allow.reason}`).toContain(c.allow.reason)
  })

  const only = process.env.COMPAT_CASES?.split(',') // run only these cases (while developing)
  for (const g of groups()
    .map((x) => ({ ...x, cases: x.cases.filter((c) => !only || only.includes(c.name)) }))
    .filter((x) => x.cases.length)) {
    const title = `${g.cases.map((c) => c.name).join(', ')}${g.flags.length ? ` (${g.flags.join(' ')})` : ''}`
    const body = async () => {
      const files = writeGroup(env, g.id, g.cases)
      const runs: Record<string, GroupRun[]> = { ansible: [], tsplay: [] }
      const bases: Record<string, string> = {}
      // the engines run one after the other (2 cores); each twice on its own fresh state
      for (const engine of ['ansible', 'tsplay'] as const) {
        bases[engine] = freshState(env, `${g.id}-${engine}`, g.cases)
        for (let i = 0; i < 2; i++) {
          const t0 = Date.now()
          runs[engine].push(await runGroup(env, files, engine, bases[engine], g.flags))
          if (process.env.COMPAT_TIMES)
            appendFileSync(process.env.COMPAT_TIMES, `${g.id} ${engine} round ${i + 1}: ${Date.now() - t0} ms\n`)
        }
      }
      const diffs = compare(g.cases, runs.ansible, runs.tsplay, bases.ansible, bases.tsplay)
      // COMPAT_SHOW=1: each engine's counts, to see that a new case does what it means (not failing in both)
      if (process.env.COMPAT_SHOW)
        for (const e of ['ansible', 'tsplay'] as const)
          console.log(`${title} ${e}: ${JSON.stringify(runs[e][0].counts)}`)
      if (diffs.length) {
        const tail = (s: string) => s.split('\n').slice(-60).join('\n')
        console.log(
          `--- ${title}: ${diffs.length} differences\n${diffs.join('\n')}\n--- tsplay output (round 1, ` +
            `tail):\n${tail(runs.tsplay[0].output)}\n--- ansible (round 1, tail):\n${tail(runs.ansible[0].output)}`,
        )
      }
      expect(diffs).toEqual([])
    }
    if (g.pending) it.fails(`${title} — expected to differ until ${g.pending}`, body, 1_800_000)
    else it(title, body, 1_800_000)
  }
})
