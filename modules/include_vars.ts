/**
 * `include_vars`: load variables from YAML files on the controller into the host's variables for the rest of the
 * run (as `set_fact` does), from one file, or every `.yml`/`.yaml`/`.json` file of a folder (sorted, nested
 * folders up to `depth`), optionally under one `name`. A relative path is looked up in the role's or playbook's
 * `vars/` folder, then the folder itself. Never changed.
 *
 * @example
 * ```yaml
 * - include_vars: "{{ ansible_distribution }}.yml"
 * - include_vars: { dir: vars/extra, name: extra }
 * ```
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, relative } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { readYamlFile } from '../engine/source/yaml.js'
import { defineModule } from '../engine/module.js'

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

function listDir(dir: string, args: Args, level: number): string[] {
  const exts = args.extensions
  const out: string[] = []
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n)
    if (statSync(p).isDirectory()) {
      if (!args.depth || level < args.depth) out.push(...listDir(p, args, level + 1))
      continue
    }
    if (!exts.some((e) => n.endsWith(`.${e}`))) continue
    if (args.files_matching && !new RegExp(args.files_matching).test(n)) continue
    if (args.ignore_files?.some((r) => new RegExp(r).test(n))) continue
    out.push(p)
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
    const files = args.dir ? listDir(where, args, 1) : [where]
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
  plan(loaded, args: Args) {
    if (loaded.error || !loaded.vars) return { commands: [], fail: loaded.error ?? 'nothing loaded' }
    const values = args.name ? { [args.name]: loaded.vars } : loaded.vars
    return {
      commands: [],
      changed: false,
      setVars: values,
      data: { ansible_facts: values, ansible_included_var_files: loaded.files },
    }
  },
})
