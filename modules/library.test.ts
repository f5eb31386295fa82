/**
 * Library modules (Ansible's custom modules): the style read from the bytes, the arguments file of each style,
 * the interpreter and its overrides, the answer read back as Ansible reads it, and check mode.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'
import { argsText, classify, interpreter, jsonPart, pyShlexQuote } from './lib/libmodule.js'
import { libraryModule, moduleCommand, planLibrary, readAnswer, type LibraryState } from './library.js'

const text = (s: string) => Buffer.from(s)

describe('classify', () => {
  it.each([
    ['#!/bin/sh\n. "$1"\necho "{}"\n', 'old', false],
    ['#!/usr/bin/python\n# WANT_JSON\nimport json\n', 'want_json', false],
    ['#!/usr/bin/python\nfrom ansible.module_utils.basic import AnsibleModule\n', 'new', true],
    ['#!/usr/bin/python\nimport ansible.module_utils.basic\n', 'new', true],
    ['#!/usr/bin/python\n#<<INCLUDE_ANSIBLE_MODULE_COMMON>>\n', 'new', true],
    ["#!/bin/sh\nargs='<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>'\n", 'new', false],
  ])('%j is %s', (src, style, python) => {
    const m = classify(text(src), { a: 1 })
    expect([m.style, m.python]).toEqual([style, python])
  })

  it('replaces the markers Ansible replaces', () => {
    expect(Buffer.from(classify(text('#<<INCLUDE_ANSIBLE_MODULE_COMMON>>\n')).body).toString()).toBe(
      'from ansible.module_utils.basic import *\n',
    )
    const m = classify(text("#!/bin/sh\nx='<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>'\n"), { a: 'b' })
    expect(Buffer.from(m.body).toString()).toBe('#!/bin/sh\nx=\'{"a":"b"}\'\n')
    expect(m.argsInBody).toBe(true)
  })

  it('reads a program with non-text bytes as binary, and a PowerShell module as Windows', () => {
    expect(classify(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 0])).style).toBe('binary')
    expect(classify(text('#!powershell\n# POWERSHELL_COMMON\n')).windows).toBe(true)
    expect(classify(text('#!powershell\n#Requires -Module Ansible.ModuleUtils.Legacy\n')).windows).toBe(true)
  })

  it('fails a Windows module (NAME.ps1 or #!powershell) when it runs, before anything reaches the host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-libps1-'))
    try {
      writeFileSync(join(dir, 'w.ps1'), 'Write-Output "{}"\n')
      writeFileSync(join(dir, 'v'), '#!powershell\n')
      const ran: string[] = []
      const io = { ...localIO(), run: async (c: { describe: string }) => (ran.push(c.describe), Promise.reject()) }
      for (const f of ['w.ps1', 'v'])
        await expect(runWith(libraryModule('w', join(dir, f)), {}, testCtx(), io as never)).rejects.toThrow(
          /is a Windows \(PowerShell\) module: tsplay cannot run it/,
        )
      expect(ran).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('splits the #! line into words', () => {
    expect(classify(text('#!/usr/bin/env python3 -u\n')).shebang).toEqual(['/usr/bin/env', 'python3', '-u'])
    expect(classify(text('echo {}\n')).shebang).toEqual([])
  })
})

describe('the arguments file', () => {
  const args = { name: "it's", n: 3, on: true, list: ['a', 1], none: null, _ansible_check_mode: false }
  it('is key=value words quoted as shlex.quote, values as Python str(), for an old-style module', () => {
    expect(argsText('old', args)).toBe(
      `name='it'"'"'s' n=3 on=True list='['"'"'a'"'"', 1]' none=None _ansible_check_mode=False `,
    )
  })
  it('is JSON for WANT_JSON and binary modules, wrapped in ANSIBLE_MODULE_ARGS for AnsibleModule', () => {
    expect(JSON.parse(argsText('want_json', { a: 1 }))).toEqual({ a: 1 })
    expect(JSON.parse(argsText('binary', { a: 1 }))).toEqual({ a: 1 })
    expect(JSON.parse(argsText('new', { a: 1 }))).toEqual({ ANSIBLE_MODULE_ARGS: { a: 1 } })
  })
  it.each([
    ['', "''"],
    ['a-b/c.d:e,f=g@h%i+j', 'a-b/c.d:e,f=g@h%i+j'],
    ['two words', "'two words'"],
    ['é', "'é'"],
  ])('pyShlexQuote(%j) = %s', (s, q) => expect(pyShlexQuote(s)).toBe(q))
})

describe('the interpreter', () => {
  const mod = (src: string) => classify(text(src))
  it.each([
    ['#!/bin/sh\n', {}, ['/bin/sh']],
    ['#!/bin/sh\n', { ansible_sh_interpreter: '/bin/dash' }, ['/bin/dash']],
    ['#!/usr/bin/python\n# WANT_JSON\n', {}, ['']],
    ['#!/usr/bin/python\n# WANT_JSON\n', { ansible_python_interpreter: 'auto_silent' }, ['']],
    [
      '#!/usr/bin/python\n# WANT_JSON\n',
      { ansible_python_interpreter: '/opt/py/bin/python3' },
      ['/opt/py/bin/python3'],
    ],
    [
      '#!/usr/bin/python\n# WANT_JSON\n',
      { ansible_python_interpreter: '/usr/bin/python3 -S' },
      ['/usr/bin/python3', '-S'],
    ],
    ['#!/usr/bin/python3\n# WANT_JSON\n', {}, ['/usr/bin/python3']],
    ['#!/usr/bin/env python\n# WANT_JSON\n', {}, ['/usr/bin/env', 'python']],
    ['#!/usr/bin/python3\nfrom ansible.module_utils.basic import AnsibleModule\n', {}, ['']],
    ['echo {}\n', {}, []],
  ])('%j with %j runs with %j', (src, vars, want) => expect(interpreter(mod(src), vars)).toEqual(want))
})

describe('the answer', () => {
  const r = (stdout: string, rc = 0, stderr = '') => readAnswer({ rc, stdout, stderr })
  it('is the JSON object, junk before and after it left out', () => {
    expect(jsonPart('hello\n{"a":\n 1}\nbye\n')).toEqual({ json: '{"a":\n 1}', junk: true })
    expect(r('noise\n{"changed": true, "msg": "hi"}\n')).toMatchObject({ changed: true, msg: 'hi' })
  })
  it('fails on a non-zero rc when it has no failed key, as Ansible', () => {
    expect(r('{"rc": 2}').fail).toBe('the module failed')
    expect(r('{"rc": 2, "failed": false}').fail).toBeUndefined()
    expect(r('{"failed": true, "msg": "no"}').fail).toBe('no')
  })
  it('is a MODULE FAILURE when there is no JSON object, with the output kept', () => {
    const a = r('oops', 1, 'Traceback')
    expect(a.fail).toBe('MODULE FAILURE\nSee stdout/stderr for the exact error')
    expect(a.data).toMatchObject({ module_stdout: 'oops', module_stderr: 'Traceback', rc: 1 })
    expect(r('[1, 2]').fail).toMatch(/^MODULE FAILURE/)
    expect(r('', 1, "ModuleNotFoundError: No module named 'ansible'").fail).toMatch(/install ansible-core/)
  })
  it('drops internal keys, renames results, adds the output lines, and gives the facts and a skip', () => {
    const a = r('{"_ansible_no_log": false, "results": [1], "stdout": "a\\nb", "ansible_facts": {"x": 1}}')
    expect(a.data).toEqual({
      ansible_module_results: [1],
      stdout: 'a\nb',
      stdout_lines: ['a', 'b'],
      ansible_facts: { x: 1 },
    })
    expect(a.moduleFacts).toEqual({ x: 1 })
    expect(r('{"skipped": true, "msg": "not here"}').skip).toBe('not here')
  })
})

describe('the command and the plan', () => {
  const m = classify(text('#!/bin/sh\n. "$1"\n'))
  const cmd = moduleCommand('hello', m, { secret: 'pw' }, {})
  it('sends the arguments and the module over stdin, never argv', () => {
    expect(cmd.argv.join(' ')).not.toContain('pw')
    expect(cmd.secretStdin).toBe(true)
    const [line, ...rest] = Buffer.from(cmd.stdin as Uint8Array)
      .toString()
      .split('\n')
    expect(Buffer.from(line, 'base64').toString()).toBe('secret=pw ')
    expect(rest.join('\n')).toBe('#!/bin/sh\n. "$1"\n')
    expect(cmd.argv.slice(-2)).toEqual(['hello', '/bin/sh'])
  })
  it('runs the module; in check mode, gives the answer gather read or skips a module that cannot tell', () => {
    const s: LibraryState = { module: m, command: cmd, discovers: false }
    expect(planLibrary(s, { checkMode: false }).commands).toEqual([cmd])
    expect(planLibrary(s, { checkMode: true })).toMatchObject({
      commands: [],
      skip: expect.stringMatching(/check mode/),
    })
    const checked = { ...s, checked: { changed: true, data: { changed: true }, moduleFacts: { f: 1 } } }
    expect(planLibrary(checked, { checkMode: true })).toMatchObject({
      commands: [],
      changed: true,
      moduleFacts: { f: 1 },
    })
  })
})
