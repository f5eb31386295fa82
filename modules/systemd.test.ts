import { describe, expect, it } from 'vitest'
import { runRefresh } from '../engine/refresh.js'
import systemd, { parseShow, type UnitState } from './systemd.js'
import { gatherOf, moduleArgs, ok, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

// Real `systemctl show NAME -p LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload` output.
const SHOW_RUNNING =
  'LoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\nNeedDaemonReload=no\n'
const SHOW_UNKNOWN = 'LoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\nNeedDaemonReload=no\n'

const u = (o: Partial<UnitState> = {}): UnitState => ({
  LoadState: 'loaded',
  ActiveState: 'inactive',
  SubState: 'dead',
  UnitFileState: 'disabled',
  NeedDaemonReload: 'no',
  ...o,
})
const S = (...rest: string[]) => ['systemctl', ...rest]
type Row = [string, WrittenArgs<typeof systemd>, UnitState, { argv?: string[][]; fail?: RegExp; check?: boolean }]
const rows: Row[] = [
  ['start a stopped unit', { name: 'x', state: 'started' }, u(), { argv: [S('start', '--', 'x')] }],
  ['started is ok when running', { name: 'x', state: 'started' }, u({ ActiveState: 'active' }), { argv: [] }],
  [
    'stop a running unit',
    { name: 'x', state: 'stopped' },
    u({ ActiveState: 'active' }),
    { argv: [S('stop', '--', 'x')] },
  ],
  ['stopped is ok when failed', { name: 'x', state: 'stopped' }, u({ ActiveState: 'failed' }), { argv: [] }],
  [
    'restarted always acts',
    { name: 'x', state: 'restarted' },
    u({ ActiveState: 'active' }),
    { argv: [S('restart', '--', 'x')] },
  ],
  [
    'reloaded reloads a running unit',
    { name: 'x', state: 'reloaded' },
    u({ ActiveState: 'active' }),
    { argv: [S('reload', '--', 'x')] },
  ],
  ['reloaded starts a stopped unit', { name: 'x', state: 'reloaded' }, u(), { argv: [S('start', '--', 'x')] }],
  ['enable', { name: 'x', enabled: true }, u(), { argv: [S('enable', '--', 'x')] }],
  ['enabled is ok', { name: 'x', enabled: true }, u({ UnitFileState: 'enabled' }), { argv: [] }],
  ['disable', { name: 'x', enabled: false }, u({ UnitFileState: 'enabled' }), { argv: [S('disable', '--', 'x')] }],
  ['static cannot be enabled: ok', { name: 'x', enabled: true }, u({ UnitFileState: 'static' }), { argv: [] }],
  [
    'unmask, enable, start in order',
    { name: 'x', masked: false, enabled: true, state: 'started' },
    u({ LoadState: 'masked', UnitFileState: 'masked' }),
    { argv: [S('unmask', '--', 'x'), S('enable', '--', 'x'), S('start', '--', 'x')] },
  ],
  ['mask', { name: 'x', masked: true }, u(), { argv: [S('mask', '--', 'x')] }],
  [
    'user scope, no_block',
    { name: 'x', state: 'started', scope: 'user', no_block: true },
    u(),
    { argv: [S('--user', 'start', '--no-block', '--', 'x')] },
  ],
  [
    'unknown unit fails',
    { name: 'nosuch', state: 'started' },
    u({ LoadState: 'not-found', UnitFileState: '' }),
    { fail: /unit nosuch not found/ },
  ],
  [
    'unknown unit in check mode predicts',
    { name: 'nosuch', state: 'started', enabled: true },
    u({ LoadState: 'not-found', UnitFileState: '' }),
    { argv: [S('enable', '--', 'nosuch'), S('start', '--', 'nosuch')], check: true },
  ],
  [
    'no systemd fails',
    { name: 'x', state: 'started' },
    u({ error: 'System has not been booted with systemd' }),
    { fail: /cannot read unit x: System has not/ },
  ],
]

describe('systemd plan', () => {
  it('parses systemctl show', () => {
    expect(parseShow(SHOW_RUNNING)).toEqual(u({ ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' }))
    expect(parseShow(SHOW_UNKNOWN).LoadState).toBe('not-found')
  })
  it('keeps every property systemctl show prints, an Exec value over several lines as one', () => {
    const show = [
      'Type=simple',
      'MainPID=4242',
      'Environment=A=1 B=2',
      'Description=',
      'ExecStart={ path=/bin/sh ; argv[]=/bin/sh -c "echo one',
      'echo two" ; ignore_errors=no ; pid=0 }',
      'ExecStop={ path=/bin/kill ; argv[]=/bin/kill $MAINPID ; ignore_errors=no }',
      'LoadState=loaded',
      'Id=tsdemo.service',
      '',
    ].join('\n')
    const f = parseShow(show)
    expect(f).toMatchObject({ Type: 'simple', MainPID: '4242', Environment: 'A=1 B=2', Description: '' })
    expect(f.ExecStart).toBe('{ path=/bin/sh ; argv[]=/bin/sh -c "echo one\necho two" ; ignore_errors=no ; pid=0 }')
    expect(f.ExecStop).toBe('{ path=/bin/kill ; argv[]=/bin/kill $MAINPID ; ignore_errors=no }')
    expect(f).toMatchObject({ LoadState: 'loaded', Id: 'tsdemo.service' })
  })
  it.each(rows)('%s', (_n, args, facts, want) => {
    const plan = planOf(systemd, facts, args, testCtx({ checkMode: !!want.check }))
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
  })
})

describe('systemd gather/apply', () => {
  it('daemon_reload is the refresh step before gather, not run in check mode; gather only reads', async () => {
    const written = { name: 'x', daemon_reload: true }
    const io = scriptedIO([
      [/daemon-reload/, ok()],
      [/show/, ok(SHOW_RUNNING)],
    ])
    const ctx = testCtx()
    const step = await runRefresh(systemd.refresh!(moduleArgs(systemd, written), ctx), ctx, io)
    expect(step.changes).toEqual(['reload the systemd manager configuration'])
    const state = await gatherOf(systemd, written, ctx, io)
    expect(io.seen.map((c) => c.argv[1])).toEqual(['daemon-reload', 'show'])
    expect(planOf(systemd, state, written, ctx).commands).toEqual([])
    const io2 = scriptedIO([[/show/, ok(SHOW_RUNNING)]])
    const check = testCtx({ checkMode: true })
    expect((await runRefresh(systemd.refresh!(moduleArgs(systemd, written), check), check, io2)).outcome).toBe(
      'predicted',
    )
    await gatherOf(systemd, written, check, io2)
    expect(io2.seen.map((c) => c.argv[1])).toEqual(['show'])
    expect(systemd.refresh!(moduleArgs(systemd, { name: 'x', state: 'started' }), ctx)).toBeUndefined()
  })
  it('without a name only reloads or re-executes the manager: gather reads nothing, the plan is empty', async () => {
    const written = { daemon_reload: true, daemon_reexec: true }
    const ctx = testCtx()
    const io = scriptedIO([[/daemon-re/, ok()]])
    const step = await runRefresh(systemd.refresh!(moduleArgs(systemd, written), ctx), ctx, io)
    expect(io.seen.map((c) => c.argv)).toEqual([S('daemon-reexec'), S('daemon-reload')])
    expect(step.changes).toEqual(['reload the systemd manager configuration'])
    const state = await gatherOf(systemd, written, ctx, io)
    expect(io.seen).toHaveLength(2)
    expect(planOf(systemd, state, written, ctx).commands).toEqual([])
    // Ansible's hyphenated spellings
    expect(moduleArgs(systemd, { 'daemon-reload': true } as never)).toMatchObject({ daemon_reload: true })
  })
  it('refuses state, enabled or masked without a name, and nothing to do at all', () => {
    expect(() => moduleArgs(systemd, { state: 'started' } as never)).toThrow(
      /argument "state" of module systemd needs "name" too/,
    )
    expect(() => moduleArgs(systemd, { enabled: true } as never)).toThrow(/"enabled" .* needs "name" too/)
    expect(() => moduleArgs(systemd, { name: 'x' } as never)).toThrow(
      /needs one of the arguments "state", "enabled", "masked", "daemon_reload", "daemon_reexec"/,
    )
    expect(moduleArgs(systemd, { unit: 'x', state: 'started' } as never)).toMatchObject({ name: 'x' })
  })
  it('a failed start includes the journal', async () => {
    const io = scriptedIO([
      [
        /start/,
        { rc: 1, stdout: '', stderr: 'Job for x.service failed because the control process exited with error code.' },
      ],
      [
        /^journalctl -u x -n 20 --no-pager/,
        ok('Jan 01 x[1]: boom: config missing\nJan 01 systemd[1]: x.service: Failed\n'),
      ],
    ])
    const plan = planOf(systemd, u(), { name: 'x', state: 'started' }, testCtx())
    const r = await systemd.apply!(plan, moduleArgs(systemd, { name: 'x', state: 'started' }), testCtx(), io)
    expect(r.fail).toMatch(
      /start -- x failed \(exit 1\): Job for x.service failed[^]*Last journal lines of x:\n.*boom: config missing/,
    )
  })
  it('a unit that dies right after starting fails with the journal', async () => {
    const io = scriptedIO([
      [/ start /, ok()],
      [/show -p ActiveState,SubState/, ok('ActiveState=failed\nSubState=failed\n')],
      [/^journalctl/, ok('x: exited 1\n')],
    ])
    const plan = planOf(systemd, u(), { name: 'x', state: 'started' }, testCtx())
    const r = await systemd.apply!(plan, moduleArgs(systemd, { name: 'x', state: 'started' }), testCtx(), io)
    expect(r.fail).toMatch(/x failed right after starting \(failed\/failed\)[^]*x: exited 1/)
  })
  it('a successful start is changed', async () => {
    const io = scriptedIO([
      [/ start /, ok()],
      [/show -p ActiveState,SubState/, ok('ActiveState=active\nSubState=running\n')],
    ])
    const plan = planOf(systemd, u(), { name: 'x', state: 'started' }, testCtx())
    expect(await systemd.apply!(plan, moduleArgs(systemd, { name: 'x', state: 'started' }), testCtx(), io)).toEqual({
      changed: true,
    })
  })
})
