/** Property tests for templating: no crashes on any input, types kept, shell escaping holds for any value. */
import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { checkTemplateSyntax, renderString, renderValue, templateVariables } from '../../engine/template.js'

const OPTS = { numRuns: 300 }

function clean(f: () => unknown): void {
  try {
    f()
  } catch (e) {
    if (!(e instanceof UserError)) throw e
  }
}

const PIECES = [
  '{{',
  '}}',
  '{{{',
  '}}}',
  ' x ',
  ' a.b ',
  'items',
  '#each',
  '#if',
  '/each',
  '/if',
  'else',
  ' | ',
  'default(',
  ')',
  "'",
  '"',
  'upper',
  '@index',
  'this',
  '~',
  '!',
  '--',
  '\\',
  '{%',
  '%}',
  'as |i|',
  ' loop.index ',
  '(eq x 1)',
  'text',
  '\n',
  '>',
  '^',
  '&',
  '[0]',
  'join',
]
const soup = fc.array(fc.constantFrom(...PIECES), { maxLength: 20 }).map((p) => p.join(''))

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 4 }).filter((k) => k !== '__proto__'),
      tie('v'),
      { maxKeys: 3 },
    ),
  ),
})).v

const vars = fc.record({
  x: value,
  a: fc.record({ b: value }),
  items: fc.array(value, { maxLength: 3 }),
  t: fc.string(),
})

describe('templates never crash', () => {
  it('any text renders to a string or raises a UserError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), soup), vars, fc.boolean(), (s, v, shell) => {
        clean(() => renderString(s, v, shell ? { escape: 'shell' } : {}))
        clean(() => renderValue([s, { k: s }], v))
        expect(['string', 'undefined']).toContain(typeof checkTemplateSyntax(s))
        expect(Array.isArray(templateVariables(s))).toBe(true)
      }),
      OPTS,
    )
  })

  it('a valid template per checkTemplateSyntax never raises a syntax error when rendered', () => {
    fc.assert(
      fc.property(soup, vars, (s, v) => {
        if (checkTemplateSyntax(s) !== undefined) return
        try {
          renderString(s, v)
        } catch (e) {
          expect(e).toBeInstanceOf(UserError)
          expect((e as Error).message).not.toMatch(/syntax error/)
        }
      }),
      OPTS,
    )
  })
})

describe('template semantics', () => {
  // a variable's value is itself templated when used (as in Ansible), so values holding template syntax are out
  const noTemplates = value.filter((v) => !/\{[{%#]/.test(JSON.stringify(v ?? null)))

  it('text without {{, {% or {# is returned unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('{{') && !s.includes('{%') && !s.includes('{#')),
        (s) => {
          expect(renderString(s, {})).toBe(s)
        },
      ),
      OPTS,
    )
  })

  it('"{{ x }}" keeps the value and its type', () => {
    fc.assert(
      fc.property(noTemplates, (v) => {
        expect(renderValue('{{ x }}', { x: v })).toEqual(v)
      }),
      OPTS,
    )
  })

  it("escape: 'shell' passes any value to sh as one literal word", () => {
    const word = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\0') && !s.includes('{{'))
    fc.assert(
      fc.property(word, word, (v, w) => {
        const script = renderString('printf "%s\\n%s" {{ v }} {{ w }}', { v, w }, { escape: 'shell' })
        expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).toBe(`${v}\n${w}`)
      }),
      { numRuns: 60 },
    )
  })
})
