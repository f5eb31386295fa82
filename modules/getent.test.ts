import { describe, expect, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import type { CommandResult } from '../engine/types.js'
import { getentCommand, parseGetent, planGetent } from './getent.js'

const res = (rc: number, stdout = ''): CommandResult => ({ rc, stdout, stderr: '' })
const args = (a: { database: string; key?: string; split?: string; service?: string; fail_key?: boolean }) => ({
  fail_key: true,
  ...a,
})

describe('getent command', () => {
  test.each([
    { a: args({ database: 'passwd' }), argv: ['getent', 'passwd'] },
    { a: args({ database: 'passwd', key: 'root' }), argv: ['getent', 'passwd', 'root'] },
    { a: args({ database: 'group', key: 'x y', service: 'files' }), argv: ['getent', 'group', 'x y', '-s', 'files'] },
  ])('$argv', ({ a, argv }) => expect(getentCommand(a).argv).toEqual(argv))
})

describe('getent plan', () => {
  test.each([
    {
      what: 'passwd splits at colons, keeping empty fields',
      a: args({ database: 'passwd', key: 'root' }),
      r: res(0, 'root:x:0:0:root:/root:/bin/bash\n'),
      facts: { getent_passwd: { root: ['x', '0', '0', 'root', '/root', '/bin/bash'] } },
    },
    {
      what: 'hosts splits at whitespace; a repeated key becomes a list of lists',
      a: args({ database: 'hosts' }),
      r: res(0, '127.0.0.1       localhost\n::1  localhost ip6-localhost\n127.0.0.1 x\n'),
      facts: { getent_hosts: { '127.0.0.1': [['localhost'], ['x']], '::1': ['localhost', 'ip6-localhost'] } },
    },
    {
      what: 'an explicit split',
      a: args({ database: 'services', split: '/' }),
      r: res(0, 'ssh 22/tcp\n'),
      facts: { getent_services: { 'ssh 22': ['tcp'] } },
    },
    {
      what: 'a missing key with fail_key false maps to null',
      a: args({ database: 'passwd', key: 'nobody-here', fail_key: false }),
      r: res(2),
      facts: { getent_passwd: { 'nobody-here': null } },
      msg: 'One or more supplied key could not be found in the database.',
    },
    {
      what: 'a missing key fails',
      a: args({ database: 'passwd', key: 'nobody-here' }),
      r: res(2),
      fail: 'One or more supplied key could not be found in the database.',
    },
    { what: 'unknown database', a: args({ database: 'nope' }), r: res(1), fail: /database unknown/ },
    { what: 'no enumeration', a: args({ database: 'initgroups' }), r: res(3), fail: /Enumeration not supported/ },
    { what: 'other codes', a: args({ database: 'x' }), r: res(9), fail: 'Unexpected failure!' },
  ])('$what', ({ a, r, facts, fail, msg }) => {
    const p = planGetent(r, a)
    if (fail) {
      expect(p.fail).toMatch(fail)
      expect(p.moduleFacts).toBeUndefined()
    } else {
      expect(p).toMatchObject({ commands: [], changed: false, moduleFacts: facts, data: { ansible_facts: facts } })
      expect(p.msg).toBe(msg)
    }
  })

  test('python split semantics', () => {
    expect(parseGetent('a::b\n\n', ':')).toEqual({ a: ['', 'b'], '': [] })
    expect(parseGetent('  a   b  \n\n', undefined)).toEqual({ a: ['b'] })
  })
})

describe('getent on this host', () => {
  const local = new LocalConnector('localhost')
  test('root is found, a missing user gives exit 2', async () => {
    const root = planGetent(
      await local.run(getentCommand(args({ database: 'passwd', key: 'root' }))),
      args({
        database: 'passwd',
      }),
    )
    expect(root.moduleFacts).toEqual({ getent_passwd: { root: expect.arrayContaining(['0', '/root']) } })
    const missing = args({ database: 'passwd', key: 'tsplay-no-such-user' })
    expect((await local.run(getentCommand(missing))).rc).toBe(2)
  })
})
