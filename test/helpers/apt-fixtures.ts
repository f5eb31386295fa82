/**
 * What the `apt` module's unit tests read on a host: `apt-cache policy` and `dpkg-query` output captured on Debian
 * bookworm, the facts gather makes of them, and the `apt-get` words every change starts with.
 *
 * @example
 * ```ts
 * planOf(apt, aptFacts({ autoremovable: ['x'] }), args, testCtx()) // argv: [[...APT_GET, 'install', …]]
 * ```
 */
import { expect } from 'vitest'
import apt, { type AptState } from '../../modules/apt.js'
import { parseAptPolicy, parseDpkgQuery } from '../../modules/lib/apt-state.js'
import { planOf, playbookArgs, testCtx } from './module-ctx.js'

// Real output captured on Debian bookworm.
export const POLICY = `git:
  Installed: 1:2.39.5-0+deb12u2
  Candidate: 1:2.39.5-0+deb12u3
  Version table:
     1:2.39.5-0+deb12u3 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
 *** 1:2.39.5-0+deb12u2 100
        100 /var/lib/dpkg/status
make:
  Installed: (none)
  Candidate: 4.3-4.1
  Version table:
     4.3-4.1 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
bash:
  Installed: 5.2.15-2+b8
  Candidate: 5.2.15-2+b8
  Version table:
 *** 5.2.15-2+b8 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
        100 /var/lib/dpkg/status
mail-transport-agent:
  Installed: (none)
  Candidate: (none)
  Version table:
`
export const DPKG = 'bash\tii \t5.2.15-2+b8\ngit\tii \t1:2.39.5-0+deb12u2\nvim\trc \t2:9.0.1378-2\n'

/** The facts gather makes of `POLICY` and `DPKG`, with `over` on top. */
export const aptFacts = (over: Partial<AptState> = {}): AptState => ({
  dpkg: Object.fromEntries(parseDpkgQuery(DPKG)),
  policy: Object.fromEntries(parseAptPolicy(POLICY)),
  autoremovable: [],
  ...over,
})

/** The words every `apt-get` change starts with (written out here, not taken from the module under test). */
export const APT_GET = [
  'apt-get',
  '-y',
  '-q',
  '-o',
  'DPkg::Lock::Timeout=600',
  '-o',
  'Dpkg::Options::=--force-confdef',
  '-o',
  'Dpkg::Options::=--force-confold',
]

/** A plan table row: name, the task's arguments, facts over `aptFacts`, and the commands, changes or failure wanted. */
export type AptRow = [
  string,
  Record<string, unknown>,
  Partial<AptState>,
  { argv?: string[][]; changes?: string[]; fail?: RegExp; changed?: boolean },
]

/** Check one `AptRow`: apt's plan for the arguments (defaults filled in) on those facts. */
export function expectAptPlan(...[, args, over, want]: AptRow): void {
  const plan = planOf(apt, aptFacts(over), playbookArgs(apt, args) as never, testCtx())
  if (want.fail) return void expect(plan.fail).toMatch(want.fail)
  expect(plan.fail).toBeUndefined()
  expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
  for (const c of plan.commands) expect(c.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' })
  if (want.changes) expect(plan.changes).toEqual(want.changes)
  if (want.changed !== undefined) expect(plan.changed ?? plan.commands.length > 0).toBe(want.changed)
}
