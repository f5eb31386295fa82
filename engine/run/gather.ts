/**
 * A play's fact gathering, as Ansible's implicit "Gathering Facts" task: every host's facts in one round trip each.
 * Its arguments are those Ansible gives it: the play's `gather_subset` and `fact_path` over `gather_facts`' and
 * `setup`'s `module_defaults`, rendered per host. A host fails its gathering (counted failed, as a failed task) when
 * they cannot be rendered, when the subset names a fact set setup does not know, or when the facts cannot be read;
 * a host that cannot be reached is unreachable.
 *
 * @example
 * ```yaml
 * - hosts: all
 *   module_defaults:
 *     setup: { gather_subset: "{{ subset }}" }   # per host
 * ```
 */
import { HostError, UserError } from '../errors.js'
import { factsToVars, gatherFacts, subsetError, withModuleFacts } from '../facts.js'
import { markUnsafe, renderValue } from '../template.js'
import type { TaskResult, Vars } from '../types.js'
import { NO_INHERITED, type RunContext } from './context.js'
import { hostConnector } from './delegate.js'
import { count } from './dispatch.js'
import { taskVars } from './hostvars.js'
import { mapLimit } from './limit.js'

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
  let args: { subset?: unknown; factPath?: string }
  try {
    args = gatherArgs(rc, vars)
  } catch (e) {
    if (e instanceof UserError) return failed(e.format())
    throw e
  }
  try {
    const conn = await hostConnector(rc, host, vars)
    // as Ansible's setup: the host is reached first, then its arguments are checked
    const bad = subsetError(args.subset)
    if (bad) return failed(bad)
    const facts = await gatherFacts(conn, args.factPath).catch((e: unknown) =>
      e instanceof HostError ? Promise.reject(e) : String(e instanceof Error ? e.message : e),
    )
    if (typeof facts === 'string') return failed(facts)
    st.facts = facts
    st.factVars = markUnsafe(withModuleFacts(factsToVars(st.facts), st.moduleFacts))
    return { status: 'ok', host, data: {} }
  } catch (e) {
    if (!(e instanceof HostError)) throw e
    if (e.kind === 'sudo' || e.kind === 'timeout') return failed(e.message)
    rc.pool.markUnreachable(host, e.message)
    return { status: 'unreachable', host, msg: e.message, data: {} }
  }
}

/** The gathering's subset and fact path for one host (its variables `vars`). Throws `UserError` when rendering. */
function gatherArgs(rc: RunContext, vars: Vars): { subset?: unknown; factPath?: string } {
  const given = rc.play.gatherArgs
  const a = (given ? renderValue(given, vars, { pos: rc.play.pos, what: 'the arguments of fact gathering' }) : {}) as {
    gather_subset?: unknown
    fact_path?: unknown
  }
  const factPath = rc.play.factPath ?? (a.fact_path == null ? undefined : String(a.fact_path))
  return { subset: a.gather_subset, factPath }
}
