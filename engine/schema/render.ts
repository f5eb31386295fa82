/**
 * Module documentation as terminal text (`tsplay doc MODULE`, `tsplay modules`) and as Markdown (docs/modules.md,
 * the README's module reference). Both read the same rows (engine/schema/moduledoc.ts); nothing is written by hand.
 *
 * @example
 * ```ts
 * process.stdout.write(moduleText(aptModule))
 * ```
 */
import { ConfigSchema } from './config.js'
import type { ModuleDef } from '../module.js'
import { BLOCK_KEYWORDS, PLAY_KEYWORDS, TASK_KEYWORDS } from '../load/keywords.js'
import { keywordDescription } from './keywords.js'
import { argumentRows, moduleSummary, rowNotes } from './moduledoc.js'

type Modules = ReadonlyMap<string, ModuleDef>

const sortByName = (modules: Modules) => [...modules.values()].sort((a, b) => a.name.localeCompare(b.name))

/** `tsplay modules`: one line per module, names aligned. */
export function modulesText(modules: Modules): string {
  const defs = sortByName(modules)
  const w = Math.max(...defs.map((d) => d.name.length))
  return `${defs.map((d) => `${d.name.padEnd(w)}  ${d.summary}`).join('\n')}\n`
}

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) out.push(line)
  return out.map((l) => indent + l).join('\n')
}

