/**
 * Runs one play: facts, the handlers earlier runs left pending on its hosts, then the tasks in Ansible's linear
 * order (all hosts do a task before the next starts, up to `--forks` at once) or `strategy: free`, with handlers
 * flushed after `pre_tasks`, after roles+`tasks`, after `post_tasks` and at `meta: flush_handlers`. Each host walks
 * the task tree with its own generator (walk.ts), so block/rescue/always follow each host's results.
 *
 * A play that cannot go on ends the whole run, as Ansible's "NO MORE HOSTS LEFT": a failure under
 * `any_errors_fatal`, more than `max_fail_percentage` of a batch failed, or every host of a batch failed.
 */
import type { Play, Task, TaskNode } from '../ast.js'
import { UserError } from '../errors.js'
import { renderValue } from '../template.js'
import type { TaskResult } from '../types.js'
import type { Inherited, RunContext } from './context.js'
import { runTask, usable } from './dispatch.js'
import { gather } from './gather.js'
import { endRun, tooManyFailures } from './failures.js'
import { flush, forced } from './handlers.js'
import { refreshActive } from './hostvars.js'
import { mapLimit } from './limit.js'
import { runMeta, type MetaEffect } from './meta.js'
import { startMatches, taskName } from './names.js'
import { lastNotifier, loadCarried } from './notify.js'
import { prescanSecrets } from './prescan.js'
import { mergeLayers, resolveVars } from './vars.js'
import { numberTasks, tagsSelected, walk, type Step, type WalkEnd } from './walk.js'
import { batches } from './batches.js'
import { ansibleSetting } from './config-read.js'

/** How a batch ended. */
type BatchEnd = 'done' | 'end_play' | 'fatal'

export async function runPlay(rc: RunContext, hosts: string[]): Promise<void> {
  const play = rc.play
  const playName = play.name ?? play.hosts
  rc.playHosts = hosts
  rc.batch = undefined
  rc.batchSize = undefined
  refreshActive(rc)
  prescanSecrets(rc, hosts)
  rc.bus.emit({ type: 'play.start', play: playName, hosts })
  const plan = planOf(play)
  const strategy = strategyOf(rc)
  // `serial`: the whole play (facts, tasks, then handlers) runs batch by batch (percentages of the play's hosts);
  // each batch gathers its own facts, so a batch never reached gathers none. Gathering is the batch's first task,
  // as Ansible's implicit "Gathering Facts": a host that fails it counts among the batch's failures. As in Ansible,
  // the batches are cut over all the play's hosts: one that failed in an earlier play keeps its place (it runs
  // nothing) and counts in its batch's size, not among its failures.
  for (const slots of batches(hosts, play.serial)) {
    if (rc.stopping.requested) break
    const batch = slots.filter((h) => usable(rc, h))
    if (!batch.length) continue
    rc.batch = batch
    rc.batchSize = slots.length
    refreshActive(rc)
    await prepare(rc, playName, batch)
    refreshActive(rc)
    if (rc.stopping.requested || tooManyFailures(rc, playName, batch)) break
    const end =
      strategy === 'free' ? await runFree(rc, playName, plan, batch) : await runLinear(rc, playName, plan, batch)
    if (end === 'fatal' || rc.stopping.requested) break
    // Failed hosts never reach the last flush point: with force_handlers, their handlers run now.
    if (forced(rc)) await flush(rc, playName, batch, () => true)
    if (end === 'end_play') break
    if (batch.length === slots.length && batch.every((h) => !usable(rc, h))) {
      endRun(rc, `every host of play "${playName}" failed`)
      break
    }
  }
  if (rc.run.startsAtTaskIn === rc.play) rc.run.startedAtTask = true
  rc.bus.emit({ type: 'play.end', play: playName })
}

/**
 * The hosts whose facts the play gathers, as Ansible's `gathering` setting says (`ANSIBLE_GATHERING`, ansible.cfg):
 * `implicit` (the default) unless `gather_facts: false`; `explicit` only with `gather_facts: true`; `smart` as
 * implicit, but not a host whose facts were gathered earlier in the run (and not cleared since).
 */
function gatheringHosts(rc: RunContext, batch: string[]): string[] {
  const policy = ansibleSetting('DEFAULT_GATHERING')
  const given = rc.play.gatherFacts
  if (policy === 'explicit' ? given !== true : given === false) return []
  return policy === 'smart' ? batch.filter((h) => rc.states.get(h)?.facts === undefined) : batch
}

