/**
 * A Python library module that imports Ansible's module_utils (and a module_utils file of its own) is sent as
 * Ansible sends it, an AnsiballZ program built by the controller's ansible-core: it runs with a host Python that
 * cannot import ansible (here this machine's Python started with `-S`, without its site packages), with no
 * arguments file; its secret argument is in no command line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { controllerPython, hasAnsible } from '../engine/expr/pyplugins.js'
import type { Command } from '../engine/types.js'
import { libraryModule } from './library.js'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-ansiballz-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const MODULE = `#!/usr/bin/python
import sys
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.tsplay_greeting import greet


def main():
    m = AnsibleModule(argument_spec=dict(who=dict(type='str', required=True), token=dict(type='str', no_log=True)))
    m.exit_json(changed=False, said=greet(m.params['who']), no_site=sys.flags.no_site, token=len(m.params['token']))


main()
`

describe.skipIf(!hasAnsible(controllerPython()))('an AnsibleModule library module', { timeout: 60_000 }, () => {
  it('runs on a Python without ansible-core, with its own module_utils, and its secret in no argv', async () => {
    mkdirSync(join(dir, 'library'))
    mkdirSync(join(dir, 'module_utils'))
    writeFileSync(join(dir, 'library', 'greeter.py'), MODULE)
    writeFileSync(join(dir, 'module_utils', 'tsplay_greeting.py'), "def greet(who):\n    return 'hello ' + who\n")
    const def = libraryModule('greeter', join(dir, 'library', 'greeter.py'), [join(dir, 'module_utils')])
    const log: Command[][] = []
    const ctx = testCtx({ vars: { ansible_python_interpreter: '/usr/bin/python3 -S' } })
    const r = await runWith(def, { who: 'pi', token: 's3cret-value' }, ctx, localIO({ log }))
    expect(r.failed, JSON.stringify(r.data)).toBeUndefined()
    expect(r.data).toMatchObject({ said: 'hello pi', no_site: 1, token: 12 })
    const cmd = log.flat().at(-1)!
    expect(cmd.argv.slice(-2)).toEqual(['/usr/bin/python3', '-S'])
    expect(cmd.argv.join(' ')).not.toContain('s3cret')
    expect(Buffer.from(cmd.stdin!).toString('latin1').startsWith('\n')).toBe(true)
  })
})
