/**
 * A task's module arguments as written: a map, a free-form string (the module's own argument, its other
 * arguments taken out as `k=v` words), or `key=value` pairs; the `args:` keyword and the play's
 * `module_defaults` merged under them (its groups' under its own, those of the module's backends lowest: Ansible's
 * `service` takes the defaults of the service manager's module it runs as). Reports what cannot be read.
 *
 * @example
 * ```yaml
 * - command: make -j4 chdir=/src/nix      # { cmd: 'make -j4', chdir: '/src/nix' }
 * - copy: dest=/etc/motd content=hello    # { dest: '/etc/motd', content: 'hello' }
 * ```
 */
import type { ModuleDef } from '../module.js'
import type { SourcePos } from '../types.js'
import { UserError } from '../errors.js'
import { describeValue, report, type LoadContext } from './context.js'
import { isMap, readMap } from './keywords.js'
import { parseKeyValues, splitFreeForm } from '../source/kv.js'
import { SplitError } from '../source/split.js'
import { groupDefaults } from './modulegroups.js'
import { mergePositioned, setPositions, valuePos } from '../source/positions.js'

/** The module's arguments as a map (free-form and `k=v` strings mapped; `args:` merged under them). */
export function readArgs(
  ctx: LoadContext,
  def: ModuleDef,
  raw: Record<string, unknown>,
  key: string,
  argsPos: SourcePos,
): Record<string, unknown> | undefined {
  const v = raw[key]
  const here = valuePos(raw, key) ?? argsPos
  let args: Record<string, unknown> | undefined
  if (v === null || v === undefined) args = {}
  else if (isMap(v)) args = v
  else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    const s = String(v)
    try {
      args = def.freeForm ? freeFormArgs(def, def.freeForm, s) : parseKeyValues(s)
    } catch (e) {
      if (!(e instanceof SplitError)) throw e
      const where = `${e.message} (character ${e.offset + 1} of the string)`
      if (!def.freeForm) report(ctx, `arguments of ${def.name} must be a map or key=value pairs: ${where}`, here)
      else {
        const map = `${def.name}: { ${def.freeForm}: … }`
        const hint = `(Ansible refuses it too; write "${map}" to keep the text as written)`
        report(ctx, `the arguments of ${def.name} cannot be split into words: ${where}`, here, hint)
      }
      return undefined
    }
    setPositions(args, here, Object.fromEntries(Object.keys(args).map((k) => [k, here])))
  } else {
    report(
      ctx,
      `arguments of ${def.name} must be a map${def.freeForm ? ' or a string' : ''}, found ${describeValue(v)}`,
      here,
    )
    return undefined
  }
  const extra = readMap(ctx, raw, 'args', argsPos)
  const merged = extra ? mergePositioned(extra, args) : args
  const defaults = ctx.moduleDefaults?.get(def.name)
  const groups = groupDefaults(ctx.moduleDefaults, def.name)
  return mergePositioned(...backendDefaults(ctx, def, argsPos), ...groups, defaults, merged)
}

/**
 * The `module_defaults` of the modules `def` runs as (`backends`), those it takes; a default it does not take is
 * left out with a warning (Ansible would hand it to the backend module).
 */
function backendDefaults(ctx: LoadContext, def: ModuleDef, pos: SourcePos): Record<string, unknown>[] {
  const props = (def.schema as { properties?: Record<string, unknown> }).properties ?? {}
  const out: Record<string, unknown>[] = []
  for (const b of def.backends ?? []) {
    const d = ctx.moduleDefaults?.get(b)
    if (!d) continue
    const dropped = Object.keys(d).filter((k) => !(k in props))
    if (dropped.length) {
      const what = `${dropped.map((k) => `"${k}"`).join(', ')} of module_defaults for ${b}`
      ctx.warnings.push(new UserError(`${what} not passed on: tsplay's ${def.name} does not take them`, pos))
    }
    out.push(Object.fromEntries(Object.entries(d).filter(([k]) => k in props)))
  }
  return out
}

/**
 * Modules whose free-form text is a command line or a `meta` action: a `k=v` word naming their free-form argument
 * (`command: cmd=x`) stays part of the text, as Ansible reads them. Others (`include_vars: file=vars.yml`) take it.
 */
const TEXT_KEEPS_OWN_KEY = new Set(['command', 'shell', 'raw', 'script', 'meta'])

/** A free-form string: the module's other arguments taken out as `k=v` words, the rest its free-form text. */
function freeFormArgs(def: ModuleDef, freeForm: string, s: string): Record<string, unknown> {
  const props = Object.keys((def.schema as { properties?: object }).properties ?? {}).filter(
    (p) => p !== freeForm || !TEXT_KEEPS_OWN_KEY.has(def.name),
  )
  const { text, params } = splitFreeForm(s, props)
  return text ? { [freeForm]: text, ...params } : { ...params }
}
