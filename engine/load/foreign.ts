/**
 * Modules of other systems in multi-OS roles. A role written for several systems calls `yum` under
 * `when: ansible_os_family == 'RedHat'` beside `apt` for Debian; Ansible knows both, and on a Debian host the
 * `yum` task is skipped. tsplay lacks such modules; refusing the whole playbook for them would refuse what Ansible
 * runs. So a name that is an Ansible module tsplay does not have — one of ansible-core's (`yum`, `dnf`, …), a
 * Windows one (`win_*`), another system's package or service manager, or any collection's full name
 * (`community.general.pacman`) — in a task that may not run (engine/load/deferred.ts) is a warning, and the task
 * fails if it runs (modules/absent.ts). Anywhere else, and for any other unknown name, it stays an error. The same
 * holds for an Ansible action plugin when the controller's Python lacks ansible-core (`actionPlugin`).
 *
 * @example
 * ```ts
 * foreignModule(ctx, { yum: { name: 'httpd' }, when: "x == 'RedHat'" }, 'yum', scope, pos) // 'yum', a warning
 * ```
 */
import { absentModule } from '../../modules/absent.js'
import { actionPluginModule } from '../../modules/action-plugin.js'
import { libraryModule } from '../../modules/library.js'
import { controllerPython, hasAnsible } from '../expr/pyplugins.js'
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import type { LoadContext } from './context.js'
import { whyMayNotRun, whyTolerated } from './deferred.js'
import { libraryFile, moduleUtilsDirs, refusePlugin } from './library.js'
import type { TaskScope } from './task.js'

/** ansible-core 2.14 modules tsplay does not have (its others are tsplay's or keywords). */
const CORE = ['yum', 'dnf', 'yum_repository', 'rpm_key', 'systemd_service', 'async_wrapper']
/** Package, service and system modules of systems tsplay does not serve, found in multi-OS roles. */
const OTHER_SYSTEMS = [
  'apk',
  'pacman',
  'zypper',
  'zypper_repository',
  'pkgng',
  'pkgutil',
  'homebrew',
  'homebrew_cask',
  'homebrew_tap',
  'macports',
  'openbsd_pkg',
  'portage',
  'xbps',
  'urpmi',
  'swdepot',
  'slackpkg',
  'snap',
  'flatpak',
  'flatpak_remote',
  'dnf5',
  'openrc',
  'launchd',
  'osx_defaults',
  'svcadm',
  'firewalld',
  'selinux',
  'seboolean',
  'sefcontext',
  'timezone',
  'ufw',
  'mount',
  'chocolatey',
]
const KNOWN = new Set([...CORE, ...OTHER_SYSTEMS])

/** The name of `name` without `ansible.builtin.`/`ansible.legacy.` when it is an Ansible module tsplay lacks. */
export function foreignName(name: string): string | undefined {
  const bare = name.replace(/^ansible\.(builtin|legacy)\./, '')
  return KNOWN.has(bare) || bare.startsWith('win_') || /^[a-z]\w*\.[a-z]\w*\.[a-z]\w*$/.test(bare) ? bare : undefined
}

/** Is `name` an Ansible module (of ansible-core, a collection or another system) that tsplay lacks? */
export const isForeignModule = (name: string): boolean => foreignName(name) !== undefined

/**
 * Why the wrong arguments of a `package` task may be fine where it runs, or undefined: Ansible's `package` hands
 * its arguments to the host's package manager, so on another system (`dnf` on Fedora) they may be right — in a task
 * that may not run on tsplay's hosts (a multi-OS role's `enablerepo:` under `when: os_family == 'RedHat'`).
 * `module_defaults` of another system's package manager, or `use:` naming one, are named as the likely reason.
 */
export function otherSystemArgs(
  ctx: LoadContext,
  module: string,
  args: Record<string, unknown>,
  raw: Record<string, unknown>,
  scope: TaskScope,
): string | undefined {
  if (module !== 'package') return undefined
  const why = whyMayNotRun(ctx, raw, scope)
  if (!why) return undefined
  const other = [...(ctx.moduleDefaults?.keys() ?? [])].find(isForeignModule)
  const use = typeof args.use === 'string' && isForeignModule(args.use) ? args.use : undefined
  const who = other ? `module_defaults for ${other}` : use ? `use: ${use}` : undefined
  const taker = who ? `${who} may take them on another system` : "another system's package manager may take them"
  return `${taker}, and ${why}`
}

/**
 * The module name `k` of task `raw` as a stand-in that fails when it runs, with a warning, when `k` is a module
 * tsplay lacks and the task may not run or may fail; else undefined (the caller reports it unknown).
 */
export function foreignModule(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  k: string,
  scope: TaskScope,
  pos: SourcePos,
): string | undefined {
  if (!isForeignModule(k)) return undefined
  const why = whyMayNotRun(ctx, raw, scope) ?? whyTolerated(ctx, raw)
  if (!why) return undefined
  return standIn(ctx, k, `tsplay has no module "${k}"`, why, pos)
}

/** Make `k` a module that fails when it runs (`message`, default absentModule's), with a warning; returns `k`. */
function standIn(ctx: LoadContext, k: string, warning: string, why: string, pos: SourcePos, message?: string): string {
  if (!ctx.modules.has(k)) ctx.modules.set(k, absentModule(k, message))
  ctx.spellings.set(k, k)
  ctx.warnings.push(new UserError(`${warning} (the task fails if it runs; ${why})`, pos))
  return k
}

/**
 * The Ansible action plugin `k` (the Python file `plugin`) as the module of task `raw`: run by the controller's
 * Python with ansible-core (modules/action-plugin.ts), with the library module of the same name, if there is one,
 * as the module it runs by its own name. Without ansible-core on the controller: in a task that may not run or may
 * fail, a stand-in that fails when it runs, with a warning; anywhere else it is refused (undefined).
 */
export function actionPlugin(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  k: string,
  plugin: string,
  scope: TaskScope,
  pos: SourcePos,
): string | undefined {
  const bare = k.replace(/^ansible\.legacy\./, '')
  const python = controllerPython()
  if (hasAnsible(python)) {
    const own = libraryFile(ctx, bare)
    ctx.modules.set(
      bare,
      actionPluginModule(bare, plugin, own ? libraryModule(bare, own, moduleUtilsDirs(ctx)) : undefined),
    )
    ctx.spellings.set(bare, bare)
    ctx.spellings.set(`ansible.legacy.${bare}`, bare)
    return bare
  }
  const message =
    `"${k}" is an Ansible action plugin (${plugin}): it runs with ansible-core, ` +
    `which ${python} on this controller cannot import`
  const why = whyMayNotRun(ctx, raw, scope) ?? whyTolerated(ctx, raw)
  if (!why) {
    refusePlugin(ctx, message, pos, '(install ansible-core, or name a Python that has it in TSPLAY_PYTHON)')
    return undefined
  }
  return standIn(ctx, k, message, why, pos, message)
}
