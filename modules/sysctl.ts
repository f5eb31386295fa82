/**
 * `sysctl`: set a kernel parameter in a sysctl file (default /etc/sysctl.conf) and, as Ansible's
 * `ansible.posix.sysctl` does, optionally in the running kernel (`sysctl_set`, `sysctl -w`) and reload the file
 * (`reload`, `sysctl -p FILE`). The running value is read with `sysctl -e -n NAME`; the file is rewritten as Ansible
 * rewrites it (every `key = value` line normalised to `key=value`, the key's first line replaced or dropped, a new key
 * appended), atomically. Changed when the file's value differs (or the key is missing/present), or, with
 * `reload`/`sysctl_set`, when the running value differs.
 *
 * @example
 * ```yaml
 * - sysctl: { name: net.ipv4.ip_forward, value: "1", sysctl_set: true }
 * - sysctl: { name: vm.swappiness, value: "10", sysctl_file: /etc/sysctl.d/90-swap.conf, reload: false }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { writeFile } from '../engine/commands.js'
import { defineModule, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { readCommand } from './lib/files.js'

const Args = Type.Object(
  {
    name: Type.String({ description: 'The parameter (`net.ipv4.ip_forward`).', aliases: ['key'] }),
    value: Type.Optional(
      Type.Union([Type.String(), Type.Boolean(), Type.Number()], {
        description: 'Its value (`yes`/`true` → `1`, `no`/`false` → `0`); required with state=present.',
        aliases: ['val'],
      }),
    ),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the file sets the parameter.',
      }),
    ),
    reload: Defaulted(Type.Boolean({ default: true, description: 'Run `sysctl -p FILE` when something changed.' })),
    sysctl_set: Defaulted(
      Type.Boolean({ default: false, description: 'Also set the running value with `sysctl -w` when it differs.' }),
    ),
    ignoreerrors: Defaulted(Type.Boolean({ default: false, description: 'Ignore unknown keys (`sysctl -e`).' })),
    sysctl_file: Defaulted(Type.String({ default: '/etc/sysctl.conf', description: 'The file holding the setting.' })),
  },
  { additionalProperties: false, ...argRules({ required_if: [['state', 'present', ['value']]] }) },
)
type Args = ModuleArgs<typeof Args>

/** What the host has now. */
export interface SysctlState {
  /** `sysctl -e -n NAME`'s output, or undefined when it failed (no such key). */
  running?: string
  /** The file's lines (none when it is missing). */
  lines: string[]
}

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't', '1.0'])
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f', '0.0'])
/** C messages, and sysctl found in sbin for a login user too (as Ansible's `get_bin_path` finds it). */
const C = {
  LANG: 'C',
  LC_ALL: 'C',
  LC_MESSAGES: 'C',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
}
/** Errors `sysctl` reports on stderr with a zero exit. */
export const SYSCTL_ERROR = /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m

/** The value as Ansible writes it: booleans as 1/0, strings trimmed. */
export function sysctlValue(v: Args['value']): string {
  if (v === undefined) return ''
  if (typeof v === 'boolean') return v ? '1' : '0'
  const s = String(v)
  if (TRUE.has(s.toLowerCase())) return '1'
  if (FALSE.has(s.toLowerCase())) return '0'
  return s.trim()
}

/** Same words in the same order (the running value's tabs against the wanted spaces). */
const sameWords = (a: string | undefined, b: string) =>
  a !== undefined && a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ')

const setting = (line: string): [string, string] | undefined => {
  const t = line.trim()
  if (!t || t.startsWith('#') || t.startsWith(';') || !t.includes('=')) return undefined
  const i = t.indexOf('=')
  return [t.slice(0, i).trim(), t.slice(i + 1).trim()]
}

/** The file's settings (the last line of a key wins, as sysctl reads it). */
export function fileValues(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const l of lines) {
    const kv = setting(l)
    if (kv) out.set(kv[0], kv[1])
  }
  return out
}

