import type { ModuleArgs } from '../engine/argtypes.js'
import { describe, expect, it } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import type { HostFacts } from '../engine/types.js'
import service from './service.js'
import { ok, scriptedIO, testCtx } from '../test/helpers/module-ctx.js'

const args = (raw: Record<string, unknown>) =>
  resolveArgs(service, raw, { file: 'pb.yml', line: 1, col: 1 }) as ModuleArgs<typeof service.schema>
const init = (name: string) => ({ facts: { init: name } as HostFacts })

const RUNNING = 'LoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=disabled\nNeedDaemonReload=no\n'
const S = (...rest: string[]) => ['systemctl', ...rest]
const INIT = (step: string) => ['/etc/init.d/x', step]
/** The SysV gather script's answer: the script and tools found, not running, not enabled. */
const SYSV =
  'script /etc/init.d/x\ntool service /usr/sbin/service\ntool update-rc.d /usr/sbin/update-rc.d\n' +
  '---\nx is not running\n\n3\n'

type Row = [string, Record<string, unknown>, Partial<ReturnType<typeof testCtx>>, number, RegExp | string[][]]
const rows: Row[] = [
  ['started when running is ok', { name: 'x', state: 'started' }, init('systemd'), 0, []],
  ['reloaded reloads a running unit', { name: 'x', state: 'reloaded' }, init('systemd'), 0, [S('reload', '--', 'x')]],
  ['restarted always acts', { name: 'x', state: 'restarted' }, {}, 0, [S('restart', '--', 'x')]],
  ['enabled enables', { name: 'x', enabled: true }, {}, 0, [S('enable', '--', 'x')]],
  ['stopped stops', { name: 'x', state: 'stopped', use: 'systemd' }, {}, 1, [S('stop', '--', 'x')]],
  ['an OpenRC host fails with its manager', { name: 'x', state: 'started' }, init('openrc'), 0, /is openrc/],
  ['a sysvinit host runs the init script', { name: 'x', state: 'started' }, init('sysvinit'), 0, [INIT('start')]],
  ['no systemd found by the probe: the init script', { name: 'x', state: 'stopped' }, {}, 1, []],
  [
    'use: sysvinit on a systemd host',
    { name: 'x', state: 'restarted', use: 'sysvinit' },
    init('systemd'),
    0,
    [INIT('stop'), ['sleep', '1'], INIT('start'), ['sleep', '1']],
  ],
  [
    'systemd arguments are refused on SysV',
    { name: 'x', state: 'started', daemon_reload: true },
    init('sysvinit'),
    0,
    /Unsupported parameters for \(sysvinit\) module: daemon_reload/,
  ],
  [
    'SysV arguments reach the script',
    { name: 'x', state: 'reloaded', sleep: 0, args: "-q 'a b'" },
    init('sysvinit'),
    0,
    [[...INIT('reload'), '-q', 'a b']],
  ],
  [
    'sysv-only arguments are ignored on systemd',
    { name: 'x', state: 'started', pattern: 'x', sleep: 2, args: '-q' },
    init('systemd'),
    0,
    [],
  ],
]

describe('service maps to systemd', () => {
  it.each(rows)('%s', async (_n, raw, ctxOver, probeRc, want) => {
    const io = scriptedIO([
      [/run\/systemd\/system/, { rc: probeRc, stdout: '', stderr: '' }],
      [/^systemctl show/, ok(RUNNING)],
      [/^sh -c n=\$1; st=\$2/, ok(SYSV)],
    ])
    const ctx = testCtx(ctxOver)
    const a = args(raw)
    const state = service.gather(a, ctx, io)
    if (want instanceof RegExp) return expect(state).rejects.toThrow(want)
    expect(service.plan(await state, a, ctx).commands.map((c) => c.argv)).toEqual(want)
  })
  it('says which arguments it ignores on systemd, as Ansible warns', async () => {
    const lines: string[] = []
    const ctx = testCtx({ ...init('systemd'), log: (l: string) => lines.push(l) })
    const io = scriptedIO([[/^systemctl show/, ok(RUNNING)]])
    await service.gather(args({ name: 'x', state: 'started', pattern: 'p', runlevel: '3' }), ctx, io)
    expect(lines).toEqual([
      '[WARNING]: Ignoring "pattern" as it is not used in "systemd"',
      '[WARNING]: Ignoring "runlevel" as it is not used in "systemd"',
    ])
  })
  it('daemon_reload is the refresh step', () => {
    const step = service.refresh!(args({ name: 'x', state: 'started', daemon_reload: true }), testCtx())
    expect(step?.commands.map((c) => c.argv)).toEqual([S('daemon-reload')])
  })
  it.each([
    [{ name: 'x' }, /one of.*state.*enabled|state.*enabled/],
    [{ name: 'x', state: 'running' }, /state/],
    [{ state: 'started' }, /name/],
  ])('refuses %j before any host is contacted', (raw, msg) => {
    expect(() => args(raw)).toThrow(msg)
  })
})
