/**
 * An `include_tasks` handler: the include runs for the hosts that notified it, then what it loaded, task by task
 * in lockstep (as the play's linear strategy), each task reported as a handler. A host that fails in it stops
 * there; its result for the handler is that failure (so it is settled as a failed handler).
 *
 * @example
 * ```ts
 * const results = await runIncludeHandler(rc, 'site', hd, ['web1', 'web2']) // the include's own results
 * ```
 */
import type { Task } from '../ast.js'
import type { TaskResult } from '../types.js'
import { NO_INHERITED, type RunContext } from './context.js'
import { runTask } from './dispatch.js'
import { numberTasks, walk, type Step, type WalkEnd } from './walk.js'

type Walker = { gen: Generator<Step, WalkEnd, TaskResult>; step?: Step }

/** Run handler `hd` (which has a `handlerBlock`) on `hosts`; per host: the include's result, or what ended it. */
export async function runIncludeHandler(
  rc: RunContext,
  playName: string,
  hd: Task,
  hosts: string[],
): Promise<Map<string, TaskResult>> {
  const block = hd.handlerBlock!
  const seq = numberTasks([block])
  const filter = { tags: [], skipTags: [] }
  const walkers = new Map<string, Walker>()
  for (const h of hosts) {
    const gen = walk([block], NO_INHERITED, seq, filter, { rescued: () => undefined })
    const first = gen.next()
    walkers.set(h, { gen, step: first.done ? undefined : first.value })
  }
  const own = new Map<string, TaskResult>()
  while (!rc.stopping.requested && !rc.run.ended) {
    const pending = [...walkers].filter(([h, w]) => w.step && !rc.ended.has(h))
    if (pending.length === 0) break
    const minSeq = Math.min(...pending.map(([, w]) => w.step!.seq))
    const task = pending.find(([, w]) => w.step!.seq === minSeq)![1].step!.task
    const group = pending.filter(([, w]) => w.step!.seq === minSeq && w.step!.task === task)
    const inhOf = (h: string) => walkers.get(h)!.step!.inh
    const results = await runTask(
      rc,
      playName,
      task,
      inhOf,
      group.map(([h]) => h),
      true,
    )
    for (const [h, w] of group) {
      const r = results.get(h)!
      const next = w.gen.next(r)
      w.step = next.done ? undefined : next.value
      if (task === hd || (next.done && next.value)) own.set(h, r)
    }
  }
  return own
}
