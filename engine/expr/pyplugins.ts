/**
 * Ansible's Python filter and test plugins (`filter_plugins/*.py`, `test_plugins/*.py` beside a playbook, in a role,
 * or in the configured folders; engine/load/plugins.ts finds them), run by the controller's `python3` through
 * engine/expr/pybridge.ts. Their names join the filter and test tables for the run; as in Ansible, a plugin's name
 * replaces a built-in filter or test of the same name. A file that cannot be imported is skipped with a warning, as
 * Ansible skips it. Values cross as JSON, tuples as tuples both ways (tagged, see `toPython`): what a plugin returns
 * comes back as data (a set as a list, another object as its `str()`).
 *
 * @example
 * ```ts
 * const loaded = loadPythonPlugins([{ kind: 'filter', file: '/srv/site/filter_plugins/net.py' }])
 * loaded.warnings // [] when python3 imported every file
 * loaded.unload() // the tables as they were, the process ended
 * ```
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { UserError } from '../errors.js'
import { PythonBridge } from './pybridge.js'
import { PLUGIN_BRIDGE_PY } from './pyplugins-script.js'
import { FILTERS, TESTS, type Def } from './registry.js'
import { force, Undef } from './values.js'
import { isMap } from './coerce.js'
import { LOOKUPS, type LookupCtx } from './lookups.js'
import { isTuple, tuple } from './pystr.js'
import type { PluginFile } from '../types.js'

/** The plugins of one run: warnings to show, and `unload` to put the tables back and end the process. */
export interface LoadedPlugins {
  warnings: string[]
  /**
   * Add the plugins of more files (a role a templated `include_role` loaded at run time); files added before are
   * left as they are. Returns the warnings.
   */
  add(files: readonly PluginFile[]): string[]
  unload(): void
}

interface LoadAnswer {
  names: Record<'filter' | 'test', Record<string, string>>
  errors: Array<[string, string]>
}

/**
 * The Python that runs plugins: `TSPLAY_PYTHON`, else the one `ansible-playbook` on the PATH runs with (its `#!`
 * line: plugins are written against Ansible's Python and may import `ansible`), else `python3`.
 */
export function controllerPython(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSPLAY_PYTHON) return env.TSPLAY_PYTHON
  for (const dir of (env.PATH ?? '').split(':').filter(Boolean)) {
    let first: string
    try {
      first = readFileSync(join(dir, 'ansible-playbook'), 'utf8').slice(0, 200).split('\n')[0]!
    } catch {
      continue
    }
    const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first)
    const python = m && (basename(m[1]!) === 'env' ? m[2] : m[1])
    if (python && basename(python).startsWith('python')) return python
    break
  }
  return 'python3'
}

const importable = new Map<string, boolean>()

/** Whether `python` imports ansible-core's action plugin base (asked once per Python). */
export function hasAnsible(python: string): boolean {
  let ok = importable.get(python)
  if (ok === undefined) {
    try {
      execFileSync(python, ['-c', 'import ansible.plugins.action'], { stdio: 'ignore', timeout: 60_000 })
      ok = true
    } catch {
      ok = false
    }
    importable.set(python, ok)
  }
  return ok
}

let localTemp: string | undefined

/**
 * The environment of the Python processes tsplay starts (plugins, action plugins, AnsiballZ): tsplay's, with
 * ansible-core's local temp folder (`ANSIBLE_LOCAL_TEMP`) in a folder of tsplay's own, removed when tsplay exits,
 * so a process stopped by a signal (which skips ansible-core's own clean-up) leaves nothing in `~/.ansible/tmp`.
 */
export function pythonEnv(): NodeJS.ProcessEnv {
  if (!localTemp) {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-python-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    localTemp = dir
  }
  return { ...process.env, ANSIBLE_LOCAL_TEMP: localTemp }
}

/**
 * Add the plugins of `files` to the tables: filters and tests at once (Python imports them now, to learn their
 * names), lookups by their file names (Python starts at the first call of one).
 */
export function loadPythonPlugins(files: readonly PluginFile[], python = controllerPython()): LoadedPlugins {
  let py: PythonBridge | undefined
  const bridge = () => (py ??= new PythonBridge(PLUGIN_BRIDGE_PY, python, pythonEnv()))
  const undo: Array<() => void> = []
  const put = <T>(table: Record<string, T>, name: string, value: T) => {
    const before = Object.hasOwn(table, name) ? table[name] : undefined
    undo.push(() => (before === undefined ? delete table[name] : (table[name] = before)))
    table[name] = value
  }
  const seen = new Set<string>()
  const lookups = new Set<string>()
  const add = (more: readonly PluginFile[]) => {
    const fresh = more.filter((f) => !seen.has(`${f.kind}:${f.file}`))
    for (const f of fresh) seen.add(`${f.kind}:${f.file}`)
    return addFiles(fresh, bridge, put, lookups)
  }
  return {
    warnings: add(files),
    add,
    unload() {
      for (const step of undo.reverse()) step()
      py?.close()
    },
  }
}

