/** Property tests: any input to the expression front end ends in a value or a clean error, never a crash. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { evalCondition, evalExpr, ExprError, exprVariables, parseExpr } from '../../engine/expr.js'

const OPTS = { numRuns: 400 }

/** Either returns normally or throws one of the allowed classes; anything else fails the property. */
function clean(f: () => unknown, ...allowed: Array<new (...a: never[]) => Error>): void {
  try {
    f()
  } catch (e) {
    if (!allowed.some((c) => e instanceof c)) throw e
  }
}

const VOCAB = [
  'a',
  'b',
  'x',
  'result',
  'items',
  '.',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  ',',
  ':',
  '|',
  '==',
  '!=',
  '<',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '//',
  '%',
  '**',
  '~',
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'defined',
  'none',
  'true',
  'False',
  '0',
  '1',
  '2.5',
  "'s'",
  '"t"',
  'default',
  'length',
  'int',
  'bool',
  'lower',
  'join',
  'failed',
  'changed',
  'version',
  'rc',
  'stdout',
  'startswith',
  'keys',
  '{{',
  '}}',
  "'",
  '"',
  '\\',
  '\n',
  '$',
]
/** Token soup: mostly near-valid expressions, which reach deeper into the parser than random text. */
const soup = fc.array(fc.constantFrom(...VOCAB), { maxLength: 25 }).map((t) => t.join(' '))

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 5 }).filter((k) => k !== '__proto__'),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value

const vars = fc.record({
  a: json,
  b: json,
  x: json,
  items: fc.array(json, { maxLength: 4 }),
  result: fc.record({ rc: fc.integer(), stdout: fc.string(), failed: fc.boolean(), changed: fc.boolean() }),
})

describe('expression front end never crashes', () => {
  it('parseExpr: any string parses or raises ExprError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), soup), (s) =>
        clean(() => parseExpr(s), ExprError),
      ),
      OPTS,
    )
  })

  it('evalExpr/evalCondition/exprVariables: any expression and variables give a value or a UserError', () => {
    fc.assert(
      fc.property(fc.oneof(soup, fc.string()), vars, (s, v) => {
        clean(() => evalExpr(s, v), UserError)
        clean(() => evalCondition(s, v), UserError)
        clean(() => exprVariables(s), ExprError)
      }),
      OPTS,
    )
  })
})

/** Write a value as an expression literal. */
function literal(v: unknown): string {
  if (v === null) return 'none'
  if (typeof v === 'string') return `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
  if (typeof v === 'number') return v < 0 || Object.is(v, -0) ? `(-${literal(-v)})` : String(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`
  return `{${Object.entries(v as object)
    .map(([k, x]) => `${literal(k)}: ${literal(x)}`)
    .join(', ')}}`
}

describe('expression semantics', () => {
  // values are templated when used (as in Ansible): leave out template syntax, and exponents (JSON vs Python)
  const plain = json.filter((v) => !/\{[{%#]/.test(JSON.stringify(v)) && !JSON.stringify(v).match(/e[-+]?\d/i))

  it('a literal written out evaluates back to the same value', () => {
    fc.assert(
      fc.property(plain, (v) => {
        expect(evalExpr(literal(v), {})).toEqual(v)
      }),
      OPTS,
    )
  })

  it('a variable evaluates to its value, and equals itself', () => {
    fc.assert(
      fc.property(plain, (v) => {
        expect(evalExpr('x', { x: v })).toEqual(v)
        expect(evalExpr('x == y', { x: v, y: structuredClone(v) })).toBe(true)
      }),
      OPTS,
    )
  })

  it('`not` negates a condition, `is defined` never raises', () => {
    fc.assert(
      fc.property(plain, fc.boolean(), (v, defined) => {
        const vs = defined ? { x: v } : {}
        expect(evalCondition('x is defined', vs)).toBe(defined)
        if (defined) expect(evalCondition('not x', vs)).toBe(!evalCondition('x', vs))
        expect(evalExpr("x | default('d')", vs)).toEqual(defined ? v : 'd')
      }),
      OPTS,
    )
  })

  it('integer arithmetic matches JavaScript', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 }), (a, b) => {
        expect(evalExpr('a + b * 2 - a', { a, b })).toBe(a + b * 2 - a)
        expect(evalCondition('a < b', { a, b })).toBe(a < b)
        expect(evalCondition('a in [b]', { a, b })).toBe(a === b)
      }),
      OPTS,
    )
  })
})
