import { describe, expect, it } from 'vitest'
import { factValue, parseLocalFacts } from '../../engine/localfacts.js'
import { ansibleFactVars, parseFacts } from '../../engine/facts.js'

const b = (s: string) => Buffer.from(s).toString('base64')
const FN = '/etc/ansible/facts.d/app.fact'

describe('local facts', () => {
  it.each<[string, string, unknown]>([
    ['JSON', '{"a": [1, 2]}', { a: [1, 2] }],
    ['a JSON scalar', '5', 5],
    ['empty: an INI file without sections', '', {}],
    ['INI: keys lowercased, section names kept', '[Db]\nPort = 5432\nhost: h\n', { Db: { port: '5432', host: 'h' } }],
    ['INI: [DEFAULT] in every section', '[a]\nx = 1\n[DEFAULT]\nd = 2\nx = 0\n', { a: { x: '1', d: '2' } }],
    ['INI: comments and continuation lines', '# c\n[a]\n; c\nk = one\n  two\n\n', { a: { k: 'one\ntwo' } }],
    ['INI: interpolation', '[a]\nk = v\nref = %(K)s and 100%%\n', { a: { k: 'v', ref: 'v and 100%' } }],
    ['INI: no section header', 'k = v\n', `error loading facts as JSON or ini - please check content: ${FN}`],
    [
      'INI: a duplicate option',
      '[a]\nk = 1\nK = 2\n',
      `error loading facts as JSON or ini - please check content: ${FN}`,
    ],
    ['INI: a line without a value', '[a]\nk\n', `error loading facts as JSON or ini - please check content: ${FN}`],
  ])('%s', (_, text, want) => expect(factValue(text, FN)).toEqual(want))

  it('a bad interpolation is a conversion message', () => {
    expect(factValue('[a]\nk = 5%\n', FN)).toMatch(/^Failed to convert \(\/etc\/ansible\/facts.d\/app.fact\) to JSON: /)
  })

  it('reads the script lines: ran, read, failed, unstatable', () => {
    const lines = [
      `X ${b('/f/x.fact')} 0 ${b('{"ran": true}')} `,
      `R ${b('/f/r.fact.fact')} ${b('[s]\nk=v')}`,
      `X ${b('/f/bad.fact')} 3  ${b('oops')}`,
      `S ${b('/f/gone.fact')}`,
      'noise',
    ]
    expect(parseLocalFacts(lines.join('\n'))).toEqual({
      x: { ran: true },
      r: { s: { k: 'v' } },
      bad: 'Failure executing fact script (/f/bad.fact), rc: 3, err: oops',
      gone: 'Could not stat fact (/f/gone.fact)',
    })
  })

  it('are ansible_local of the host facts ({} without the section)', () => {
    const base = 'hostname=h\nkernel=6\narch=x86_64\n@os-release\nID=debian\n'
    expect(ansibleFactVars(parseFacts(`${base}@local\nR ${b('/f/a.fact')} ${b('{}')}\n`)).ansible_local).toEqual({
      a: {},
    })
    expect(ansibleFactVars(parseFacts(base)).ansible_local).toEqual({})
  })
})
