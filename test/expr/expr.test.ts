/** Table-driven tests for the expression language: values, conditions, errors with columns, variables read. */
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { evalCondition, evalExpr, ExprError, exprVariables, parseExpr } from '../../engine/expr.js'

const vars = {
  n: 3,
  s: 'Hello World',
  empty: '',
  no: 'no',
  zero: '0',
  list: [1, 2, 3],
  names: ['pi1', 'pi2'],
  map: { a: { b: 'deep' }, 'with-dash': 1 },
  nothing: null,
  result: { rc: 0, stdout: 'nix (Nix) 2.18.1\nok', changed: true, failed: false },
  bad: { rc: 2, failed: true, changed: false, skipped: false },
  skip: { skipped: true, changed: false },
  url: 'http://{{ host }}:{{ port }}',
  host: 'pi1',
  port: 3000,
  groups: { hydra_server: ['pi1'], hydra_builders: ['pi2', 'pi3'] },
  ver: '2.18.1',
}

describe('evalExpr values', () => {
  it.each<[string, unknown]>([
    ['1', 1],
    ['-2.5', -2.5],
    ['\'a\' ~ "b"', 'ab'],
    ['true', true],
    ['False', false],
    ['none', null],
    ['None is none', true],
    ['[1, 2][1]', 2],
    ["{'k': n}", { k: 3 }],
    ['n + 1', 4],
    ['n * 2 - 1', 5],
    ['7 // 2', 3],
    ['7 % 4', 3],
    ['2 ** 3', 8],
    ['(n + 1) * 2', 8],
    ['s.lower()', 'hello world'],
    ["s.startswith('Hell')", true],
    ["s.split(' ')[1]", 'World'],
    ['map.a.b', 'deep'],
    ["map['a']['b']", 'deep'],
    ["map['with-dash']", 1],
    ['list[0]', 1],
    ['list[-1]', 3],
    ['list.1', 2],
    ["groups['hydra_builders'][0]", 'pi2'],
    ['list | length', 3],
    ['s | length', 11],
    ['s | lower', 'hello world'],
    ['s | upper', 'HELLO WORLD'],
    ["'  x ' | trim", 'x'],
    ["'42' | int", 42],
    ["'x' | int", 0],
    ["'yes' | bool", true],
    ["'nope' | bool", false],
    ['n | string', '3'],
    ["names | join(',')", 'pi1,pi2'],
    ["missing | default('d')", 'd'],
    ["missing.deeper | default('d')", 'd'],
    ["empty | default('d')", ''],
    ["empty | default('d', true)", 'd'],
    ["'/a/b/c.txt' | basename", 'c.txt'],
    ["'/a/b/c.txt' | dirname", '/a/b'],
    ['"it\'s" | quote', `'it'"'"'s'`],
    ['"a_b-1.x" | quote', 'a_b-1.x'],
    ['"a\\n b  " | comment', '#\n# a\n#  b  \n#'],
    ['"a\\n\\nb" | comment("c")', '//\n// a\n//\n// b\n//'],
    ['"x" | comment("cblock")', '/*\n *\n * x\n *\n */'],
    ['"x" | comment("xml", prefix="", postfix_count=2)', '<!--\n - x\n -\n -\n-->'],
    ['"x" | comment(decoration="; ", prefix_count=0)', '; x\n;'],
    ['list | to_json', '[1,2,3]'],
    ['-1 | abs', 1],
    ['1 if n > 2 else 2', 1],
    ['1 if n > 5 else 2', 2],
    ['url', 'http://pi1:3000'],
    ["url ~ '/x'", 'http://pi1:3000/x'],
    ['result.stdout.splitlines()[0]', 'nix (Nix) 2.18.1'],
    ['map.keys() | list', ['a', 'with-dash']],
  ])('%s', (src, want) => {
    expect(evalExpr(src, vars)).toEqual(want)
  })
})

