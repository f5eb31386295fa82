/**
 * The `# yaml-language-server: $schema=…` first line each shipped YAML file carries, so editors pick the right
 * schema: playbooks → playbook.json, role/include task and handler files → tasks.json, variable files (role
 * defaults/vars, group_vars, host_vars) → vars.json, inventories → inventory.json. Paths are relative to the file.
 *
 * @example
 * ```ts
 * schemaLine('playbooks/roles/nix/tasks/main.yml')
 * // '# yaml-language-server: $schema=../../../../schemas/tasks.json'
 * ```
 */
import { posix } from 'node:path'
import type { SchemaKind } from './generate.js'

/** The folders (relative to the project root) whose YAML files are shipped and carry the line. */
export const SHIPPED_YAML_DIRS = ['playbooks', 'inventory'] as const

/** Which schema a YAML file at `rel` (relative to the project root, `/`-separated) is written against. */
export function schemaKindFor(rel: string): SchemaKind {
  if (/(^|\/)(tasks|handlers)\//.test(rel)) return 'tasks'
  // meta/: maps of settings (argument specs)
  if (/(^|\/)(defaults|vars|group_vars|host_vars|meta)\//.test(rel)) return 'vars'
  return rel.startsWith('inventory/') ? 'inventory' : 'playbook'
}

/** The first line the file at `rel` must start with. */
export function schemaLine(rel: string): string {
  const target = posix.relative(posix.dirname(rel), `schemas/${schemaKindFor(rel)}.json`)
  return `# yaml-language-server: $schema=${target}`
}

/** `text` with its schema line in place (replacing an existing yaml-language-server line). */
export function withSchemaLine(rel: string, text: string): string {
  const line = schemaLine(rel)
  const [first, ...rest] = text.split('\n')
  if (first === line) return text
  if (first.startsWith('# yaml-language-server:')) return [line, ...rest].join('\n')
  return `${line}\n${text}`
}