/** Facts (when the play gathers them), then the handlers earlier runs left pending on the hosts still usable. */
async function prepare(rc: RunContext, playName: string, batch: string[]): Promise<void> {
  // as Ansible's: the gathering is tagged `always`, or with the play's own tags when it has any
  const gatherTags = rc.play.tags.length ? rc.play.tags : ['always']
  const selected = tagsSelected(gatherTags, { tags: rc.opts.tags, skipTags: rc.opts.skipTags })
  // a play passed over by --start-at-task gathers nothing either, as Ansible's
  const hosts = startAtIn(rc, planOf(rc.play)) === Number.POSITIVE_INFINITY ? [] : gatheringHosts(rc, batch)
  if (hosts.length && selected && !rc.stopping.requested) await gather(rc, playName, hosts)
  const ready = batch.filter((h) => usable(rc, h))
  if (ready.length && !rc.stopping.requested) await loadCarried(rc, playName, ready)
}

/** A play's task list with its flush points, numbered in document order, and when carried handlers are due. */
interface Plan {
  nodes: TaskNode[]
  seq: Map<Task, number>
  /** For each handler: the order of the last task that can notify it. */
  last: Map<Task, number>
}

const plans = new WeakMap<Play, Plan>()

function flushPoint(play: Play): Task {
  return {
    kind: 'task',
    module: 'meta',
    args: { action: 'flush_handlers' },
    argsPos: play.pos,
    pos: play.pos,
    when: [],
    tags: [],
    vars: {},
    notify: [],
    loopVar: 'item',
    searchPaths: [],
    implicit: true,
  }
}

function planOf(play: Play): Plan {
  let p = plans.get(play)
  if (p) return p
  const { pre, main } = play.sections ?? { pre: 0, main: play.tasks.length }
  const t = play.tasks
  const nodes = [
    ...t.slice(0, pre),
    flushPoint(play),
    ...t.slice(pre, pre + main),
    flushPoint(play),
    ...t.slice(pre + main),
    flushPoint(play),
  ]
  const seq = numberTasks(nodes)
  plans.set(play, (p = { nodes, seq, last: lastNotifier(play, nodes, seq) }))
  return p
}

type Walker = { gen: Generator<Step, WalkEnd, TaskResult>; step?: Step }

/**
 * `--start-at-task`, as Ansible's: until a play has a task it names (its name, `role : name`, or a glob of either),
 * every play's tasks are passed over (`Infinity`: none runs, nor is gathered); the first play that has one starts
 * there (each of its batches), and the plays after it run whole.
 */
function startAtIn(rc: RunContext, plan: Plan): number | undefined {
  const want = rc.opts.startAtTask
  if (want === undefined || rc.run.startedAtTask) return undefined
  const hit = [...plan.seq].find(([t]) => startMatches(t, want))
  if (hit === undefined) return Number.POSITIVE_INFINITY
  rc.run.startsAtTaskIn = rc.play
  return hit[1]
}

/** Start the walk over the play's tasks of each host of the batch still usable (not failed at gathering). */
function startWalks(rc: RunContext, plan: Plan, batch: string[]): { walkers: Map<string, Walker>; startAt?: number } {
  const play = rc.play
  const startAt = startAtIn(rc, plan)
  const root: Inherited = {
    when: play.when,
    tags: play.tags,
    vars: {},
    noLog: play.noLog,
    ignoreErrors: play.ignoreErrors,
  }
  const filter = { tags: rc.opts.tags, skipTags: rc.opts.skipTags }
  const walkers = new Map<string, Walker>()
  for (const h of batch.filter((x) => usable(rc, x))) {
    const st = rc.states.get(h)!
    const gen = walk(plan.nodes, root, plan.seq, filter, {
      rescued: () => {
        st.recap.failed--
        st.recap.rescued++
      },
    })
    const first = gen.next()
    walkers.set(h, { gen, step: first.done ? undefined : first.value })
  }
  return { walkers, startAt }
}

/** Feed a host's result to its walk; a walk that ends in failure marks the host failed; an ended host stops. */
function advance(rc: RunContext, h: string, w: Walker, r: TaskResult): void {
  if (rc.ended.has(h)) return void (w.step = undefined)
  const next = w.gen.next(r)
  if (next.done) {
    w.step = undefined
    if (next.value) rc.states.get(h)!.failed = true
  } else w.step = next.value
}