describe('evalCondition', () => {
  it.each<[string, boolean]>([
    ['n == 3', true],
    ['n != 3', false],
    ['n < 4 and n >= 3', true],
    ['n > 4 or n <= 2', false],
    ['not n == 3', false],
    ["'pi1' in names", true],
    ["'pi9' not in names", true],
    ["'Nix' in result.stdout", true],
    ["'a' in map", true],
    ['missing is defined', false],
    ['missing is not defined', true],
    ['missing is undefined', true],
    ['map.a.zzz is defined', false],
    ['missing.x.y is defined', false],
    ['n is defined', true],
    ['nothing is none', true],
    ['n is none', false],
    ['result is succeeded and result is success and result is successful', true],
    ['bad is failed and bad is failure', true],
    ['result is changed', true],
    ['bad is changed', false],
    ['skip is skipped', true],
    ['result.rc == 0', true],
    ['bad.rc != 0', true],
    ["ver is version('2.18', '>=')", true],
    ["ver is version('2.19', '>=')", false],
    ["ver is version('2.18.1', '==')", true],
    // truthiness of values (see engine/expr/values.ts)
    ['s', true],
    ['empty', false],
    ['no', false],
    ['zero', false],
    ["'False'", false],
    ["'off'", false],
    ["'yes'", true],
    ['list', true],
    ['[]', false],
    ['{}', false],
    ['nothing', false],
    ['0', false],
    ['0.5', true],
    ['{{ n == 3 }}', true],
  ])('%s → %s', (src, want) => {
    expect(evalCondition(src, vars)).toBe(want)
  })

  it('passes booleans through (a YAML `when: true`)', () => {
    expect(evalCondition(true, {})).toBe(true)
    expect(evalCondition(false, {})).toBe(false)
  })
})

describe('errors', () => {
  it.each<[string, RegExp]>([
    ['missing', /^undefined variable "missing"$/],
    ['missing == 1', /^undefined variable "missing"$/],
    ['map.a.zzz', /^undefined variable "map\.a\.zzz"$/],
    ['missing.x', /^undefined variable "missing\.x"$/],
    ['list | join(missing)', /undefined variable "missing"/],
    ['n | nosuchfilter', /unknown filter "nosuchfilter"/],
    ['n is nosuchtest', /unknown test "nosuchtest"/],
    ["n < 'a'", /cannot compare number 3 with string "a"/],
    ['n / 0', /division by zero/],
    ["n + 'a'", /cannot add number/],
    ['n is failed', /needs a registered result/],
    ['constructor', /undefined variable "constructor"/],
    ['map.__proto__', /undefined variable/],
    ['s.toString()', /unknown method "toString"/],
  ])('%s', (src, msg) => {
    const err = (() => {
      try {
        evalExpr(src, vars)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(UserError)
    expect((err as Error).message).toMatch(msg)
  })

  it('adds position and context when given', () => {
    const pos = { file: 'site.yml', line: 7, col: 11 }
    try {
      evalCondition(
        'nix_version is version("2", ">=") and missing',
        { nix_version: '2.3' },
        { pos, what: 'when of task "x"' },
      )
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(UserError)
      expect((e as UserError).format()).toBe('site.yml:7:11: undefined variable "missing" in when of task "x"')
    }
  })

  it.each<[string, number, RegExp]>([
    ['a ==', 5, /expected a value, found end of expression/],
    ['a b', 3, /expected an operator or the end/],
    ["'abc", 1, /unterminated string/],
    ['a..b', 3, /expected an attribute name/],
    ['a | ', 5, /expected a filter name/],
    ['a is', 5, /expected a test name/],
    ['(a', 3, /expected "\)"/],
    ['a $ b', 3, /unexpected character "\$"/],
    ['', 1, /empty expression/],
    ['{{ a b }}', 6, /expected an operator/],
    ['('.repeat(500) + 'a' + ')'.repeat(500), 101, /nested too deeply/],
  ])('syntax error in %j at column %i', (src, col, msg) => {
    try {
      parseExpr(src)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ExprError)
      expect((e as ExprError).message).toMatch(msg)
      expect((e as ExprError).col).toBe(col)
    }
  })

  it('turns a syntax error at evaluation into a UserError naming the expression', () => {
    expect(() => evalExpr('a ==', {})).toThrow(
      /invalid expression: expected a value.* at column 5 in expression "a =="/,
    )
  })
})

describe('exprVariables', () => {
  it.each<[string, string[]]>([
    ['a', ['a']],
    ['a.b.c == d[e]', ['a', 'd', 'e']],
    // Jinja reads the right side only when the left lets it: a name a test showed defined is not read undefined
    ['x is defined and x > 1', []],
    ['x.y is not undefined and x.y > 1', []],
    ['x is undefined or x > 1', []],
    ['not (x is defined) or x > 1', []],
    ['x if x is defined else y', ['y']],
    ['x > 1 and x is defined', ['x']],
    ['x is defined or x > 1', ['x']],
    ['(x is defined and x) or x', ['x']],
    ['x is defined', []],
    ['y is not defined', []],
    ["z | default('q')", []],
    ['z | default(w)', ['w']],
    ["'lit' in names", ['names']],
    ['true and none', []],
    ['a if c else g', ['a', 'c', 'g']],
  ])('%s', (src, want) => {
    expect(exprVariables(src)).toEqual(want)
  })
})

describe('parseExpr cache', () => {
  it('returns the same AST for the same source', () => {
    expect(parseExpr('a.b | default(1)')).toBe(parseExpr('a.b | default(1)'))
  })
})
