/** `lookup('env', …)` and `lookup('file', …)` on the controller, in expressions and templates. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { evalExpr, exprVariables } from '../../engine/expr.js'
import { renderString } from '../../engine/template.js'

describe('lookup', () => {
  it('reads environment variables ("" when unset, as Ansible)', () => {
    process.env.TSPLAY_LOOKUP_TEST = 'from-env'
    expect(evalExpr("lookup('env', 'TSPLAY_LOOKUP_TEST')", {})).toBe('from-env')
    expect(renderString("x={{ lookup('env', 'TSPLAY_LOOKUP_TEST') }}", {})).toBe('x=from-env')
    expect(evalExpr("lookup('env', 'TSPLAY_SURELY_UNSET_VAR') | default('d', true)", {})).toBe('d')
  })
  it('reads controller files without the last newline', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'lk-')), 'secret')
    writeFileSync(f, 'pw\n')
    expect(evalExpr(`lookup('file', path)`, { path: f })).toBe('pw')
  })
  it('is not a variable, and unknown lookups are user errors', () => {
    expect(exprVariables("lookup('env', name)")).toEqual(['name'])
    expect(() => evalExpr("lookup('password', 'x')", {})).toThrow(UserError)
    expect(() => evalExpr("lookup('file', '/nonexistent/x')", {})).toThrow(/no such file/)
  })
})
