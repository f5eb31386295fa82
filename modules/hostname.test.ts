import { WRITE_END } from '../engine/commands.js'
import { describe, expect, test } from 'vitest'
import hostname, { type HostnameState } from './hostname.js'
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
