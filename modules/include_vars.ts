/**
 * `include_vars`: load variables from YAML files on the controller into the host's variables for the rest of the
 * run (as `set_fact` does), from one file, or every `.yml`/`.yaml`/`.json` file of a folder (sorted, nested
 * folders up to `depth`; another extension fails unless `ignore_unknown_extensions`), optionally under one `name`,
 * merged into the variables' current values with `hash_behaviour: merge`. A relative path is looked up in the
 * role's or playbook's `vars/` folder, then the folder itself. Never changed.
 *
 * @example
 * ```yaml
 * - include_vars: "{{ ansible_distribution }}.yml"
 * - include_vars: { dir: vars/extra, name: extra }
 * ```
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { extname, isAbsolute, join, relative } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { evalExpr } from '../engine/expr.js'
import { merge } from '../engine/expr/filters-list.js'
import { pyRegex } from '../engine/expr/pyregex.js'
import { readYamlFile } from '../engine/source/yaml.js'
import { defineModule } from '../engine/module.js'
import type { Vars } from '../engine/types.js'

const Args = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        description: 'The YAML (or JSON) file to load; relative: in vars/ of the role or playbook, then there.',
      }),
    ),
    dir: Type.Optional(
      Type.String({ description: 'Load every .yml/.yaml/.json file of this folder, sorted by name.' }),
    ),
    name: Type.Optional(
      Type.String({ description: 'Put the loaded variables under this one name instead of at the top.' }),
    ),
    depth: Defaulted(
      Type.Integer({
        minimum: 0,
        default: 0,
        description: 'With dir: how deep to look into subfolders (0: all the way).',
      }),
    ),
    files_matching: Type.Optional(
      Type.String({ description: 'With dir: only files whose name matches this regular expression.' }),
    ),
    ignore_files: Type.Optional(
      Type.Array(Type.String(), { description: 'With dir: file names (regular expressions) to leave out.' }),
    ),
    extensions: Defaulted(
      Type.Array(Type.String(), {
        default: ['yaml', 'yml', 'json'],
        description: 'With dir: the file extensions loaded.',
      }),
    ),
    ignore_unknown_extensions: Defaulted(
      Type.Boolean({
        default: false,
        description: 'With dir: leave out files of other extensions (else such a file fails the task).',
      }),
    ),
    hash_behaviour: Type.Optional(
      Type.Union([Type.Literal('replace'), Type.Literal('merge')], {
        description:
          '`merge`: merge each loaded variable into its current value (both must be maps); `replace` (the ' +
          'default): replace it.',
      }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

interface Loaded {
  vars?: Record<string, unknown>
  files: string[]
  error?: string
}

/** Where a relative path is found: `vars/` of each search folder, then the folder itself. */
function locate(p: string, searchPaths: readonly string[]): string | undefined {
  if (isAbsolute(p)) return existsSync(p) ? p : undefined
  return searchPaths.flatMap((d) => [join(d, 'vars', p), join(d, p)]).find((c) => existsSync(c))
}

/**
 * The files of a folder to load, as Ansible picks them: `files_matching` searched in the name, `ignore_files` at
 * its end (Python regular expressions); a file of another extension (Python's splitext: the last one) fails the
 * task unless `ignore_unknown_extensions` leaves it out.
 */
function listDir(dir: string, args: Args, level: number): string[] {
  const out: string[] = []
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n)
    if (statSync(p).isDirectory()) {
      if (!args.depth || level < args.depth) out.push(...listDir(p, args, level + 1))
      continue
    }
    if (args.files_matching && !pyRegex(args.files_matching).test(n)) continue
    if (args.ignore_files?.some((r) => pyRegex(`${r}$`).test(n))) continue
    if (!args.extensions.includes(extname(n).slice(1))) {
      if (args.ignore_unknown_extensions) continue
      throw new Error(`${p} does not have a valid extension: ${args.extensions.join(', ')}`)
    }
    out.push(p)
  }
  return out
}

/** Python's type name of a value, for the merge error. */
const pyType = (v: unknown) =>
  v === null || v === undefined ? 'NoneType' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'dict' : 'str'
const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** `hash_behaviour: merge`: each loaded variable merged (recursively, lists replaced) into its current value. */
export function mergeInto(loaded: Record<string, unknown>, vars: Vars): Record<string, unknown> | string {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(loaded)) {
    const old = !(k in vars) ? null : /^[A-Za-z_]\w*$/.test(k) ? evalExpr(k, vars) : vars[k]
    if (!isMap(old) || !isMap(v)) {
      const both = `${JSON.stringify(old ?? null)}\n${JSON.stringify(v ?? null)}`
      return `failed to combine variables, expected dicts but got a '${pyType(old)}' and a '${pyType(v)}': \n${both}`
    }
    out[k] = merge(old, v, true, 'replace')
  }
  return out
}

export default defineModule({
  name: 'include_vars',
  summary: 'Load variables from YAML files on the controller',
  schema: Args,
  freeForm: 'file',
  changedWhen: 'never',
  check: 'full',
  controllerOnly: true,
  example: 'include_vars: "{{ ansible_os_family }}.yml"',
  async gather(args: Args, ctx): Promise<Loaded> {
    if (!args.file === !args.dir) return { files: [], error: 'include_vars needs either a file or a dir' }
    const where = locate((args.file ?? args.dir)!, ctx.searchPaths)
    if (!where)
      return { files: [], error: `include_vars: ${args.file ? 'file' : 'folder'} not found: ${args.file ?? args.dir}` }
    let files: string[]
    try {
      files = args.dir ? listDir(where, args, 1) : [where]
    } catch (e) {
      return { files: [], error: e instanceof Error ? e.message : String(e) }
    }
    const vars: Record<string, unknown> = {}
    for (const f of files) {
      const doc = await readYamlFile(f)
      if (doc.value === null || doc.value === undefined) continue
      if (typeof doc.value !== 'object' || Array.isArray(doc.value)) {
        return { files, error: `include_vars: ${relative(process.cwd(), f) || f} must hold a map of variables` }
      }
      Object.assign(vars, doc.value)
    }
    return { vars, files }
  },
  plan(loaded, args: Args, ctx) {
    // Ansible's include_vars reports what it could not load under `message`
    if (loaded.error || !loaded.vars) {
      const fail = loaded.error ?? 'nothing loaded'
      return { commands: [], fail, data: { message: fail } }
    }
    const scoped = args.name ? { [args.name]: loaded.vars } : loaded.vars
    const values = args.hash_behaviour === 'merge' ? mergeInto(scoped, ctx.vars) : scoped
    if (typeof values === 'string') return { commands: [], fail: values }
    return {
      commands: [],
      changed: false,
      setVars: values,
      data: { ansible_facts: values, ansible_included_var_files: loaded.files },
    }
  },
})
