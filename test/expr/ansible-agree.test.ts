/**
 * Jinja rendering agrees with Ansible: each case in ansible-cases.json holds a template, its variables, how
 * Ansible uses it (`file`: the template module; `string`: a playbook value) and what ansible-core 2.14 rendered
 * (`ansible`) or the start of its error (`error`). tsplay must render the same; `tsplay` + `why` record a
 * deliberate difference. When ansible-core is installed, the answers are asked again, so the file stays true.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderString, renderValue } from '../../engine/template.js'
import '../../engine/run/lookups-controller.js' // the controller lookups (`config`, …) as a run has them

interface Case {
  tpl: string
  vars?: Record<string, unknown>
  mode: 'file' | 'string'
  ansible?: unknown
  error?: string
  tsplay?: unknown
  why?: string
}

const file = join(import.meta.dirname, 'ansible-cases.json')
const cases = JSON.parse(readFileSync(file, 'utf8')) as Case[]

function render(c: Case): unknown {
  const vars = { ...c.vars }
  return c.mode === 'file' ? renderString(c.tpl, vars, { engine: 'jinja' }) : renderValue(c.tpl, vars)
}

describe('Jinja rendering agrees with ansible-core 2.14', () => {
  // the answers were recorded as root: `~`, `lookup('env', 'HOME')` and the config's paths say /root, whoever runs
  const home = process.env.HOME
  beforeAll(() => {
    process.env.HOME = '/root'
  })
  afterAll(() => {
    process.env.HOME = home
  })

  it.each(cases.map((c) => [c.tpl.slice(0, 70), c] as const))('%s', (_name, c) => {
    if (c.error !== undefined) {
      expect(() => render(c)).toThrow()
      return
    }
    expect(render(c)).toEqual('tsplay' in c ? c.tsplay : c.ansible)
  })

  const python = '/usr/bin/python3'
  const haveAnsible = existsSync(python) && existsSync('/usr/lib/python3/dist-packages/ansible/template/__init__.py')
  it.skipIf(!haveAnsible)(
    'the recorded answers are what ansible-core renders today',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsplay-oracle-'))
      try {
        writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases))
        writeFileSync(join(dir, 'oracle.py'), ORACLE)
        const answers = JSON.parse(
          execFileSync(python, [join(dir, 'oracle.py'), join(dir, 'cases.json')], {
            encoding: 'utf8',
            // ansible-core's local temp in the test's folder: /root need not be writable
            env: { ...process.env, HOME: '/root', ANSIBLE_LOCAL_TEMP: dir },
          }),
        ) as Array<{ ok?: unknown; err?: string }>
        answers.forEach((a, i) => {
          const c = cases[i]
          if (c.error !== undefined) expect(a.err, c.tpl).toBeDefined()
          else expect(a.ok, c.tpl).toEqual(c.ansible)
        })
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
    60_000,
  )
})

/** Renders each case with Ansible's own templar (the template module's settings for `file` cases). */
const ORACLE = `
import json, sys
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
out = []
for c in json.load(open(sys.argv[1])):
    templar = Templar(loader=DataLoader(), variables=c.get('vars', {}))
    try:
        if c['mode'] == 'file':
            templar.environment.trim_blocks = True
            templar.environment.lstrip_blocks = False
            r = templar.do_template(c['tpl'], preserve_trailing_newlines=True, escape_backslashes=False)
        else:
            r = templar.template(c['tpl'])
        out.append({'ok': r})
    except Exception as e:
        out.append({'err': str(e).split('\\\\n')[0][:200]})
json.dump(out, sys.stdout, default=repr)
`
