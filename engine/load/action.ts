/**
 * Ansible's older task spellings `action:` and `local_action:`, rewritten in place to the module key they name
 * (positions kept), before the task is read. `local_action` also delegates the task to `localhost`.
 *
 * @example
 * ```yaml
 * - action: debug msg=hello                 # read as  debug: msg=hello
 * - local_action: command echo hi           # read as  command: echo hi  + delegate_to: localhost
 * - local_action: { module: copy, src: a, dest: /tmp/a }
 * ```
 */
import type { SourcePos } from '../types.js'
import { describeValue, report, type LoadContext } from './context.js'
import { isMap } from './keywords.js'
import { keyPos, mergePositioned, renameKey, valuePos } from '../source/positions.js'

const KEYS = ['action', 'local_action'] as const

/** Rewrite `action`/`local_action` of `raw` to `MODULE: ARGS` (reporting what cannot be); false if it could not. */
export function normalizeAction(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): boolean {
  const present = KEYS.filter((k) => k in raw)
  if (present.length === 0) return true
  const key = present[0]
  const here = keyPos(raw, key) ?? pos
  if (present.length > 1) {
    report(ctx, '"action" and "local_action" cannot both be set', keyPos(raw, present[1]) ?? pos)
    return false
  }
  if (key === 'local_action' && 'delegate_to' in raw) {
    report(ctx, '"local_action" and "delegate_to" cannot both be set', keyPos(raw, 'delegate_to') ?? pos)
    return false
  }
  const v = raw[key]
  let module: unknown
  let args: unknown
  if (typeof v === 'string') {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(v)
    module = m?.[1]
    args = m?.[2] ? m[2] : null
  } else if (isMap(v)) {
    module = v.module
    const rest = mergePositioned(v)
    delete rest.module
    args = rest
  }
  if (typeof module !== 'string' || !module) {
    const hint = `(write "${key}: MODULE ARGS" or "${key}: { module: MODULE, … }")`
    report(ctx, `"${key}" must name a module, found ${describeValue(v)}`, valuePos(raw, key) ?? here, hint)
    return false
  }
  if (module.includes('{{')) {
    const hint = "(tsplay checks every task's module and arguments before any host is contacted; name the module)"
    const written = typeof v === 'string' ? v.trim() : module
    report(ctx, `a module named by a template (${key}: ${written}) is not supported`, valuePos(raw, key) ?? here, hint)
    return false
  }
  if (module in raw) {
    report(ctx, `"${key}" names ${module}, which the task also sets`, keyPos(raw, module) ?? here)
    return false
  }
  renameKey(raw, key, module)
  raw[module] = args
  if (key === 'local_action') raw.delegate_to = 'localhost'
  return true
}
