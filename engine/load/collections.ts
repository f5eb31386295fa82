/**
 * Modules of Ansible collections installed on the controller, found as Ansible finds them: the collections beside
 * the playbook (`collections/ansible_collections/`), then `ANSIBLE_COLLECTIONS_PATHS` (or `collections_paths` in
 * ansible.cfg, else `~/.ansible/collections:/usr/share/ansible/collections`), then the controller Python's own
 * (Debian's `ansible` package) unless `ANSIBLE_COLLECTIONS_SCAN_SYS_PATH` (`collections_scan_sys_path`) is false.
 * A short name ansible-core moved to a collection (`ini_file`) follows ansible-core's routing
 * (`ansible_builtin_runtime.yml`), and a collection's `meta/runtime.yml` redirects and removals are followed too;
 * a play's `collections:` are searched for other short names, and last ansible-core's own modules (`dnf`). Found,
 * the module runs as a library module
 * (modules/library.ts), sent as Ansible sends it (AnsiballZ, with the collection's module_utils), so this needs
 * ansible-core importable by the controller's Python. A module its collection runs through an action plugin
 * (`kubernetes.core.k8s`) runs as an action plugin does (modules/action-plugin.ts), with the module as the one the
 * plugin runs by its own name.
 *
 * @example
 * ```ts
 * collectionModule('/srv/site', 'ini_file') // { fqcn: 'community.general.ini_file', file: '…/ini_file.py' }
 * ```
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { parse } from 'yaml'
import { controllerPython } from '../expr/pyplugins.js'
import { ansibleCfgFile, configuredPaths, iniValue } from '../source/rolespath.js'

const DEFAULT_PATHS = '~/.ansible/collections:/usr/share/ansible/collections'

/** What the controller's Python has: its import path and ansible-core's folder (undefined: no ansible-core). */
interface PythonSide {
  sysPath: string[]
  ansibleDir: string
}

let python: { key: string; side: PythonSide | undefined } | undefined

