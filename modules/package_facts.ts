/**
 * `package_facts`: the installed packages as the fact `packages` (a variable, and `ansible_facts.packages`), as
 * Ansible's `package_facts` with its apt manager: name → a list of `{name, version, arch, category, source: apt}`
 * (one per installed architecture; a foreign-architecture package is named `NAME:ARCH`, as apt names it). Read with
 * one `dpkg-query`; packages whose configuration files only are left do not count. Only the apt manager exists on
 * Debian: `manager: auto` (the default) and `apt` use it; other managers are not usable there, and the task fails
 * when none is. Ansible's `origin` (read from apt's package lists by python-apt) is not given. Read-only: never
 * changed, the same in check mode.
 *
 * @example
 * ```yaml
 * - package_facts:
 * - debug: { msg: "nginx {{ packages.nginx[0].version }}" }
 *   when: "'nginx' in ansible_facts.packages"
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh } from '../engine/commands.js'
import { defineModule, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { toList } from './lib/argvalues.js'
import { factsPlan } from './lib/factplan.js'
import { ALL_CODES, SBIN_PATH } from './lib/run.js'

/** The managers Ansible knows. */
const MANAGERS = ['auto', 'apt', 'rpm', 'portage', 'pkg', 'pacman', 'apk', 'pkg_info']

const Args = Type.Object(
  {
    manager: Defaulted(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        default: ['auto'],
        description: `Package managers to ask: ${MANAGERS.join(', ')} (only apt is usable on Debian).`,
      }),
    ),
    strategy: Defaulted(
      Type.Union([Type.Literal('first'), Type.Literal('all')], {
        default: 'first',
        description: 'Stop at the first usable manager, or ask all.',
      }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** One installed package, as Ansible's apt manager lists it. */
export interface PackageFact {
  name: string
  version: string
  arch: string
  category: string
  source: 'apt'
}

/** Exit 3: no dpkg-query. Else the native architecture, then a line per package (tab-separated). */
const LIST = [
  'command -v dpkg-query >/dev/null 2>&1 || exit 3',
  'dpkg --print-architecture',
  "dpkg-query -W -f='${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\t${Section}\\n'",
].join('\n')

/** The read-only command listing the packages. */
export function listCommand(): Command {
  return sh(LIST, [], {
    okCodes: ALL_CODES,
    env: { LC_ALL: 'C', PATH: SBIN_PATH },
    describe: 'list the installed packages',
  })
}

/** `dpkg-query`'s lines as Ansible's `packages` fact. Pure. */
export function parsePackages(out: string): Record<string, PackageFact[]> {
  const [native, ...lines] = out.split('\n')
  const packages: Record<string, PackageFact[]> = {}
  for (const line of lines) {
    const [status, pkg, version, arch, section] = line.split('\t')
    if (!pkg || status === 'not-installed' || status === 'config-files' || !version) continue
    const name = arch === native.trim() || arch === 'all' ? pkg : `${pkg}:${arch}`
    ;(packages[name] ??= []).push({ name, version, arch, category: section ?? '', source: 'apt' })
  }
  return packages
}

/** The managers to ask, in order (`auto` → every known one), or the failure Ansible reports. */
export function managersOf(a: Args): string[] | string {
  const asked = toList(a.manager).map((m) => m.toLowerCase())
  const out = [...new Set(asked.flatMap((m) => (m === 'auto' ? MANAGERS.slice(1) : [m])))]
  const unknown = out.filter((m) => !MANAGERS.includes(m))
  if (unknown.length === 0) return out
  return asked.includes('auto')
    ? 'Could not auto detect a usable package manager, check warnings for details.'
    : `Unsupported package managers requested: ${unknown.join(', ')}`
}

/** Decide from dpkg-query's result. Pure. */
export function planPackageFacts(r: CommandResult | undefined, a: Args): Plan {
  const managers = managersOf(a)
  if (typeof managers === 'string') return { commands: [], fail: managers }
  if (!r || r.rc !== 0) {
    const list = `[${managers.map((m) => `'${m}'`).join(', ')}]`
    return {
      commands: [],
      fail:
        `Could not detect a supported package manager from the following list: ${list}, ` +
        'or the required Python library is not installed. Check warnings for details.',
    }
  }
  const facts = { packages: parsePackages(r.stdout) }
  return factsPlan(facts)
}

export default defineModule({
  name: 'package_facts',
  summary: 'Read the installed packages into the packages fact (ansible_facts.packages)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'package_facts: { manager: auto }',
  async gather(args: Args, _ctx, io): Promise<CommandResult | undefined> {
    const managers = managersOf(args)
    return typeof managers !== 'string' && managers.includes('apt') ? io.run(listCommand()) : undefined
  },
  plan: (r, args) => planPackageFacts(r, args),
})
