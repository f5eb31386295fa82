/**
 * `meta:` tasks, run by the scheduler for the hosts that reached them (modules/meta.ts lists the actions). Like
 * Ansible, meta tasks are not counted in the recap; an explicit one shows as a task with one line per host, the
 * implicit flush points between a play's sections show nothing but the handlers they run.
 */
import type { Task } from '../ast.js'
import { UserError } from '../errors.js'
import { evalCondition } from '../expr.js'
import type { TaskResult } from '../types.js'
import type { Inherited, RunContext } from './context.js'
import { displayName } from './dispatch.js'
import { flush } from './handlers.js'
import { taskVars } from './hostvars.js'

/** What a meta task asks of the scheduler beyond the hosts it ran on. */
export type MetaEffect = 'none' | 'end_play' | 'end_batch'

const DONE: Record<string, string> = {
  flush_handlers: 'ran the notified handlers',
  end_play: 'ending the play',
  end_host: 'ending the play for this host',
  end_batch: 'ending the batch',
  clear_host_errors: 'cleared host errors',
  clear_facts: 'cleared the facts',
  reset_connection: 'reset the connection',
  noop: 'noop',
  refresh_inventory: 'the inventory is read once per run: nothing to refresh',
}

/** Run meta `task` for `hosts`; returns per-host results (for the walks) and the effect on the play. */
export async function runMeta(
  rc: RunContext,
  playName: string,
  task: Task,
  inh: Inherited,
  hosts: string[],
  due: (hd: Task) => boolean,
): Promise<{ results: Map<string, TaskResult>; effect: MetaEffect }> {
  const action = String(task.args.action)
  const results = new Map<string, TaskResult>()
  const applies: string[] = []
  for (const host of hosts) {
    try {
      const vars = taskVars(rc, host, inh, task)
      const on = [...inh.when, ...task.when].every((c) => evalCondition(c, vars))
      if (on) applies.push(host)
      const msg = on ? DONE[action] : 'Conditional result was False'
      results.set(
        host,
        on
          ? { status: 'ok', host, msg, data: { msg } }
          : { status: 'skipped', host, reason: msg, data: { skipped: true, changed: false } },
      )
    } catch (e) {
      const msg = e instanceof UserError ? e.format() : (e as Error).message
      results.set(host, { status: 'failed', host, msg, ignored: false, data: { failed: true, msg } })
      rc.states.get(host)!.recap.failed++
    }
  }
  const name = displayName(rc, task, inh, hosts[0])
  if (!task.implicit) {
    rc.bus.emit({ type: 'task.start', play: playName, task: name, hosts, handler: false })
    for (const r of results.values())
      rc.bus.emit({ type: 'task.result', play: playName, task: name, host: r.host, result: r, handler: false })
    rc.bus.emit({ type: 'task.end', play: playName, task: name })
  }
  if (applies.length === 0) return { results, effect: 'none' }
  switch (action) {
    case 'flush_handlers':
      await flush(rc, playName, applies, due)
      break
    case 'end_play':
      return { results, effect: 'end_play' }
    case 'end_batch':
      return { results, effect: 'end_batch' }
    case 'end_host':
      applies.forEach((h) => rc.ended.add(h))
      break
    case 'clear_host_errors':
      for (const h of rc.playHosts) {
        const st = rc.states.get(h)!
        st.failed = false
        if (st.unreachable) rc.pool.forget(h)
        st.unreachable = false
        rc.pool.clearUnreachable(h)
      }
      break
    case 'clear_facts':
      for (const h of applies) {
        const st = rc.states.get(h)!
        st.facts = undefined
        st.factVars = {}
      }
      break
    case 'reset_connection':
      applies.forEach((h) => rc.pool.forget(h))
      break
    case 'refresh_inventory':
      rc.bus.emit({
        type: 'warning',
        msg:
          `meta: refresh_inventory does nothing in tsplay (${task.pos.file}:${task.pos.line}): the ` +
          `inventory is read once per run`,
      })
      break
  }
  return { results, effect: 'none' }
}
