/**
 * Ansible's `config` lookup: the value of an Ansible setting, read as Ansible 2.14 reads it (config-read.ts).
 * tsplay cannot know every setting of Ansible; it gives the ones a playbook is likely to read
 * (config-settings.ts): `ANSIBLE_HOME`, `DEFAULT_LOCAL_TMP`, `DEFAULT_ROLES_PATH`, `COLLECTIONS_PATHS`,
 * `DEFAULT_HOST_LIST`, the `DEFAULT_BECOME*` and `DEFAULT_REMOTE_USER`/`_PORT` settings, `DEFAULT_TIMEOUT`,
 * `DEFAULT_FORKS`, `DEFAULT_HASH_BEHAVIOUR`, `DEFAULT_KEEP_REMOTE_FILES`, `DEFAULT_GATHERING`, the vault, retry,
 * warning and color settings (`COLOR_*`, `ANSIBLE_FORCE_COLOR`, `ANSIBLE_NOCOLOR`), and a few more. With
 * `plugin_type`/`plugin_name`: the `ssh` connection's `remote_user` and `port`, the `sh` shell's `remote_tmp`,
 * `system_tmpdirs` and `async_dir`, and the `sudo`/`su` become plugins' `become_user`, `become_exe` and
 * `become_flags`, where the task's variables (`ansible_ssh_port`, `ansible_remote_tmp`, …) come first.
 *
 * A name Ansible does not have follows `on_missing`: `error` (the default), `warn` or `skip`. A setting Ansible has
 * but tsplay does not give is refused, naming it, whatever `on_missing` says.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ lookup('config', 'DEFAULT_ROLES_PATH') }} {{ q('config', 'COLOR_OK', 'COLOR_SKIP') }}" }
 * ```
 */
import { UserError } from '../errors.js'
import { lookupWarnings, type LookupCtx } from '../expr/lookups.js'
import { force, short, toStr, typeName, Undef } from '../expr/values.js'
import { ANSIBLE_SETTING_NAMES } from './config-names.js'
import { settingValue, type VarReader } from './config-read.js'
import { GLOBAL_SETTINGS, PLUGIN_SETTINGS, PLUGIN_TYPES, type Setting } from './config-settings.js'

const ON_MISSING = ['error', 'skip', 'warn']

/** Names `ansible.constants` holds that are functions or classes, not settings (Ansible refuses them so). */
const NOT_SETTINGS = new Set(['ConfigManager', 'Sequence', 'add_internal_fqcns', 'set_constant', 'to_text'])

/** `lookup('config', NAME…, on_missing=…, plugin_type=…, plugin_name=…)`. */
export function configLookup(terms: unknown[], kw: Record<string, unknown>, ctx: LookupCtx): unknown[] {
  const missing = kw.on_missing ?? 'error'
  if (typeof missing !== 'string' || !ON_MISSING.includes(missing))
    throw new UserError(
      `Invalid value "${toStr(missing)}" for option "on_missing" of the config lookup, valid values are: ` +
        ON_MISSING.join(', '),
    )
  const table = pluginTable(kw.plugin_type, kw.plugin_name)
  const vars: VarReader | undefined = table
    ? (n) => {
        const v = ctx.scope?.lookup(n)
        return v === undefined || v instanceof Undef ? undefined : force(v)
      }
    : undefined
  const out: unknown[] = []
  for (const term of terms) {
    if (typeof term !== 'string')
      throw new UserError(`Invalid setting identifier, "${short(term)}" is not a string, it is a ${typeName(term)}`)
    const s = table ? ownSetting(table.settings, term) : ownSetting(GLOBAL_SETTINGS, term)
    if (s) {
      out.push(settingValue(s, table ? `${table.id}.${term}` : term, vars))
      continue
    }
    if (!table && NOT_SETTINGS.has(term)) throw new UserError(`Invalid setting "${term}" attempted`)
    if (!table && ANSIBLE_SETTING_NAMES.has(term))
      throw new UserError(
        `the config lookup cannot give Ansible's setting ${term}: tsplay does not know its value`,
        undefined,
        '(the settings it gives are listed in the README, under Lookups)',
      )
    if (missing === 'error') throw new UserError(`Unable to find setting ${term}`)
    if (missing === 'warn') lookupWarnings.sink(`Skipping, did not find setting ${term}`)
  }
  return out
}

/** A setting of `table` by its own name (never an inherited property). */
function ownSetting(table: Record<string, Setting>, name: string): Setting | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}

/** The plugin settings `plugin_type`/`plugin_name` name, or undefined for global settings. */
function pluginTable(type: unknown, name: unknown): { id: string; settings: Record<string, Setting> } | undefined {
  if (type === undefined && name === undefined) return undefined
  if (type === undefined || name === undefined || type === null || name === null)
    throw new UserError('Both plugin_type and plugin_name are required, cannot use one without the other')
  const t = toStr(type)
  if (!PLUGIN_TYPES.includes(t))
    throw new UserError(
      `Invalid value "${t}" for option "plugin_type" of the config lookup, valid values are: ` +
        PLUGIN_TYPES.join(', '),
    )
  const n = toStr(name).replace(/^ansible\.(builtin|legacy)\./, '')
  const id = `${t}/${n}`
  if (!Object.hasOwn(PLUGIN_SETTINGS, id))
    throw new UserError(
      `the config lookup cannot read the settings of ${t} plugin "${toStr(name)}"`,
      undefined,
      `(tsplay knows those of ${Object.keys(PLUGIN_SETTINGS)
        .map((k) => k.split('/').reverse().join(' '))
        .join(', ')})`,
    )
  return { id: `${t}_${n}`, settings: PLUGIN_SETTINGS[id] }
}
