/**
 * Document order of tasks a templated include loads at run time: after the include and before the task that follows
 * it, nested includes inside its span, numbered once (hosts that load the same file share the numbers).
 */
import { describe, expect, it } from 'vitest'
import type { Block, Task, TaskNode } from '../../engine/ast.js'
import { numberIncluded, numberTasks } from '../../engine/run/walk.js'

const task = (name: string): Task => ({
  kind: 'task',
  name,
  module: 'debug',
  args: {},
  argsPos: { file: 'x.yml', line: 1, col: 1 },
  pos: { file: 'x.yml', line: 1, col: 1 },
  when: [],
  tags: [],
  vars: {},
  notify: [],
  loopVar: 'item',
  searchPaths: [],
})
const include = (inc: Task, block: TaskNode[] = []): Block => ({
  kind: 'block',
  pos: inc.pos,
  when: [],
  tags: [],
  vars: {},
  block,
  rescue: [],
  always: [],
  include: { ...inc, module: 'include_tasks' },
})

describe('numberIncluded', () => {
  it('puts loaded tasks (and includes within them) between the include and the next task, once', () => {
    const inc = include(task('inc'))
    const after = task('after')
    const seq = numberTasks([task('before'), inc, after])
    const inner = include(task('inner'))
    const loaded = [task('l1'), inner, task('l2')]
    numberIncluded(loaded, seq, inc.include!)
    const at = (t: Task) => seq.get(t)!
    const order = [inc.include!, loaded[0] as Task, inner.include!, loaded[2] as Task, after].map(at)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    const deeper = [task('d1'), task('d2')]
    numberIncluded(deeper, seq, inner.include!)
    expect(at(deeper[0])).toBeGreaterThan(at(inner.include!))
    expect(at(deeper[1])).toBeLessThan(at(loaded[2] as Task))
    const before = new Map(seq)
    numberIncluded(loaded, seq, inc.include!)
    expect(seq).toEqual(before)
  })
})
