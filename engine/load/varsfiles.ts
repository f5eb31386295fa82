/**
 * A play's `vars_files`, as Ansible 2.14 reads them: each entry is a file name or a list of candidates (the first
 * that exists is loaded), names may be templates, and a relative name is looked up in the play's folder's `vars/`,
 * then the folder (Ansible's search path). A name that the play's vars and `-e` render is loaded now; one that needs
 * more (inventory variables, facts) is a warning and is loaded per host at run time (engine/run/varsfiles.ts).
 * A literal name that exists nowhere is an error at its line.
 *
 * @example
 * ```yaml
 * vars_files:
 *   - vars/common.yml
 *   - ["vars/{{ ansible_os_family }}.yml", vars/default.yml]   # per host, after facts
 * ```
 */
import type { LateVarsFile } from '../ast.js'
import { UserError } from '../errors.js'
import { findInSearchPath } from '../expr/lookup-paths.js'
import { isTemplated, renderString } from '../template.js'
import { readYamlFile } from '../source/yaml.js'
import type { SourcePos, Vars } from '../types.js'
import { mergePositioned, valuePos } from '../source/positions.js'
import { absorb, describeValue, report, type LoadContext } from './context.js'

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Where a vars file named `name` is for a play in `dir` (its `vars/` first), or undefined. */
export function findVarsFile(dir: string, name: string): string | undefined {
  return findInSearchPath({ paths: [dir], basedir: dir }, 'vars', name)
}

/** The play's vars_files: the variables loaded now, and the entries left for run time. */
export async function loadVarsFiles(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  at: SourcePos,
  dir: string,
  playVars: Vars,
): Promise<{ vars: Vars; late: LateVarsFile[] }> {
  const list = raw.vars_files
  const late: LateVarsFile[] = []
  let merged: Vars = {}
  if (list === undefined || list === null) return { vars: merged, late }
  const items = Array.isArray(list) ? list : [list]
  for (const [i, item] of items.entries()) {
    const here = (Array.isArray(list) ? valuePos(list, i) : undefined) ?? at
    const names = Array.isArray(item) ? item : [item]
    if (!names.length || names.some((n) => typeof n !== 'string' || !n)) {
      report(ctx, `vars_files entries must be file names or lists of them, found ${describeValue(item)}`, here)
      continue
    }
    const found = pick(names as string[], dir, { ...playVars, ...ctx.extraVars })
    if (found === 'late') {
      late.push({ names: names as string[], dir, pos: here })
      ctx.warnings.push(
        new UserError(
          `vars_files ${JSON.stringify(item)} needs host variables: it is loaded per host at run time`,
          here,
        ),
      )
      continue
    }
    if (!found) {
      report(ctx, `vars file not found: ${(names as string[]).join(', ')}`, here)
      continue
    }
    try {
      const doc = await readYamlFile(found)
      if (doc.value === undefined || doc.value === null) continue
      if (!isMap(doc.value)) {
        report(ctx, `a vars file must be a map of variables, found ${describeValue(doc.value)}`, doc.pos)
        continue
      }
      merged = mergePositioned(merged, doc.value)
    } catch (e) {
      absorb(ctx, e)
    }
  }
  return { vars: merged, late }
}

/** The first candidate that exists; `'late'` when one before it needs variables not known yet. */
function pick(names: string[], dir: string, vars: Vars): string | undefined | 'late' {
  for (const n of names) {
    let name = n
    if (isTemplated(n)) {
      try {
        name = renderString(n, vars).trim()
      } catch (e) {
        if (e instanceof UserError) return 'late'
        throw e
      }
    }
    const f = findVarsFile(dir, name)
    if (f) return f
  }
  return undefined
}
