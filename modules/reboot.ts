/**
 * reboot: reboot the host, wait for it to come back, and check that it really rebooted (the kernel's boot id
 * changed) and answers `test_command`. Always changed. The reboot is scheduled detached (a systemd timer,
 * else a background `sleep; reboot`) so the command returns before the connection drops.
 *
 * @example
 * ```yaml
 * - reboot: { reboot_timeout: 900, msg: "kernel upgrade" }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import { sh } from '../engine/commands.js'
import type { HostIO } from '../engine/module.js'

const Args = Type.Object(
  {
    reboot_timeout: Defaulted(
      Type.Integer({
        minimum: 1,
        description: 'Seconds to wait for the host to come back and pass test_command',
        default: 600,
      }),
    ),
    msg: Defaulted(
      Type.String({
        description: 'Message logged on the host before rebooting',
        default: 'Reboot initiated by tsplay',
      }),
    ),
    test_command: Defaulted(
      Type.String({
        minLength: 1,
        description: 'Command (run with sh -c) that must succeed after the reboot',
        default: 'whoami',
      }),
    ),
    pre_reboot_delay: Defaulted(
      Type.Number({
        description: 'Seconds to wait on the host before rebooting (whole seconds; below 0 counts as 0, as in Ansible)',
        default: 0,
        aliases: ['pre_reboot_delay_sec'],
      }),
    ),
    post_reboot_delay: Defaulted(
      Type.Number({
        description: 'Seconds to wait after the host is back, before test_command (whole seconds; below 0 is 0)',
        default: 0,
        aliases: ['post_reboot_delay_sec'],
      }),
    ),
    connect_timeout: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Seconds one attempt to reconnect may take (default: what is left)' }),
    ),
    boot_time_command: Defaulted(
      Type.String({
        minLength: 1,
        description: 'Command (run with sh -c) whose output changes with each boot',
        default: 'cat /proc/sys/kernel/random/boot_id',
      }),
    ),
    reboot_command: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Command (run with sh -c, detached) that reboots the host (default: systemctl reboot, else reboot)',
      }),
    ),
    search_paths: Defaulted(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Folders searched first for the reboot command (put before PATH)',
        default: ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'],
      }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather found. */
export interface RebootState {
  bootId: string
}

/** The command that reads the boot's identity (`boot_time_command`). */
const bootId = (args: Pick<Args, 'boot_time_command'>) => sh(args.boot_time_command, [], { describe: 'read boot id' })

/**
 * Schedule the reboot detached; returns at once. $1 = delay in seconds (≥ 1), $2 = message, $3 = the reboot
 * command (empty: systemctl reboot, else reboot), $4 = folders put before PATH.
 */
const SCHEDULE = `d=$1; m=$2; c=$3; PATH="$4:$PATH"; export PATH
logger -t tsplay -- "$m" 2>/dev/null || true
if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then
  [ -n "$c" ] || exec systemd-run --quiet --collect --on-active="$d" --timer-property=AccuracySec=100ms \\
    /bin/systemctl reboot
  exec systemd-run --quiet --collect --on-active="$d" --timer-property=AccuracySec=100ms \\
    --setenv=PATH="$PATH" /bin/sh -c "$c"
fi
[ -n "$c" ] || c='reboot || /sbin/reboot'
nohup sh -c 'sleep "$1"; eval "$2"' sh "$d" "$c" >/dev/null 2>&1 &
echo scheduled`

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** A delay as Ansible reads it: whole seconds, never below 0. */
const delay = (s: number) => Math.max(0, Math.trunc(s))

export default defineModule({
  name: 'reboot',
  summary: 'Reboot the host and wait until it is back',
  schema: Args,
  changedWhen: 'always (the host rebooted)',
  check: 'full',
  example: '- reboot: { reboot_timeout: 600 }',

  async gather(args, _ctx, io): Promise<RebootState> {
    const r = await io.run(bootId(args))
    if (r.rc !== 0) throw new ModuleFailure(`cannot read the boot id: ${r.stderr.trim()}`)
    return { bootId: r.stdout.trim() }
  },

  plan(state, args, ctx) {
    return {
      commands: [
        sh(
          SCHEDULE,
          [String(delay(args.pre_reboot_delay) + 1), args.msg, args.reboot_command ?? '', args.search_paths.join(':')],
          {
            describe: 'schedule the reboot',
          },
        ),
      ],
      changes: [`reboot ${ctx.host}`],
      data: { boot_id_before: state.bootId },
    }
  },

  async apply(plan, args, ctx, io) {
    const before = plan.data!.boot_id_before as string
    const start = Date.now()
    const left = () => args.reboot_timeout - (Date.now() - start) / 1000
    const sched = await io.run(plan.commands[0])
    if (sched.rc !== 0)
      return { changed: false, fail: `could not schedule the reboot: ${(sched.stderr || sched.stdout).trim()}` }
    ctx.log(`rebooting ${ctx.host}`)
    await sleep((delay(args.pre_reboot_delay) + 1) * 1000)
    const after = await waitForNewBoot(io, args, before, left, ctx.signal)
    if (!after)
      return { changed: true, fail: `${ctx.host} did not come back with a new boot id within ${args.reboot_timeout}s` }
    if (delay(args.post_reboot_delay)) await sleep(delay(args.post_reboot_delay) * 1000)
    let last = ''
    while (left() > 0) {
      const t = await io
        .run(sh(args.test_command, [], { describe: 'test_command' }))
        .catch((e: Error) => ({ rc: -1, stdout: '', stderr: e.message }))
      if (t.rc === 0)
        return {
          changed: true,
          data: { rebooted: true, boot_id: after, elapsed: Math.round((Date.now() - start) / 1000) },
        }
      last = (t.stderr || t.stdout).trim()
      await sleep(2000)
    }
    return {
      changed: true,
      fail: `${ctx.host} rebooted but test_command did not succeed within ${args.reboot_timeout}s: ${last}`,
    }
  },
})

/** Reconnect until the boot id differs from `before`; undefined on timeout. */
async function waitForNewBoot(
  io: HostIO,
  args: Pick<Args, 'boot_time_command' | 'connect_timeout'>,
  before: string,
  left: () => number,
  signal: AbortSignal,
): Promise<string | undefined> {
  while (left() > 0 && !signal.aborted) {
    try {
      await io.reconnect(Math.max(1, Math.ceil(Math.min(left(), args.connect_timeout ?? Infinity))))
      const r = await io.run(bootId(args))
      const id = r.stdout.trim()
      if (r.rc === 0 && id && id !== before) return id
    } catch {
      // Down, refusing, or dropped again while shutting down: try again.
    }
    await sleep(2000)
  }
  return undefined
}
