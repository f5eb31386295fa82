import { describe, expect, it } from 'vitest'
import sysvinit, { parseSysv, type SysvState } from './sysvinit.js'
import { isRunning } from './lib/sysvstatus.js'
import { planOf, type WrittenArgs } from '../test/helpers/module-ctx.js'

const HEAD = 'script /etc/init.d/web\ntool service /usr/sbin/service\ntool update-rc.d /usr/sbin/update-rc.d\n'
const facts = (status: string, links = ''): SysvState =>
  parseSysv(`${HEAD}${links}---\n${status}`, { name: 'web', sleep: 1, daemonize: false, runlevels: ['3'] })

describe('isRunning reads a status as Ansible sysvinit does', () => {
  const warnings: string[] = []
  const warn = (m: string) => warnings.push(m)
  it.each<[string, { rc: number; stdout: string; ps?: string; pattern?: string }, boolean]>([
    ['one line saying running', { rc: 0, stdout: 'web is running.\n' }, true],
    ['"not running" with rc 0: the code decides, as in Ansible', { rc: 0, stdout: 'web is not running\n' }, true],
    ['"not running" with rc 3', { rc: 3, stdout: 'web is not running\n' }, false],
    ['stop before run', { rc: 0, stdout: 'stopped, was running\n' }, false],
    ['LSB code 3 with many lines', { rc: 3, stdout: 'a\nb\nc\n' }, false],
    ['rc 0 with many lines', { rc: 0, stdout: 'a\nb\nc\n' }, true],
    ['an odd code: the name in ps', { rc: 9, stdout: 'a\nb\nc\n', ps: 'root 1 /usr/sbin/web -d\n' }, true],
    ['an odd code, nothing in ps', { rc: 9, stdout: 'a\nb\nc\n', ps: 'root 1 init\n' }, false],
    ['a pattern in ps', { rc: 0, stdout: 'root 1 /opt/web/bin/daemon\n', pattern: 'bin/daemon' }, true],
  ])('%s', (_t, s, want) => {
    expect(isRunning(s, 'web', warn)).toBe(want)
  })
  it('leaves the name itself out of the words', () => {
    expect(isRunning({ rc: 0, stdout: 'stopwatch is up\n' }, 'stopwatch', warn)).toBe(true)
  })
  it('warns where Ansible warns', () => {
    expect(warnings).toEqual([
      'Used ps output to match service name and determine it is up, this is very unreliable',
      'Unable to determine if service is up, assuming it is down',
    ])
  })
})

describe('plan: facts + args → commands', () => {
  const argv = (f: SysvState, a: WrittenArgs<typeof sysvinit>) =>
    planOf(sysvinit, f, a).commands.map((c) => c.argv.join(' '))
  it.each<[string, SysvState, WrittenArgs<typeof sysvinit>, string[] | RegExp]>([
    [
      'started when stopped',
      facts('web is stopped\n\n3\n'),
      { name: 'web', state: 'started' },
      ['/etc/init.d/web start'],
    ],
    ['started when running', facts('web is running\n\n0\n'), { name: 'web', state: 'started' }, []],
    [
      'stopped when running',
      facts('web is running\n\n0\n'),
      { name: 'web', state: 'stopped' },
      ['/etc/init.d/web stop'],
    ],
    [
      'reloaded when stopped still reloads',
      facts('\n3\n'),
      { name: 'web', state: 'reloaded' },
      ['/etc/init.d/web reload'],
    ],
    [
      'restarted: stop, sleep, start, sleep; arguments split as words',
      facts('\n0\n'),
      { name: 'web', state: 'restarted', sleep: 2, arguments: "-v 'a b'" },
      ['/etc/init.d/web stop -v a b', 'sleep 2', '/etc/init.d/web start -v a b', 'sleep 2'],
    ],
    ['enabled: defaults', facts('\n0\n'), { name: 'web', enabled: true }, ['/usr/sbin/update-rc.d web defaults']],
    [
      'disabled when linked',
      facts('\n0\n', 'link /etc/rc2.d/S01web\n'),
      { name: 'web', enabled: false },
      ['/usr/sbin/update-rc.d web disable'],
    ],
    [
      'runlevels: only those asked',
      facts('\n0\n', 'link /etc/rc2.d/S01web\nin 3\n'),
      { name: 'web', enabled: true, runlevels: ['3'] },
      [],
    ],
    ['no init script', { enabled: false, enabledIn: {} }, { name: 'web', state: 'started' }, /requested service web/],
  ])('%s', (_t, f, a, want) => {
    if (want instanceof RegExp) return expect(planOf(sysvinit, f, a).fail).toMatch(want)
    expect(argv(f, a)).toEqual(want)
  })
})
