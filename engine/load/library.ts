/**
 * Finding library modules (Ansible's custom modules): a task's module name that is none of tsplay's modules is
 * looked for as a file in the `library/` folders Ansible searches — each loaded role's `library/`, the play's and
 * the playbook's `library/`, then `ANSIBLE_LIBRARY` (or `library` in ansible.cfg's `[defaults]`, else Ansible's
 * default folders). A file `NAME` or `NAME.<ext>` is the module `NAME` (a POSIX one before `NAME.ps1`, as Ansible
 * picks for a POSIX host); found, it joins the run's modules
 * (modules/library.ts runs it). tsplay's own modules win over a library file of the same name (Ansible's order is
 * the other way round): that is a warning.
 *
 * @example
 * ```ts
 * addLibraryDir(ctx, '/srv/site/roles/web/library')
 * libraryModuleName(ctx, 'hello') // 'hello' when /srv/site/roles/web/library/hello.py exists
 * ```
 */
import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { libraryModule } from '../../modules/library.js'
import { collectionModule, type CollectionModule } from './collections.js'
import { documentedOptions } from './moduledocs.js'
import { actionPluginModule } from '../../modules/action-plugin.js'
import type { ModuleDef } from '../module.js'
import { namesNotTaken } from '../argrules.js'
import { posOf } from '../source/positions.js'
import { UserError } from '../errors.js'
import { configuredPaths, pathList } from '../source/rolespath.js'
import type { SourcePos } from '../types.js'
import type { LoadContext } from './context.js'

const DEFAULT_LIBRARY = '~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules'
/**
 * Files in a library folder that are not modules (docs, module_utils of Windows, compiled Python). A Windows module
 * (`NAME.ps1`) is a module: Ansible accepts the task before the run, and it fails when it runs on a POSIX host.
 */
const NOT_MODULES = new Set(['.psm1', '.cs', '.yml', '.yaml', '.md', '.txt', '.pyc', '.pyo', '.json'])

/** Folders `-M/--module-path` gave (see `setModulePath`). */
let commandLine: string[] = []

/**
 * `-M/--module-path` (each a `:`-separated list, relative to the current folder): searched before the configured
 * folders, a later option's first, as ansible-playbook prepends them.
 */
export function setModulePath(options: readonly string[]): void {
  commandLine = [...options].reverse().flatMap((o) => pathList(o, process.cwd()))
}

/**
 * The library folders from the command line and the settings: `-M`, then `ANSIBLE_LIBRARY`, else ansible.cfg's
 * `library`, else Ansible's default.
 */
export const configuredLibrary = (): string[] => [
  ...commandLine,
  ...configuredPaths('ANSIBLE_LIBRARY', 'library', DEFAULT_LIBRARY),
]

const listings = new Map<string, string[]>()

/** The module files of folder `dir` (name → path), read once per run. */
function moduleFiles(dir: string): string[] {
  let got = listings.get(dir)
  if (!got) {
    try {
      got = readdirSync(dir).filter((f) => !NOT_MODULES.has(extname(f)) && !f.startsWith('.'))
    } catch {
      got = []
    }
    listings.set(dir, got)
  }
  return got
}

const moduleName = (file: string) => basename(file, extname(file))

/** Search `dir` too (a role's `library/`); warn about files named like one of tsplay's own modules. */
export function addLibraryDir(ctx: LoadContext, dir: string): void {
  const dirs = (ctx.libraryDirs ??= [])
  if (dirs.includes(dir)) return
  dirs.push(dir)
  for (const f of moduleFiles(dir)) {
    const name = moduleName(f)
    const own = ctx.modules.get(ctx.spellings.get(name) ?? '')
    if (own && !own.library)
      ctx.warnings.push(
        new UserError(
          `${join(dir, f)} is named like tsplay's own module "${name}": tsplay runs its own ` +
            '(Ansible would run the file)',
          { file: join(dir, f), line: 1, col: 1 },
        ),
      )
  }
}

/**
 * The canonical name of module `name`: tsplay's own, or a library module found and added to the run's modules
 * (a stand-in for an absent module, engine/load/foreign.ts, is decided again for each task).
 */
export function libraryModuleName(ctx: LoadContext, name: string): string | undefined {
  const known = ctx.spellings.get(name)
  if (known && !ctx.modules.get(known)?.absent) return known
  const bare = name.startsWith('ansible.legacy.') ? name.slice('ansible.legacy.'.length) : name
  const file = libraryFile(ctx, bare)
  if (!file) return collectionModuleName(ctx, name)
  if (!ctx.modules.has(bare)) ctx.modules.set(bare, libraryModule(bare, file, moduleUtilsDirs(ctx)))
  ctx.spellings.set(bare, bare)
  ctx.spellings.set(`ansible.legacy.${bare}`, bare)
  return bare
}

