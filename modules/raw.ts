/**
 * `raw`: run a shell string on the host with nothing around it — no facts, no `creates`/`removes`, no module
 * machinery — as Ansible's `raw` (bootstrapping a host that lacks what other modules need). The string is one
 * argv element of `EXECUTABLE -c STRING` (quoting stays in engine/ssh/quote.ts); `{{ var }}` values in it are
 * inserted shell-quoted, as in `shell`. Always changed; a non-zero exit code fails the task; skipped in check
 * mode (as Ansible's). The `environment` keyword's variables are not applied, with Ansible's warning ("raw
 * module does not support the environment keyword"; engine/run/execute.ts).
 *
 * @example
 * ```yaml
 * - raw: test -e /usr/bin/python3 || (apt-get update && apt-get install -y python3-minimal)
 *   become: true
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { defineModule, type AfterResult, type Plan } from '../engine/module.js'
import type { CommandResult } from '../engine/types.js'
import { ALL_CODES, lines } from './lib/run.js'

const Args = Type.Object(
  {
    free_form: Type.String({
      description: 'The shell string to run (the free-form value). `{{ var }}` values are inserted shell-quoted.',
      shellTemplate: true,
    }),
    executable: Type.Optional(
      Type.String({ description: 'The shell that runs the string (`EXECUTABLE -c STRING`); default `/bin/sh`.' }),
    ),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** One command: `EXECUTABLE -c STRING`, every exit code returned (judged in `afterRaw`); skipped in check mode. */
export function planRaw(a: Args, checkMode = false): Plan {
  if (checkMode) return { commands: [], skip: 'check mode: raw commands are not run' }
  return {
    commands: [{ argv: [a.executable ?? '/bin/sh', '-c', a.free_form], okCodes: ALL_CODES, describe: a.free_form }],
    changes: [`run ${a.free_form}`],
  }
}

/** Ansible's `raw` result: rc, stdout, stderr and their lines; "non-zero return code" on failure. Pure. */
export function afterRaw(results: CommandResult[]): AfterResult {
  const r = results[0]
  if (!r) return {}
  const data = {
    rc: r.rc,
    stdout: r.stdout,
    stderr: r.stderr,
    stdout_lines: lines(r.stdout),
    stderr_lines: lines(r.stderr),
    changed: true,
  }
  return r.rc === 0 ? { data } : { data, fail: 'non-zero return code', msg: 'non-zero return code' }
}

export default defineModule({
  name: 'raw',
  summary: 'Run a shell string on the host, without module machinery (bootstrapping)',
  schema: Args,
  freeForm: 'free_form',
  changedWhen: 'always when it runs (use changed_when)',
  check: 'none',
  ignoresEnvironment: true,
  example: 'raw: test -e /usr/bin/python3 || apt-get install -y python3-minimal',
  gather: async () => undefined,
  plan: (_state, args: Args, ctx) => planRaw(args, ctx.checkMode),
  after: (_state, _args, results) => afterRaw(results),
})
