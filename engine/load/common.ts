/**
 * What tasks, blocks and plays share: the common keywords (`name`, `when`, `tags`, `become`, `vars`, …),
 * inheritance from includes and role references, and a link from each loaded node back to its raw YAML map
 * (so later checks can point at the exact line of a field).
 *
 * @example
 * ```yaml
 * - import_tasks: nix.yml
 *   when: install_nix     # prepended to every included task's `when`
 *   tags: nix             # added to every included task's tags
 * ```
 */
import type { Common, TaskNode } from '../ast.js'
import type { SourcePos } from '../types.js'
import type { LoadContext } from './context.js'
import {
  at,
  readBool,
  readConditions,
  readEnvironment,
  readMap,
  readIntOrTemplate,
  readString,
  readStringList,
  readBoolOrTemplate,
} from './keywords.js'
import { UserError } from '../errors.js'
import { readBecomeExtras } from './become.js'
import { checkDebugger } from './debugger.js'
import { checkConditions } from './syntax.js'
import { mergePositioned, valuePos } from '../source/positions.js'

const sources = new WeakMap<object, Record<string, unknown>>()

/** The raw YAML map a task/block/play was loaded from (for positions of its fields). */
export function sourceOf(node: object): Record<string, unknown> | undefined {
  return sources.get(node)
}

/** Remember the raw map a node came from. */
export function setSource(node: object, raw: Record<string, unknown>): void {
  sources.set(node, raw)
}

const whenPositions = new WeakMap<object, SourcePos[]>()

/** Where each of a node's `when` conditions is written (inherited ones point at their include/role line). */
export function whenPositionsOf(node: TaskNode): SourcePos[] {
  const known = whenPositions.get(node)
  if (known) return known
  const raw = sources.get(node)
  return raw ? conditionPositions(raw, 'when', node.when.length, node.pos) : node.when.map(() => node.pos)
}

/** Positions of the conditions in `raw[key]` (one per condition). */
export function conditionPositions(
  raw: Record<string, unknown>,
  key: string,
  count: number,
  fallback: SourcePos,
): SourcePos[] {
  const v = raw[key]
  const whole = valuePos(raw, key) ?? fallback
  return Array.from({ length: count }, (_, i) => (Array.isArray(v) ? valuePos(v, i) : undefined) ?? whole)
}

/** `"{{ omit }}"`: the keyword is as if not written. */
const omitted = (v: unknown) => typeof v === 'string' && /^\{\{\s*omit\s*\}\}$/.test(v.trim())

/** A keyword's template (rendered at run time), or undefined when it is written as a plain value. */
export const templated = (v: unknown): string | undefined => (typeof v === 'string' && v.includes('{{') ? v : undefined)

/**
 * `any_errors_fatal` of a play or block. A template counts as true whatever it would render to, with a warning:
 * Ansible 2.14's linear strategy reads the keyword unrendered, and any text is true there.
 */
export function readAnyErrorsFatal(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
): boolean | undefined {
  const t = templated(raw.any_errors_fatal)
  if (t === undefined) return readBool(ctx, raw, 'any_errors_fatal', pos)
  const hint = '(Ansible 2.14 reads it unrendered, so it is on whatever the template gives; write true or false)'
  ctx.warnings.push(new UserError(`any_errors_fatal "${t}" counts as true`, at(raw, 'any_errors_fatal', pos), hint))
  return true
}

/** Keywords shared by tasks and blocks, with their conditions and templates checked. */
export function readCommon(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos, withWhen = true): Common {
  if (Array.isArray(raw.vars) && raw.vars.every((m) => typeof m === 'object' && m !== null && !Array.isArray(m))) {
    raw.vars = mergePositioned(...(raw.vars as Array<Record<string, unknown>>)) // `vars:` as a list of maps
  }
  const extras = readBecomeExtras(ctx, raw, pos)
  checkDebugger(ctx, raw, pos)
  const when = withWhen ? (readConditions(ctx, raw, 'when', pos) ?? []) : []
  checkConditions(ctx, raw, 'when', when, pos)
  return {
    name: readString(ctx, raw, 'name', pos),
    pos,
    when,
    tags: readStringList(ctx, raw, 'tags', pos, true),
    become: readBoolOrTemplate(ctx, raw, 'become', pos),
    becomeUser: readString(ctx, raw, 'become_user', pos),
    ...extras,
    environment: readEnvironment(ctx, raw, pos),
    vars: readMap(ctx, raw, 'vars', pos) ?? {},
    noLog: readBoolOrTemplate(ctx, raw, 'no_log', pos),
    ignoreErrors: readBoolOrTemplate(ctx, raw, 'ignore_errors', pos),
    checkMode: omitted(raw.check_mode) ? undefined : readBoolOrTemplate(ctx, raw, 'check_mode', pos),
    diff: omitted(raw.diff) ? undefined : readBoolOrTemplate(ctx, raw, 'diff', pos),
    connection: readString(ctx, raw, 'connection', pos),
    remoteUser: readString(ctx, raw, 'remote_user', pos),
    port: readIntOrTemplate(ctx, raw, 'port', pos, 1),
  }
}

/** What an include, a role reference or an import applies to the tasks it brings in. */
export interface Inherited {
  when: string[]
  /** Where each `when` is written. */
  whenPos?: SourcePos[]
  tags: string[]
  vars?: Record<string, unknown>
  /** A role entry's parameters (see `Common.params`), also in `vars`. */
  params?: Record<string, unknown>
  become?: boolean | string
  becomeUser?: string
  becomeMethod?: 'sudo' | 'su' | 'doas'
  becomeFlags?: string
  becomeExe?: string
  connection?: string
  remoteUser?: string
  port?: number | string
}

/**
 * The keywords a block, an `apply:` or a static import passes on to the tasks it holds (`whenPos`: where each of
 * its `when` conditions is written).
 */
export function passedOn(c: Common, whenPos?: SourcePos[]): Inherited {
  const { when, tags, vars, become, becomeUser, becomeMethod, becomeFlags, becomeExe, connection, remoteUser, port } = c
  const login = { connection, remoteUser, port }
  return { when, whenPos, tags, vars, become, becomeUser, becomeMethod, becomeFlags, becomeExe, ...login }
}

/** Apply inherited `when`/`tags`/`vars` (and become, unless the node sets its own) to loaded nodes. */
export function inherit<T extends TaskNode>(nodes: T[], inh: Inherited): T[] {
  for (const n of nodes) {
    const own = whenPositionsOf(n)
    whenPositions.set(n, [...(inh.whenPos ?? inh.when.map(() => n.pos)), ...own])
    n.when = [...inh.when, ...n.when]
    n.tags = [...new Set([...inh.tags, ...n.tags])]
    if (inh.vars && Object.keys(inh.vars).length) n.vars = mergePositioned(inh.vars, n.vars)
    if (inh.params && Object.keys(inh.params).length) n.params = { ...inh.params, ...n.params }
    if (n.become === undefined && inh.become !== undefined) n.become = inh.become
    if (n.becomeUser === undefined && inh.becomeUser !== undefined) n.becomeUser = inh.becomeUser
    n.becomeMethod ??= inh.becomeMethod
    n.becomeFlags ??= inh.becomeFlags
    n.becomeExe ??= inh.becomeExe
    if (n.connection === undefined && inh.connection !== undefined) n.connection = inh.connection
    n.remoteUser ??= inh.remoteUser
    n.port ??= inh.port
  }
  return nodes
}
