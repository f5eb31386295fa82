/**
 * `validate_argument_spec`: check variables against an argument spec (Ansible's module of the same name). The
 * loader puts one at the start of every role that has `meta/argument_specs.yml`, so a wrong value (`hydra_port:
 * eighty`) or a missing required variable stops the host before any task of the role runs. Values are the host's
 * variables, rendered (or `provided_arguments` when given). Runs on the controller; never changed.
 *
 * @example
 * ```yaml
 * - validate_argument_spec:
 *     argument_spec:
 *       hydra_port: { type: int, required: true }
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { checkOption, OPTION_TYPES, type OptionSpec } from '../engine/argspec.js'
import { defineModule } from '../engine/module.js'

const TypeName = Type.Union(OPTION_TYPES.map((t) => Type.Literal(t)))
const Args = Type.Object(
  {
    argument_spec: Type.Record(
      Type.String(),
      Type.Object(
        {
          type: Type.Optional(TypeName),
          choices: Type.Optional(Type.Array(Type.Unknown())),
          required: Type.Optional(Type.Boolean()),
          default: Type.Optional(Type.Unknown()),
          description: Type.Optional(Type.Unknown()),
          elements: Type.Optional(TypeName),
        },
        { additionalProperties: true },
      ),
      {
        description:
          'Variable name → `{ type, choices, required, elements }` (the `options` of an Ansible argument spec).',
      },
    ),
    provided_arguments: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "Values to check instead of the host's variables." }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** Every problem with the values, one line each (empty: all fine). Pure. */
export function argumentErrors(
  spec: Record<string, OptionSpec>,
  read: (name: string) => { value?: unknown; error?: string },
): string[] {
  const out: string[] = []
  for (const [name, option] of Object.entries(spec)) {
    const got = read(name)
    if (got.error) out.push(`${name}: ${got.error}`)
    else if (got.value === undefined || got.value === null) {
      if (option.required) out.push(`${name}: missing required argument`)
    } else {
      const wrong = checkOption(option, got.value)
      if (wrong) out.push(`${name} ${wrong}`)
    }
  }
  return out
}

export default defineModule({
  name: 'validate_argument_spec',
  summary: 'Check variables against an argument spec (starts every role with meta/argument_specs.yml)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  controllerOnly: true,
  example: 'validate_argument_spec: { argument_spec: { hydra_port: { type: int, required: true } } }',
  gather: async () => undefined,
  plan(_state, args: Args, ctx) {
    const read = (name: string) => {
      if (args.provided_arguments) return { value: args.provided_arguments[name] }
      try {
        return { value: ctx.vars[name] }
      } catch (e) {
        return { error: (e as Error).message }
      }
    }
    const errors = argumentErrors(args.argument_spec as Record<string, OptionSpec>, read)
    if (errors.length)
      return {
        commands: [],
        fail: `Validation of arguments failed:\n${errors.map((e) => `- ${e}`).join('\n')}`,
        data: { argument_errors: errors },
      }
    return { commands: [], changed: false, msg: 'The arg spec validation passed' }
  },
})