/** Load `files` into the tables with `put` (lookups named in `lookups` already are kept); returns the warnings. */
function addFiles(
  files: readonly PluginFile[],
  bridge: () => PythonBridge,
  put: <T>(table: Record<string, T>, name: string, value: T) => void,
  lookups: Set<string>,
): string[] {
  const warnings: string[] = []
  for (const f of files) if (f.collection && f.kind !== 'lookup') warnings.push(...addCollection(f, bridge, put))
  const jinja = files.filter((f) => f.kind !== 'lookup' && !f.collection)
  if (jinja.length) {
    const got = bridge().ask(JSON.stringify({ op: 'load', files: jinja.map((f) => [f.kind, f.file]) }))
    if (got.error !== undefined) {
      const list = jinja.map((f) => f.file).join(', ')
      warnings.push(`filter and test plugins not loaded (${list}): ${got.error}`)
    } else {
      const { names, errors } = got.ok as LoadAnswer
      for (const [name, file] of Object.entries(names.filter))
        put(FILTERS, name, pluginDef(bridge, 'filter', name, file))
      for (const [name, file] of Object.entries(names.test)) put(TESTS, name, pluginDef(bridge, 'test', name, file))
      warnings.push(...errors.map(([file, msg]) => `Skipping plugin (${file}), cannot load: ${msg}`))
    }
  }
  for (const f of files.filter((x) => x.kind === 'lookup' && x.collection)) {
    const c = f.collection!
    for (const [used, full] of Object.entries(c.aliases))
      put(LOOKUPS, used, (terms, kw, ctx) => pythonLookup(bridge(), full, f.file, terms, kw, ctx, [c.playbookDir]))
  }
  for (const { file } of files.filter((f) => f.kind === 'lookup' && !f.collection)) {
    const name = basename(file, '.py')
    if (lookups.has(name)) continue // the first folder's, as Ansible's plugin loader finds it
    lookups.add(name)
    put(LOOKUPS, name, (terms, kw, ctx) => pythonLookup(bridge(), name, file, terms, kw, ctx))
  }
  return warnings
}

/**
 * Load the filters or tests of a collection (`f.collection`) into the tables under their full names, and the short
 * names the playbook uses for them; a name the playbook uses that did not load is a warning (its task fails).
 */
function addCollection(
  f: PluginFile,
  bridge: () => PythonBridge,
  put: <T>(table: Record<string, T>, name: string, value: T) => void,
): string[] {
  const c = f.collection!
  const kind = f.kind as 'filter' | 'test'
  const got = bridge().ask(JSON.stringify({ op: 'collection', kind, name: c.name, playbook_dirs: [c.playbookDir] }))
  if (got.error !== undefined) return [`the ${kind}s of collection ${c.name} could not be loaded: ${got.error}`]
  const { names, errors } = got.ok as { names: Record<string, string>; errors: Array<[string, string]> }
  const table = kind === 'filter' ? FILTERS : TESTS
  for (const [name, file] of Object.entries(names)) put(table, name, pluginDef(bridge, kind, name, file))
  for (const [used, full] of Object.entries(c.aliases)) if (names[full] && used !== full) put(table, used, table[full]!)
  const missing = Object.entries(c.aliases).filter(([, full]) => !names[full])
  const why = errors.map(([file, msg]) => `${file}: ${msg}`).join('; ')
  return missing.map(
    ([used]) => `${kind} "${used}" of collection ${c.name} could not be loaded${why ? `: ${why}` : ''}`,
  )
}

/**
 * Run lookup plugin `name` of `file` with the task's variables as Ansible hands them (templated ones as text); with
 * `playbookDirs`, `name` is a collection's lookup, found by its full name.
 */
function pythonLookup(
  py: PythonBridge,
  name: string,
  file: string,
  terms: unknown[],
  kw: Record<string, unknown>,
  ctx: LookupCtx,
  playbookDirs?: string[],
): unknown[] {
  const vars = ctx.scope?.lookup('vars')
  const request = {
    op: 'lookup',
    name,
    file,
    terms,
    kw,
    basedir: ctx.paths.basedir,
    vars: isMap(vars) ? vars : {},
    ...(playbookDirs && { playbook_dirs: playbookDirs }),
  }
  const got = py.ask(pythonJson(request), fromPython)
  if (got.error !== undefined) throw new UserError(`lookup plugin (${name}) of ${file}: ${got.error}`)
  if (!Array.isArray(got.ok)) throw new UserError(`lookup plugin (${name}) of ${file} returned no list`)
  return got.ok
}

/**
 * The key of the one-key object a tuple crosses the bridge as, both ways. It starts with a NUL: a map of that one key
 * would cross as a tuple, but keys with control characters are not written by hand.
 */
const TUPLE_KEY = '\u0000tuple'

/** `JSON.stringify`'s replacer for values sent to Python: lazy values forced, a tuple tagged. */
function toPython(x: unknown): unknown {
  const v = force(x)
  return Array.isArray(v) && isTuple(v) ? { [TUPLE_KEY]: [...v] } : v
}

/**
 * A request holding a task's variables as JSON for the plugins' Python: lazy values forced, tuples tagged, `hostvars`
 * (every host's variables) and undefined values left out.
 */
export function pythonJson(v: unknown): string {
  return JSON.stringify(v, (k, x: unknown) => (k === 'hostvars' || x instanceof Undef ? undefined : toPython(x)))
}

/** `JSON.parse`'s reviver for answers: a tagged tuple back to a tuple. */
export function fromPython(_k: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
  const items = (v as Record<string, unknown>)[TUPLE_KEY]
  return Array.isArray(items) && Object.keys(v).length === 1 ? tuple(items) : v
}

function pluginDef(py: () => PythonBridge, kind: 'filter' | 'test', name: string, file: string): Def {
  return {
    params: ['*args', '**kw'],
    fn(v, args, kw) {
      const request = { op: 'call', kind, name, args: [v, ...(args as unknown[])], kw }
      const got = py().ask(
        JSON.stringify(request, (_k, x: unknown) => toPython(x)),
        fromPython,
      )
      if (got.error !== undefined) throw new UserError(`${kind} "${name}" (${file}): ${got.error}`)
      return got.ok
    },
  }
}
