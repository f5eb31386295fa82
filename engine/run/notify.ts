/**
 * Notifications: which handlers a `notify` reaches (by name, as `role : name`, or by a `listen` topic), the queue
 * of notified handlers per host, and their records on the hosts (engine/run/pending.ts): written when a real change
 * notifies, read at a play's start (a record found is "carried" into this run), removed once the handler ran.
 */
import type { Play, Task, TaskNode } from '../ast.js'
import { HostError, UserError } from '../errors.js'
import type { Command, TaskResult } from '../types.js'
import { NO_INHERITED, type RunContext } from './context.js'
import { hostConnector } from './delegate.js'
import { taskVars } from './hostvars.js'
import { mapLimit } from './limit.js'
import { taskName } from './names.js'
import { becomeUserOf, renderBool } from './keyword.js'
import { becomeMethodOf } from '../load/become.js'
import type { BecomeMethod } from '../connector.js'
import { listRecords, recordBody, recordId, removeRecords, writeRecords } from './pending.js'
import { renderString } from '../template.js'

/** Is handler `hd` named `name` (its `name`, rendered when a template, or `role : name` for a role's)? */
const named = (hd: Task, name: string): boolean => {
  const own = hd.notifyName ?? hd.name
  return own !== undefined && (own === name || (hd.role !== undefined && `${hd.role} : ${own}` === name))
}

/** Does handler `hd` listen to topic `name` (its `listen`, which the loader starts with the handler's own name)? */
const listens = (hd: Task, name: string): boolean =>
  (hd.name === undefined ? hd.listen : hd.listen?.slice(1))?.includes(name) === true

/**
 * The handlers a task's `notify` reaches, in definition order, as Ansible 2.14 finds them: every handler listening to
 * the name, and one handler named so, the last one loaded (the play's own over a role's, a later role entry's over an
 * earlier one's); a task of an `include_role`'s role reaches its own role instance's, loaded when the include ran.
 */
export function handlersFor(play: Play, task: Task, names: readonly string[] = task.notify): Task[] {
  const hit = new Set<Task>()
  for (const n of names) {
    for (const hd of play.handlers) if (listens(hd, n)) hit.add(hd)
    const all = play.handlers.filter((hd) => named(hd, n))
    const own = all.filter(
      (hd) => hd.loadedAtRun && task.roleInstance !== undefined && hd.roleInstance === task.roleInstance,
    )
    const pick = own.at(-1) ?? all.filter((hd) => !hd.loadedAtRun).at(-1) ?? all.at(-1)
    if (pick) hit.add(pick)
  }
  return play.handlers.filter((hd) => hit.has(hd))
}

/** For each handler: the document order of the last task that can notify it (-1: none). */
export function lastNotifier(play: Play, nodes: readonly TaskNode[], seq: Map<Task, number>): Map<Task, number> {
  const out = new Map<Task, number>(play.handlers.map((hd) => [hd, -1]))
  const visit = (n: TaskNode): void => {
    if (n.kind === 'block') return [...n.block, ...n.rescue, ...n.always].forEach(visit)
    for (const hd of handlersFor(play, n)) out.set(hd, Math.max(out.get(hd)!, seq.get(n) ?? -1))
  }
  nodes.forEach(visit)
  return out
}

function add(map: Map<Task, Set<string>>, hd: Task, host: string): void {
  let set = map.get(hd)
  if (!set) map.set(hd, (set = new Set()))
  set.add(host)
}

/** The user a handler becomes, and how. */
interface Owner {
  user: string
  method: BecomeMethod
}

/** Owners once each (as a map key: the same user and method are one owner). */
function distinct(owners: Array<Owner | undefined>): Array<Owner | undefined> {
  return [...new Map(owners.map((o) => [JSON.stringify(o ?? null), o])).values()]
}

/**
 * Who a handler's records on `host` belong to: the user the handler becomes there (undefined: the login user, also
 * when its templated become cannot be rendered yet; running the handler reports that).
 */
function owner(rc: RunContext, hd: Task, host: string): Owner | undefined {
  const become = hd.become ?? rc.play.become
  const user = hd.becomeUser ?? rc.play.becomeUser
  // the host's variables (every layer merged, vars files read) only when a template reads them
  const templated = typeof become === 'string' || user?.includes('{{') === true
  try {
    const who = becomeUserOf(become, user, templated ? taskVars(rc, host, NO_INHERITED, hd) : {})
    if (who === undefined) return undefined
    const p = rc.play
    const method = becomeMethodOf(
      hd.becomeMethod ?? p.becomeMethod,
      hd.becomeFlags ?? p.becomeFlags,
      hd.becomeExe ?? p.becomeExe,
    )
    return { user: who, method }
  } catch (e) {
    if (e instanceof UserError) return undefined
    throw e
  }
}

async function onHost(
  rc: RunContext,
  host: string,
  user: Owner | undefined,
  cmd: (dir: string) => Command,
): Promise<string> {
  const vars = taskVars(rc, host, NO_INHERITED, undefined)
  const dir = typeof vars.tsplay_state_dir === 'string' ? vars.tsplay_state_dir : ''
  const conn = await hostConnector(rc, host, vars)
  const r = await conn.run(cmd(dir), { becomeUser: user?.user, becomeMethod: user?.method, signal: rc.signal })
  if (r.rc !== 0) throw new Error(r.stderr.trim() || `exit ${r.rc}`)
  return r.stdout
}

