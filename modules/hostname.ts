/**
 * `hostname`: set the host's name as Ansible's `hostname` does on Debian. With systemd running (or `use: systemd`
 * or `use: debian`, which Ansible maps to the same strategy) the static name is set with
 * `hostnamectl --pretty --static set-hostname`, then the running (transient) one with
 * `hostnamectl --transient set-hostname`, each only when it differs. Without systemd, Ansible's Debian strategy
 * writes /etc/hostname only (the running name is read from that file too, so it is not changed). Other `use`
 * strategies (redhat, alpine, …) are for other systems and not offered.
 *
 * @example
 * ```yaml
 * - hostname: { name: builder-1 }
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { sh, writeFile } from '../engine/commands.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { readCommand } from './lib/files.js'

const Args = Type.Object(
  {
    name: Type.String({ description: 'The new host name.' }),
    use: Type.Optional(
      Type.Union([Type.Literal('systemd'), Type.Literal('debian')], {
        description: 'The strategy (default: systemd when it runs, else /etc/hostname); `debian` is `systemd`.',
      }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** What the host says, per strategy. */
export type HostnameState =
  { strategy: 'systemd'; static: string; transient: string } | { strategy: 'file'; file: string }

/** Ansible's test for a systemd-managed host: systemctl installed and one of sd_booted's canaries there. */
const SYSTEMD =
  'command -v systemctl >/dev/null 2>&1 && { [ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || ' +
  '[ -e /dev/.systemd/ ]; }'
const HOSTNAME_FILE = '/etc/hostname'
const ctl = (...argv: string[]): Command => ({ argv: ['hostnamectl', ...argv], describe: argv.join(' ') })

/** Decide. Pure. */
export function planHostname(s: HostnameState, a: Args): Plan {
  const name = a.name
  const commands: Command[] = []
  const changes: string[] = []
  let before: string
  if (s.strategy === 'systemd') {
    before = s.transient !== name ? s.transient : s.static
    const setStatic = s.static !== name
    const setTransient = s.transient !== name
    if ((setStatic || setTransient) && name.length > 64)
      return { commands: [], fail: 'name cannot be longer than 64 characters on systemd servers, try a shorter name' }
    if (setStatic) {
      commands.push(ctl('--pretty', '--static', 'set-hostname', name))
      changes.push(`static host name ${s.static} → ${name}`)
    }
    if (setTransient) {
      commands.push(ctl('--transient', 'set-hostname', name))
      changes.push(`running host name ${s.transient} → ${name}`)
    }
  } else {
    before = s.file
    if (s.file !== name) {
      commands.push(writeFile(HOSTNAME_FILE, `${name}\n`))
      changes.push(`${HOSTNAME_FILE}: ${s.file} → ${name}`)
    }
  }
  const data = { name, ansible_facts: { ansible_hostname: name.split('.')[0], ansible_nodename: name } }
  if (commands.length === 0) return { commands, data }
  return {
    commands,
    changes,
    data,
    diff: [{ path: 'hostname', before: `hostname = ${before}\n`, after: `hostname = ${name}\n` }],
  }
}

const fail = (r: CommandResult) => `Command failed rc=${r.rc}, out=${r.stdout}, err=${r.stderr}`

/** Parse gather's results. Throws when hostnamectl cannot tell. */
export function parseHostname(a: Args, probe: CommandResult, rest: CommandResult[]): HostnameState {
  const systemd = a.use !== undefined || probe.rc === 0
  if (!systemd) return { strategy: 'file', file: rest[2].rc === 0 ? rest[2].stdout.trim() : '' }
  for (const r of rest.slice(0, 2)) if (r.rc !== 0) throw new ModuleFailure(fail(r))
  return { strategy: 'systemd', static: rest[0].stdout.trim(), transient: rest[1].stdout.trim() }
}

export default defineModule({
  name: 'hostname',
  summary: "Set the host's name (hostnamectl under systemd, else /etc/hostname)",
  schema: Args,
  changedWhen: 'the static or running host name (or /etc/hostname) differs from `name`',
  check: 'full',
  example: 'hostname: { name: builder-1 }',
  async gather(args: Args, _ctx, io): Promise<HostnameState> {
    const [probe, ...rest] = await io.batch([
      sh(SYSTEMD, [], { describe: 'is systemd running' }),
      ctl('--static', 'status'),
      ctl('--transient', 'status'),
      readCommand(HOSTNAME_FILE, Infinity),
    ])
    return parseHostname(args, probe, rest)
  },
  plan: (state, args) => planHostname(state, args),
})
