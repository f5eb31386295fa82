/**
 * Every generated file, by path relative to the project root: the editor schemas under `schemas/` (playbooks, task
 * files, variable files, inventories, tsplay.yml) and the module reference `docs/modules.md`. `scripts/gen-docs.mjs`
 * writes them (`npm run docs`); the ecosystem test compares the
 * committed files with this output, so they cannot go stale.
 *
 * @example
 * ```ts
 * const files = await generatedFiles()
 * files['schemas/playbook.json'] // the JSON text, ending in a newline
 * ```
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadAllModules } from '../../modules/registry.js'
import { inventorySchema } from './inventory.js'
import { ConfigSchema } from './config.js'
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

/** The README's module index: one row per module, linking to its section in docs/modules.md. */
export function readmeModuleIndex(modules: Awaited<ReturnType<typeof loadAllModules>>): string {
  const rows = [...modules.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(
      (d) =>
        `| [\`${d.name}\`](docs/modules.md#${d.name.replace(/[^a-z0-9_-]/g, '')}) | ` +
        `${d.summary.replace(/\|/g, '\\|')} | ${d.changedWhen.replace(/\|/g, '\\|').replace(/\n/g, ' ')} | ` +
        `${d.check} |`,
    )
  return ['| module | what it does | changed when | check mode |', '|---|---|---|---|', ...rows].join('\n')
}

/** README sections copied from docs/ (the docs file is the one to edit). */
export const README_SECTIONS: Record<string, string> = {
  hydra: 'docs/hydra-pi.md',
  promises: 'docs/promises.md',
  performance: 'docs/performance.md',
}

/**
 * A docs file as a README section under a `##` heading: its own top heading dropped, the others moved to
 * `###` and below, and a note on where it comes from.
 */
export function readmeSection(doc: string, from: string): string {
  const body = doc.replace(/^#{1,2} .*\n+/, '')
  const top = Math.min(...[...body.matchAll(/^(#+) /gm)].map((m) => m[1].length), 99)
  const shifted = body.replace(/^(#+) /gm, (_, h: string) => `${'#'.repeat(h.length - top + 3)} `)
  return `<!-- Copied from ${from} by \`npm run docs\`; edit that file. -->\n${shifted.trimEnd()}`
}

/** `text` with the part between `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced by `body`. */
export function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const i = text.indexOf(start)
  const j = text.indexOf(end)
  if (i < 0 || j < i) return text
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`
}

/** Path → content of every generated file (README.md: its generated module index section). */
export async function generatedFiles(root = '.'): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const modules = await loadAllModules()
  for (const kind of SCHEMA_KINDS) out[`schemas/${kind}.json`] = schemaText(await buildSchema(kind))
  out['docs/modules.md'] = modulesMarkdown(modules)
  const readme = await readFile(join(root, 'README.md'), 'utf8').catch(() => undefined)
  if (readme !== undefined) {
    const index =
      `Generated from the module schemas by \`npm run docs\`; the full reference (every ` +
      `argument, its type, default,\nchoices and description, and an example) is ` +
      `[docs/modules.md](docs/modules.md).\n\n${readmeModuleIndex(modules)}`
    let text = replaceSection(readme, 'modules', index)
    for (const [name, from] of Object.entries(README_SECTIONS)) {
      const doc = await readFile(join(root, from), 'utf8').catch(() => undefined)
      if (doc !== undefined) text = replaceSection(text, name, readmeSection(doc, from))
    }
    out['README.md'] = text
  }
  return out
}
