/**
 * Flushing handlers, as Ansible does: after `pre_tasks`, after roles+`tasks`, after `post_tasks` and at each
 * `meta: flush_handlers`. Each notified handler runs once, in the order the handlers are defined, on the hosts
 * that notified it and reached this flush (a handler notifying another one later in the list runs in the same
 * flush). A failed host's handlers are dropped unless `force_handlers` (play) or `--force-handlers` is set —
 * dropped in this run only: their records on the host carry them into the next run (engine/run/notify.ts).
 *
 * A carried handler (notified by an earlier run) joins the queue at the first flush after every task that can
 * notify it, so the configuration it applies is the one this run wrote. Under `--check` it is not run: it is
 * reported as a predicted change.
 */
import type { Task } from '../ast.js'
import type { TaskResult } from '../types.js'
import { NO_INHERITED, type RunContext } from './context.js'
import { count, displayName, runTask } from './dispatch.js'
import { handlerDone } from './notify.js'
import { runIncludeHandler } from './handlerinclude.js'

/** Are failed hosts' handlers run in this play? */
export function forced(rc: RunContext): boolean {
  return rc.opts.forceHandlers === true || rc.play.forceHandlers === true
}

/** May host `h` run its notified handlers now? */
function eligible(rc: RunContext, h: string): boolean {
  const st = rc.states.get(h)!
  if (st.unreachable || rc.ended.has(h)) return false
  return !st.failed || forced(rc)
}

/**
 * Run the notified handlers of `hosts`. `due(hd)`: may a carried notification of `hd` join at this flush?
 */
export async function flush(
  rc: RunContext,
  playName: string,
  hosts: readonly string[],
  due: (hd: Task) => boolean,
): Promise<void> {
  const here = new Set(hosts)
  await carryIn(rc, playName, here, due)
  for (let pass = 0; pass < 10 && !rc.stopping.requested && !rc.run.ended; pass++) {
    let ran = false
    for (const hd of rc.play.handlers) {
      const queued = rc.notified.get(hd)
      if (!queued) continue
      const targets = [...queued].filter((h) => here.has(h) && eligible(rc, h))
      targets.forEach((h) => queued.delete(h))
      if (targets.length === 0 || rc.stopping.requested) continue
      ran = true
      const results = hd.handlerBlock
        ? await runIncludeHandler(rc, playName, hd, targets)
        : await runTask(rc, playName, hd, NO_INHERITED, targets, true)
      await settle(rc, playName, hd, results)
    }
    if (!ran) break
  }
}

/** After a handler: failed hosts stop; hosts where it ran lose its pending record. */
async function settle(rc: RunContext, playName: string, hd: Task, results: Map<string, TaskResult>): Promise<void> {
  for (const [h, r] of results) {
    if (r.status === 'failed' && !r.ignored) rc.states.get(h)!.failed = true
    if (r.status === 'unreachable' || (r.status === 'failed' && !r.ignored)) continue
    await handlerDone(rc, playName, hd, h)
  }
}

/** Carried notifications that are due join the queue; under --check they are reported, not run. */
async function carryIn(rc: RunContext, playName: string, here: Set<string>, due: (hd: Task) => boolean): Promise<void> {
  for (const hd of rc.play.handlers) {
    const carried = rc.carried.get(hd)
    if (!carried || !due(hd)) continue
    const hosts = [...carried].filter((h) => here.has(h) && eligible(rc, h))
    if (hosts.length === 0) continue
    hosts.forEach((h) => carried.delete(h))
    if (!rc.opts.check) {
      let set = rc.notified.get(hd)
      if (!set) rc.notified.set(hd, (set = new Set()))
      hosts.forEach((h) => set.add(h))
      continue
    }
    // --check: the handler is predicted as changed without running, unless this run notified it too.
    const predicted = hosts.filter((h) => !rc.notified.get(hd)?.has(h))
    if (predicted.length === 0) continue
    const name = displayName(rc, hd, NO_INHERITED, predicted[0])
    rc.bus.emit({ type: 'task.start', play: playName, task: name, hosts: predicted, handler: true })
    for (const host of predicted) {
      const msg = 'pending from an earlier run that did not run it: would run'
      const r: TaskResult = { status: 'changed', host, msg, data: { changed: true, pending: true, msg } }
      count(rc, r)
      rc.bus.emit({ type: 'task.result', play: playName, task: name, host, result: r, handler: true })
    }
    rc.bus.emit({ type: 'task.end', play: playName, task: name })
  }
}
