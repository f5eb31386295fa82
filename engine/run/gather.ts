/**
 * A play's fact gathering, as Ansible's implicit "Gathering Facts" task: every host's facts in one round trip each,
 * as the user the play becomes (its `become`, `become_user`, `become_method` and the become variables, as a task
 * without keywords of its own: `ansible_user_id` is `root` under `become: true`). Its arguments are those Ansible
 * gives it: the play's `gather_subset` and `fact_path` over `gather_facts`' and `setup`'s `module_defaults` (also
 * those a template gives whole), rendered per host; their `filter` (fnmatch patterns, `ansible_` prefix optional)
 * keeps only the matching `ansible_*` facts, over those gathered before. `gather_timeout` is accepted: it bounds
 * each of Ansible's fact collectors, and tsplay's one fact script has none that can hang (`hostname -f` is bounded
 * on its own). A host fails its gathering
 * (counted failed, as a failed task) when they cannot be rendered, when the subset names a fact set setup does not
 * know, when it cannot become the user, or when the facts cannot be read; a host that cannot be reached is
 * unreachable.
 *
 * @example
 * ```yaml
 * - hosts: all
 *   become: true                                 # facts gathered as root
 *   module_defaults:
 *     setup: { gather_subset: "{{ subset }}", filter: ["distribution*"] }   # per host
 * ```
 */
import { toList } from '../../modules/lib/argvalues.js'
import type { RunOptions } from '../connector.js'
import { HostError, UserError } from '../errors.js'
import { gatherFacts } from '../facts.js'
import { collectorsFor } from '../factsubset.js'
import { evalCondition } from '../expr.js'
import { renderValue } from '../template.js'
import type { Command, TaskResult, Vars } from '../types.js'
import { becomeOf } from './become-vars.js'
import { NO_INHERITED, type RunContext } from './context.js'
import { hostConnector } from './delegate.js'
import { count } from './dispatch.js'
import { keepFacts } from './keepfacts.js'
import { taskVars } from './hostvars.js'
import { mapLimit } from './limit.js'
import { gatherArgsIn } from '../load/playextras.js'
import { renderedEntry, templatedAt } from '../load/templateddefaults.js'

interface GatherArgs {
  subset?: unknown
  factPath?: string
  filter: string[]
}

const NAME = 'Gathering Facts'

/** Gather the facts of `hosts` (up to `--forks` at once), counting each host's result in the recap. */
export async function gather(rc: RunContext, playName: string, hosts: string[]): Promise<void> {
  rc.bus.emit({ type: 'task.start', play: playName, task: NAME, hosts, handler: false })
  await mapLimit(hosts, rc.opts.forks, async (host) => {
    const r = await gatherOne(rc, host)
    count(rc, r) // the one recap counter
    if (r.status === 'failed') rc.states.get(host)!.failed = true
    rc.bus.emit({ type: 'task.result', play: playName, task: NAME, host, result: r, handler: false })
  })
  rc.bus.emit({ type: 'task.end', play: playName, task: NAME })
}

async function gatherOne(rc: RunContext, host: string): Promise<TaskResult> {
  const st = rc.states.get(host)!
  const failed = (msg: string): TaskResult => ({ status: 'failed', host, msg, ignored: false, data: {} })
  const vars = taskVars(rc, host, NO_INHERITED, undefined)
  let args: GatherArgs
  let how: RunOptions
  try {
    // a play an import_playbook with `when` brought in: its conditions decide the gathering too, as Ansible's
    if (!rc.play.when.every((c) => evalCondition(c, vars))) {
      const reason = 'Conditional result was False'
      return { status: 'skipped', host, reason, data: { skipped: true, changed: false, skip_reason: reason } }
    }
    args = gatherArgs(rc, vars)
    how = playBecome(rc, vars)
  } catch (e) {
    if (e instanceof UserError) return failed(e.format())
    throw e
  }
  try {
    const conn = await hostConnector(rc, host, vars)
    // as Ansible's setup: the host is reached first, then its arguments are checked
    const subset = collectorsFor(args.subset)
    if ('error' in subset) return failed(subset.error)
    const runner = { run: (cmd: Command) => conn.run(cmd, { ...how, signal: rc.signal }) }
    const facts = await gatherFacts(runner, args.factPath, subset).catch((e: unknown) =>
      e instanceof HostError ? Promise.reject(e) : String(e instanceof Error ? e.message : e),
    )
    if (typeof facts === 'string') return failed(facts)
    keepFacts(st, facts, args.filter)
    return { status: 'ok', host, data: {} }
  } catch (e) {
    if (!(e instanceof HostError)) throw e
    if (e.kind === 'sudo' || e.kind === 'timeout') return failed(e.message)
    rc.pool.markUnreachable(host, e.message)
    return { status: 'unreachable', host, msg: e.message, data: {} }
  }
}

/** How the play's hosts become another user (its keywords over the become variables `vars`). Throws `UserError`. */
function playBecome(rc: RunContext, vars: Vars): RunOptions {
  const { become, becomeUser, becomeMethod, becomeFlags, becomeExe } = rc.play
  const { user, method } = becomeOf({ become, becomeUser, becomeMethod, becomeFlags, becomeExe }, vars)
  return user === undefined ? {} : { becomeUser: user, becomeMethod: method }
}

/** The gathering's subset, fact path and filter for one host (its variables `vars`). Throws `UserError`. */
function gatherArgs(rc: RunContext, vars: Vars): GatherArgs {
  const what = { pos: rc.play.pos, what: 'the arguments of fact gathering' }
  let a: { gather_subset?: unknown; fact_path?: unknown; filter?: unknown } = {}
  for (const { from, args } of rc.play.gatherArgs ?? []) {
    // an entry a template gives is rendered whole (its values are not rendered again); others value by value
    const given = from !== 'play' && templatedAt(args) ? gatherArgsIn(renderedEntry(from, args, vars)) : undefined
    a = { ...a, ...(given ?? (renderValue(args, vars, what) as Record<string, unknown>)) }
  }
  const factPath = rc.play.factPath ?? (a.fact_path == null ? undefined : String(a.fact_path))
  const f = a.filter
  return {
    subset: a.gather_subset,
    factPath,
    filter: f == null ? [] : toList(Array.isArray(f) ? f.map(String) : String(f)),
  }
}