/** `tsplay doc MODULE`: arguments (type, default, choices, description), changed, check mode, example. */
export function moduleText(def: ModuleDef): string {
  const f = moduleSummary(def)
  const rows = argumentRows(def.schema)
  const lines = [`${f.name} — ${f.summary}`, '']
  const others = f.spellings.filter((s) => s !== f.name)
  if (others.length) lines.push(`Also written as: ${others.join(', ')}`)
  if (f.freeForm)
    lines.push(`Free-form: \`${f.name}: TEXT\` sets ${f.freeForm}; other arguments as key=value or a map.`)
  if (f.controllerOnly) lines.push('Runs on the controller only (no connection to the host).')
  if (f.extra) lines.push(f.extra + (f.openArgs ? ' Any other keys are accepted.' : ''))
  lines.push('', 'ARGUMENTS')
  if (!rows.length) lines.push('  (none)')
  const w = Math.max(0, ...rows.map((r) => r.name.length))
  const pad = ' '.repeat(w + 4)
  for (const r of rows) {
    lines.push(
      `  ${r.name.padEnd(w)}  ${[r.type, ...(r.default ? [`default ${r.default}`] : []), ...rowNotes(r)].join('; ')}`,
    )
    if (r.choices.length) lines.push(`${pad}choices: ${r.choices.join(', ')}`)
    if (r.description) lines.push(wrap(r.description, 100 - pad.length, pad))
  }
  if (f.rules.length)
    lines.push('', 'RULES (checked by tsplay validate)', ...f.rules.map((r) => wrap(r.replace(/`/g, ''), 98, '  ')))
  lines.push('', 'CHANGED WHEN', wrap(f.changedWhen, 100, '  '), '', 'CHECK MODE', `  ${f.check}`, '', 'EXAMPLE')
  lines.push(...f.example.split('\n').map((l) => `  ${l}`))
  return `${lines.join('\n')}\n`
}

/** A Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')
}

function moduleMarkdown(def: ModuleDef): string {
  const f = moduleSummary(def)
  const rows = argumentRows(def.schema)
  const out = [`## ${f.name}`, '', `${f.summary}.`, '']
  const others = f.spellings.filter((s) => s !== f.name)
  if (others.length) out.push(`Also written as ${others.map((s) => `\`${s}\``).join(', ')}.`, '')
  if (f.freeForm)
    out.push(
      `Free-form: \`${f.name}: TEXT\` sets \`${f.freeForm}\`; other arguments as \`key=value\` words or a map.`,
      '',
    )
  if (f.controllerOnly) out.push('Runs on the controller only (no connection to the host).', '')
  if (f.extra) out.push(f.extra + (f.openArgs ? ' Any other keys are accepted.' : ''), '')
  if (rows.length) {
    out.push('| argument | type | default | choices | description |', '|---|---|---|---|---|')
    for (const r of rows) {
      const notes = rowNotes(r).map((n) => `**${n}**`)
      const desc = [...notes, r.description].filter(Boolean).join(' — ')
      out.push(
        `| \`${r.name}\` | ${cell(r.type)} | ${r.default ? `\`${cell(r.default)}\`` : ''} | ` +
          `${cell(r.choices.join(', '))} | ${cell(desc)} |`,
      )
    }
    out.push('')
  }
  if (f.rules.length) out.push('**Rules** (checked by `tsplay validate`):', '', ...f.rules.map((r) => `- ${r}`), '')
  out.push(
    `**Changed when:** ${cell(f.changedWhen)}`,
    '',
    `**Check mode:** ${f.check}`,
    '',
    '```yaml',
    f.example,
    '```',
    '',
  )
  return out.join('\n')
}

function keywordTable(title: string, list: readonly string[]): string {
  const rows = list.map((k) => `| \`${k}\` | ${cell(keywordDescription(k) ?? '')} |`)
  return [`### ${title}`, '', '| keyword | meaning |', '|---|---|', ...rows, ''].join('\n')
}

function settingsTable(): string {
  const rows = argumentRows(ConfigSchema).map(
    (r) =>
      `| \`${r.name}\` | ${cell(r.type)} | ${r.default ? `\`${cell(r.default)}\`` : ''} | ` +
      `${cell([r.choices.join(', '), r.description].filter(Boolean).join(' — '))} |`,
  )
  return ['| setting | type | default | meaning |', '|---|---|---|---|', ...rows, ''].join('\n')
}

/** docs/modules.md: an index, editor set-up, the keywords, tsplay.yml, then every module. */
export function modulesMarkdown(modules: Modules): string {
  const defs = sortByName(modules)
  const head = [
    '<!-- Generated by `npm run docs` (scripts/gen-docs.mjs) from the module schemas. Do not edit: a test ' +
      'fails when it is stale. -->',
    '',
    '# Module reference',
    '',
    "Every module's arguments come from the same TypeBox schema that validates them (`tsplay validate`), " +
      'completes them in',
    'editors (`schemas/playbook.json`) and prints them (`tsplay doc MODULE`). A value may be a template (`"{{ x }}"`)',
    'wherever a number, boolean or choice is expected; it is checked again once rendered.',
    '',
    '| module | what it does | check mode |',
    '|---|---|---|',
    ...defs.map((d) => `| [\`${d.name}\`](#${d.name.replace(/[^a-z0-9_-]/g, '')}) | ${cell(d.summary)} | ${d.check} |`),
    '',
    '## Editor completion',
    '',
    "Start a file with a `# yaml-language-server: $schema=PATH` line and editors with yaml-language-server (VS Code's",
    'YAML extension, Neovim, Helix, …) complete and check keywords, module names and module arguments as you type.',
    'PATH is relative to the file: `schemas/playbook.json` for playbooks, `tasks.json` for task and handler files,',
    '`vars.json` for defaults/vars/group_vars/host_vars, `inventory.json` for YAML inventories, `config.json` for',
    '`tsplay.yml`. An installed tsplay has them in `node_modules/tsplay/schemas/`; `tsplay schema KIND` prints them.',
    '',
    '## Keywords',
    '',
    keywordTable('Play keywords', PLAY_KEYWORDS),
    keywordTable('Task keywords', TASK_KEYWORDS),
    keywordTable('Block keywords', BLOCK_KEYWORDS),
    '## tsplay.yml',
    '',
    'Defaults for `tsplay run`, read from `tsplay.yml` in the folder tsplay runs from; flags on the command line win.',
    'Paths are relative to the file (`~/` is your home folder).',
    '',
    settingsTable(),
  ]
  return `${[...head, ...defs.map(moduleMarkdown)].join('\n').replace(/\n+$/, '')}\n`
}
