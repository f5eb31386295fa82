/**
 * A role's `meta/argument_specs.yml` (Ansible's format): read and checked (unknown keys, unknown types, with
 * file:line:col), turned into the `validate_argument_spec` task that starts the role (as Ansible inserts it), and
 * used by `tsplay validate` on the values written for the role's variables: `-e`, play vars, vars_files, the
 * role entry's `vars`, inventory (group_vars, host_vars) and the role's own defaults. Templated values are left to
 * the task, which checks them rendered, on each host, before any task of the role runs.
 *
 * @example
 * ```yaml
 * # roles/hydra/meta/argument_specs.yml
 * argument_specs:
 *   main:
 *     options:
 *       hydra_port: { type: int, description: Port of hydra-server }
 * ```
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Inventory, Play, Playbook } from '../ast.js'
import { checkOption, OPTION_KEYS, OPTION_TYPES, type OptionSpec } from '../argspec.js'
import { UserError } from '../errors.js'
import type { SourcePos, Vars } from '../types.js'
import { absorb, describeValue, report, type LoadContext } from './context.js'
import { isMap } from './keywords.js'
import { keyPos, valuePos } from '../source/positions.js'
import { didYouMean } from '../source/suggest.js'
import { readYamlFile } from '../source/yaml.js'

/** One role's spec (entry point `main`), with where it was read and the role entry's own `vars`. */
export interface RoleArgSpec {
  role: string
  file: string
  options: Record<string, OptionSpec>
  params: Vars
  /** `short_description` of the entry point, if any (the checking task's name shows it, as Ansible's does). */
  summary?: string
}

const specs = new WeakMap<Play, RoleArgSpec[]>()

/** Remember the specs of a play's roles (the loader calls this once per play). */
export function setRoleSpecs(play: Play, list: RoleArgSpec[]): void {
  specs.set(play, list)
}

/** The argument specs of a play's roles, in order. */
export function roleSpecsOf(play: Play): RoleArgSpec[] {
  return specs.get(play) ?? []
}

/** Read `DIR/meta/argument_specs.yml` (or `.yaml`), if the role has one; report mistakes in it. */
export async function readArgumentSpec(
  ctx: LoadContext,
  dir: string,
  role: string,
  params: Vars,
): Promise<RoleArgSpec | undefined> {
  const file = ['argument_specs.yml', 'argument_specs.yaml'].map((n) => join(dir, 'meta', n)).find(existsSync)
  if (!file) return undefined
  let doc
  try {
    doc = await readYamlFile(file)
  } catch (e) {
    absorb(ctx, e)
    return undefined
  }
  const before = ctx.errors.length
  const top = doc.value
  const main = isMap(top) && isMap(top.argument_specs) ? top.argument_specs.main : undefined
  if (!isMap(main)) {
    report(ctx, 'an argument spec must hold "argument_specs: { main: { options: … } }"', doc.pos)
    return undefined
  }
  const options = main.options ?? {}
  if (!isMap(options)) {
    report(
      ctx,
      `"options" must be a map of variable names, found ${describeValue(options)}`,
      valuePos(main, 'options') ?? doc.pos,
    )
    return undefined
  }
  checkSpecOptions(ctx, options, doc.pos, '')
  if (ctx.errors.length > before) return undefined // reported: no checking task from a broken spec
  const summary = typeof main.short_description === 'string' ? main.short_description : undefined
  return { role, file, options: options as Record<string, OptionSpec>, params, summary }
}

/** The first task of a role with a spec: the rendered values are checked on each host before the role runs. */
export function specTask(spec: RoleArgSpec): Record<string, unknown> {
  const argument_spec = Object.fromEntries(
    Object.entries(spec.options).map(([k, o]) => {
      const { type, choices, required, elements, options, aliases } = o
      return [k, { type, choices, required, elements, options, aliases }]
    }),
  )
  const name = `Validating arguments against arg spec 'main'${spec.summary ? ` - ${spec.summary}` : ''}`
  return { name, validate_argument_spec: { argument_spec }, tags: ['always'] }
}

const hasTemplate = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('{{') || v.includes('{%')
    : Array.isArray(v)
      ? v.some(hasTemplate)
      : isMap(v)
        ? Object.values(v).some(hasTemplate)
        : false

/**
 * Check the values written for the roles' variables. Wrong values are errors at the value; a required variable
 * given nowhere is a warning (it may come from `-e`, `set_fact` or `register` at run time; the role's first task
 * refuses it then).
 */