/** `--start-at-task` and `--step` decide whether a task runs at all (flush points always run). */
async function selected(rc: RunContext, task: Task, seq: number, startAt: number | undefined): Promise<boolean> {
  if (task.implicit) return true
  if (startAt !== undefined && seq < startAt) return false
  if (!rc.opts.confirm) return true
  const answer = await rc.opts.confirm(taskName(task))
  if (answer === 'continue') rc.opts.confirm = undefined
  return answer !== 'no'
}

/** One step for a group of hosts at the same task: a meta task, a module task, or not selected. */
async function step(
  rc: RunContext,
  playName: string,
  plan: Plan,
  s: Step,
  hosts: string[],
  startAt: number | undefined,
  inhOf: (h: string) => Inherited = () => s.inh,
): Promise<{ results: Map<string, TaskResult>; effect: MetaEffect }> {
  const { task, inh, seq } = s
  if (!(await selected(rc, task, seq, startAt))) {
    const skipped = (h: string): TaskResult => ({ status: 'skipped', host: h, reason: 'not selected to run', data: {} })
    return { results: new Map(hosts.map((h) => [h, skipped(h)])), effect: 'none' }
  }
  if (task.module === 'meta') return runMeta(rc, playName, task, inh, hosts, (hd) => (plan.last.get(hd) ?? -1) < seq)
  return { results: await runTask(rc, playName, task, inhOf, hosts, false), effect: 'none' }
}

/** The play's strategy; a template renders with the play's vars, vars_files and `-e` (as Ansible's). */
function strategyOf(rc: RunContext): 'linear' | 'free' {
  const s = rc.play.strategy
  if (s === 'linear' || s === 'free') return s
  const vars = resolveVars(mergeLayers([rc.play.vars, rc.play.varsFiles, rc.opts.extraVars]))
  const v = String(renderValue(s, vars, { pos: rc.play.pos, what: 'strategy' })).trim()
  if (v === 'linear' || v === 'free') return v
  throw new UserError(`"strategy" must be "linear" or "free", found "${v}" (from "${s}")`, rc.play.pos)
}

/** Ansible's linear strategy: every host does a task before the next starts. */
async function runLinear(rc: RunContext, playName: string, plan: Plan, batch: string[]): Promise<BatchEnd> {
  const { walkers, startAt } = startWalks(rc, plan, batch)
  while (!rc.stopping.requested) {
    const pending = [...walkers].filter(([, w]) => w.step)
    if (pending.length === 0) break
    const minSeq = Math.min(...pending.map(([, w]) => w.step!.seq))
    // hosts that included different files may share an order number: each task runs with its own hosts
    const first = pending.find(([, w]) => w.step!.seq === minSeq)![1].step!.task
    const group = pending.filter(([, w]) => w.step!.seq === minSeq && w.step!.task === first)
    const inhOf = (h: string) => walkers.get(h)!.step!.inh // per host: loop items of includes, rescue variables
    const { results, effect } = await step(
      rc,
      playName,
      plan,
      group[0][1].step!,
      group.map(([h]) => h),
      startAt,
      inhOf,
    )
    if (effect !== 'none') return effect === 'end_play' ? 'end_play' : 'done'
    const task = group[0][1].step!.task
    for (const [h, w] of group) advance(rc, h, w, results.get(h)!)
    const fatalHere = task.anyErrorsFatal === true && group.some(([h]) => !usable(rc, h))
    if (tooManyFailures(rc, playName, batch, fatalHere)) return 'fatal'
  }
  return 'done'
}

/** `strategy: free`: each host goes through the tasks at its own pace (up to --forks hosts at once). */
async function runFree(rc: RunContext, playName: string, plan: Plan, batch: string[]): Promise<BatchEnd> {
  const { walkers, startAt } = startWalks(rc, plan, batch)
  let end: BatchEnd = 'done'
  await mapLimit([...walkers.keys()], rc.opts.forks, async (h) => {
    const w = walkers.get(h)!
    while (w.step && !rc.stopping.requested && end === 'done') {
      const { results, effect } = await step(rc, playName, plan, w.step, [h], startAt)
      if (effect === 'end_play') end = 'end_play'
      if (effect !== 'none') break
      const task = w.step.task
      advance(rc, h, w, results.get(h)!)
      if (tooManyFailures(rc, playName, batch, task.anyErrorsFatal === true && !usable(rc, h))) end = 'fatal'
    }
  })
  return end
}
