/**
 * Property tests over the front end: any text, bytes or structure given to the YAML reader or to
 * `loadPlaybook` ends in a value or a clean `UserError`/`UserErrors` (with a position), never another exception.
 * The time bound is the generous vitest timeout, not a timed assertion.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { UserError, UserErrors } from '../../engine/errors.js'
import { BLOCK_KEYWORDS, PLAY_KEYWORDS, TASK_KEYWORDS } from '../../engine/load/keywords.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { parseYaml, parseYamlBytes } from '../../engine/source/yaml.js'
import { fixtureModules } from './fixtures.js'
import { tree } from './helpers.js'

/** Run `f`; a UserError/UserErrors must carry positions; anything else fails the property. */
function cleanly(f: () => unknown): true {
  try {
    f()
  } catch (e) {
    if (e instanceof UserErrors) {
      expect(e.errors.length).toBeGreaterThan(0)
      for (const x of e.errors) expect(x.pos?.line).toBeGreaterThan(0)
    } else if (e instanceof UserError) expect(e.pos?.line).toBeGreaterThan(0)
    else throw e
  }
  return true
}

const yamlish = fc
  .array(
    fc.constantFrom(
      '- ',
      ': ',
      'a',
      'hosts',
      'tasks',
      '\n',
      '  ',
      '[',
      ']',
      '{',
      '}',
      ',',
      '&x ',
      '*x',
      '<<: ',
      '!!str ',
      '"',
      "'",
      '#',
      '? ',
      '|',
      '>',
      '---\n',
      '~',
      '0x1',
      '1e3',
      '\t',
      '%YAML 1.2\n',
      '\u00e9',
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''))

describe('YAML front end never crashes', () => {
  it('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => cleanly(() => parseYaml(s, 'f.yml'))),
      { numRuns: 500 },
    )
  }, 60_000)

  it('YAML-like token soup', () => {
    fc.assert(
      fc.property(yamlish, (s) => cleanly(() => parseYaml(s, 'f.yml'))),
      { numRuns: 1000 },
    )
  }, 60_000)

  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => cleanly(() => parseYamlBytes(b, 'f.yml'))),
      { numRuns: 500 },
    )
  }, 60_000)
})

const modules = fixtureModules()
const keys = fc.constantFrom(
  ...PLAY_KEYWORDS,
  ...TASK_KEYWORDS,
  ...BLOCK_KEYWORDS,
  ...modules.keys(),
  'ansible.builtin.apt',
  'import_tasks',
  'x',
  'name',
  'state',
  'msg',
)
const scalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('{{ x }}', 'x ==', 'present', 'all', 'yes', '{{', 'a=b c'),
)
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(keys, tie('v'), { maxKeys: 4 }),
  ),
})).v

describe('loadPlaybook never crashes', () => {
  const dir = tree({ 'roles/r/tasks/main.yml': '- debug: { msg: x }\n' })
  const file = join(dir, 'playbook.yml')

  async function loads(text: string): Promise<boolean> {
    writeFileSync(file, text)
    try {
      await loadPlaybook(file, { modules })
    } catch (e) {
      if (!(e instanceof UserErrors || e instanceof UserError)) throw e
    }
    return true
  }

  it('random structures shaped like playbooks', async () => {
    const play = fc.dictionary(keys, value, { maxKeys: 6 })
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(play, value), { maxLength: 3 }), (plays) => loads(stringify(plays))),
      { numRuns: 300 },
    )
  }, 120_000)

  it('plays with random tasks', async () => {
    const task = fc.dictionary(keys, value, { maxKeys: 5 })
    const pb = fc.array(
      fc.record({
        hosts: fc.constant('all'),
        tasks: fc.array(task, { maxLength: 4 }),
        handlers: fc.array(task, { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 2 },
    )
    await fc.assert(
      fc.asyncProperty(pb, (p) => loads(stringify(p))),
      { numRuns: 300 },
    )
  }, 120_000)

  it('random YAML-like text', async () => {
    await fc.assert(fc.asyncProperty(yamlish, loads), { numRuns: 300 })
  }, 120_000)
})
