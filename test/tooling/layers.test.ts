/**
 * The layering rule, checked: every relative import in engine/ and modules/ (tests excluded) points to the same
 * layer or a lower one. Layers, low → high (see docs/architecture.md):
 * core (engine/*.ts, e.g. errors, types, quote) → expr (engine/expr, expr.ts, template.ts) → vault → source → ssh →
 * local → inventory → modules → load → schema → run → report → cli.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, expect, test } from 'vitest'

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..')
const ORDER: readonly string[] = [
  'core',
  'expr',
  'vault',
  'source',
  'ssh',
  'local',
  'inventory',
  'modules',
  'load',
  'schema',
  'run',
  'report',
  'cli',
]

/** The layer of a file path relative to the repository root (forward slashes). */
function layerOf(file: string): string {
  if (file === 'engine/expr.ts' || file === 'engine/template.ts') return 'expr'
  if (file.startsWith('modules/')) return 'modules'
  const m = /^engine\/([^/]+)\//.exec(file)
  if (m === null) return 'core'
  return m[1]!
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`
    if (e.isDirectory()) return sources(rel)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [rel] : []
  })
}

/** Every `from './x.js'` / `import('./x.js')` arrow that goes from a lower layer to a higher one. */
function upwardArrows(files: string[], read: (file: string) => string): string[] {
  const bad: string[] = []
  for (const file of files) {
    const text = read(file)
    for (const m of text.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = relative(ROOT, normalize(join(ROOT, dirname(file), m[1]!))).replace(/\.js$/, '.ts')
      const from = ORDER.indexOf(layerOf(file))
      const to = ORDER.indexOf(layerOf(target))
      if (from < 0 || to < 0) bad.push(`${file} → ${target}: unknown layer`)
      else if (to > from) bad.push(`${file} (${ORDER[from]}) → ${target} (${ORDER[to]})`)
    }
  }
  return bad
}

describe('layers', () => {
  test('every engine/ and modules/ folder has a place in the order', () => {
    const layers = new Set([...sources('engine'), ...sources('modules')].map(layerOf))
    expect([...layers].filter((l) => !ORDER.includes(l))).toEqual([])
  })

  test('no import goes from a lower layer to a higher one', () => {
    const files = [...sources('engine'), ...sources('modules')]
    expect(upwardArrows(files, (f) => readFileSync(join(ROOT, f), 'utf8'))).toEqual([])
  })

  test('the check sees upward arrows and allows downward ones', () => {
    const code: Record<string, string> = {
      'engine/expr/render.ts': "import { shQuote } from '../ssh/quote.js'\nimport { UserError } from '../errors.js'",
      'engine/schema/render.ts': "const c = await import('../cli/config.js')",
      'engine/cli/run.ts': "import { run } from '../run/play.js'",
      'engine/inventory/load.ts': "import { parseYamlBytes } from '../source/yaml.js'",
      'modules/lib/files.ts': "import { sourceCandidates } from '../../engine/load/files.js'",
    }
    expect(upwardArrows(Object.keys(code), (f) => code[f]!)).toEqual([
      'engine/expr/render.ts (expr) → engine/ssh/quote.ts (ssh)',
      'engine/schema/render.ts (schema) → engine/cli/config.ts (cli)',
      'modules/lib/files.ts (modules) → engine/load/files.ts (load)',
    ])
  })
})
