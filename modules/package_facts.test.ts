import { describe, expect, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import type { CommandResult } from '../engine/types.js'
import { listCommand, managersOf, parsePackages, planPackageFacts } from './package_facts.js'

const res = (rc: number, stdout = ''): CommandResult => ({ rc, stdout, stderr: '' })
const args = (manager: string | string[] = ['auto'], strategy: 'first' | 'all' = 'first') => ({ manager, strategy })

const OUT = [
  'amd64',
  'installed\tbash\t5.2.15-2+b8\tamd64\tshells',
  'installed\tlibc6\t2.36-9\tamd64\tlibs',
  'installed\tlibc6\t2.36-9\ti386\tlibs',
  'installed\ttzdata\t2024a-0\tall\tlocaltime',
  'config-files\told\t1.0\tamd64\tmisc',
  'not-installed\tgone\t\tamd64\t',
  'unpacked\thalf\t2\tamd64\t',
  '',
].join('\n')

describe('package_facts', () => {
  test('dpkg-query lines become Ansible apt facts', () => {
    expect(parsePackages(OUT)).toEqual({
      bash: [{ name: 'bash', version: '5.2.15-2+b8', arch: 'amd64', category: 'shells', source: 'apt' }],
      libc6: [{ name: 'libc6', version: '2.36-9', arch: 'amd64', category: 'libs', source: 'apt' }],
      'libc6:i386': [{ name: 'libc6:i386', version: '2.36-9', arch: 'i386', category: 'libs', source: 'apt' }],
      tzdata: [{ name: 'tzdata', version: '2024a-0', arch: 'all', category: 'localtime', source: 'apt' }],
      half: [{ name: 'half', version: '2', arch: 'amd64', category: '', source: 'apt' }],
    })
  })

  test.each([
    { manager: ['auto'], want: ['apt', 'rpm', 'portage', 'pkg', 'pacman', 'apk', 'pkg_info'] },
    { manager: 'apt', want: ['apt'] },
    { manager: ['APT', 'apt'], want: ['apt'] },
    { manager: ['yum'], want: 'Unsupported package managers requested: yum' },
    { manager: ['auto', 'yum'], want: /^Could not auto detect/ },
  ])('managers $manager', ({ manager, want }) => {
    const got = managersOf(args(manager))
    if (want instanceof RegExp) expect(got).toMatch(want)
    else expect(got).toEqual(want)
  })

  test.each([
    { what: 'facts', a: args(), r: res(0, OUT), fail: undefined },
    { what: 'no dpkg-query', a: args(), r: res(3), fail: /^Could not detect a supported package manager/ },
    { what: 'apt not asked', a: args('rpm'), r: undefined, fail: /following list: \['rpm'\]/ },
    { what: 'unknown manager', a: args('yum'), r: undefined, fail: /Unsupported package managers/ },
  ])('plan: $what', ({ a, r, fail }) => {
    const p = planPackageFacts(r, a)
    if (fail) expect(p.fail).toMatch(fail)
    else {
      expect(p.changed).toBe(false)
      expect(p.moduleFacts?.packages).toEqual(parsePackages(OUT))
      expect(p.data).toEqual({ ansible_facts: p.moduleFacts })
    }
  })

  test('this host lists bash as dpkg does', async () => {
    const r = await new LocalConnector('localhost').run(listCommand())
    const bash = planPackageFacts(r, args()).moduleFacts?.packages as Record<string, Array<{ version: string }>>
    const { execFileSync } = await import('node:child_process')
    const v = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'bash'], { encoding: 'utf8' })
    expect(bash.bash).toEqual([expect.objectContaining({ name: 'bash', version: v, source: 'apt' })])
  })
})
