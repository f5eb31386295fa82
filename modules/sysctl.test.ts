import { WRITE_END } from '../engine/commands.js'
import { describe, expect, test } from 'vitest'
import sysctl, { fileValues, parseSysctl, rewrite, sysctlValue, SYSCTL_ERROR, type SysctlState } from './sysctl.js'
import {
  gatherOf,
  localIO,
  moduleArgs,
  ok,
  planOf,
  scriptedIO,
  testCtx,
  type WrittenArgs,
} from '../test/helpers/module-ctx.js'

const state = (file: string, running?: string): SysctlState => ({
  running,
  lines: file === '' ? [] : file.replace(/\n$/, '').split('\n'),
})
const argvs = (p: { commands: { argv: readonly string[] }[] }) =>
  p.commands.map((c) => (c.argv[0] === 'sh' ? `write ${c.argv[4]}` : c.argv.join(' ')))

describe('values and the file', () => {
  test.each([
    [true, '1'],
    [false, '0'],
    ['yes', '1'],
    ['Off', '0'],
    [' 4096  87380 ', '4096  87380'],
    [10, '10'],
  ] as const)('%j → %s', (v, want) => expect(sysctlValue(v)).toBe(want))

  test('Ansible rewrites every setting as key=value, drops later duplicates, appends a new key', () => {
    const lines = ['# comment', '', 'a = 1', ' b=2 ', 'a=3', ';x']
    expect(rewrite(lines, 'b', '5', true)).toBe('# comment\n\na=1\nb=5\n;x\n')
    expect(rewrite(lines, 'c', '9', true)).toBe('# comment\n\na=1\nb=2\n;x\nc=9\n')
    expect(rewrite(lines, 'a', '', false)).toBe('# comment\n\nb=2\n;x\n')
    expect(fileValues(lines).get('a')).toBe('3')
  })
})

