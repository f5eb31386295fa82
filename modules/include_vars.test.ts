import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import includeVars, { mergeInto } from './include_vars.js'
import { gatherOf, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const root = mkdtempSync(join(tmpdir(), 'tsplay-iv-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
mkdirSync(join(root, 'mixed'))
for (const [f, text] of Object.entries({ 'a.yml': 'm1: 1\n', 'b.yaml': 'm2: 2\n', README: 'x\n', 'c.txt': 'c: 3\n' }))
  writeFileSync(join(root, 'mixed', f), text)
writeFileSync(join(root, 'v.yml'), 'd: { b: 2, l: [3], n: { y: 2 } }\n')

const run = async (a: WrittenArgs<typeof includeVars>, vars = {}) => {
  const ctx = testCtx({ searchPaths: [root], vars })
  return planOf(includeVars, await gatherOf(includeVars, a, ctx, scriptedIO([])), a, ctx)
}

describe('include_vars', () => {
  it.each<[string, WrittenArgs<typeof includeVars>, { loaded?: string[]; fail?: RegExp }]>([
    ['a file of another extension fails', { dir: 'mixed' }, { fail: /README does not have a valid extension: yaml/ }],
    [
      'ignore_unknown_extensions leaves them out',
      { dir: 'mixed', ignore_unknown_extensions: true },
      { loaded: ['a.yml', 'b.yaml'] },
    ],
    [
      'ignore_files leaves them out too',
      { dir: 'mixed', ignore_files: ['README', 'c.txt'] },
      { loaded: ['a.yml', 'b.yaml'] },
    ],
    [
      'ignore_files matches at the end of the name',
      { dir: 'mixed', ignore_files: ['READ', '.yml'], ignore_unknown_extensions: true },
      { loaded: ['b.yaml'] },
    ],
    [
      'extensions are the last one',
      { dir: 'mixed', extensions: ['txt'], ignore_unknown_extensions: true },
      { loaded: ['c.txt'] },
    ],
  ])('%s', async (_, a, want) => {
    const p = await run(a)
    if (want.fail) {
      expect(p.fail).toMatch(want.fail)
      expect(p.data?.message).toBe(p.fail)
    } else {
      const files = p.data?.ansible_included_var_files as string[]
      expect(files.map((f) => f.slice(join(root, 'mixed').length + 1))).toEqual(want.loaded)
    }
  })

  it('hash_behaviour merge merges into the current maps (lists replaced); replace replaces', async () => {
    const vars = { d: { a: 1, l: [1, 2], n: { x: 1 } } }
    expect((await run({ file: 'v.yml', hash_behaviour: 'merge' }, vars)).setVars).toEqual({
      d: { a: 1, b: 2, l: [3], n: { x: 1, y: 2 } },
    })
    expect((await run({ file: 'v.yml', hash_behaviour: 'replace' }, vars)).setVars).toEqual({
      d: { b: 2, l: [3], n: { y: 2 } },
    })
  })

  it('merge needs maps on both sides, as Ansible', () => {
    expect(mergeInto({ s: 'new' }, { s: 'old' })).toMatch(/expected dicts but got a 'str' and a 'str'/)
    expect(mergeInto({ d: { a: 1 } }, {})).toMatch(/expected dicts but got a 'NoneType' and a 'dict'/)
    expect(mergeInto({ d: { a: 1 } }, { d: { a: 0, b: 1 } })).toEqual({ d: { a: 1, b: 1 } })
  })
})
