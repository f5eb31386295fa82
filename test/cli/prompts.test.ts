/**
 * vars_prompt: how entries load (and what is refused, with file:line:col), and how they are asked — by a scripted
 * terminal here (the real one is test/terminal/prompts.integration.test.ts): the prompt texts, an empty answer
 * taking the default, `confirm` asking again until both answers match, `-e` skipping the question, `unsafe`,
 * `encrypt` (checked against Python's crypt), and without a terminal the default or a refusal.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { askVarsPrompts, type PromptIO } from '../../engine/cli/prompts.js'
import { bcrypt } from '../../engine/expr/bcrypt.js'
import { cryptHash } from '../../engine/expr/shacrypt.js'
import { UserErrors } from '../../engine/errors.js'
import { load, loadErrors } from '../load/helpers.js'

/** A terminal that answers from a list and records what it was asked. */
function scripted(answers: string[], tty = true): PromptIO & { asked: string[]; said: string[] } {
  const asked: string[] = []
  const said: string[] = []
  return {
    tty,
    asked,
    said,
    ask: (m, hidden) => (asked.push(`${hidden ? 'hidden' : 'echo'} ${m}`), Promise.resolve(answers.shift() ?? '')),
    say: (l) => void said.push(l),
  }
}

const BOOK = `- hosts: all
  vars: { release: from-vars }
  vars_prompt:
    - name: release
      prompt: Which release?
      default: stable
      private: no
    - name: secret
      confirm: true
    - { name: raw, prompt: Raw, unsafe: true, default: "{{ x }}" }
  tasks: []
`

describe('vars_prompt', () => {
  it('asks each entry as Ansible does; answers become play variables', async () => {
    const pb = await load({ 'playbook.yml': BOOK })
    const io = scripted(['', 'one', 'two', 'three', 'three', 'typed {{ y }}'])
    const r = await askVarsPrompts(pb, {}, io)
    expect(io.asked).toEqual([
      'echo Which release? [stable]: ',
      'hidden secret: ',
      'hidden confirm secret: ',
      'hidden secret: ',
      'hidden confirm secret: ',
      'hidden Raw [{{ x }}]: ',
    ])
    expect(io.said).toEqual(['***** VALUES ENTERED DO NOT MATCH ****'])
    const vars = pb.plays[0]!.vars
    // unsafe: kept from templating as !unsafe keeps it
    expect(vars).toMatchObject({ release: 'stable', secret: 'three', raw: '{% raw %}typed {{ y }}{% endraw %}' })
    expect(r.secrets).toEqual(['three', 'typed {{ y }}'])
  })

  it('-e skips the question', async () => {
    const pb = await load({ 'playbook.yml': BOOK })
    const io = scripted(['s', 's', ''])
    await askVarsPrompts(pb, { release: 'given', raw: 'r' }, io)
    expect(io.asked).toEqual(['hidden secret: ', 'hidden confirm secret: '])
  })

  it('without a terminal: the default (with a warning), else a refusal naming the entry', async () => {
    const pb = await load({ 'playbook.yml': BOOK })
    const e = await askVarsPrompts(pb, {}, scripted([], false)).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UserErrors)
    const [only, ...rest] = (e as UserErrors).errors.map((x) => x.format())
    expect(rest).toEqual([])
    expect(only).toMatch(/\/playbook\.yml:8:7: vars_prompt "secret": standard input is not a terminal, so it cannot /)
    expect(only).toMatch(/be asked, and it has no default \(give it with -e secret=…, add a default, or run on a/)
    const ok = await load({ 'playbook.yml': BOOK })
    const r = await askVarsPrompts(ok, { secret: 'x' }, scripted([], false))
    expect(r.warnings).toEqual(['Not prompting as we are not in interactive mode'])
    expect(ok.plays[0]!.vars).toMatchObject({ release: 'stable', raw: '{% raw %}{{ x }}{% endraw %}' })
    expect(r.secrets).toEqual([])
  })

  it('encrypt: a crypt(3) hash of the answer', async () => {
    const pb = await load({
      'playbook.yml':
        '- hosts: all\n  vars_prompt:\n    - { name: h, encrypt: sha512_crypt, salt: abcdefghijklmnop }\n' +
        '    - { name: m, encrypt: md5_crypt, salt_size: 4 }\n' +
        '    - { name: b, encrypt: bcrypt, salt: abcdefghijklmnopqrstuu }\n  tasks: []\n',
    })
    await askVarsPrompts(pb, {}, scripted(['pässword', 'x', 'pässword']))
    const py = spawnSync(
      'python3',
      ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.stdin.read(), "$6$abcdefghijklmnop"))'],
      { input: 'pässword', encoding: 'utf8' },
    )
    expect(pb.plays[0]!.vars.h).toBe(py.stdout.trim())
    expect(pb.plays[0]!.vars.m).toMatch(/^\$1\$[./0-9A-Za-z]{4}\$[./0-9A-Za-z]{22}$/)
    // bcrypt as passlib makes it for Ansible: cost 12
    expect(pb.plays[0]!.vars.b).toBe(bcrypt('pässword', 'abcdefghijklmnopqrstuu', 12))
    expect(cryptHash('x', 'sha256_crypt', { salt: 'ab' })).toMatch(/^\$5\$ab\$/)
  })

  it.each([
    ['vars_prompt: pw', /"vars_prompt" must be a list of prompts, found string "pw"/],
    ['vars_prompt: [{ prompt: x }]', /:2:17 a vars_prompt entry needs a "name"/],
    ['vars_prompt: [{ name: a, promt: x }]', /unknown vars_prompt keyword "promt" \(did you mean "prompt"\?\)/],
    [
      'vars_prompt: [{ name: a, encrypt: scrypt }]',
      /encrypt "scrypt" is not supported by tsplay \(it supports md5_crypt/,
    ],
    ['vars_prompt: [{ name: a-b }]', /vars_prompt name "a-b" is not a valid variable name/],
    ['vars_prompt: [{ name: a, private: maybe }]', /private/],
  ])('refuses %s', async (line, want) => {
    const errors = await loadErrors({ 'playbook.yml': `- hosts: all\n  ${line}\n  tasks: []\n` })
    expect(errors.join('\n')).toMatch(want)
  })

  it('a single map is a list of one; its name counts as defined for the play only', async () => {
    const pb = await load({
      'playbook.yml': '- hosts: all\n  vars_prompt: { name: pw, default: d }\n  tasks: []\n',
    })
    expect(pb.plays[0]!.varsPrompt).toMatchObject([{ name: 'pw', default: 'd', private: true, confirm: false }])
  })
})