function warn(rc: RunContext, host: string, what: string, e: unknown): void {
  rc.bus.emit({ type: 'warning', msg: `${host}: could not ${what}: ${e instanceof Error ? e.message : String(e)}` })
}

const templated = (n: string) => n.includes('{{') || n.includes('{%')

/** The task's `notify` names, those that are templates rendered with the host's variables (as Ansible's). */
function notifyNames(rc: RunContext, task: Task, host: string): string[] {
  if (!task.notify.some(templated)) return task.notify
  const vars = taskVars(rc, host, NO_INHERITED, task)
  return task.notify.map((n) => {
    if (!templated(n)) return n
    try {
      return renderString(n, vars).trim()
    } catch (e) {
      if (e instanceof UserError) return n // a name that cannot be rendered reaches only a handler named so
      throw e
    }
  })
}

/**
 * Queue the handlers a changed result notifies; record them on the host unless the change was only predicted.
 * Nothing to notify: undefined at once, no promise (asked for every result of every host).
 */
export function queueNotified(rc: RunContext, playName: string, task: Task, r: TaskResult): Promise<void> | undefined {
  if (r.status !== 'changed' || task.notify.length === 0) return undefined
  return recordNotified(rc, playName, task, r)
}

async function recordNotified(rc: RunContext, playName: string, task: Task, r: TaskResult): Promise<void> {
  const hds = handlersFor(rc.play, task, notifyNames(rc, task, r.host))
  for (const hd of hds) add(rc.notified, hd, r.host)
  // only a real change is recorded: not in check mode (a templated check_mode rendered with the host's variables)
  const cm = task.checkMode ?? rc.opts.check
  if (typeof cm === 'string' ? renderBool(cm, taskVars(rc, r.host, NO_INHERITED, task), 'check_mode') : cm) return
  const st = rc.states.get(r.host)!
  const known = (st.pendingRecords ??= new Set())
  const byOwner = new Map<string, { user: Owner | undefined; records: Array<[string, string]> }>()
  for (const hd of hds) {
    const id = recordId(rc.playbook.file, playName, hd, r.host)
    if (known.has(id)) continue
    const user = owner(rc, hd, r.host) // renders the host's variables: once per handler
    const key = JSON.stringify(user ?? null)
    const entry = byOwner.get(key) ?? { user, records: [] }
    entry.records.push([id, recordBody(rc.playbook.file, playName, taskName(hd), r.host, taskName(task))])
    byOwner.set(key, entry)
  }
  for (const { user, records } of byOwner.values()) {
    try {
      await onHost(rc, r.host, user, (dir) => writeRecords(dir, records))
      records.forEach(([id]) => known.add(id))
    } catch (e) {
      if (e instanceof HostError && e.kind !== 'sudo' && e.kind !== 'timeout') return
      warn(rc, r.host, `record the notified handlers ${records.map(([, b]) => JSON.parse(b).handler).join(', ')}`, e)
    }
  }
}

/** At a play's start: the handlers of this play that an earlier run notified on each host and never ran. */
export async function loadCarried(rc: RunContext, playName: string, hosts: string[]): Promise<void> {
  if (rc.play.handlers.length === 0) return
  await mapLimit(hosts, rc.opts.forks, async (host) => {
    const owners = distinct(rc.play.handlers.map((hd) => owner(rc, hd, host)))
    const st = rc.states.get(host)!
    const found = new Set<string>()
    try {
      for (const user of owners)
        (await onHost(rc, host, user, listRecords))
          .split('\n')
          .filter(Boolean)
          .forEach((f) => found.add(f))
    } catch (e) {
      if (!(e instanceof HostError)) warn(rc, host, 'read its pending handlers', e)
      return
    }
    const carried: string[] = []
    for (const hd of rc.play.handlers) {
      const id = recordId(rc.playbook.file, playName, hd, host)
      if (!found.has(id)) continue
      ;(st.pendingRecords ??= new Set()).add(id)
      add(rc.carried, hd, host)
      carried.push(taskName(hd))
    }
    if (carried.length) {
      rc.bus.emit({
        type: 'warning',
        msg:
          `${host}: ${carried.map((n) => `"${n}"`).join(', ')} notified by an earlier run that did not run ` +
          `${carried.length > 1 ? 'them' : 'it'}: pending, ` +
          `${rc.opts.check ? 'predicted as changed' : 'runs'} after the tasks that notify ` +
          `${carried.length > 1 ? 'them' : 'it'}`,
      })
    }
  })
}

/** A handler ran on a host (ok, changed or skipped): its record, if any, goes. */
export async function handlerDone(rc: RunContext, playName: string, hd: Task, host: string): Promise<void> {
  rc.carried.get(hd)?.delete(host)
  if (rc.opts.check) return
  const known = rc.states.get(host)!.pendingRecords
  const id = recordId(rc.playbook.file, playName, hd, host)
  if (!known?.has(id)) return
  try {
    await onHost(rc, host, owner(rc, hd, host), (dir) => removeRecords(dir, [id]))
    known.delete(id)
  } catch (e) {
    if (!(e instanceof HostError)) warn(rc, host, `remove the pending record of "${taskName(hd)}"`, e)
  }
}
