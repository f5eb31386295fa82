/**
 * Ansible's Python filter and test plugins, run by the controller's python3 (engine/expr/pyplugins.ts): names and
 * arguments as Jinja passes them, a plugin replacing a built-in filter until unloaded, files that cannot be imported,
 * exceptions, printing plugins, tuples, values JSON has no form for, and a missing python3.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evalExpr } from '../../engine/expr.js'
import { controllerPython, loadPythonPlugins, type LoadedPlugins } from '../../engine/expr/pyplugins.js'

const FILTERS_PY = `
class AnsibleError(Exception):
    pass

class AnsibleFilterError(AnsibleError):
    pass

def boom(x):
    raise AnsibleFilterError('boom says %s' % x)

def shout(x, times=1, *rest, **kw):
    print('printed by the plugin')
    return [x.upper() * times, list(rest), kw]

class FilterModule(object):
    def filters(self):
        return {
            'shout': shout,
            'upper': lambda x: 'replaced',
            'boom': boom,
            'divide': lambda x, y: x / y,
            'as_set': lambda x: set(x),
            'pairs': lambda x: ((k, v) for k, v in sorted(x.items())),
            'obj': lambda x: object.__new__(type('Thing', (), {'__str__': lambda s: 'a thing'})),
            'kinds': lambda x: [type(i).__name__ for i in x],
            'nested': lambda x: {'t': (x, (1, [2, (3,)]))},
        }
`
const TESTS_PY = `
class TestModule(object):
    def tests(self):
        return {'even': lambda x: x % 2 == 0, 'pair': lambda x: len(x) == 2}
`

let dir: string
let loaded: LoadedPlugins
const ev = (e: string, vars: Record<string, unknown> = {}) => evalExpr(e, vars)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-pyplugins-'))
  mkdirSync(join(dir, 'filter_plugins'))
  mkdirSync(join(dir, 'test_plugins'))
  writeFileSync(join(dir, 'filter_plugins', 'mine.py'), FILTERS_PY)
  writeFileSync(join(dir, 'filter_plugins', 'broken.py'), 'import no_such_module_here\n')
  writeFileSync(join(dir, 'filter_plugins', 'helper.py'), 'HELPER = 1\n')
  writeFileSync(join(dir, 'test_plugins', 'nums.py'), TESTS_PY)
  loaded = loadPythonPlugins([
    { kind: 'filter', file: join(dir, 'filter_plugins', 'broken.py') },
    { kind: 'filter', file: join(dir, 'filter_plugins', 'helper.py') },
    { kind: 'filter', file: join(dir, 'filter_plugins', 'mine.py') },
    { kind: 'test', file: join(dir, 'test_plugins', 'nums.py') },
  ])
})

afterAll(() => {
  loaded?.unload()
  rmSync(dir, { recursive: true, force: true })
})

describe('Python filter and test plugins', () => {
  it('binds positional and keyword arguments as Jinja does', () => {
    expect(ev("'ab' | shout")).toEqual(['AB', [], {}])
    expect(ev("'ab' | shout(2, 'x', 'y', k=n)", { n: 7 })).toEqual(['ABAB', ['x', 'y'], { k: 7 }])
    expect(ev("['a', 'b'] | map('shout') | map('first') | list")).toEqual(['A', 'B'])
  })

  it('runs test plugins, also through select', () => {
    expect(ev('4 is even')).toBe(true)
    expect(ev('3 is not even')).toBe(true)
    expect(ev('[1, 2, 3, 4] | select("even") | list')).toEqual([2, 4])
    expect(ev("'pair' is test and 'shout' is filter and [1, 2] is pair")).toBe(true)
  })

  it('replaces a built-in filter of the same name', () => {
    expect(ev("'a' | upper")).toBe('replaced')
  })

  it('skips a file that cannot be imported, with a warning naming it', () => {
    expect(loaded.warnings).toHaveLength(1)
    expect(loaded.warnings[0]).toContain(join(dir, 'filter_plugins', 'broken.py'))
    expect(loaded.warnings[0]).toContain('no_such_module_here')
  })

  it("fails with the plugin's own message, or the exception's type and text", () => {
    expect(() => ev('1 | boom')).toThrow(/filter "boom" \(.*mine\.py\): boom says 1$/)
    expect(() => ev('1 | divide(0)')).toThrow(/filter "divide" .*: ZeroDivisionError: division by zero/)
    expect(() => ev('missing | shout')).toThrow(/undefined variable "missing"/)
  })

  it('returns what JSON has no form for as data or text', () => {
    expect(ev('[3, 3] | as_set')).toEqual([3])
    expect(ev("{'b': 2, 'a': 1} | pairs")).toEqual([
      ['a', 1],
      ['b', 2],
    ])
    expect(ev('1 | obj')).toBe('a thing')
  })

  it('hands tuples over as tuples, both ways', () => {
    expect(ev("{'b': 2, 'a': 1} | pairs | string")).toBe("[('a', 1), ('b', 2)]")
    expect(ev("{'a': 1} | dictsort | kinds")).toEqual(['tuple'])
    expect(ev('[[1, 2], {"k": [3]}] | kinds')).toEqual(['list', 'dict'])
    expect(ev("'x' | nested | string")).toBe("{'t': ('x', (1, [2, (3,)]))}")
  })
})

describe('Python plugins without python3', () => {
  it('warns and adds nothing', () => {
    const none = loadPythonPlugins([{ kind: 'filter', file: '/nonexistent/x.py' }], '/nonexistent/python3')
    expect(none.warnings.join('\n')).toMatch(/not loaded \(\/nonexistent\/x\.py\): .*python3.*ENOENT/)
    none.unload()
  })
})

describe('unloading', () => {
  it('puts the built-in filter back and ends the process', () => {
    const again = loadPythonPlugins([{ kind: 'filter', file: join(dir, 'filter_plugins', 'mine.py') }])
    expect(ev("'a' | upper")).toBe('replaced')
    again.unload()
    expect(ev("'a' | upper")).toBe('replaced') // the first load's still stands
    loaded.unload()
    expect(ev("'a' | upper")).toBe('A')
    expect(() => ev("'a' | shout")).toThrow(/unknown filter "shout"/)
  })
})

describe('the Python that runs plugins', () => {
  it("is TSPLAY_PYTHON, else ansible-playbook's, else python3", () => {
    const bin = mkdtempSync(join(tmpdir(), 'tsplay-pybin-'))
    try {
      expect(controllerPython({ TSPLAY_PYTHON: '/opt/py/bin/python3.11', PATH: bin })).toBe('/opt/py/bin/python3.11')
      expect(controllerPython({ PATH: bin })).toBe('python3')
      writeFileSync(join(bin, 'ansible-playbook'), '#!/usr/bin/python3.11 -I\n')
      expect(controllerPython({ PATH: `/nonexistent:${bin}` })).toBe('/usr/bin/python3.11')
      writeFileSync(join(bin, 'ansible-playbook'), '#! /usr/bin/env python3.12\n')
      expect(controllerPython({ PATH: bin })).toBe('python3.12')
      writeFileSync(join(bin, 'ansible-playbook'), '#!/usr/bin/env bash\nexec pyenv exec "$@"\n')
      expect(controllerPython({ PATH: bin })).toBe('python3')
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })
})
