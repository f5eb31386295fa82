/**
 * The block a dynamic include (`include_tasks`, `include_role`) becomes: its `include` task runs first, alone
 * subject to the include's `when`, `tags` and `loop`; then the included tasks, which `apply:` keywords reach.
 *
 * @example
 * ```ts
 * const b = includeBlock(ctx, raw, pos, here, scope, { args: { file: 'x.yml' }, nodes, templated: ['when'] })
 * b.include // { module: 'include_tasks', when: …, loop: … }; b.block === nodes
 * ```
 */
import type { Block, Task, TaskNode } from '../ast.js'
import type { SourcePos } from '../types.js'
import { inherit, passedOn, readCommon, setSource } from './common.js'
import type { LoadContext } from './context.js'
import { checkTemplatesIn } from './syntax.js'
import type { TaskScope } from './task.js'
import { taskSearchPaths } from '../source/files.js'
import { readLoop, readRegister } from './taskfields.js'

/** What a dynamic include brings in (see `includeBlock`). */
export interface IncludeParts {
  /** The include task's arguments (`{ file }`, `{ name, role: true }`). */
  args: Record<string, unknown>
  nodes: TaskNode[]
  /** Keys of the include's map whose templates are not checked as task keywords. */
  templated: string[]
  /** The `apply:` map and where it is written. */
  apply?: { map: Record<string, unknown>; pos: SourcePos }
}

/**
 * A dynamic include (`include_tasks`, `include_role`): a block whose `include` task runs first, alone subject to
 * the include's `when`, `tags` and `loop` (as Ansible's dynamic includes), then `nodes`, which `apply` reaches.
 */
export function includeBlock(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
  here: SourcePos,
  scope: TaskScope,
  parts: IncludeParts,
): Block {
  const common = readCommon(ctx, raw, pos)
  checkTemplatesIn(ctx, raw, pos, parts.templated)
  const include: Task = {
    ...common,
    kind: 'task',
    module: 'include_tasks',
    args: parts.args,
    argsPos: here,
    notify: [],
    ...readLoop(ctx, raw, pos),
    register: readRegister(ctx, raw, pos),
    searchPaths: taskSearchPaths(scope.roleDir, scope.file, scope.playDir),
    role: scope.role,
    roleDir: scope.roleDir,
  }
  const written = raw.include_role ?? raw.include_tasks
  if (written !== null && typeof written === 'object' && !Array.isArray(written)) {
    const { file: _f, _raw_params: _r, ...rest } = written as Record<string, unknown>
    include.includeArgs = rest
  }
  setSource(include, raw)
  if (parts.apply) inherit(parts.nodes, passedOn(readCommon(ctx, parts.apply.map, parts.apply.pos)))
  return { ...common, when: [], tags: [], kind: 'block', block: parts.nodes, rescue: [], always: [], include }
}
