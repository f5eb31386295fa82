/** `-e` values: `k=v` words read like module arguments (the `-e 'x={{ y }}'` case), maps, files, and the errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseExtraVars } from '../../engine/cli/prepare.js'
import { UserError, UserErrors } from '../../engine/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-extravars-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The formatted error `parseExtraVars(values)` rejects with. */
async function refusal(values: string[]): Promise<string> {
  try {
    await parseExtraVars(values)
  } catch (e) {
    if (e instanceof UserErrors) return e.errors.map((x) => x.format()).join('\n')
    if (e instanceof UserError) return e.format()
    throw e
  }
  throw new Error('expected parseExtraVars to refuse')
}

describe('-e', () => {
  it.each<[string[], Record<string, unknown>]>([
    [['x={{ y }}'], { x: '{{ y }}' }],
    [['x={{ y }}', 'y=1'], { x: '{{ y }}', y: '1' }],
    [[`msg="a b" n=1 t={{ a | join(' ') }}`], { msg: 'a b', n: '1', t: "{{ a | join(' ') }}" }],
    [['a=1', 'a=2'], { a: '2' }],
    [['p=x\\ty', ''], { p: 'x\ty' }],
    [['{"a": 1, "b": [true]}'], { a: 1, b: [true] }],
    [['{a: 1, b: "x y"}'], { a: 1, b: 'x y' }],
  ])('%j', async (values, want) => {
    expect(await parseExtraVars(values)).toEqual(want)
  })

  it('reads @file', async () => {
    writeFileSync(join(dir, 'v.yml'), 'a: 1\nb: "{{ a }}"\n')
    expect(await parseExtraVars([`@${join(dir, 'v.yml')}`, 'c=3'])).toEqual({ a: 1, b: '{{ a }}', c: '3' })
  })

  it.each<[string[], RegExp]>([
    [['x={{ y'], /^\(command line\):1:1: -e expects key=value, @file.yml or a map: "x=\{\{ y": unclosed "\{\{"/],
    [['a=1 b'], /-e expects key=value, @file\.yml or a map: "a=1 b": "b" is not key=value \(character 5\)/],
    [['./vars.yml'], /put "@" before a file name \(-e @\.\/vars\.yml\)/],
    [['[1, 2]'], /-e "\[1, 2\]" must be a map of variables/],
    [['{a: [}'], /^\(command line\):\d+:\d+: YAML syntax error/],
    [[`@${join(dir, 'missing.yml')}`], /extra vars file not found/],
  ])('%j is refused with a position', async (values, want) => {
    expect(await refusal(values)).toMatch(want)
  })
})