/** The controller Python's import path and ansible-core's folder, asked once (undefined: no ansible-core). */
export function pythonSide(): PythonSide | undefined {
  const exe = controllerPython()
  if (python?.key === exe) return python.side
  let side: PythonSide | undefined
  try {
    const script = 'import json, os, sys, ansible\nprint(json.dumps([sys.path, os.path.dirname(ansible.__file__)]))'
    const out = execFileSync(exe, ['-c', script], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const [sysPath, ansibleDir] = JSON.parse(out) as [string[], string]
    side = { sysPath: sysPath.filter((p) => p !== ''), ansibleDir }
  } catch {
    side = undefined
  }
  python = { key: exe, side }
  return side
}

/** The `ansible_collections` folders searched, in Ansible's order, for a playbook in `playbookDir`. */
export function collectionRoots(playbookDir: string): string[] {
  const side = pythonSide()
  if (!side) return []
  const plural =
    process.env.ANSIBLE_COLLECTIONS_PATHS !== undefined || process.env.ANSIBLE_COLLECTIONS_PATH === undefined
  const env = plural ? 'ANSIBLE_COLLECTIONS_PATHS' : 'ANSIBLE_COLLECTIONS_PATH'
  const configured = configuredPaths(env, 'collections_paths', DEFAULT_PATHS)
  const all = [join(playbookDir, 'collections'), ...configured, ...(scanSysPath() ? side.sysPath : [])]
  const roots = all.map((p) => (basename(p) === 'ansible_collections' ? resolve(p) : resolve(p, 'ansible_collections')))
  return [...new Set(roots)].filter((r) => existsSync(r))
}

/** Ansible's `COLLECTIONS_SCAN_SYS_PATH` (`ANSIBLE_COLLECTIONS_SCAN_SYS_PATH`, `collections_scan_sys_path`). */
function scanSysPath(): boolean {
  const cfg = ansibleCfgFile()
  const v =
    process.env.ANSIBLE_COLLECTIONS_SCAN_SYS_PATH ??
    (cfg ? iniValue(readFileSync(cfg, 'utf8'), 'defaults', 'collections_scan_sys_path') : undefined)
  return v === undefined || !/^(false|no|off|0|n|f)$/i.test(v.trim())
}

const runtimes = new Map<string, Record<string, unknown> | undefined>()

/** The `plugin_routing` entry of `name` among the `section` (`modules`, `filter`, `test`) of a runtime file. */
function routing(file: string, name: string, section = 'modules'): Record<string, unknown> | undefined {
  if (!runtimes.has(file)) {
    let doc: unknown
    try {
      doc = parse(readFileSync(file, 'utf8'))
    } catch {
      doc = undefined
    }
    const all = (doc as { plugin_routing?: unknown } | undefined)?.plugin_routing
    runtimes.set(file, typeof all === 'object' && all !== null ? (all as Record<string, unknown>) : undefined)
  }
  const entry = (runtimes.get(file)?.[section] as Record<string, unknown> | undefined)?.[name]
  return typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : undefined
}

/**
 * A collection module found: its full name and file, and when its collection runs it through an action plugin, that
 * plugin's Python module name (`ansible_collections.NS.COLL.plugins.action.NAME`); or why it cannot be used.
 */
export type CollectionModule =
  { fqcn: string; file: string; action?: string; playbookDir: string; error?: undefined } | { error: string }

/**
 * The collection module `name` (a full name, or a short one ansible-core routes or the play's `collections:`
 * hold), or undefined when no installed collection has it.
 */
export function collectionModule(
  playbookDir: string,
  name: string,
  playCollections: readonly string[] = [],
): CollectionModule | undefined {
  const side = pythonSide()
  if (!side) return undefined
  const roots = collectionRoots(playbookDir)
  const bare = name.replace(/^ansible\.(builtin|legacy)\./, '')
  const builtin = join(side.ansibleDir, 'config', 'ansible_builtin_runtime.yml')
  const names = bare.includes('.')
    ? [bare]
    : [
        ...playCollections.map((c) => `${c}.${bare}`),
        ...[routing(builtin, bare)?.redirect].filter((r): r is string => typeof r === 'string'),
      ]
  for (const n of names) {
    const found = inCollections(roots, n)
    if (found) return 'error' in found ? found : { ...found, playbookDir }
  }
  // last, ansible-core's own modules (ansible.builtin): `dnf`, `yum` (through its action plugin), …
  const core = join(side.ansibleDir, 'modules', `${bare}.py`)
  if (bare.includes('.') || !existsSync(core)) return undefined
  const action = existsSync(join(side.ansibleDir, 'plugins', 'action', `${bare}.py`))
  return {
    fqcn: `ansible.builtin.${bare}`,
    file: core,
    playbookDir,
    ...(action && { action: `ansible.plugins.action.${bare}` }),
  }
}

/** `fqcn` (`ns.coll.name`) as a module of the installed collections (see `resolveName`); a removed one is an error. */
function inCollections(
  roots: string[],
  fqcn: string,
): { fqcn: string; file: string; action?: string } | { error: string } | undefined {
  const at = resolveName(roots, fqcn, 'modules')
  if (!at) return undefined
  if ('removed' in at) return { error: `module ${at.fqcn} was removed from its collection: ${at.removed}`.trim() }
  // a Windows module's `.py` beside its `.ps1` holds only its documentation: the module is the PowerShell one
  const base = join(at.dir, 'plugins', 'modules', ...at.short.split('.'))
  const file = [`${base}.ps1`, `${base}.py`].find((f) => existsSync(f))
  if (!file) return undefined
  const action = existsSync(join(at.dir, 'plugins', 'action', `${at.short}.py`))
  return action
    ? { fqcn: at.fqcn, file, action: `ansible_collections.${at.collection}.plugins.action.${at.short}` }
    : { fqcn: at.fqcn, file }
}

/** Where a full name leads: its collection's folder and name, the name in it and the full name after redirects. */
type Resolved = { dir: string; collection: string; short: string; fqcn: string } | { fqcn: string; removed: string }

/**
 * Follow `fqcn` (`ns.coll.name`) through the `meta/runtime.yml` redirects of its `section` (`modules`, `filter`,
 * …) to the first installed collection that has `ns.coll`; a tombstone there gives its note instead.
 */
function resolveName(roots: string[], fqcn: string, section: string): Resolved | undefined {
  for (let hops = 0; hops <= 10; hops++) {
    const [ns, coll, ...rest] = fqcn.split('.')
    if (!ns || !coll || rest.length === 0) return undefined
    const dir = roots.map((r) => join(r, ns, coll)).find((d) => existsSync(d))
    if (!dir) return undefined
    const short = rest.join('.')
    const route = routing(join(dir, 'meta', 'runtime.yml'), short, section)
    const tomb = route?.tombstone as { warning_text?: string } | undefined
    if (tomb) return { fqcn, removed: tomb.warning_text ?? '' }
    if (typeof route?.redirect !== 'string') return { dir, collection: `${ns}.${coll}`, short, fqcn }
    fqcn = route.redirect
  }
  return undefined
}

/** A collection's filter or test found: its full name, its collection and that collection's folder of such plugins. */
export interface CollectionJinja {
  fqcn: string
  collection: string
  dir: string
}

/**
 * The collection filter or test `name` (`ansible.utils.ipaddr`, or a short name ansible-core routes to one:
 * `ipaddr`), when an installed collection has a plugin file that names it; else undefined.
 */
export function collectionJinja(
  playbookDir: string,
  kind: 'filter' | 'test',
  name: string,
): CollectionJinja | undefined {
  return routedPlugin(playbookDir, kind, name, (dir, short, fqcn, collection) => {
    const plugins = join(dir, 'plugins', kind)
    return namedIn(plugins, short) ? { fqcn, collection, dir: plugins } : undefined
  })
}

/**
 * The collection lookup `name` (`community.general.passwordstore`, or a short name ansible-core routes to one):
 * its full name, collection and plugin file; undefined when no installed collection has it.
 */
export function collectionLookup(
  playbookDir: string,
  name: string,
): { fqcn: string; collection: string; file: string } | undefined {
  return routedPlugin(playbookDir, 'lookup', name, (dir, short, fqcn, collection) => {
    const file = join(dir, 'plugins', 'lookup', `${short}.py`)
    return existsSync(file) ? { fqcn, collection, file } : undefined
  })
}

/**
 * Follow plugin `name` of `kind` (its `plugin_routing` section) to the collection that has it — a short name through
 * ansible-core's routing, a full name through its collections' `meta/runtime.yml` redirects — and ask `found` of
 * that collection's folder, the plugin's name in it, its full name and the collection's.
 */
function routedPlugin<T>(
  playbookDir: string,
  kind: string,
  name: string,
  found: (dir: string, short: string, fqcn: string, collection: string) => T | undefined,
): T | undefined {
  const side = pythonSide()
  if (!side) return undefined
  const r = name.includes('.')
    ? name
    : routing(join(side.ansibleDir, 'config', 'ansible_builtin_runtime.yml'), name, kind)?.redirect
  const at = typeof r === 'string' ? resolveName(collectionRoots(playbookDir), r, kind) : undefined
  if (!at || 'removed' in at || at.short.includes('.')) return undefined
  return found(at.dir, at.short, at.fqcn, at.collection)
}

/** Whether a plugin file of folder `dir` is named `name` or writes `'name'` (its mapping's key). */
function namedIn(dir: string, name: string): boolean {
  if (existsSync(join(dir, `${name}.py`))) return true
  let files: string[]
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.py'))
  } catch {
    return false
  }
  const quoted = new RegExp(`['"]${name.replace(/\W/g, '')}['"]`)
  return files.some((f) => quoted.test(readFileSync(join(dir, f), 'utf8')))
}
