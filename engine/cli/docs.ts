/**
 * The `modules`, `doc MODULE` and `schema [KIND]` commands: module documentation and editor schemas, printed
 * from the module registry (the same schemas that validate playbooks). An unknown module or kind exits 5 with
 * a "did you mean".
 *
 * @example
 * ```sh
 * tsplay modules                 # every module with a one-line summary
 * tsplay doc apt                 # arguments, what decides changed, check mode, an example
 * tsplay schema playbook > schemas/playbook.json
 * ```
 */
import { allModuleSpellings, getModule, loadAllModules, resolveModuleName } from '../../modules/registry.js'
import { didYouMean } from '../source/suggest.js'
import { buildSchema, SCHEMA_KINDS, schemaText, type SchemaKind } from '../schema/generate.js'
import { modulesText, moduleText } from '../schema/render.js'
import { EXIT } from './errors.js'

/** Report an unknown name: the close matches when there are some, else every valid name. */
function unknown(what: string, name: string, candidates: readonly string[], known: readonly string[]): number {
  const hint = didYouMean(name, candidates) ?? `(one of: ${known.join(', ')})`
  process.stderr.write(`ERROR: unknown ${what} "${name}" ${hint}\n`)
  return EXIT.invalid
}

/** `tsplay modules`: one line per module. */
export async function modulesCommand(): Promise<number> {
  process.stdout.write(modulesText(await loadAllModules()))
  return EXIT.ok
}

/** `tsplay doc MODULE` (any accepted spelling, e.g. `ansible.builtin.apt`). */
export async function docCommand(name: string): Promise<number> {
  await loadAllModules()
  const canonical = resolveModuleName(name)
  const def = canonical ? getModule(canonical) : undefined
  if (!def) return unknown('module', name, allModuleSpellings(), [...(await loadAllModules()).keys()].sort())
  process.stdout.write(moduleText(def))
  return EXIT.ok
}

/** `tsplay schema [playbook|inventory|tasks|vars]`: the draft-07 JSON Schema for editors. */
export async function schemaCommand(kind: string): Promise<number> {
  if (!(SCHEMA_KINDS as readonly string[]).includes(kind)) {
    return unknown('schema kind', kind, SCHEMA_KINDS, SCHEMA_KINDS)
  }
  process.stdout.write(schemaText(await buildSchema(kind as SchemaKind)))
  return EXIT.ok
}
