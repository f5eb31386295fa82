/**
 * Finding Ansible's Python plugins: the `*.py` files of `filter_plugins/`, `test_plugins/`, `lookup_plugins/` and
 * `action_plugins/` beside each playbook file and in each loaded role, and of the configured folders
 * (`ANSIBLE_FILTER_PLUGINS`, … or `filter_plugins`, … in ansible.cfg's `[defaults]`, else Ansible's default
 * folders). The run hands filter, test and lookup plugins to the controller's Python (engine/expr/pyplugins.ts); an
 * action plugin is refused (engine/load/taskfields.ts).
 *
 * @example
 * ```ts
 * addPluginRoot(ctx, '/srv/site/roles/net')
 * pythonPluginFiles(ctx) // [{ kind: 'filter', file: '/srv/site/roles/net/filter_plugins/cidr.py' }]
 * pluginFile(ctx, 'lookup', 'vault_kv') // '/srv/site/roles/net/lookup_plugins/vault_kv.py' when it exists
 * ```
 */
import { readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { UserError } from '../errors.js'
import type { PluginFile } from '../types.js'
import { configuredPaths } from '../source/rolespath.js'
import type { LoadContext } from './context.js'

type Kind = PluginFile['kind'] | 'action'

const RUN: readonly PluginFile['kind'][] = ['filter', 'test', 'lookup']
const defaults = (kind: Kind) => `~/.ansible/plugins/${kind}:/usr/share/ansible/plugins/${kind}`

/**
 * Look for plugins in `dir`'s `*_plugins/` folders too (a playbook file's folder, a role's); warn about an action
 * plugin named like one of tsplay's own modules (tsplay's module runs, Ansible would run the plugin).
 */
export function addPluginRoot(ctx: LoadContext, dir: string): void {
  const roots = (ctx.pluginRoots ??= [])
  if (roots.includes(dir)) return
  roots.push(dir)
  const actions = join(dir, 'action_plugins')
  for (const file of pythonFiles(actions)) {
    const name = basename(file, '.py')
    const own = ctx.modules.get(ctx.spellings.get(name) ?? '')
    if (own && !own.library && !own.absent)
      ctx.warnings.push(
        new UserError(
          `${file} is named like tsplay's own module "${name}": tsplay runs its own (Ansible would run the plugin)`,
          {
            file,
            line: 1,
            col: 1,
          },
        ),
      )
  }
}

/** Every filter, test and lookup plugin file the run may use, and the collections' plugins the playbook uses. */
export function pythonPluginFiles(ctx: LoadContext): PluginFile[] {
  const files = RUN.flatMap((kind) =>
    pluginDirs(ctx, kind).flatMap((dir) => pythonFiles(dir).map((file) => ({ kind, file }))),
  )
  return [...files, ...(ctx.collectionPlugins?.values() ?? [])]
}

/** The file of plugin `name` of this kind (`NAME.py` in a `KIND_plugins/` folder the run loads), if there is one. */
export function pluginFile(ctx: LoadContext, kind: 'lookup' | 'action', name: string): string | undefined {
  const file = `${name.replace(/^ansible\.legacy\./, '')}.py`
  return pluginDirs(ctx, kind)
    .map((d) => join(d, file))
    .find((p) => statSync(p, { throwIfNoEntry: false })?.isFile())
}

/**
 * The folders of one kind: for filters and tests the configured ones, then the playbooks' and roles' (a name given
 * twice is the later file's); for plugins found by name, the playbooks' and roles' first.
 */
function pluginDirs(ctx: LoadContext, kind: Kind): string[] {
  const own = (ctx.pluginRoots ?? []).map((r) => join(r, `${kind}_plugins`))
  const configured = configuredPaths(`ANSIBLE_${kind.toUpperCase()}_PLUGINS`, `${kind}_plugins`, defaults(kind))
  return [...new Set(kind === 'filter' || kind === 'test' ? [...configured, ...own] : [...own, ...configured])]
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
