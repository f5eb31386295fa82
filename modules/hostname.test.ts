import { WRITE_END } from '../engine/commands.js'
import { describe, expect, test } from 'vitest'
import hostname, { type HostnameState } from './hostname.js'
import type { HostnameFileUse } from './lib/hostnamefiles.js'
import { gatherOf, ok, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const argvs = (p: { commands: { argv: readonly string[] }[] }) =>
  p.commands.map((c) => (c.argv[0] === 'sh' ? `write ${c.argv[4]}` : c.argv.join(' ')))
const sd = (stat: string, transient: string): HostnameState => ({ strategy: 'systemd', static: stat, transient })

describe('plan: args + state → commands', () => {
  test.each<{ name: string; state: HostnameState; args: WrittenArgs<typeof hostname>; argv: string[] }>([
    { name: 'systemd, both right: nothing', state: sd('b1', 'b1'), args: { name: 'b1' }, argv: [] },
    {
      name: 'systemd, both differ: static first, then transient',
      state: sd('old', 'old'),
      args: { name: 'b1' },
      argv: ['hostnamectl --pretty --static set-hostname b1', 'hostnamectl --transient set-hostname b1'],
    },
    {
      name: 'systemd, only the running name differs',
      state: sd('b1', 'localhost'),
      args: { name: 'b1' },
      argv: ['hostnamectl --transient set-hostname b1'],
    },
    {
      name: 'no systemd: /etc/hostname only',
      state: { strategy: 'file', file: 'old' },
      args: { name: 'b1.example.org' },
      argv: ['write /etc/hostname'],
    },
    { name: 'no systemd, same: nothing', state: { strategy: 'file', file: 'b1' }, args: { name: 'b1' }, argv: [] },
  ])('$name', ({ state, args, argv }) => {
    const p = planOf(hostname, state, args)
    expect(argvs(p)).toEqual(argv)
    expect(p.data).toMatchObject({ name: args.name, ansible_facts: { ansible_hostname: args.name.split('.')[0] } })
  })

  test('the file content, the diff and the length limit', () => {
    const p = planOf(hostname, { strategy: 'file', file: '' }, { name: 'b1' })
    expect(p.commands[0].stdin).toBe(`b1\n${WRITE_END}\n`)
    expect(p.diff).toEqual([{ path: 'hostname', before: 'hostname = \n', after: 'hostname = b1\n' }])
    const long = 'x'.repeat(65)
    expect(planOf(hostname, sd('a', 'a'), { name: long }).fail).toMatch(/longer than 64/)
  })
})

describe('gather picks the strategy as Ansible does', () => {
  const io = (systemd: boolean, ctlRc = 0) =>
    scriptedIO([
      [/^sh -c command -v systemctl/, { rc: systemd ? 0 : 1, stdout: '', stderr: '' }],
      [/^hostnamectl --static status$/, { rc: ctlRc, stdout: 'stat\n', stderr: ctlRc ? 'no bus' : '' }],
      [/^hostnamectl --transient status$/, { rc: ctlRc, stdout: 'trans\n', stderr: '' }],
      [/^sh -c/, ok('fromfile\n')],
    ])
  test('systemd running → hostnamectl', async () => {
    expect(await gatherOf(hostname, { name: 'x' }, testCtx(), io(true))).toEqual(sd('stat', 'trans'))
  })
  test('no systemd → /etc/hostname; use: debian → hostnamectl (Ansible maps debian to systemd)', async () => {
    expect(await gatherOf(hostname, { name: 'x' }, testCtx(), io(false))).toEqual({
      strategy: 'file',
      file: 'fromfile',
    })
    expect(await gatherOf(hostname, { name: 'x', use: 'debian' }, testCtx(), io(false))).toEqual(sd('stat', 'trans'))
  })
  test('hostnamectl failing fails the task', async () => {
    await expect(gatherOf(hostname, { name: 'x' }, testCtx(), io(true, 1))).rejects.toThrow(/rc=1[\s\S]*no bus/)
  })
})

describe('use: strategies that edit their own file, as Ansible 2.14 does', () => {
  const edit = (strategy: HostnameFileUse, text?: string, running?: string): HostnameState => ({
    strategy,
    ...(text === undefined ? {} : { text }),
    ...(running === undefined ? {} : { running }),
  })
  const written = (p: { commands: { argv: readonly string[]; stdin?: string | Uint8Array }[] }) =>
    p.commands.map((c) =>
      c.argv[0] === 'sh' ? `${c.argv[4]}: ${String(c.stdin).split(WRITE_END)[0]}` : c.argv.join(' '),
    )
  test.each<{ name: string; state: HostnameState; want: string[] | RegExp; before?: string }>([
    { name: 'sles: /etc/HOSTNAME', state: edit('sles'), want: ['/etc/HOSTNAME: b1\n'], before: '' },
    { name: 'openbsd: /etc/myname, same name', state: edit('openbsd', ' b1\n'), want: [] },
    {
      name: 'alpine: the file, then the running name read from it',
      state: edit('alpine', 'old\n'),
      want: ['/etc/hostname: b1\n', 'hostname -F /etc/hostname'],
      before: 'old',
    },
    {
      name: 'redhat: every HOSTNAME line replaced, the rest kept',
      state: edit('redhat', 'NETWORKING=yes\n  HOSTNAME=old\r\nX=1'),
      want: ['/etc/sysconfig/network: NETWORKING=yes\nHOSTNAME=b1\nX=1'],
      before: 'old',
    },
    {
      name: 'redhat: no file',
      state: edit('redhat'),
      want: /Unable to locate HOSTNAME entry in \/etc\/sysconfig\/network/,
    },
    { name: 'redhat: no HOSTNAME line', state: edit('redhat', 'A=1\n'), want: /Unable to locate HOSTNAME entry/ },
    { name: 'redhat: a line it cannot split', state: edit('redhat', 'HOSTNAME=a=b\n'), want: /HOSTNAME=a=b/ },
    {
      name: 'openrc: the first hostname= line, lines trimmed',
      state: edit('openrc', ' x=1 \nhostname="old"\nhostname="two"\n'),
      want: ['/etc/conf.d/hostname: x=1\nhostname="b1"\nhostname="two"\n'],
      before: 'old',
    },
    {
      name: 'openrc: an unquoted value read from its second character, as Ansible reads it',
      state: edit('openrc', 'hostname=old\n'),
      want: ['/etc/conf.d/hostname: hostname="b1"\n'],
      before: 'ld',
    },
    {
      name: 'openrc: no file (Ansible writes an empty line)',
      state: edit('openrc'),
      want: ['/etc/conf.d/hostname: \n'],
    },
    {
      name: 'openrc: no hostname= line fails, writing nothing',
      state: edit('openrc', 'x=1\n'),
      want: /hostname= line/,
    },
    {
      name: 'freebsd: the running name first, then a new file',
      state: edit('freebsd', undefined, 'old'),
      want: ['hostname b1', '/etc/rc.conf.d/hostname: hostname="b1"\n'],
      before: 'old',
    },
    {
      name: 'freebsd: the file only',
      state: edit('freebsd', 'hostname="x"\n', 'b1'),
      want: ['/etc/rc.conf.d/hostname: hostname="b1"\n'],
      before: 'x',
    },
    { name: 'generic fails', state: { strategy: 'other', use: 'generic' }, want: /generic cannot be used here/ },
    { name: 'darwin fails', state: { strategy: 'other', use: 'darwin' }, want: /macOS/ },
  ])('$name', ({ state, want, before }) => {
    const p = planOf(hostname, state, { name: 'b1' })
    if (want instanceof RegExp) {
      expect(p.fail).toMatch(want)
      expect(p.commands).toEqual([])
      return
    }
    expect(written(p)).toEqual(want)
    if (before !== undefined) expect(p.diff?.[0].before).toBe(`hostname = ${before}\n`)
  })

  test('gather reads the file (and the running name where the strategy asks for it), no systemd probe', async () => {
    const io = (fileRc: number) =>
      scriptedIO([
        [
          /^sh -c .*cat -- "\$1" sh \/etc\/rc\.conf\.d\/hostname$/,
          { rc: fileRc, stdout: fileRc ? '' : 'hostname="a"\n', stderr: fileRc === 1 ? 'Permission denied' : '' },
        ],
        [/^hostname$/, ok('run\n')],
      ])
    const seen = io(0)
    expect(await gatherOf(hostname, { name: 'x', use: 'freebsd' }, testCtx(), seen)).toEqual(
      edit('freebsd', 'hostname="a"\n', 'run'),
    )
    expect(seen.seen.map((c) => c.argv[0])).toEqual(['sh', 'hostname'])
    expect(await gatherOf(hostname, { name: 'x', use: 'freebsd' }, testCtx(), io(4))).toEqual(
      edit('freebsd', undefined, 'run'),
    )
    await expect(gatherOf(hostname, { name: 'x', use: 'freebsd' }, testCtx(), io(1))).rejects.toThrow(
      /Permission denied/,
    )
    const other = scriptedIO([])
    expect(await gatherOf(hostname, { name: 'x', use: 'solaris' }, testCtx(), other)).toEqual({
      strategy: 'other',
      use: 'solaris',
    })
    expect(other.seen).toEqual([])
  })
})
