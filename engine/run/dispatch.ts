/**
 * One task (or handler) on a group of hosts: its display name, the events around it, the recap counts, and the
 * handlers its changed results notify (queued, and recorded on the hosts: engine/run/notify.ts).
 */
import type { Task } from '../ast.js'
import { renderString } from '../template.js'
import type { TaskResult } from '../types.js'
import type { Inherited, RunContext } from './context.js'
import { refreshActive, taskVars } from './hostvars.js'
import type { TaskLog } from './hosts.js'
import { mapLimit, throttled } from './limit.js'
import { renderBool, renderWholeNumber } from './keyword.js'
import { UserError } from '../errors.js'
import { newLoadContext } from '../load/context.js'
import { taskName } from './names.js'
import { queueNotified } from './notify.js'
import { recordStats } from './stats.js'
import { registered, runTaskOnHost } from './task.js'

/** A task's name, rendered with the first host's variables when it holds a template (as Ansible does). */
export function displayName(rc: RunContext, task: Task, inh: Inherited, host: string | undefined): string {
  const raw = taskName(task)
  if (!raw.includes('{{') || !host) return raw
  try {
    return renderString(raw, taskVars(rc, host, inh, task))
  } catch {
    return raw
  }
}

/** Can the host still run tasks (not failed, not unreachable)? */
export function usable(rc: RunContext, h: string): boolean {
  const st = rc.states.get(h)!
  return !st.failed && !st.unreachable
}

/** Run one task on a group of hosts; emits events, counts the recap, queues notifications. */
export async function runTask(
  rc: RunContext,
  playName: string,
  task: Task,
  inhIn: Inherited | ((host: string) => Inherited),
  hosts: string[],
  handler: boolean,
): Promise<Map<string, TaskResult>> {
  const inhOf = typeof inhIn === 'function' ? inhIn : () => inhIn // per host: loop items of includes, rescue variables
  refreshActive(rc)
  const name = displayName(rc, task, inhOf(hosts[0]), hosts[0])
  const keyword = runOnce(rc, task, inhOf, hosts)
  const once = keyword || rc.modules.get(moduleName(rc, task, inhOf, hosts))?.runOnce === true
  const targets = once ? hosts.slice(0, 1) : hosts
  rc.bus.emit({ type: 'task.start', play: playName, task: name, hosts: targets, handler })
  const out = new Map<string, TaskResult>()
  await mapLimit(targets, rc.opts.forks, async (host) => {
    rc.bus.emit({ type: 'host.start', play: playName, task: name, host })
    const log: TaskLog = (line: string, level = 1) => {
      if (rc.bus.wants(level)) rc.bus.emit({ type: 'host.log', play: playName, task: name, host, line, level })
    }
    log.wants = (level) => rc.bus.wants(level)
    const limit = throttleOf(rc, task, host, inhOf(host))
    const r =
      typeof limit !== 'number'
        ? limit
        : limit > 0
          ? await throttled(task, limit, () => runTaskOnHost(rc, task, inhOf(host), host, log))
          : await runTaskOnHost(rc, task, inhOf(host), host, log)
    if (r.status === 'unreachable' && ignoresUnreachable(rc, task, host, inhOf(host))) {
      r.ignored = true // Ansible counts it ok and ignored; the host stays and later tasks try it again
      rc.pool.clearUnreachable(host)
    }
    const notified = queueNotified(rc, playName, task, r)
    if (notified) await notified
    count(rc, r, task)
    recordStats(rc, task, r, keyword ? hosts : [host]) // set_stats: per host, every host under run_once
    rc.bus.emit({ type: 'task.result', play: playName, task: name, host: r.host, result: r, handler })
    out.set(host, r)
  })
  if (once && hosts.length > 1) {
    // a module that bypasses the host loop (add_host, pause) is not run_once: as in Ansible, only the run_once
    // keyword registers its result on every host; otherwise the first host alone has it
    const r = out.get(hosts[0])!
    // set_fact/include_vars under run_once set their variables on every host, as in Ansible
    const facts = ['set_fact', 'include_vars'].includes(r.module ?? task.module) ? r.data.ansible_facts : undefined
    for (const h of hosts.slice(1)) {
      if (task.register && keyword) rc.states.get(h)!.runVars[task.register] = registered(r.data)
      if (facts && typeof facts === 'object') Object.assign(rc.states.get(h)!.runVars, facts)
      out.set(h, { ...r, host: h })
    }
  }
  rc.bus.emit({ type: 'task.end', play: playName, task: name })
  return out
}

