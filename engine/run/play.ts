/**
 * Runs one play: facts, then the tasks in Ansible's linear order (all hosts do a task before the next starts,
 * up to `--forks` at once), then the notified handlers. Each host walks the task tree with its own generator
 * (walk.ts), so block/rescue/always follow each host's results.
 */
import type { Task } from '../ast.js'
import { HostError } from '../errors.js'
import { factsToVars, gatherFacts } from '../facts.js'
import type { TaskResult } from '../types.js'
import type { Inherited, RunContext } from './context.js'
import { markUnsafe, renderString } from '../template.js'
import { taskVars } from './hostvars.js'
import { mapLimit } from './limit.js'
import { taskName } from './names.js'
import { prescanSecrets } from './prescan.js'
import { runTaskOnHost } from './task.js'
import { numberTasks, walk, type Step, type WalkEnd } from './walk.js'


export async function runPlay(rc: RunContext, hosts: string[]): Promise<void> {
  const play = rc.play
  const playName = play.name ?? play.hosts
  rc.playHosts = hosts
  prescanSecrets(rc, hosts)
  rc.bus.emit({ type: 'play.start', play: playName, hosts })
  let active = hosts.filter((h) => usable(rc, h))
  if (play.gatherFacts && active.length && !rc.stopping.requested) active = await gather(rc, playName, active)
  // `serial`: the whole play (tasks, then handlers) runs batch by batch.
  const size = play.serial && play.serial > 0 ? play.serial : Math.max(1, active.length)
  for (let i = 0; i < active.length && !rc.stopping.requested; i += size) {
    const batch = active.slice(i, i + size)
    const ok = play.strategy === 'free' ? await runFree(rc, playName, batch) : await runLinear(rc, playName, batch)
    if (!rc.stopping.requested) await runHandlers(rc, playName)
    if (!ok) break
  }
  rc.bus.emit({ type: 'play.end', play: playName })
}

type Walker = { gen: Generator<Step, WalkEnd, TaskResult>; step?: Step }

/** Start each host's walk over the play's tasks. */
function startWalks(rc: RunContext, hosts: string[]): { walkers: Map<string, Walker>; startAt?: number } {
  const play = rc.play
  const seq = numberTasks(play.tasks)
  const startAt = rc.opts.startAtTask ? [...seq].find(([t]) => t.name === rc.opts.startAtTask)?.[1] : undefined
  const root: Inherited = { when: play.when, tags: play.tags, vars: {}, noLog: play.noLog, ignoreErrors: play.ignoreErrors }
  const filter = { tags: rc.opts.tags, skipTags: rc.opts.skipTags }
  const walkers = new Map<string, Walker>()
  for (const h of hosts) {
    const st = rc.states.get(h)!
    const gen = walk(play.tasks, root, seq, filter, { rescued: () => { st.recap.failed--; st.recap.rescued++ } })
    const first = gen.next()
    walkers.set(h, { gen, step: first.done ? undefined : first.value })
  }
  return { walkers, startAt }
}

/** Feed a host's result to its walk; a walk that ends in failure marks the host failed. */
function advance(rc: RunContext, h: string, w: Walker, r: TaskResult): void {
  const next = w.gen.next(r)
  if (next.done) {
    w.step = undefined
    if (next.value) rc.states.get(h)!.failed = true
  } else w.step = next.value
}

/** `--start-at-task` and `--step` decide whether a task runs at all. */
async function selected(rc: RunContext, task: Task, seq: number, startAt: number | undefined): Promise<boolean> {
  if (startAt !== undefined && seq < startAt) return false
  if (!rc.opts.confirm) return true
  const answer = await rc.opts.confirm(taskName(task))
  if (answer === 'continue') rc.opts.confirm = undefined
  return answer !== 'no'
}

/** `any_errors_fatal` / `max_fail_percentage`: has this batch failed too much to go on? */
function tooManyFailures(rc: RunContext, batch: string[]): boolean {
  const failed = batch.filter((h) => !usable(rc, h)).length
  if (failed === 0) return false
  if (rc.play.anyErrorsFatal) return true
  const pct = rc.play.maxFailPercentage
  return pct !== undefined && (failed / batch.length) * 100 > pct
}

/** Ansible's linear strategy: every host does a task before the next starts. False: the play must stop. */
async function runLinear(rc: RunContext, playName: string, batch: string[]): Promise<boolean> {
  const { walkers, startAt } = startWalks(rc, batch)
  while (!rc.stopping.requested) {
    const pending = [...walkers].filter(([, w]) => w.step)
    if (pending.length === 0) break
    const minSeq = Math.min(...pending.map(([, w]) => w.step!.seq))
    const group = pending.filter(([, w]) => w.step!.seq === minSeq)
    const { task, inh } = group[0][1].step!
    const run = await selected(rc, task, minSeq, startAt)
    const results = run ? await runTask(rc, playName, task, inh, group.map(([h]) => h), false) : new Map<string, TaskResult>()
    for (const [h, w] of group) {
      advance(rc, h, w, results.get(h) ?? ({ status: 'skipped', host: h, reason: 'not selected to run', data: {} } as TaskResult))
    }
    if (tooManyFailures(rc, batch)) {
      rc.bus.emit({ type: 'warning', msg: `stopping play "${playName}": ${rc.play.anyErrorsFatal ? 'any_errors_fatal is set' : `more than ${rc.play.maxFailPercentage}% of its hosts failed`}` })
      return false
    }
  }
  return true
}

