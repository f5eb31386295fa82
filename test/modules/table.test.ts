/**
 * The registry's module table: every module's data fields from one JSON file, its code loaded on first use. The
 * table must say what the modules say (the loader validates with it) and hand over the real code.
 *
 * @example
 * ```sh
 * npx vitest run test/modules/table.test.ts
 * ```
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { checkArgs } from '../../engine/load/args.js'
import { loadAllModules, loadModuleTable, moduleData, MODULES } from '../../modules/registry.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-table-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A copy with string keys only (TypeBox's symbol keys are not part of a schema's JSON). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain)
  if (typeof v !== 'object' || v === null) return v
  return Object.fromEntries(Object.keys(v).map((k) => [k, plain((v as Record<string, unknown>)[k])]))
}

/** Write a table like the build's (every module, or those `keep` allows) and return its URL. */
async function writeTable(name: string, keep: (module: string) => boolean = () => true): Promise<URL> {
  const all = await loadAllModules()
  const table = Object.fromEntries([...all].filter(([n]) => keep(n)).map(([n, def]) => [n, moduleData(def)]))
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(table))
  return pathToFileURL(file)
}

describe('module table', () => {
  test("every module's data survives JSON unchanged (no function, undefined or non-JSON value in it)", async () => {
    for (const [name, def] of await loadAllModules()) {
      const data = moduleData(def)
      expect(
        Object.values(data).some((v) => typeof v === 'function'),
        name,
      ).toBe(false)
      expect(JSON.parse(JSON.stringify(data)), name).toStrictEqual(plain(data))
    }
  })

  test('entries carry the data, throw before load(), and load() gives the module itself', async () => {
    const file = await writeTable('all.json')
    const real = await loadAllModules()
    // a registry of its own, as a fresh process has: no module code loaded yet
    vi.resetModules()
    const fresh = await import('../../modules/registry.js')
    const table = await fresh.loadModuleTable(file)
    expect([...table.keys()].sort()).toEqual(Object.keys(MODULES).sort())
    expect([...table.values()].every((def) => def.load !== undefined)).toBe(true)
    const copy = table.get('copy')!
    expect(copy.aliases).toEqual(real.get('copy')!.aliases)
    expect(() => Reflect.apply(copy.plan, copy, [])).toThrow(/not loaded/)
    const loaded = await copy.load!()
    expect(loaded).toBe((await fresh.MODULES.copy()).default)
    expect(loaded.load).toBeUndefined()
    // once loaded, a new table hands out the module itself
    expect((await fresh.loadModuleTable(file)).get('copy')).toBe(loaded)
  })

  test('validation with an entry reports what it reports with the module', async () => {
    const table = await loadModuleTable(await writeTable('check.json'))
    const real = await loadAllModules()
    const pos = { file: 'play.yml', line: 3, col: 5 }
    const cases: [string, Record<string, unknown>][] = [
      ['copy', { content: 'x', dest: '/x', mdoe: '0644' }],
      ['copy', { content: 'x', src: 'y', dest: '/x' }],
      ['file', { path: '/x', state: 'dir' }],
      ['stat', { path: '/x', get_checksum: 'maybe' }],
      ['lineinfile', { dest: '/x', regex: '^a', line: 'a', create: 'yes' }],
      ['command', { cmd: 'ls', argv: ['ls'] }],
    ]
    for (const [name, args] of cases) {
      const viaTable = checkArgs(table.get(name)!, args, pos)
      const viaModule = checkArgs(real.get(name)!, args, pos)
      expect(viaTable.args, name).toEqual(viaModule.args)
      expect(
        viaTable.errors.map((e) => e.message),
        name,
      ).toEqual(viaModule.errors.map((e) => e.message))
    }
  })

  test('a table that does not name every module is not used: the modules are loaded instead', async () => {
    const file = await writeTable('partial.json', (n) => n !== 'stat')
    vi.resetModules()
    const fresh = await import('../../modules/registry.js')
    const table = await fresh.loadModuleTable(file)
    expect(table.get('stat')?.load).toBeUndefined()
    expect(table.get('copy')?.load).toBeUndefined()
    expect(table.size).toBe(Object.keys(MODULES).length)
  })

  test('without a table file the modules themselves are returned', async () => {
    const table = await loadModuleTable(pathToFileURL(join(dir, 'missing.json')))
    expect(table.get('copy')).toBe((await loadAllModules()).get('copy'))
  })
})
