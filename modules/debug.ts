/**
 * `debug`: print a message or a variable's value (runs on the controller, never changed).
 *
 * @example
 * ```yaml
 * - debug: { msg: "building for {{ facts.nix_system }}" }
 * - debug: { var: result.stdout_lines, verbosity: 1 }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'
import { evalExpr } from '../engine/expr.js'
import { UndefinedVariableError } from '../engine/expr/values.js'
import type { Vars } from '../engine/types.js'

const Args = Type.Object(
  {
    msg: Defaulted(Type.Unknown({ default: 'Hello world!', description: 'The message to print (any value).' })),
    var: Type.Optional(
      Type.String({
        description: 'A variable (expression) whose value to print, e.g. `result.stdout`; instead of `msg`.',
      }),
    ),
    verbosity: Defaulted(
      Type.Integer({ default: 0, minimum: 0, description: 'Print only when run with at least this many `-v`.' }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** Ansible's text for a variable that is not defined. */
export const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!'

/**
 * The value of `src` in `vars`, or Ansible's not-defined text when something in it is not defined; any other error
 * (a filter refusing its argument, a vaulted value with no password) fails the task, as in Ansible.
 */
export function lookup(src: string, vars: Vars): unknown {
  try {
    return evalExpr(src, vars)
  } catch (e) {
    if (e instanceof UndefinedVariableError) return NOT_DEFINED
    throw e
  }
}

export default defineModule({
  name: 'debug',
  summary: 'Print a message or a variable',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  controllerOnly: true,
  example: 'debug: { msg: "hello {{ inventory_hostname }}" }',
  gather: async () => undefined,
  plan(_state, args: Args, ctx) {
    const level = Number(ctx.vars.ansible_verbosity ?? 0)
    if (args.verbosity > level)
      return {
        commands: [],
        skip: 'Verbosity threshold not met.',
        data: { skipped_reason: 'Verbosity threshold not met.' },
      }
    if (args.var !== undefined) {
      const value = lookup(args.var, ctx.vars)
      const shown = typeof value === 'string' ? value : JSON.stringify(value, null, 2)
      return {
        ...{ commands: [], changed: false, msg: `${args.var}: ${shown}`, msgShownOnly: true },
        data: { [args.var]: value },
      }
    }
    const msg = args.msg === undefined ? 'Hello world!' : args.msg
    return {
      commands: [],
      changed: false,
      msg: typeof msg === 'string' ? msg : JSON.stringify(msg, null, 2),
      data: { msg },
    }
  },
})
