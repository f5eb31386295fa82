/**
 * Finding Ansible's Python filter, test and lookup plugins: the `*.py` files of `filter_plugins/`, `test_plugins/`
 * and `lookup_plugins/` beside each playbook file and in each loaded role, and of the configured folders
 * (`ANSIBLE_FILTER_PLUGINS`, `ANSIBLE_TEST_PLUGINS`, `ANSIBLE_LOOKUP_PLUGINS`, or `filter_plugins`, … in
 * ansible.cfg's `[defaults]`, else Ansible's default folders). The run hands them to the controller's Python
 * (engine/expr/pyplugins.ts).
 *
 * @example
 * ```ts
 * addPluginRoot(ctx, '/srv/site/roles/net')
 * jinjaPluginFiles(ctx) // [{ kind: 'filter', file: '/srv/site/roles/net/filter_plugins/cidr.py' }]
 * ```
 */
import { readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { PluginFile } from '../types.js'
import { configuredPaths } from '../source/rolespath.js'
import type { LoadContext } from './context.js'

const KINDS = ['filter', 'test', 'lookup'] as const
const ENV = { filter: 'ANSIBLE_FILTER_PLUGINS', test: 'ANSIBLE_TEST_PLUGINS', lookup: 'ANSIBLE_LOOKUP_PLUGINS' }
const defaults = (kind: string) => `~/.ansible/plugins/${kind}:/usr/share/ansible/plugins/${kind}`

/** Look for plugins in `dir`'s `filter_plugins/` and `test_plugins/` too (a playbook's folder, a role's). */
export function addPluginRoot(ctx: LoadContext, dir: string): void {
  const roots = (ctx.pluginRoots ??= [])
  if (!roots.includes(dir)) roots.push(dir)
}

/** Every filter, test and lookup plugin file the run may use. */
export function jinjaPluginFiles(ctx: LoadContext): PluginFile[] {
  return KINDS.flatMap((kind) =>
    pluginDirs(ctx, kind).flatMap((dir) => pythonFiles(dir).map((file) => ({ kind, file }))),
  )
}

/** The file of lookup plugin `name` (`NAME.py` in a `lookup_plugins/` folder the run loads), if there is one. */
export function lookupPluginFile(ctx: LoadContext, name: string): string | undefined {
  const bare = name.replace(/^ansible\.legacy\./, '')
  return pluginDirs(ctx, 'lookup')
    .flatMap(pythonFiles)
    .find((f) => basename(f) === `${bare}.py`)
}

/**
 * The folders of one kind: the configured ones then the playbooks' and roles' for filters and tests (a name
 * given twice is the later file's); for lookups, found by name, the playbooks' and roles' first.
 */
function pluginDirs(ctx: LoadContext, kind: PluginFile['kind']): string[] {
  const own = (ctx.pluginRoots ?? []).map((r) => join(r, `${kind}_plugins`))
  const configured = configuredPaths(ENV[kind], `${kind}_plugins`, defaults(kind))
  return [...new Set(kind === 'lookup' ? [...own, ...configured] : [...configured, ...own])]
}

function pythonFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name.endsWith('.py') && e.name !== '__init__.py' && !e.isDirectory())
      .map((e) => join(dir, e.name))
      .sort()
  } catch {
    return []
  }
}
