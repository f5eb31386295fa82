import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import { ModuleFailure } from '../engine/module.js'
import { assemble, decodeEscapes, parseFragments, readFragmentsCommand, type Fragment } from './assemble.js'

const f = (name: string, content: string): Fragment => ({ name, content: Buffer.from(content) })
const FR = [f('b', 'two\n'), f('a', 'one'), f('.hidden', 'h\n'), f('c.conf', 'three\n')]
const opts = (o: { regexp?: string; delimiter?: string; ignore_hidden?: boolean }) => ({ ignore_hidden: false, ...o })

describe('assemble', () => {
  test.each([
    { what: 'name order, a newline after a fragment without one', o: opts({}), want: 'h\none\ntwo\nthree\n' },
    { what: 'ignore_hidden', o: opts({ ignore_hidden: true }), want: 'one\ntwo\nthree\n' },
    { what: 'regexp searched in the name', o: opts({ regexp: '\\.conf$' }), want: 'three\n' },
    { what: 'regexp not anchored', o: opts({ regexp: '[ab]' }), want: 'one\ntwo\n' },
    {
      what: 'delimiter between fragments, a newline added after it',
      o: opts({ ignore_hidden: true, delimiter: '# --' }),
      want: 'one\n# --\ntwo\n# --\nthree\n',
    },
    {
      what: 'delimiter escapes decoded',
      o: opts({ ignore_hidden: true, delimiter: '\\n#\\x41\\n' }),
      want: 'one\n\n#A\ntwo\n\n#A\nthree\n',
    },
    { what: 'nothing matches: empty', o: opts({ regexp: '^zzz' }), want: '' },
  ])('$what', ({ o, want }) => expect(assemble(FR, o).toString()).toBe(want))

  test('escapes', () => {
    expect(decodeEscapes('a\\tb\\\\c\\101').toString('latin1')).toBe('a\tb\\cA')
  })
})

describe('assemble reads a folder on the host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-assemble-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const local = new LocalConnector('localhost')
  test('regular files and links to them, not folders; names with spaces and newlines', async () => {
    const src = join(dir, 'frags')
    mkdirSync(join(src, 'sub'), { recursive: true })
    writeFileSync(join(src, '01 first'), 'x\n')
    writeFileSync(join(src, 'odd\nname'), Buffer.from([0, 255]))
    writeFileSync(join(src, '.dot'), 'd')
    symlinkSync(join(src, '01 first'), join(src, 'link'))
    const got = parseFragments(src, await local.run(readFragmentsCommand(src)))
    expect(got.map((g) => g.name).sort()).toEqual(['.dot', '01 first', 'link', 'odd\nname'])
    expect(got.find((g) => g.name === 'odd\nname')?.content).toEqual(Buffer.from([0, 255]))
  })
  test('missing folder and a file fail as Ansible', async () => {
    const missing = join(dir, 'nope')
    expect(() => parseFragments('x', { rc: 3, stdout: '', stderr: '' })).toThrow(ModuleFailure)
    await expect(local.run(readFragmentsCommand(missing))).resolves.toMatchObject({ rc: 3 })
    writeFileSync(join(dir, 'file'), '')
    const r = await local.run(readFragmentsCommand(join(dir, 'file')))
    expect(() => parseFragments('x', r)).toThrow('Source (x) is not a directory')
  })
})
