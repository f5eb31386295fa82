/**
 * ping: check that tsplay can reach the host and run a command there; returns `ping: pong` (or `data`), never
 * changed. As in Ansible, `data: crash` makes the module fail (to test error handling).
 *
 * @example
 * ```yaml
 * - ping:
 * - ping: { data: hello }
 *   register: r   # r.ping == "hello"
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'

const Args = Type.Object(
  {
    data: Type.Optional(
      Type.String({ description: 'The value returned as `ping`; `crash` makes the task fail', default: 'pong' }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** The one command ping runs: proves the connection and a shell work, reads nothing. */
const PROBE = { argv: ['true'], describe: 'ping' }

export default defineModule({
  name: 'ping',
  summary: 'Check that the host can be reached and run commands; returns pong',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: '- ping: { data: hello }',
  async gather(_args: Args, _ctx, io): Promise<void> {
    const r = await io.run(PROBE)
    if (r.rc !== 0) throw new ModuleFailure(`the host cannot run commands: ${(r.stderr || r.stdout).trim()}`)
  },
  plan(_state, raw: Args) {
    const data = raw.data ?? 'pong'
    // as Ansible's module, which raises: a MODULE FAILURE with the exception on stderr
    if (data === 'crash') {
      const failure = { module_stdout: '', module_stderr: 'Exception: boom\n', rc: 1 }
      const msg = 'MODULE FAILURE\nSee stdout/stderr for the exact error'
      return { commands: [], fail: 'boom (data: crash)', data: { ...failure, msg } }
    }
    return { commands: [], changed: false, data: { ping: data } }
  },
})
