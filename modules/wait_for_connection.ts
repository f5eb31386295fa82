/**
 * `wait_for_connection`: wait until the host can be reached and runs a command again (after a reboot, or for a
 * host that is still booting), as Ansible's `wait_for_connection`. Waits `delay` seconds, then tries a trivial
 * command with a fresh connection each `sleep` seconds (each try bounded by `connect_timeout`) until `timeout`.
 * A host that cannot be reached yet does not make the task unreachable; running out of time fails it. Never
 * changed; in check mode it does not wait.
 *
 * @example
 * ```yaml
 * - wait_for_connection: { delay: 5, timeout: 300 }
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { HostError } from '../engine/errors.js'
import { defineModule, type AfterResult, type HostIO } from '../engine/module.js'

const Args = Type.Object(
  {
    timeout: Type.Optional(Type.Integer({ default: 600, minimum: 0, description: 'Seconds to wait in all.' })),
    delay: Type.Optional(
      Type.Integer({ default: 0, minimum: 0, description: 'Seconds to wait before the first try.' }),
    ),
    sleep: Type.Optional(Type.Integer({ default: 1, minimum: 0, description: 'Seconds between tries.' })),
    connect_timeout: Type.Optional(
      Type.Integer({ default: 5, minimum: 1, description: 'Seconds one try may take before it counts as failed.' }),
    ),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
  })

/** One try: the trivial command, failed when it takes longer than `sec`. */
async function attempt(io: HostIO, sec: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new HostError('', 'timeout', `no answer within ${sec}s`)), sec * 1000)
  })
  try {
    const r = await Promise.race([io.run({ argv: ['true'], describe: 'test the connection' }), late])
    if (r.rc !== 0) throw new HostError('', 'unreachable', `the test command exited with ${r.rc}`)
  } finally {
    clearTimeout(t)
  }
}

/** Wait as the arguments say; the registered `elapsed` is in whole seconds, as Ansible's. */
export async function waitForConnection(a: Args, io: HostIO, signal: AbortSignal): Promise<AfterResult> {
  const t0 = Date.now()
  await pause((a.delay ?? 0) * 1000, signal)
  const deadline = t0 + (a.timeout ?? 600) * 1000
  for (;;) {
    let why: string
    try {
      await attempt(io, a.connect_timeout ?? 5)
      return { data: { elapsed: Math.floor((Date.now() - t0) / 1000) }, changed: false }
    } catch (e) {
      if (!(e instanceof HostError)) throw e
      why = e.message
    }
    const elapsed = Math.floor((Date.now() - t0) / 1000)
    if (signal.aborted || Date.now() + (a.sleep ?? 1) * 1000 >= deadline) {
      const msg = `timed out waiting for ping module test: ${why}`
      return { data: { elapsed }, changed: false, fail: msg, msg }
    }
    await io.reconnect(a.connect_timeout ?? 5)
    await pause((a.sleep ?? 1) * 1000, signal)
  }
}

export default defineModule({
  name: 'wait_for_connection',
  summary: 'Wait until the host can be reached again (reboots, booting hosts)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'wait_for_connection: { delay: 5, timeout: 300 }',
  waitsForConnection: true,
  gather: async () => undefined,
  plan: () => ({ commands: [], changed: false }),
  apply: (_plan, args: Args, ctx, io) => waitForConnection(args, io, ctx.signal),
})
