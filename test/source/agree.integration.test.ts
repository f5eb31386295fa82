/**
 * The splitter agrees with Ansible itself: every expected value in split-cases.ts is also what Ansible 2.14 gives
 * (Python's `shlex.split`; `split_args` and `parse_kv` from `ansible.parsing.splitter`, run in one Python process),
 * and INI host lines read by tsplay give the host vars `ansible-inventory --list` gives, except the deliberate
 * differences the README's "Differences from Ansible" table lists. Contacts no host. Skips when Ansible is missing.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadInventory } from '../../engine/inventory/load.js'
import {
  ANSIBLE_ERRORS,
  ANSIBLE_WORD_CASES,
  FREE_FORM_CASES,
  KV_CASES,
  SHELL_CASES,
  SHELL_ERRORS,
} from './split-cases.js'

const PYTHON = '/usr/bin/python3'

function whyNoAnsible(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import ansible.parsing.splitter'], { stdio: 'ignore' })
    execFileSync('ansible-inventory', ['--version'], { stdio: 'ignore' })
  } catch {
    return 'Ansible is missing (apt-get install ansible-core)'
  }
  return undefined
}

/** Runs each input through Ansible's own functions; an input Ansible refuses gives `{ error }`. */
const ORACLE = `
import json, shlex, sys
from ansible.parsing.splitter import parse_kv, split_args
def run(f, s):
    try: return f(s)
    except Exception as e: return {'error': str(e)}
q = json.load(sys.stdin)
json.dump({
  'shell': [run(shlex.split, s) for s in q['shell']],
  'words': [run(split_args, s) for s in q['words']],
  'kv': [run(parse_kv, s) for s in q['kv']],
  'free': [run(lambda s: parse_kv(s, check_raw=True), s) for s in q['free']],
}, sys.stdout)
`

type Answer = Record<'shell' | 'words' | 'kv' | 'free', unknown[]>

const skip = whyNoAnsible()
if (skip) console.warn(`test/source/agree.integration.test.ts skipped: ${skip}`)
const dir = mkdtempSync(join(tmpdir(), 'tsplay-split-agree-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(skip !== undefined)('the splitter agrees with Ansible', () => {
  const ask = (): Answer => {
    const question = {
      shell: [...SHELL_CASES.map((c) => c[0]), ...SHELL_ERRORS.map((c) => c[0])],
      words: [...ANSIBLE_WORD_CASES.map((c) => c[0]), ...ANSIBLE_ERRORS.map((c) => c[0])],
      kv: KV_CASES.map((c) => c[0]),
      free: FREE_FORM_CASES.map((c) => c[0]),
    }
    const out = execFileSync(PYTHON, ['-c', ORACLE], { input: JSON.stringify(question), encoding: 'utf8' })
    return JSON.parse(out) as Answer
  }

  it('shell words, Ansible words, key=value and free-form strings: the same values and the same refusals', () => {
    const a = ask()
    expect(a.shell).toEqual([
      ...SHELL_CASES.map((c) => c[1]),
      ...SHELL_ERRORS.map(() => ({ error: expect.any(String) })),
    ])
    expect(a.words).toEqual([
      ...ANSIBLE_WORD_CASES.map((c) => c[1]),
      ...ANSIBLE_ERRORS.map(() => ({ error: expect.stringContaining('unbalanced jinja2 block or quotes') })),
    ])
    expect(a.kv).toEqual(KV_CASES.map((c) => c[1]))
    expect(a.free).toEqual(
      FREE_FORM_CASES.map(([, { text, params }]) => (text ? { ...params, _raw_params: text } : params)),
    )
  })

  it('INI host lines give the host vars ansible-inventory gives', async () => {
    const file = join(dir, 'hosts.ini')
    writeFileSync(
      file,
      [
        '[web]',
        `h1 a=plain b="x y" c='{{ y }}' d=a=b e=a\\ b f=1 g=True h=[1,2] i=1.5 j=0644 k=-3   # comment`,
        `h2 l="it's" m='say "hi"' n=x"y z"w o=None`,
        `h3 q="1" p=false r=ab#12 s=ok`,
        '',
      ].join('\n'),
    )
    const listed = JSON.parse(execFileSync('ansible-inventory', ['-i', file, '--list'], { encoding: 'utf8' })) as {
      _meta: { hostvars: Record<string, Record<string, unknown>> }
    }
    const inv = await loadInventory([file])
    const ours = (h: string) => inv.hosts.get(h)!.vars
    const theirs = listed._meta.hostvars
    expect(ours('h1')).toEqual(theirs.h1)
    expect(ours('h2')).toEqual(theirs.h2)
    // the deliberate differences (README, "Differences from Ansible")
    expect(theirs.h3).toEqual({ q: 1, p: 'false', r: 'ab' })
    expect(ours('h3')).toEqual({ q: '1', p: false, r: 'ab#12', s: 'ok' })
  })
})
