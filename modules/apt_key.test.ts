import { describe, expect, test } from 'vitest'
import aptKey, { planAptKey, type AptKeyState } from './apt_key.js'
import { parseDownload, parseKeyId, parseKeys } from './lib/aptkey.js'
import {
  gatherOf,
  moduleArgs,
  ok,
  playbookArgs,
  scriptedIO,
  testCtx,
  type WrittenArgs,
} from '../test/helpers/module-ctx.js'

const FP = '727C2159F56CE133895ADC1AC3CD582FC206F908'
const LONG = 'C3CD582FC206F908'
const APT_LIST = [
  '/tmp/r.gpg',
  '----------',
  `pub   rsa2048/${LONG} 2026-12-01 [SCEA]`,
  `      ${FP}`,
  'uid  [ unknown] t <t@x>',
  'sub   rsa2048/C06F2B0B060B6B60 2026-12-01 [SEA]',
  'pub   rsa2048/1111222233334444 2020-01-01 [SC] [expired: 2021-01-01]',
  '',
].join('\n')
const GPG_COLONS = [
  `pub:-:2048:1:${LONG}:1796121449:::-:`,
  'uid:::::::::t <t@x>:',
  'sub:-:2048:1:C06F2B0B060B6B60:1796121449::::',
  '',
].join('\n')

describe('key ids and listings', () => {
  test.each([
    ['0x' + FP.toLowerCase(), { short: 'C206F908', long: LONG, full: FP }],
    [LONG, { short: 'C206F908', long: LONG, full: LONG }],
    ['C206F908', { short: 'C206F908', long: 'C206F908', full: 'C206F908' }],
    ['C206F90', undefined],
    ['C3CD582FC206F9', undefined],
    ['not-hex!', undefined],
    [undefined, undefined],
  ])('%s → %j', (id, want) => expect(parseKeyId(id)).toEqual(want))

  test("apt-key's and gpg's formats; expired keys left out; short ids", () => {
    expect(parseKeys(APT_LIST)).toEqual([LONG, 'C06F2B0B060B6B60'])
    expect(parseKeys(GPG_COLONS)).toEqual([LONG, 'C06F2B0B060B6B60'])
    expect(parseKeys(APT_LIST, true)).toEqual(['C206F908', '060B6B60'])
  })

  test('a download: anything but HTTP 200 or a curl error fails', () => {
    const b64 = Buffer.from('key').toString('base64')
    expect(parseDownload('u', { rc: 0, stdout: b64, stderr: 'HTTP 200\ncurl exit 0\n' })).toEqual({
      bytes: Buffer.from('key'),
    })
    expect(parseDownload('u', { rc: 0, stdout: '', stderr: 'HTTP 404\ncurl exit 0\n' })).toEqual({
      fail: 'Failed to download key at u: HTTP Error 404',
    })
    expect(parseDownload('u', { rc: 0, stdout: '', stderr: 'curl: (7) refused\nHTTP 000\ncurl exit 7\n' })).toEqual({
      fail: 'error getting key id from url: u: curl: (7) refused',
    })
  })
})