export function checkRoleArguments(
  pb: Playbook,
  inv: Inventory,
  extraVars: Vars,
): { errors: UserError[]; warnings: UserError[] } {
  const errors: UserError[] = []
  const warnings: UserError[] = []
  const seen = new Set<string>()
  const cli: SourcePos = { file: '(command line)', line: 1, col: 1 }
  for (const play of pb.plays) {
    for (const spec of roleSpecsOf(play)) {
      const sources: Array<[string, Vars, SourcePos]> = [
        ['-e', extraVars, cli],
        ['play vars', play.vars, play.pos],
        ['vars_files', play.varsFiles, play.pos],
        [`the role entry's vars`, spec.params, play.pos],
        ['role defaults', play.roleDefaults, play.pos],
        ...[...inv.groups.values()].map(
          (g) => [`group "${g.name}"`, g.vars, g.pos ?? cli] as [string, Vars, SourcePos],
        ),
        ...[...inv.hosts.values()].map((h) => [`host "${h.name}"`, h.vars, h.pos ?? cli] as [string, Vars, SourcePos]),
      ]
      for (const [name, option] of Object.entries(spec.options)) {
        let given = option.default !== undefined
        for (const [who, vars, fallback] of sources) {
          if (!(name in vars)) continue
          given = true
          const value = vars[name]
          if (hasTemplate(value)) continue
          const wrong = checkOption(option, value)
          const pos = valuePos(vars, name) ?? fallback
          const id = `${name}@${pos.file}:${pos.line}:${pos.col}`
          if (!wrong || seen.has(id)) continue
          seen.add(id)
          const hint =
            typeof value === 'string' && option.choices ? didYouMean(value, option.choices.map(String)) : undefined
          errors.push(
            new UserError(
              `variable "${name}" (set by ${who}) ${wrong}`,
              pos,
              hint ?? `(role ${spec.role} declares it ${describeOption(option)})`,
            ),
          )
        }
        if (option.required && !given) {
          warnings.push(
            new UserError(
              `role ${spec.role} requires variable "${name}", and nothing sets it (give it in the inventory ` +
                `or with -e)`,
              keyPos(spec.options, name) ?? { file: spec.file, line: 1, col: 1 },
            ),
          )
        }
      }
    }
  }
  return { errors, warnings }
}

function describeOption(o: OptionSpec): string {
  const t = o.type === 'list' && o.elements ? `list of ${o.elements}` : (o.type ?? 'raw')
  return o.choices ? `${t} (one of ${o.choices.map((c) => JSON.stringify(c)).join(', ')})` : t
}

/** Report what is wrong in a spec's `options` (and, under a `parent.` prefix, in its nested `options`). */
function checkSpecOptions(ctx: LoadContext, options: Record<string, unknown>, pos: SourcePos, prefix: string): void {
  for (const [key, raw] of Object.entries(options)) {
    const name = `${prefix}${key}`
    const at = keyPos(options, key) ?? pos
    if (!isMap(raw)) {
      report(ctx, `option "${name}" must be a map (type, description, …), found ${describeValue(raw)}`, at)
      continue
    }
    for (const k of Object.keys(raw)) {
      if (!(OPTION_KEYS as readonly string[]).includes(k))
        report(ctx, `unknown key "${k}" in option "${name}"`, keyPos(raw, k) ?? at, didYouMean(k, OPTION_KEYS))
    }
    for (const k of ['type', 'elements'] as const) {
      const t = raw[k]
      if (t !== undefined && !(OPTION_TYPES as readonly unknown[]).includes(t)) {
        report(
          ctx,
          `option "${name}": ${k} must be one of ${OPTION_TYPES.join(', ')}, found ${describeValue(t)}`,
          valuePos(raw, k) ?? at,
          typeof t === 'string' ? didYouMean(t, OPTION_TYPES) : undefined,
        )
      }
    }
    if (raw.choices !== undefined && !Array.isArray(raw.choices))
      report(ctx, `option "${name}": choices must be a list`, valuePos(raw, 'choices') ?? at)
    if (raw.options === undefined) continue
    if (isMap(raw.options)) checkSpecOptions(ctx, raw.options, at, `${name}.`)
    else report(ctx, `option "${name}": options must be a map of sub-options`, valuePos(raw, 'options') ?? at)
  }
}
