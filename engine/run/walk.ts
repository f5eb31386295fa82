/**
 * Per-host walk over a play's task tree, as a generator: it yields the next task for the host and receives the
 * task's result, so `block`/`rescue`/`always` take the right path for each host. The scheduler (play.ts) runs
 * hosts in lockstep: the task with the lowest document order among the hosts' next tasks runs next (Ansible's
 * linear strategy).
 */
import type { Block, Task, TaskNode } from '../ast.js'
import type { TaskResult } from '../types.js'
import { markUnsafe } from '../template.js'
import type { Inherited } from './context.js'
import { itemVars } from './loop.js'

/** One step of a host's walk. */
export interface Step {
  task: Task
  inh: Inherited
  /** Document order of the task (lockstep key). */
  seq: number
}

/** Which tasks run, from `--tags`/`--skip-tags` (Ansible's `always`/`never` included). */
export interface TagFilter {
  tags: string[]
  skipTags: string[]
}

export function tagsSelected(taskTags: string[], f: TagFilter): boolean {
  if (f.skipTags.some((t) => taskTags.includes(t))) return false
  if (taskTags.includes('never') && !f.tags.some((t) => taskTags.includes(t))) return false
  if (f.tags.length === 0 || f.tags.includes('all')) return true
  if (taskTags.includes('always')) return true
  if (f.tags.includes('tagged') && taskTags.length > 0) return true
  if (f.tags.includes('untagged') && taskTags.length === 0) return true
  return f.tags.some((t) => taskTags.includes(t))
}

/** Number every task of a tree in document order (block, rescue, always). */
export function numberTasks(nodes: readonly TaskNode[], seq = new Map<Task, number>()): Map<Task, number> {
  for (const n of nodes) {
    if (n.kind === 'task') {
      if (!seq.has(n)) seq.set(n, seq.size)
    } else {
      if (n.include && !seq.has(n.include)) seq.set(n.include, seq.size)
      numberTasks(n.block, seq)
      numberTasks(n.rescue, seq)
      numberTasks(n.always, seq)
    }
  }
  return seq
}

/** How much document order the tasks a dynamic include loaded at run time share (1 for a statically numbered one). */
const spans = new WeakMap<Task, number>()

/**
 * Number tasks a dynamic include loaded at run time: between the include and the task after it (fractions of the
 * include's span), so hosts that included the same file run its tasks together and before what follows.
 */
export function numberIncluded(nodes: readonly TaskNode[], seq: Map<Task, number>, inc: Task): void {
  const order = numberTasks(nodes)
  if ([...order.keys()].every((t) => seq.has(t))) return
  const step = (spans.get(inc) ?? 1) / (order.size + 1)
  const base = seq.get(inc)!
  for (const [t, k] of order) {
    if (seq.has(t)) continue
    seq.set(t, base + (k + 1) * step)
    spans.set(t, step)
  }
}

function inherit(parent: Inherited, b: Block): Inherited {
  return {
    when: [...parent.when, ...b.when],
    tags: [...parent.tags, ...b.tags],
    become: b.become ?? parent.become,
    becomeUser: b.becomeUser ?? parent.becomeUser,
    becomeMethod: b.becomeMethod ?? parent.becomeMethod,
    becomeFlags: b.becomeFlags ?? parent.becomeFlags,
    becomeExe: b.becomeExe ?? parent.becomeExe,
    remoteUser: b.remoteUser ?? parent.remoteUser,
    port: b.port ?? parent.port,
    vars: { ...parent.vars, ...b.vars },
    params: b.params ? { ...parent.params, ...b.params } : parent.params,
    defaults: b.defaults ? { ...parent.defaults, ...b.defaults } : parent.defaults,
    environment: b.environment ? [...(parent.environment ?? []), b.environment] : parent.environment,
    noLog: b.noLog ?? parent.noLog,
    ignoreErrors: b.ignoreErrors ?? parent.ignoreErrors,
    checkMode: b.checkMode ?? parent.checkMode,
    diff: b.diff ?? parent.diff,
    connection: b.connection ?? parent.connection,
  }
}