type Row = { name: string; state: AptKeyState; args: WrittenArgs<typeof aptKey>; argv: string[]; fail?: RegExp }
const K = '/tmp/k/ring.gpg'
const have = (...keys: string[]): AptKeyState => ({ id: FP, keys })
describe('plan: args + state → commands', () => {
  test.each<Row>([
    { name: 'present, there: nothing', state: have(LONG), args: { id: FP, file: '/k.asc', keyring: K }, argv: [] },
    {
      name: 'present from a file',
      state: have(),
      args: { id: FP, file: '/k.asc', keyring: K },
      argv: [`apt-key --keyring ${K} add /k.asc`],
    },
    {
      name: 'present from data (stdin)',
      state: have(),
      args: { id: FP, data: 'KEY' },
      argv: ['apt-key add -'],
    },
    {
      name: 'present from a URL with an id: downloaded when applied',
      state: have(),
      args: { id: FP, url: 'http://x/k' },
      argv: ['sh -c', 'apt-key add -'],
    },
    {
      name: 'present from a keyserver',
      state: have(),
      args: { id: FP, keyserver: 'hkp://ks' },
      argv: [`apt-key adv --no-tty --keyserver hkp://ks --recv ${FP}`],
    },
    {
      name: 'a short id compares 8 digits',
      state: { id: 'C206F908', keys: ['C206F908'] },
      args: { id: 'C206F908', data: 'K' },
      argv: [],
    },
    {
      name: 'absent, there: removed by its short id',
      state: have(LONG),
      args: { id: FP, state: 'absent', keyring: K },
      argv: [`apt-key --keyring ${K} del C206F908`],
    },
    {
      name: 'absent, not there: nothing',
      state: have('AAAABBBBCCCCDDDD'),
      args: { id: FP, state: 'absent' },
      argv: [],
    },
    {
      name: 'a bad id fails',
      state: { id: '12345', keys: [] },
      args: { id: '12345' },
      argv: [],
      fail: /^Invalid key_id$/,
    },
    { name: 'nothing to add from', state: have(), args: { id: FP }, argv: [], fail: /nothing says where/ },
    {
      name: "gather's failure",
      state: { keys: [], fail: 'boom' },
      args: { url: 'http://x' },
      argv: [],
      fail: /^boom$/,
    },
  ])('$name', ({ state, args, argv, fail }) => {
    const p = planAptKey(state, moduleArgs(aptKey, args))
    expect(p.commands.map((c) => (c.argv[0] === 'sh' ? 'sh -c' : c.argv.join(' ')))).toEqual(argv)
    expect(p.fail).toSatisfy((f: string | undefined) => (fail ? fail.test(f ?? '') : f === undefined))
    expect(p.changed ?? false).toBe(argv.length > 0)
    if (!fail) expect(p.data).toMatchObject({ key_id: state.id, fp: state.id!.slice(-16), before: state.keys })
  })

  test('data goes to apt-key on stdin', () => {
    const p = planAptKey(have(), moduleArgs(aptKey, { id: FP, data: 'KEY' }))
    expect(Buffer.from(p.commands[0].stdin as Uint8Array).toString()).toBe('KEY')
    // no source: in check mode only reported changed, as Ansible
    expect(planAptKey(have(), moduleArgs(aptKey, { id: FP }), true)).toMatchObject({ commands: [], changed: true })
  })
})

describe('gather', () => {
  test('without an id, the id is read from the key, then the keyring listed', async () => {
    const io = scriptedIO([
      [/^gpg --with-colons -$/, ok(GPG_COLONS)],
      [/^apt-key --keyring \S+ adv --list-public-keys/, ok(APT_LIST)],
    ])
    const s = await gatherOf(aptKey, { data: 'KEY', keyring: K }, testCtx(), io)
    expect(s).toMatchObject({ id: LONG, keys: [LONG, 'C06F2B0B060B6B60'] })
    expect(io.seen.map((c) => c.argv[0])).toEqual(['gpg', 'apt-key'])
  })

  test('an invalid id is not listed (apt-key would create the keyring)', async () => {
    const io = scriptedIO([])
    expect(await gatherOf(aptKey, { id: 'xyz' }, testCtx(), io)).toEqual({ id: 'xyz', keys: [] })
    expect(await gatherOf(aptKey, { keyserver: 'hkp://ks' }, testCtx(), io)).toMatchObject({
      fail: 'Missing key_id, required with keyserver.',
    })
  })

  test('schema: sources are mutually exclusive, unknown arguments refused', () => {
    expect(() => playbookArgs(aptKey, { id: FP, data: 'K', file: '/f' })).toThrow(/mutually exclusive|together/)
    expect(() => playbookArgs(aptKey, { id: FP, validate: true })).toThrow()
  })
})
