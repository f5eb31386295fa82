/**
 * The environment as the fact script reads it from dash's `export -p` (no `env` program): values with quotes,
 * newlines, backslashes and empty ones come back as the shell holds them; a real dash's listing of an environment
 * full of such values reads back as that environment.
 *
 * @example
 * ```sh
 * npx vitest run test/engine/textfacts.test.ts
 * ```
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { exportedVars } from '../../engine/textfacts.js'

describe('exportedVars', () => {
  it.each<[string, string[], Record<string, string>]>([
    ['plain', ["export HOME='/home/pi'", "export LANG='C.UTF-8'"], { HOME: '/home/pi', LANG: 'C.UTF-8' }],
    ['a quote inside', ["export A='it'\"'\"'s'"], { A: "it's" }],
    ['a newline inside', ["export B='x", '', "y'", "export C='z'"], { B: 'x\n\ny', C: 'z' }],
    ['empty', ["export D=''"], { D: '' }],
    ['exported without a value', ['export E', "export F='1'"], { F: '1' }],
    ['double quotes and backslashes', ['export G="a\\"b\\\\c\\$d"', 'export H=x\\ y'], { G: 'a"b\\c$d', H: 'x y' }],
    ['a later export of the same name', ["export I='1'", "export I='2'"], { I: '2' }],
    ['nothing', [], {}],
  ])('%s', (_, lines, want) => {
    expect(exportedVars(lines)).toEqual(want)
  })

  it("reads back the environment a real dash lists (quotes, newlines, backslashes, `'\"'\"'` runs)", () => {
    const env = {
      PATH: '/usr/bin:/bin',
      Q: `it's "quoted" \\ and 'twice'`,
      NL: 'first\nsecond\n',
      EMPTY: '',
      SPACES: '  a  b  ',
      DOLLAR: '$HOME `x` $(y)',
    }
    const r = spawnSync('dash', ['-c', 'export -p'], { encoding: 'utf8', env, cwd: '/' })
    expect(r.status).toBe(0)
    expect(exportedVars(r.stdout.replace(/\n$/, '').split('\n'))).toEqual({ ...env, PWD: '/' })
  })
})