/** Hooks the walk calls for recap bookkeeping. */
export interface WalkHooks {
  /** A failure in a block was taken over by its `rescue`. */
  rescued(): void
  /** The host's last unignored failure (for `ansible_failed_task`/`ansible_failed_result` in `rescue`). */
  lastFailure?: { task: Task; result: TaskResult }
}

/**
 * What Ansible shows of a task as `ansible_failed_task` (its name, action and arguments): as Ansible's serialized
 * task, one without a `name` has an empty name and one without `register` a `register` of None, not undefined.
 */
function failedTaskVar(task: Task): Record<string, unknown> {
  const copy = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null))
  return {
    name: task.name ?? '',
    action: task.module,
    args: copy(task.args),
    tags: [...task.tags],
    when: [...task.when],
    register: task.register ?? null,
  }
}

/** How a walk ended for a host. */
export type WalkEnd = false | 'failed' | 'unreachable'

/** Walk `nodes` for one host. Returns how it ended: false (fine), 'failed' or 'unreachable' (the host stops). */
export function* walk(
  nodes: readonly TaskNode[],
  inh: Inherited,
  seq: Map<Task, number>,
  filter: TagFilter,
  hooks: WalkHooks,
): Generator<Step, WalkEnd, TaskResult> {
  for (const node of nodes) {
    if (node.kind === 'task') {
      if (!node.implicit && !tagsSelected([...inh.tags, ...node.tags], filter)) continue
      const r = yield { task: node, inh, seq: seq.get(node)! }
      if (r.status === 'unreachable' && !r.ignored) return 'unreachable'
      if (r.status === 'failed' && !r.ignored) {
        hooks.lastFailure = { task: node, result: r }
        return 'failed'
      }
      continue
    }
    if (node.include) {
      const inc = node.include
      const outer = inherit(inh, node) // what enclosing imports gave the include
      if (!tagsSelected([...outer.tags, ...inc.tags], filter)) continue
      const r = yield { task: inc, inh: outer, seq: seq.get(inc)! }
      if (r.status === 'unreachable' && !r.ignored) return 'unreachable'
      if (r.status === 'failed' && !r.ignored) {
        hooks.lastFailure = { task: inc, result: r }
        return 'failed'
      }
      if (r.status !== 'ok') continue
      const items = Array.isArray(r.data.items) ? r.data.items : [undefined]
      const files = inc.dynamic && Array.isArray(r.data.files) ? r.data.files : undefined
      for (const i of items.keys()) {
        const nodes = files ? (inc.dynamic!.loaded.get(String(files[i]))?.nodes ?? []) : node.block
        if (files) numberIncluded(nodes, seq, inc)
        const bi = {
          ...outer,
          vars: {
            ...outer.vars,
            ...inc.vars,
            ...(inc.loop !== undefined ? includedItemVars(inc, r.data.loop_var ?? inc.loopVar, items, i) : {}),
          },
        }
        const end = yield* walk(nodes, bi, seq, filter, hooks)
        if (end) return end
      }
      continue
    }
    const bi = inherit(inh, node)
    let end = yield* walk(node.block, bi, seq, filter, hooks)
    if (end === 'unreachable') return end
    if (end === 'failed' && node.rescue.length > 0) {
      hooks.rescued()
      const f = hooks.lastFailure
      const failure = f
        ? markUnsafe({ ansible_failed_task: failedTaskVar(f.task), ansible_failed_result: f.result.data })
        : {}
      end = yield* walk(node.rescue, { ...bi, vars: { ...bi.vars, ...failure } }, seq, filter, hooks)
      if (end === 'unreachable') return end
    }
    const alwaysEnd = yield* walk(node.always, bi, seq, filter, hooks)
    if (alwaysEnd) return alwaysEnd
    if (end) return end
  }
  return false
}

/**
 * What the tasks of one included item see, as in Ansible: the loop variable (a templated `loop_var` as the include
 * rendered it), the `index_var` and, with `extended`, `ansible_loop` (not `ansible_loop_var`/`ansible_index_var`).
 */
function includedItemVars(inc: Task, name: unknown, items: readonly unknown[], i: number): Record<string, unknown> {
  const { ansible_index_var: _, ...more } = itemVars(items, i, {
    indexVar: inc.loopIndexVar,
    extended: inc.loopExtended,
  })
  return { [String(name)]: items[i], ...more }
}
