/**
 * Every generated file, by path relative to the project root: the editor schemas under `schemas/` (playbooks, task
 * files, variable files, inventories, tsplay.yml) and the module reference `docs/modules.md`. `scripts/gen-docs.mjs` writes them (`npm run docs`); the ecosystem test compares the
 * committed files with this output, so they cannot go stale.
 *
 * @example
 * ```ts
 * const files = await generatedFiles()
 * files['schemas/playbook.json'] // the JSON text, ending in a newline
 * ```
 */
import { loadAllModules } from '../../modules/registry.js'
import { inventorySchema } from './inventory.js'
import { ConfigSchema } from '../cli/config.js'
import { DRAFT_07, plain, type JsonSchema } from './json.js'
import { playbookSchema, tasksSchema, varsSchema } from './playbook.js'
import { modulesMarkdown } from './render.js'

/** The schema kinds `tsplay schema KIND` prints. */
export const SCHEMA_KINDS = ['playbook', 'inventory', 'tasks', 'vars', 'config'] as const
export type SchemaKind = (typeof SCHEMA_KINDS)[number]

/** Build one schema. */
export async function buildSchema(kind: SchemaKind): Promise<JsonSchema> {
  if (kind === 'inventory') return inventorySchema()
  if (kind === 'vars') return varsSchema()
  if (kind === 'config') {
    return { $schema: DRAFT_07, title: 'tsplay.yml', ...plain(ConfigSchema) }
  }
  const modules = await loadAllModules()
  return kind === 'playbook' ? playbookSchema(modules) : tasksSchema(modules)
}

/** A schema as committed: 2-space JSON with a final newline. */
export function schemaText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`
}

/** Path → content of every generated file. */
export async function generatedFiles(): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const kind of SCHEMA_KINDS) out[`schemas/${kind}.json`] = schemaText(await buildSchema(kind))
  out['docs/modules.md'] = modulesMarkdown(await loadAllModules())
  return out
}
