/** `lookup('env', …)` and `lookup('file', …)` on the controller, in expressions and templates. */
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
    expect(evalExpr('now()', {})).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    expect(evalExpr("now(utc=true, fmt='%Y')", {})).toBe(String(new Date().getUTCFullYear()))
    expect(evalExpr("now(true, '%s')", {})).toMatch(/^\d{10}$/)
    expect(() => evalExpr("now(fmt='%Q')", {})).toThrow(/%Q/)
  })
})