/**
 * `run_once`: as written, or its template rendered with the first host's variables (as Ansible's linear strategy);
 * a template that cannot be rendered there counts as false, and each host's run of the task reports the error.
 */
function runOnce(rc: RunContext, task: Task, inhOf: (host: string) => Inherited, hosts: string[]): boolean {
  if (typeof task.runOnce !== 'string') return task.runOnce === true
  if (!hosts.length) return false
  try {
    return renderBool(task.runOnce, taskVars(rc, hosts[0], inhOf(hosts[0]), task), 'run_once')
  } catch (e) {
    if (e instanceof UserError) return false
    throw e
  }
}

/**
 * The module a task runs, for choosing how it runs (`add_host` once for all hosts): a module a template names is
 * rendered with the first host's variables, as Ansible's linear strategy decides; one that does not render is
 * chosen, and its error reported, on each host.
 */
function moduleName(rc: RunContext, task: Task, inhOf: (host: string) => Inherited, hosts: string[]): string {
  if (!task.moduleTemplate || !task.module.includes('{{') || !hosts.length) return task.module
  try {
    const name = renderString(task.module, taskVars(rc, hosts[0], inhOf(hosts[0]), task)).trim()
    return newLoadContext(rc.modules, rc.playbook.dir).spellings.get(name) ?? name
  } catch (e) {
    if (e instanceof UserError) return task.module
    throw e
  }
}

/**
 * `throttle`: the task's (a template rendered with the host's variables, as Ansible's), else the play's; the smaller
 * when both are set (0: no limit). A template that gives no whole number fails the task on that host.
 */
function throttleOf(rc: RunContext, task: Task, host: string, inh: Inherited): number | TaskResult {
  let own = task.throttle
  if (typeof own === 'string') {
    try {
      own = renderWholeNumber(own, taskVars(rc, host, inh, task), 'throttle', task.pos)
    } catch (e) {
      if (!(e instanceof UserError)) throw e
      const msg = e.format()
      return { status: 'failed', host, msg, ignored: false, data: { failed: true, msg } }
    }
  }
  // the play's, a template, was rendered before the play
  const set = [own, rc.play.throttle].filter((n): n is number => typeof n === 'number' && n > 0)
  return set.length ? Math.min(...set) : 0
}

/** `ignore_unreachable` of the task (else the play's), a template rendered with the host's variables. */
function ignoresUnreachable(rc: RunContext, task: Task, host: string, inh: Inherited): boolean {
  const v = task.ignoreUnreachable ?? rc.play.ignoreUnreachable
  if (typeof v !== 'string') return v === true
  try {
    return renderBool(v, taskVars(rc, host, inh, task), 'ignore_unreachable')
  } catch (e) {
    if (e instanceof UserError) return false // as unset: the host stays unreachable
    throw e
  }
}

/** Count a result in its host's recap (a changed result is also ok, as Ansible's). */
export function count(rc: RunContext, r: TaskResult, task?: Task): void {
  const st = rc.states.get(r.host)!
  const c = st.recap
  switch (r.status) {
    case 'ok':
      c.ok += task?.module === 'include_tasks' && typeof r.data.included === 'number' ? r.data.included : 1
      break // a looped include: one per item
    case 'changed':
      c.ok++
      c.changed++
      break
    case 'skipped':
      c.skipped++
      break
    case 'unreachable':
      if (r.ignored) {
        c.ok++
        c.ignored++
        break
      }
      c.unreachable++
      st.unreachable = true
      break
    case 'failed':
      if (r.ignored) {
        c.ok++
        c.ignored++
        if (r.data.changed === true) c.changed++
      } else c.failed++ // as Ansible counts an ignored change
      break
  }
}
