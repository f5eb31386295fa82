/** `lookup('env', …)`, `lookup('file', …)` and `lookup('varnames', …)` in expressions and templates. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { evalExpr, exprVariables } from '../../engine/expr.js'
import { renderString } from '../../engine/template.js'

/** A temp folder removed when the test ends. */
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lk-'))
  onTestFinished(() => rmSync(d, { recursive: true, force: true }))
  return d
}

describe('lookup', () => {
  it('reads environment variables ("" when unset, as Ansible)', () => {
    process.env.TSPLAY_LOOKUP_TEST = 'from-env'
    onTestFinished(() => void delete process.env.TSPLAY_LOOKUP_TEST)
    expect(evalExpr("lookup('env', 'TSPLAY_LOOKUP_TEST')", {})).toBe('from-env')
    expect(renderString("x={{ lookup('env', 'TSPLAY_LOOKUP_TEST') }}", {})).toBe('x=from-env')
    expect(evalExpr("lookup('env', 'TSPLAY_SURELY_UNSET_VAR') | default('d', true)", {})).toBe('d')
  })
  it('reads controller files without the last newline', () => {
    const f = join(tempDir(), 'secret')
    writeFileSync(f, 'pw\n')
    expect(evalExpr(`lookup('file', path)`, { path: f })).toBe('pw')
  })
  it('is not a variable, and unknown lookups are user errors', () => {
    expect(exprVariables("lookup('env', name)")).toEqual(['name'])
    expect(() => evalExpr("lookup('nosuch', 'x')", {})).toThrow(UserError)
    expect(() => evalExpr("lookup('file', '/nonexistent/x')", {})).toThrow(/could not locate file in lookup/)
  })
  it('pipe and lines run a controller command; items and list as in Ansible; fileglob lists files, sorted', () => {
    expect(evalExpr("lookup('pipe', 'echo a; echo b')", {})).toBe('a\nb')
    expect(evalExpr("query('lines', 'printf \"x\\ny\\n\"')", {})).toEqual(['x', 'y'])
    expect(() => evalExpr("lookup('pipe', 'exit 2')", {})).toThrow(/exited with 2/)
    expect(evalExpr("query('items', [1, [2, 3]])", {})).toEqual([1, [2, 3]]) // as ansible-playbook 2.14 gives it
    expect(evalExpr("query('list', [1, 2])", {})).toEqual([[1, 2]])
    const d = tempDir()
    for (const n of ['b.conf', 'a.conf', 'c.txt']) writeFileSync(join(d, n), '')
    expect(evalExpr(`query('fileglob', d ~ '/*.conf')`, { d })).toEqual([join(d, 'a.conf'), join(d, 'b.conf')])
  })
  it('now() gives the time as Python prints a datetime, or formatted', () => {
    expect(evalExpr('now() | string', {})).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/)
    expect(evalExpr('now().year', {})).toBe(new Date().getFullYear())
    expect(evalExpr("(now() - '2000-01-01' | to_datetime('%Y-%m-%d')).days > 9000", {})).toBe(true)
    expect(evalExpr("now(utc=true, fmt='%Y')", {})).toBe(String(new Date().getUTCFullYear()))
    expect(evalExpr("now(true, '%s')", {})).toMatch(/^\d{10}$/)
    expect(() => evalExpr("now(fmt='%Q')", {})).toThrow(/%Q/)
  })
})

describe("lookup('varnames')", () => {
  it("gives the task's variable names each regex finds: lower layers' names first, each once per term", () => {
    const low = { b_low: 1, a_shared: 1 }
    const high = Object.assign(Object.create(low) as Record<string, unknown>, { a_shared: 2, c_high: 3 })
    expect(evalExpr("q('varnames', '.')", high)).toEqual(['b_low', 'a_shared', 'c_high'])
    expect(evalExpr("q('varnames', '_low$', 'low')", high)).toEqual(['b_low', 'b_low'])
    expect(evalExpr("lookup('varnames', '^[ab]')", high)).toBe('b_low,a_shared')
    expect(evalExpr("q('varnames', '^(?P<x>c)_')", high)).toEqual(['c_high'])
  })

  it("inside a template's loop and macro: the task's variables, not the template's own names", () => {
    const tpl =
      "{% for item in [1] %}{{ q('varnames', '') }}{% endfor %}" +
      "{% macro m(arg) %}{{ q('varnames', '') }}{% endmacro %}{{ m(1) }}{% set local = 1 %}{{ q('varnames', '') }}"
    expect(renderString(tpl, { v: 1 }, { engine: 'jinja' })).toBe("['v']['v']['v']")
  })

  it('refuses a term that is no string or no regex, as Ansible', () => {
    expect(() => evalExpr("q('varnames', 1)", { a: 1 })).toThrow(/Invalid setting identifier, "1" is not a string/)
    expect(() => evalExpr("q('varnames', '*')", { a: 1 })).toThrow(
      /Unable to use "\*" as a search parameter: nothing to repeat/,
    )
  })
})