type Row = { name: string; file: string; running?: string; args: WrittenArgs<typeof sysctl>; argv: string[] }
const F = '/etc/sysctl.conf'
describe('plan: args + state → commands', () => {
  test.each<Row>([
    {
      name: 'a new key: write and reload',
      file: '',
      running: '0\n',
      args: { name: 'net.ipv4.ip_forward', value: '1' },
      argv: [`write ${F}`, `sysctl -p ${F}`],
    },
    {
      name: 'in the file and running: nothing',
      file: 'net.ipv4.ip_forward=1\n',
      running: '1\n',
      args: { name: 'net.ipv4.ip_forward', value: '1' },
      argv: [],
    },
    {
      name: 'in the file, not running: reload only',
      file: 'net.ipv4.ip_forward = 1\n',
      running: '0\n',
      args: { name: 'net.ipv4.ip_forward', value: '1' },
      argv: [`sysctl -p ${F}`],
    },
    {
      name: 'sysctl_set without reload: sysctl -w only',
      file: 'net.ipv4.ip_forward=1\n',
      running: '0\n',
      args: { name: 'net.ipv4.ip_forward', value: 'yes', reload: false, sysctl_set: true },
      argv: ['sysctl -w net.ipv4.ip_forward=1'],
    },
    {
      name: 'running value with other spacing is the same',
      file: 'net.ipv4.tcp_rmem=4096 87380 6291456\n',
      running: '4096\t87380\t6291456\n',
      args: { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456', sysctl_set: true },
      argv: [],
    },
    {
      name: 'ignoreerrors: -e, other file',
      file: 'vm.swappiness=60\n',
      running: '60\n',
      args: {
        name: 'vm.swappiness',
        value: 10,
        sysctl_file: '/etc/sysctl.d/9.conf',
        ignoreerrors: true,
        sysctl_set: true,
      },
      argv: ['sysctl -e -w vm.swappiness=10', 'write /etc/sysctl.d/9.conf', 'sysctl -e -p /etc/sysctl.d/9.conf'],
    },
    {
      name: 'absent: remove and reload',
      file: 'a=1\nvm.swappiness=10\n',
      running: '10\n',
      args: { name: 'vm.swappiness', state: 'absent' },
      argv: [`write ${F}`, `sysctl -p ${F}`],
    },
    { name: 'absent and not there: nothing', file: 'a=1\n', args: { name: 'x.y', state: 'absent' }, argv: [] },
  ])('$name', ({ file, running, args, argv }) => {
    const p = planOf(sysctl, state(file, running), args)
    expect(argvs(p)).toEqual(argv)
    expect(p.changed).toBe(argv.length > 0)
  })

  test('the written file and the diff', () => {
    const p = planOf(sysctl, state('# keep\nvm.swappiness = 60\n', '60\n'), { name: 'vm.swappiness', value: '10' })
    expect(p.commands[0].stdin).toBe(`# keep\nvm.swappiness=10\n${WRITE_END}\n`)
    expect(p.diff).toEqual([{ path: F, before: '# keep\nvm.swappiness = 60\n', after: '# keep\nvm.swappiness=10\n' }])
  })

  test('sysctl_set when sysctl cannot read the key: changed, nothing set (as Ansible)', () => {
    const p = planOf(sysctl, state('x.y=1\n'), { name: 'x.y', value: '1', sysctl_set: true, reload: false })
    expect(p.changed).toBe(true)
    expect(p.commands).toEqual([])
  })

  test('state=present needs value; blank ones are refused', () => {
    expect(() => moduleArgs(sysctl, { name: 'x' })).toThrow(/value/)
    expect(planOf(sysctl, state(''), { name: ' ', value: '1' }).fail).toBe('name cannot be blank')
    expect(planOf(sysctl, state(''), { name: 'x', value: ' ' }).fail).toBe('value cannot be blank')
    expect(planOf(sysctl, state(''), { name: 'vm.swappiness=1', value: '1' }).fail).toMatch(/cannot contain "="/)
  })
})

describe('gather and errors', () => {
  test('reads the running value and the file in one round trip', async () => {
    const io = scriptedIO([
      [/^sysctl -e -n vm.swappiness$/, ok('60\n')],
      [/^sh -c/, ok('vm.swappiness=60\n')],
    ])
    const s = await gatherOf(sysctl, { name: 'vm.swappiness', value: '60' }, testCtx(), io)
    expect(s).toEqual({ running: '60\n', lines: ['vm.swappiness=60'] })
    expect(parseSysctl({ rc: 255, stdout: '', stderr: 'x' }, { rc: 3, stdout: '', stderr: '' })).toEqual({
      running: undefined,
      lines: [],
    })
  })
  test("sysctl's stderr errors with rc 0 fail the task", () => {
    expect(SYSCTL_ERROR.test('sysctl: setting key "net.x": Invalid argument\n')).toBe(true)
    expect(SYSCTL_ERROR.test('net.x = 1\n')).toBe(false)
  })
})

describe('gather on this machine (read-only)', () => {
  test('the running value through sysctl, a missing file as no lines', async () => {
    const s = await gatherOf(
      sysctl,
      { name: 'kernel.ostype', value: 'Linux', sysctl_file: '/nonexistent/sysctl.conf' },
      testCtx(),
      localIO(),
    )
    expect(s).toEqual({ running: 'Linux\n', lines: [] })
    const unknown = await gatherOf(sysctl, { name: 'tsplay.no.such.key', value: '1' }, testCtx(), localIO())
    expect(unknown.running).toBe('') // -e: an unknown key prints nothing, exit 0, as Ansible reads it
    const io = scriptedIO([[/^sh -c/, ok('')]])
    await gatherOf(sysctl, { name: 'kernel.ostype=x', value: '1' }, testCtx(), io)
    expect(io.seen.map((c) => c.argv[0])).toEqual(['sh']) // a name with "=" never reaches sysctl
  })
})
