/**
 * `pause`: wait on the controller for `seconds` or `minutes`, once for all the play's hosts (as Ansible's
 * `pause`, which runs once per play batch). tsplay never reads answers from the keyboard: a `prompt` without a
 * duration continues at once with a warning, as Ansible does when its standard input is not a terminal
 * (cron, CI). The wait happens in check mode too; Ctrl-C ends it. Never changed.
 *
 * @example
 * ```yaml
 * - pause: { seconds: 30, prompt: "letting the cluster settle" }
 * - pause: { minutes: 1 }
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { defineModule } from '../engine/module.js'
import { ansibleDelta, ansibleTime } from './lib/run.js'

const Args = Type.Object(
  {
    seconds: Type.Optional(Type.Number({ description: 'Seconds to wait (less than 1 waits 1, as Ansible).' })),
    minutes: Type.Optional(Type.Number({ description: 'Minutes to wait (wins over `seconds`).' })),
    prompt: Type.Optional(Type.String({ description: 'Text shown while waiting (answers are not read).' })),
    echo: Type.Optional(Type.Boolean({ default: true, description: 'Accepted for Ansible compatibility.' })),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** What was waited for: seconds (undefined: no duration), the unit Ansible reports, and the shown line. Pure. */
export function pauseLength(a: Args): { seconds?: number; unit: 'minutes' | 'seconds'; line: string } {
  if (a.minutes !== undefined) {
    const s = Math.max(1, Math.trunc(a.minutes * 60))
    return { seconds: s, unit: 'minutes', line: `Pausing for ${s} seconds${a.prompt ? `: ${a.prompt}` : ''}` }
  }
  if (a.seconds !== undefined) {
    const s = Math.max(1, Math.trunc(a.seconds))
    return { seconds: s, unit: 'seconds', line: `Pausing for ${s} seconds${a.prompt ? `: ${a.prompt}` : ''}` }
  }
  return {
    unit: 'minutes',
    line: `${a.prompt ?? 'Press enter to continue'}: not waiting for an answer (tsplay does not read the keyboard)`,
  }
}

/** Wait (cut short by Ctrl-C); the registered result as Ansible's. */
async function wait(a: Args, log: (l: string) => void, signal: AbortSignal): Promise<Record<string, unknown>> {
  const { seconds, unit, line } = pauseLength(a)
  log(line)
  const t0 = Date.now()
  if (seconds !== undefined) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, seconds * 1000)
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
    })
  }
  const ms = Date.now() - t0
  const amount = unit === 'minutes' ? ms / 60000 : ms / 1000
  return {
    changed: false,
    rc: 0,
    stderr: '',
    stdout: `Paused for ${Math.round(amount * 100) / 100} ${unit}`,
    start: ansibleTime(t0),
    stop: ansibleTime(t0 + ms),
    delta: ansibleDelta(ms),
    user_input: '',
    echo: a.echo !== false,
  }
}

export default defineModule({
  name: 'pause',
  summary: 'Wait on the controller for a time, once for all hosts',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'pause: { seconds: 30 }',
  controllerOnly: true,
  runOnce: true,
  // the wait is the module's whole work; done while gathering so it happens in check mode too, as in Ansible
  gather: (args: Args, ctx) => wait(args, ctx.log, ctx.signal),
  plan: (data) => ({ commands: [], changed: false, data }),
})
