/**
 * Interpreter discovery for library modules: the Python the wrapper finds is returned under
 * `ansible_facts.discovered_interpreter_python` and, once a host fact, used instead of a new search (as Ansible's).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { classify } from './lib/libmodule.js'
import { libraryModule, moduleCommand, readResult } from './library.js'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'

const WJ = classify(Buffer.from('#!/usr/bin/python\n# WANT_JSON\nprint("{}")\n'))

describe('the command', () => {
  it.each([
    ['no fact yet: found on the host', {}, ''],
    [
      'a fact from an earlier run: used as it is',
      { ansible_facts: { discovered_interpreter_python: '/x/py' } },
      '/x/py',
    ],
    ['an explicit interpreter wins', { ansible_python_interpreter: '/opt/py' }, '/opt/py'],
  ])('%s', (_n, vars, last) => {
    expect(moduleCommand('m', WJ, {}, vars).argv.at(-1)).toBe(last)
  })
})

describe('the answer', () => {
  const out = (stdout: string) => ({ rc: 0, stdout, stderr: '' })
  it('adds the discovered Python to the module facts, kept or made', () => {
    const r = readResult(out('DISCOVERED /usr/bin/python3\n{"ansible_facts": {"a": 1}}\n'), true)
    const want = { a: 1, discovered_interpreter_python: '/usr/bin/python3' }
    expect(r.data?.ansible_facts).toEqual(want)
    expect(r.moduleFacts).toEqual(want)
    expect(readResult(out('DISCOVERED /p\n{}\n'), true).data).toEqual({
      ansible_facts: { discovered_interpreter_python: '/p' },
    })
  })
  it('keeps a failure output without the line, and reads no line when nothing was discovered', () => {
    const bad = readResult(out('DISCOVERED /p\nnot JSON\n'), true)
    expect(bad.data).toMatchObject({
      module_stdout: 'not JSON\n',
      ansible_facts: { discovered_interpreter_python: '/p' },
    })
    expect(readResult(out('DISCOVERED /p\n{"x": 1}\n'), false).data).toEqual({ x: 1 })
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-libdisc-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a run on this machine', () => {
  it('returns the Python command -v finds', async () => {
    const file = join(dir, 'wj.py')
    writeFileSync(file, '#!/usr/bin/python\n# WANT_JSON\nimport json\nprint(json.dumps({"ok": 1}))\n')
    const r = await runWith(libraryModule('wj', file), {}, testCtx(), localIO())
    expect(r.failed).toBeUndefined()
    expect(r.data.ok).toBe(1)
    expect(r.data.ansible_facts).toEqual({ discovered_interpreter_python: expect.stringMatching(/\/python3?$/) })
  })
})
