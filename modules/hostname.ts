/**
 * `hostname`: set the host's name as Ansible's `hostname` does on Debian. With systemd running (or `use: systemd`
 * or `use: debian`, which Ansible maps to the same strategy) the static name is set with
 * `hostnamectl --pretty --static set-hostname`, then the running (transient) one with
 * `hostnamectl --transient set-hostname`, each only when it differs. Without systemd, Ansible's Debian strategy
 * writes /etc/hostname only (the running name is read from that file too, so it is not changed). The `use`
 * strategies of other Linux systems edit their own file as Ansible's do (`alpine`, `sles`, `openbsd`, `redhat`,
 * `openrc`, `freebsd`: see lib/hostnamefiles.ts); those of Solaris and macOS, and `generic` (which Ansible cannot
 * run either), fail the task.
 *
 * @example
 * ```yaml
 * - hostname: { name: builder-1 }
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { sh, writeFile } from '../engine/commands.js'
import { defineModule, ModuleFailure, type HostIO, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { readCommand } from './lib/files.js'
import { HOSTNAME_FILES, OTHER_SYSTEMS, type HostnameFileUse } from './lib/hostnamefiles.js'

const USES = ['systemd', 'debian', ...Object.keys(HOSTNAME_FILES), ...Object.keys(OTHER_SYSTEMS)]

const Args = Type.Object(
  {
    name: Type.String({ description: 'The new host name.' }),
    use: Type.Optional(
      Type.Union(
        USES.map((u) => Type.Literal(u)),
        {
          description:
            'The strategy (default: systemd when it runs, else /etc/hostname); `debian` is `systemd`; the others ' +
            "edit their system's file as Ansible's strategies do (`solaris`, `darwin`, `macos`, `macosx` and " +
            '`generic` fail the task).',
        },
      ),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** What the host says, per strategy. */
export type HostnameState =
  | { strategy: 'systemd'; static: string; transient: string }
  | { strategy: 'file'; file: string }
  /** A `use:` strategy that edits its own file: its text (undefined: none) and the `hostname` program's answer. */
  | { strategy: HostnameFileUse; text?: string; running?: string }
  | { strategy: 'other'; use: string }

/** Ansible's test for a systemd-managed host: systemctl installed and one of sd_booted's canaries there. */
const SYSTEMD =
  'command -v systemctl >/dev/null 2>&1 && { [ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || ' +
  '[ -e /dev/.systemd/ ]; }'
const HOSTNAME_FILE = '/etc/hostname'
const ctl = (...argv: string[]): Command => ({ argv: ['hostnamectl', ...argv], describe: argv.join(' ') })

/** What a strategy does for a new name: its commands, what they change, and the name shown as before. */
interface Step {
  commands: Command[]
  changes: string[]
  before: string
}

function systemdStep(s: { static: string; transient: string }, name: string): Step | string {
  const step: Step = { commands: [], changes: [], before: s.transient !== name ? s.transient : s.static }
  const setStatic = s.static !== name
  const setTransient = s.transient !== name
  if ((setStatic || setTransient) && name.length > 64)
    return 'name cannot be longer than 64 characters on systemd servers, try a shorter name'
  if (setStatic) {
    step.commands.push(ctl('--pretty', '--static', 'set-hostname', name))
    step.changes.push(`static host name ${s.static} → ${name}`)
  }
  if (setTransient) {
    step.commands.push(ctl('--transient', 'set-hostname', name))
    step.changes.push(`running host name ${s.transient} → ${name}`)
  }
  return step
}

/** A strategy that edits its file (and, for freebsd, sets the running name first, as Ansible's does). */
function fileStep(use: HostnameFileUse, text: string | undefined, running: string | undefined, name: string): Step {
  const rule = HOSTNAME_FILES[use]
  const permanent = rule.read(text)
  const current = rule.command ? (running ?? '') : permanent
  const step: Step = { commands: [], changes: [], before: current !== name ? current : permanent }
  if (rule.command && current !== name) {
    step.commands.push({ argv: ['hostname', name], describe: `hostname ${name}` })
    step.changes.push(`running host name ${current} → ${name}`)
  }
  if (permanent !== name) {
    step.commands.push(writeFile(rule.path, rule.write(text, name)))
    step.changes.push(`${rule.path}: ${permanent} → ${name}`)
    if (rule.after) step.commands.push({ argv: rule.after, describe: rule.after.join(' ') })
  }
  return step
}

/** Decide. Pure. */
export function planHostname(s: HostnameState, a: Args): Plan {
  const name = a.name
  let step: Step | string
  if (s.strategy === 'systemd') step = systemdStep(s, name)
  else if (s.strategy === 'other') step = `hostname: use: ${s.use} cannot be used here: ${OTHER_SYSTEMS[s.use]}`
  else if (s.strategy === 'file') {
    const write = s.file !== name ? [writeFile(HOSTNAME_FILE, `${name}\n`)] : []
    step = { commands: write, changes: write.length ? [`${HOSTNAME_FILE}: ${s.file} → ${name}`] : [], before: s.file }
  } else {
    try {
      step = fileStep(s.strategy, s.text, s.running, name)
    } catch (e) {
      step = (e as Error).message
    }
  }
  if (typeof step === 'string') return { commands: [], fail: step }
  const { commands, changes, before } = step
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

/** Parse gather's results for the default and systemd strategies. Throws when hostnamectl cannot tell. */
export function parseHostname(a: Args, probe: CommandResult, rest: CommandResult[]): HostnameState {
  const systemd = a.use !== undefined || probe.rc === 0
  if (!systemd) return { strategy: 'file', file: rest[2].rc === 0 ? rest[2].stdout.trim() : '' }
  for (const r of rest.slice(0, 2)) if (r.rc !== 0) throw new ModuleFailure(fail(r))
  return { strategy: 'systemd', static: rest[0].stdout.trim(), transient: rest[1].stdout.trim() }
}

const isFileUse = (use: string | undefined): use is HostnameFileUse => use !== undefined && use in HOSTNAME_FILES

/** Print the file (rc 4: there is none); a file that cannot be read fails `cat`. */
const readOrNone = (path: string): Command =>
  sh('[ -f "$1" ] || exit 4; exec cat -- "$1"', [path], { describe: `read ${path}` })

/** Gather for a strategy that edits its file: its text, and the running name where the strategy asks for it. */
async function gatherFileUse(use: HostnameFileUse, io: HostIO): Promise<HostnameState> {
  const rule = HOSTNAME_FILES[use]
  const [file, running] = await io.batch([
    readOrNone(rule.path),
    ...(rule.command ? [{ argv: ['hostname'], describe: 'hostname' }] : []),
  ])
  if (file.rc !== 0 && file.rc !== 4) throw new ModuleFailure(`failed to read hostname: ${file.stderr.trim()}`)
  if (running && running.rc !== 0) throw new ModuleFailure(fail(running))
  return {
    strategy: use,
    ...(file.rc === 0 ? { text: file.stdout } : {}),
    ...(running ? { running: running.stdout.trim() } : {}),
  }
}

export default defineModule({
  name: 'hostname',
  summary: "Set the host's name (hostnamectl under systemd, else /etc/hostname)",
  schema: Args,
  changedWhen: "the static or running host name (or the strategy's file) differs from `name`",
  check: 'full',
  example: 'hostname: { name: builder-1 }',
  async gather(args: Args, _ctx, io): Promise<HostnameState> {
    if (isFileUse(args.use)) return gatherFileUse(args.use, io)
    if (args.use !== undefined && args.use in OTHER_SYSTEMS) return { strategy: 'other', use: args.use }
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
