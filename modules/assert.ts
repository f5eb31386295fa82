/**
 * `assert`: check conditions (Ansible expressions, as in `when`); fail with `fail_msg` when one is false.
 * Runs on the controller, never changed.
 *
 * @example
 * ```yaml
 * - assert:
 *     that:
 *       - facts.architecture in ['aarch64', 'armv7l']
 *       - facts.memtotal_mb >= 900
 *     fail_msg: "{{ inventory_hostname }} cannot build Hydra"
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'
import { evalCondition } from '../engine/expr.js'
import type { Vars } from '../engine/types.js'

/** One condition: an expression, or a YAML boolean or empty value (Ansible takes those too). */
const Condition = Type.Union([Type.String(), Type.Boolean(), Type.Null()])
type Condition = string | boolean | null

const Args = Type.Object(
  {
    that: Type.Union([Condition, Type.Array(Condition)], {
      description:
        'A condition or a list of conditions that must all hold (a YAML boolean is itself; an empty item holds).',
    }),
    fail_msg: Type.Optional(
      Type.Unknown({
        description:
          "Message when a condition is false (default 'Assertion failed'; no schema default so that the " +
          '`msg` alias works).',
      }),
    ),
    msg: Type.Optional(Type.Unknown({ description: 'Alias of `fail_msg`.' })),
    success_msg: Defaulted(Type.Unknown({ default: 'All assertions passed', description: 'Message when all hold.' })),
    quiet: Defaulted(Type.Boolean({ default: false, description: 'Do not print the success message.' })),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** The first condition that does not hold, or undefined. A bad expression counts as failing, with its error. */
export function firstFalse(that: Condition | Condition[], vars: Vars): { src: string; error?: string } | undefined {
  for (const c of Array.isArray(that) ? that : [that]) {
    if (c === null || c === true) continue
    const src = String(c)
    try {
      if (c === false || !evalCondition(src, vars)) return { src }
    } catch (e) {
      return { src, error: e instanceof Error ? e.message : String(e) }
    }
  }
  return undefined
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v)
}

export default defineModule({
  name: 'assert',
  summary: 'Check that conditions hold',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  controllerOnly: true,
  example: 'assert: { that: ["facts.memtotal_mb >= 900"], fail_msg: "not enough memory" }',
  gather: async () => undefined,
  plan(_state, args: Args, ctx) {
    const bad = firstFalse(args.that, ctx.vars)
    if (bad) {
      const msg = bad.error
        ? `assertion '${bad.src}' could not be evaluated: ${bad.error}`
        : text(args.fail_msg ?? args.msg ?? 'Assertion failed')
      return { commands: [], fail: msg, msg, data: { assertion: bad.src, evaluated_to: false, msg } }
    }
    const msg = text(args.success_msg)
    return { commands: [], changed: false, msg: args.quiet ? undefined : msg, data: { msg } }
  },
})