/** `strategy: free`: each host goes through the tasks at its own pace (up to --forks hosts at once). */
async function runFree(rc: RunContext, playName: string, batch: string[]): Promise<boolean> {
  const { walkers, startAt } = startWalks(rc, batch)
  let stop = false
  await mapLimit(batch, rc.opts.forks, async (h) => {
    const w = walkers.get(h)!
    while (w.step && !rc.stopping.requested && !stop) {
      const { task, inh, seq } = w.step
      const run = await selected(rc, task, seq, startAt)
      const r = run ? (await runTask(rc, playName, task, inh, [h], false)).get(h)! : undefined
      advance(rc, h, w, r ?? ({ status: 'skipped', host: h, reason: 'not selected to run', data: {} } as TaskResult))
      if (tooManyFailures(rc, batch)) stop = true
    }
  })
  return !stop
}

/** A task's name, rendered with the first host's variables when it holds a template (as Ansible does). */
function displayName(rc: RunContext, task: Task, inh: Inherited, host: string | undefined): string {
  const raw = taskName(task)
  if (!raw.includes('{{') || !host) return raw
  try {
    return renderString(raw, taskVars(rc, host, inh, task))
  } catch {
    return raw
  }
}

function usable(rc: RunContext, h: string): boolean {
  const st = rc.states.get(h)!
  return !st.failed && !st.unreachable
}

/** Run one task on a group of hosts; emits events, counts the recap, records notifications. */
async function runTask(rc: RunContext, playName: string, task: Task, inh: Inherited, hosts: string[], handler: boolean): Promise<Map<string, TaskResult>> {
  const name = displayName(rc, task, inh, hosts[0])
  const targets = task.runOnce ? hosts.slice(0, 1) : hosts
  rc.bus.emit({ type: 'task.start', play: playName, task: name, hosts: targets, handler })
  const out = new Map<string, TaskResult>()
  await mapLimit(targets, rc.opts.forks, async (host) => {
    rc.bus.emit({ type: 'host.start', play: playName, task: name, host })
    const log = (line: string, level = 1) => rc.bus.emit({ type: 'host.log', play: playName, task: name, host, line, level })
    const r = await runTaskOnHost(rc, task, inh, host, log)
    record(rc, playName, name, task, r, handler)
    out.set(host, r)
  })
  if (task.runOnce && hosts.length > 1) {
    const r = out.get(hosts[0])!
    for (const h of hosts.slice(1)) {
      if (task.register) rc.states.get(h)!.hostFacts[task.register] = markUnsafe(r.data)
      out.set(h, { ...r, host: h })
    }
  }
  rc.bus.emit({ type: 'task.end', play: playName, task: name })
  return out
}

function record(rc: RunContext, playName: string, name: string, task: Task, r: TaskResult, handler: boolean): void {
  const st = rc.states.get(r.host)!
  const c = st.recap
  switch (r.status) {
    case 'ok': c.ok++; break
    case 'changed': c.ok++; c.changed++; break
    case 'skipped': c.skipped++; break
    case 'unreachable': c.unreachable++; st.unreachable = true; break
    case 'failed':
      if (r.ignored) { c.ok++; c.ignored++ } else c.failed++
      break
  }
  if (r.status === 'changed') {
    for (const n of task.notify) {
      for (const hd of rc.play.handlers) {
        if (hd.name === n || hd.listen?.includes(n)) {
          let set = rc.notified.get(hd)
          if (!set) rc.notified.set(hd, (set = new Set()))
          set.add(r.host)
        }
      }
    }
  }
  rc.bus.emit({ type: 'task.result', play: playName, task: name, host: r.host, result: r, handler })
}

/** Handlers run once each, in the order defined, on the hosts that notified them (chains included). */
async function runHandlers(rc: RunContext, playName: string): Promise<void> {
  for (let pass = 0; pass < 10 && rc.notified.size > 0 && !rc.stopping.requested; pass++) {
    for (const hd of rc.play.handlers) {
      const hosts = [...(rc.notified.get(hd) ?? [])].filter((h) => usable(rc, h))
      rc.notified.delete(hd)
      if (hosts.length === 0 || rc.stopping.requested) continue
      const inh: Inherited = { when: [], tags: [], vars: {} }
      const results = await runTask(rc, playName, hd, inh, hosts, true)
      for (const [h, r] of results) if (r.status === 'failed' && !r.ignored) rc.states.get(h)!.failed = true
    }
  }
}

/** Facts for every host in one round trip each, as Ansible's "Gathering Facts" task. */
async function gather(rc: RunContext, playName: string, hosts: string[]): Promise<string[]> {
  const name = 'Gathering Facts'
  rc.bus.emit({ type: 'task.start', play: playName, task: name, hosts, handler: false })
  await mapLimit(hosts, rc.opts.forks, async (host) => {
    const st = rc.states.get(host)!
    let r: TaskResult
    try {
      const conn = await rc.pool.get(host, taskVars(rc, host, { when: [], tags: [], vars: {} }, undefined))
      st.facts = await gatherFacts(conn)
      st.factVars = markUnsafe(factsToVars(st.facts))
      r = { status: 'ok', host, data: {} }
    } catch (e) {
      if (!(e instanceof HostError)) throw e
      if (e.kind === 'sudo' || e.kind === 'timeout') r = { status: 'failed', host, msg: e.message, ignored: false, data: {} }
      else {
        rc.pool.markUnreachable(host, e.message)
        r = { status: 'unreachable', host, msg: e.message, data: {} }
      }
    }
    const c = st.recap
    if (r.status === 'ok') c.ok++
    else if (r.status === 'unreachable') { c.unreachable++; st.unreachable = true }
    else { c.failed++; st.failed = true }
    rc.bus.emit({ type: 'task.result', play: playName, task: name, host, result: r, handler: false })
  })
  rc.bus.emit({ type: 'task.end', play: playName, task: name })
  return hosts.filter((h) => usable(rc, h))
}