/** A module of an installed collection (engine/load/collections.ts) added to the run's modules as `name`. */
function collectionModuleName(ctx: LoadContext, name: string): string | undefined {
  const found = collectionModule(ctx.playbookDir, name, ctx.playCollections)
  if (!found) return undefined
  if (found.error !== undefined) {
    ;(ctx.unusable ??= new Map()).set(name, found.error)
    return undefined
  }
  if (!ctx.modules.has(name)) ctx.modules.set(name, collectionModuleDef(found))
  ctx.spellings.set(name, name)
  return name
}

/** The definition of a collection's module: a library module, or its collection's action plugin running it. */
export function collectionModuleDef(found: Exclude<CollectionModule, { error: string }>): ModuleDef {
  const module = libraryModule(found.fqcn, found.file, [], found.playbookDir)
  if (!found.action) return module
  return actionPluginModule(found.fqcn, found.file, module, { module: found.action, playbookDir: found.playbookDir })
}

/**
 * The Ansible module to run instead of tsplay's own `def` for a task written `k` with arguments `written`, when `k`
 * names an Ansible module tsplay's stands in for (`postgresql_user` of an installed collection, `user` of
 * ansible-core) and the task gives arguments tsplay's does not take but Ansible's documents: then Ansible's module
 * runs, as in Ansible (a warning says so). Undefined otherwise (a misspelt argument stays tsplay's error).
 */
export function collectionForArgs(ctx: LoadContext, k: string, def: ModuleDef, written: unknown): string | undefined {
  if (typeof written !== 'object' || written === null || Array.isArray(written)) return undefined
  const extra = namesNotTaken(def.schema, written as Record<string, unknown>)
  if (!extra.length) return undefined
  const found = collectionModule(ctx.playbookDir, k, ctx.playCollections)
  if (!found || found.error !== undefined) return undefined
  // only arguments Ansible's module documents: a misspelt one stays tsplay's error (Ansible's module refuses it too)
  const documented = documentedOptions(found.file, ctx.playbookDir)
  if (!documented || extra.some((a) => !documented.has(a))) return undefined
  if (!ctx.modules.has(found.fqcn)) ctx.modules.set(found.fqcn, collectionModuleDef(found))
  const what = extra.map((a) => `"${a}"`).join(', ')
  ctx.warnings.push(
    new UserError(
      `${k}: tsplay's ${def.name} takes no ${what}; the task runs ${found.fqcn}, as Ansible does`,
      posOf(written) ?? { file: '(playbook)', line: 1, col: 1 },
    ),
  )
  return found.fqcn
}

const DEFAULT_UTILS = '~/.ansible/plugins/module_utils:/usr/share/ansible/plugins/module_utils'

/**
 * The `module_utils/` folders a library module's imports are looked for in, as Ansible adds them: beside each
 * library folder the run searches (a role's, the play's, the playbook's) that has one, then `ANSIBLE_MODULE_UTILS`
 * (or ansible.cfg's `module_utils`).
 */
export function moduleUtilsDirs(ctx: LoadContext): string[] {
  const base = [ctx.playDir, ctx.playbookDir].filter((d): d is string => !!d).map((d) => join(d, 'library'))
  const beside = [...(ctx.libraryDirs ?? []), ...base].map((d) => join(dirname(d), 'module_utils'))
  const all = [...beside, ...configuredPaths('ANSIBLE_MODULE_UTILS', 'module_utils', DEFAULT_UTILS)]
  return [...new Set(all)].filter((d) => statSync(d, { throwIfNoEntry: false })?.isDirectory())
}

/** The file of library module `bare` (a name without a collection) in the folders the run searches, if any. */
export function libraryFile(ctx: LoadContext, bare: string): string | undefined {
  if (bare.includes('.') || bare === '') return undefined
  const base = [ctx.playDir, ctx.playbookDir].filter((d): d is string => !!d).map((d) => join(d, 'library'))
  for (const dir of [...(ctx.libraryDirs ?? []), ...base, ...configuredLibrary()]) {
    const named = moduleFiles(dir).filter((x) => moduleName(x) === bare || x === bare)
    const f = named.find((x) => extname(x) !== '.ps1') ?? named[0]
    if (f && isFile(join(dir, f))) return join(dir, f)
  }
  return undefined
}

/**
 * The refusal of what fails only when its task runs (`refusePlugin`: a Python action plugin, a lookup no one has): a
 * task that may not run makes it a warning.
 */
export class PluginRefusal extends UserError {}

/** Refuse at `pos` what fails only when its task runs: an error, unless the task it is in may not run. */
export function refusePlugin(ctx: LoadContext, message: string, pos: SourcePos, hint?: string): void {
  ctx.errors.push(new PluginRefusal(message, pos, hint))
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}