/** The file as Ansible rewrites it: settings normalised, later duplicates of a key dropped. Pure. */
export function rewrite(lines: readonly string[], name: string, value: string, present: boolean): string {
  const seen = new Set<string>()
  const out: string[] = []
  for (const l of lines) {
    const kv = setting(l)
    if (!kv) out.push(l.trim())
    else if (!seen.has(kv[0])) {
      seen.add(kv[0])
      if (kv[0] !== name) out.push(`${kv[0]}=${kv[1]}`)
      else if (present) out.push(`${name}=${value}`)
    }
  }
  if (!seen.has(name) && present) out.push(`${name}=${value}`)
  return out.map((l) => `${l}\n`).join('')
}

/** Decide. Pure. */
export function planSysctl(s: SysctlState, a: Args): Plan {
  const name = a.name.trim()
  const value = sysctlValue(a.value)
  const present = a.state === 'present'
  if (name === '') return { commands: [], fail: 'name cannot be blank' }
  // `sysctl NAME=VALUE` writes even without -w: such a name is never passed to sysctl (nor read by gather)
  if (name.includes('=')) return { commands: [], fail: `name cannot contain "=": ${name}` }
  if (present && value === '') return { commands: [], fail: 'value cannot be blank' }
  const inFile = fileValues(s.lines).get(name)
  let changed = false
  let write = false
  let setRunning = false
  if (inFile === undefined) {
    changed = write = present
  } else if (!present) {
    // Ansible tests the file's value for truth: an empty `key=` line stays
    changed = write = inFile !== ''
  } else if (inFile !== value) changed = write = true
  else if (a.reload && !sameWords(s.running, value)) changed = true
  if (a.sysctl_set && present) {
    if (s.running === undefined) changed = true
    else if (!sameWords(s.running, value)) changed = setRunning = true
  }
  const e = a.ignoreerrors ? ['-e'] : []
  const commands: Command[] = []
  const changes: string[] = []
  if (setRunning) {
    commands.push({ argv: ['sysctl', ...e, '-w', `${name}=${value}`], env: C, describe: `set ${name} to ${value}` })
    changes.push(`set the running ${name} to ${value} (was ${s.running?.trim()})`)
  }
  const before = s.lines.map((l) => `${l}\n`).join('')
  const after = rewrite(s.lines, name, value, present)
  if (write) {
    commands.push(writeFile(a.sysctl_file, after))
    changes.push(present ? `${name}=${value} in ${a.sysctl_file}` : `remove ${name} from ${a.sysctl_file}`)
  }
  if (changed && a.reload) {
    commands.push({ argv: ['sysctl', ...e, '-p', a.sysctl_file], env: C, describe: `reload ${a.sysctl_file}` })
    changes.push(`reload ${a.sysctl_file}`)
  }
  return {
    commands,
    changed,
    ...(changes.length ? { changes } : {}),
    ...(write ? { diff: [{ path: a.sysctl_file, before, after }] } : {}),
  }
}

/** Parse gather's results (`running` is undefined when the value was not read). */
export function parseSysctl(running: CommandResult | undefined, file: CommandResult): SysctlState {
  const lines = file.rc === 0 ? file.stdout.split('\n') : []
  if (lines.at(-1) === '') lines.pop()
  return { running: running?.rc === 0 ? running.stdout : undefined, lines }
}

export default defineModule({
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  summary: 'Set a kernel parameter in a sysctl file and, optionally, in the running kernel',
  schema: Args,
  changedWhen: "the file's value (or the running value, with `reload`/`sysctl_set`) differs from `value`",
  check: 'full',
  example: 'sysctl: { name: net.ipv4.ip_forward, value: "1", sysctl_set: true }',
  async gather(args: Args, _ctx, io): Promise<SysctlState> {
    const name = args.name.trim()
    // a name with "=" would make sysctl write (the plan refuses it): its running value is not read
    const [file, running] = await io.batch([
      readCommand(args.sysctl_file, Infinity),
      ...(name.includes('=') ? [] : [{ argv: ['sysctl', '-e', '-n', name], env: C, describe: `read ${name}` }]),
    ])
    return parseSysctl(running, file)
  },
  plan: (state, args) => planSysctl(state, args),
  after(_state, args, results) {
    const bad = results.find((r) => SYSCTL_ERROR.test(r.stderr))
    return bad ? { fail: `setting ${args.name} failed: ${bad.stdout}${bad.stderr}` } : {}
  },
})
